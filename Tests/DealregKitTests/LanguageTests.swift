@testable import DealregKit
import DealregMail
import DealregTestSupport
import Foundation
import Testing

/// Issue 15: partner-facing text in the partner's language (partners.csv `language`).
@Suite("Partner languages", .serialized)
struct LanguageTests {
    // MARK: - Tags

    @Test(arguments: [
        ("de", PartnerLanguage.german), ("DE", .german), ("de-AT", .german), ("de_CH", .german), ("fr", .french),
        ("fr-CA", .french), ("es", .spanish), ("es-MX", .spanish), ("ja", .japanese), ("ja-JP", .japanese),
        ("en", .english), ("en-GB", .english), ("pt", .english), ("pt-BR", .english), ("zh-Hant-TW", .english),
        (" de ", .german),
    ])
    func aTagFallsBackByStrippingTheRegionThenToEnglish(_ tag: String, _ expected: PartnerLanguage) {
        #expect(PartnerLanguage(tag: tag) == expected)
    }

    @Test(arguments: ["German", "d3", "de--AT", "x", "", "de-", "deutsch", "fr-CAnadaaaa"])
    func notALanguageTag(_ tag: String) {
        #expect(PartnerLanguage(tag: tag) == nil)
    }

    /// A malformed tag is a partner-list problem, reported with the others; a well-formed tag
    /// of a language without text (pt) is English.
    @Test func thePartnerListChecksTheLanguageColumn() throws {
        let folder = try temporaryDirectory()
        let good = folder.appendingPathComponent("partners.csv")
        try write("""
            partner_id,name,email,language
            P-A,Alpha GmbH,a@alpha.example,de-AT
            P-B,Beta Lda,b@beta.example,pt
            P-C,Gamma KK,c@gamma.example,
            P-D,Delta SA,d@delta.example,fr_CA

            """, to: good)
        let directory = try PartnerDirectory.load(path: good.path)
        #expect(directory.partner("P-A")?.language == .german && directory.partner("P-A")?.languageTag == "de-AT")
        #expect(directory.partner("P-B")?.language == .english)
        #expect(directory.partner("P-C")?.language == .english && directory.partner("P-C")?.languageTag == nil)
        #expect(directory.partner("P-D")?.language == .french)

        let bad = folder.appendingPathComponent("bad.csv")
        try write("""
            partner_id,name,email,language,max_active
            P-A,Alpha GmbH,a@alpha.example,German,1
            P-B,Beta Lda,b@beta.example,pt,x

            """, to: bad)
        do {
            _ = try PartnerDirectory.load(path: bad.path)
            Issue.record("a language that is not a tag should stop the batch")
        } catch let error as InputError {
            #expect(error.message.contains("line 2, column language: 'German' is not a BCP 47 language tag"), "\(error.message)")
            #expect(error.message.contains("2 problems"), "every problem at once: \(error.message)")
        }
    }

    // MARK: - The catalogue

    /// Every key of the English catalogue is in every language, with the same placeholders;
    /// every reason code has a sentence in every language; nothing is left untranslated by copy.
    @Test(arguments: PartnerLanguage.allCases)
    func everySentenceInEveryLanguage(_ language: PartnerLanguage) throws {
        let english = try #require(PartnerText.tables[.english])
        let table = try #require(PartnerText.tables[language])
        #expect(Set(table.keys) == Set(english.keys), "missing: \(Set(english.keys).subtracting(table.keys).sorted()), extra: \(Set(table.keys).subtracting(english.keys).sorted())")
        for (key, text) in english {
            let translated = try #require(table[key])
            #expect(!translated.trimmingCharacters(in: .whitespaces).isEmpty, "\(language) \(key)")
            #expect(PartnerText.placeholders(translated) == PartnerText.placeholders(text), "\(language) \(key): placeholders differ")
        }
        for code in ReasonCode.allCases {
            #expect(table.keys.contains { $0 == code.rawValue || $0.hasPrefix(code.rawValue + ".") }, "\(language): no sentence for \(code.rawValue)")
        }
        if language != .english {
            let same = english.filter { table[$0.key] == $0.value }.map(\.key)
            #expect(same.count <= 2, "\(language) repeats the English text of \(same.sorted())")
        }
    }

    @Test func sentencesFillTheirPlaceholders() {
        let missing = Sentence("missing_required_field.empty", ["field": "account_name", "label": "account_name"])
        #expect(missing.text(in: .english) == "The account name is empty; fill it in and send the row again.")
        #expect(missing.text(in: .german) == "Das Feld „Firmenname“ ist leer; bitte füllen Sie es aus und senden Sie die Zeile erneut.")
        #expect(missing.text(in: .japanese) == "「アカウント名」が空欄です。ご記入のうえ、この行を再送してください。")
        let until = Sentence("duplicate_existing_deal.until", ["date": "2026-12-30"])
        #expect(until.text() == "This account is already registered by another partner until 2026-12-30.")
        #expect(until.text(in: .french) == "Ce compte est déjà enregistré par un autre partenaire jusqu'au 2026-12-30.")
        #expect(until.text(in: .spanish) == "Esta cuenta ya está registrada por otro partner hasta el 2026-12-30.")
        // A value is inserted as is, even one that looks like a placeholder.
        #expect(Sentence("invalid_value.website", ["value": "{date}"]).text(in: .german).contains("'{date}'"))
    }

    // MARK: - Templates

    /// Every shipped template of every language uses the English template's variables (and
    /// sections), and renders every value it is given.
    @Test(arguments: MailTemplates.languages)
    func everyTemplateInEveryLanguage(_ language: String) throws {
        // The variables and sections ({{name}}, {{#name}}, {{^name}}, {{/name}}) a template uses.
        func tags(_ text: String) -> Set<String> {
            Set(text.components(separatedBy: "{{").dropFirst().compactMap { piece -> String? in
                guard let end = piece.range(of: "}}") else { return nil }
                let tag = String(piece[..<end.lowerBound])
                return tag.allSatisfy({ $0.isLetter || "_#^/".contains($0) }) ? tag : nil
            })
        }
        let templates = try MailTemplates()
        for name in MailTemplates.baseNames {
            let english = try #require(MailTemplates.shipped[name])
            let translated = try #require(MailTemplates.shipped[MailTemplates.localized(name, language)], "\(name) in \(language)")
            #expect(tags(translated) == tags(english), "\(MailTemplates.localized(name, language)): \(tags(translated).symmetricDifference(tags(english)))")
            if name.hasSuffix(".html") { #expect(translated.contains("<html lang=\"\(language)\">")) }
            let rendered = templates.render(name, language: language, Self.allValues)
            #expect(rendered != templates.render(name, Self.allValues), "\(name) in \(language) is not the English text")
            #expect(rendered.contains("Partner «Zeta»") && rendered.contains("Signature ~ team"), "\(name) in \(language)")
            #expect(!rendered.contains("{{") && !rendered.contains("}}"), "\(name) in \(language)")
        }
    }

    /// Values for every variable any template uses.
    static var allValues: [String: Any] {
        let row: [String: Any] = [
            "row": 3, "row_number": 2, "account": "Contoso", "decision": "declined", "reason": "Reason.", "reference": "REG-1",
            "expires_on": "2027-02-21", "registration_id": "REG-2", "can_extend": true,
        ]
        return [
            "partner_name": "Partner «Zeta»", "partner_id": "P-Z", "file": "f.csv", "approved": 1, "declined": 2,
            "needs_review": 3, "needs_info": 4, "attention_count": 1, "has_attention": true, "attention": [row],
            "has_approved": true, "approved_rows": [row], "attachment": "results-f.csv", "signature": "Signature ~ team",
            "registrations": [row], "reminder_days": 14, "extension_days": 30, "max_extensions": 2, "count": 1,
            "account": "Contoso", "registration_id": "REG-2", "partner_reference": "PO-9", "expires_on": "2027-02-21",
            "extensions_used": 1, "extensions_left": 1, "can_extend": true, "has_wait": true, "reregister_after_days": 90,
            "reregister_from": "2027-05-22", "source_file": "f.csv", "source_row": 3, "has_note": true, "note": "A note.",
            "period": "2026-W49", "week_from": "2026-11-24", "week_to": "2026-11-30", "active_count": 1, "has_active": true,
            "active": [row], "expiring_count": 1, "has_expiring": true, "expiring": [row], "decision_count": 1,
            "has_decisions": true, "decisions": [row.merging(["decided_on": "2026-11-30"]) { $1 }],
        ]
    }

    @Test func everyLanguageHasItsTemplates() {
        #expect(MailTemplates.languages == PartnerLanguage.allCases.filter { $0 != .english }.map(\.rawValue))
        #expect(MailTemplates.localized("status-closed-won.html", "ja") == "status-closed-won.ja.html")
        #expect(MailTemplates.localized("results.txt", "en") == "results.txt")
        #expect(MailTemplates.localized("results.txt", "pt") == "results.txt")
    }

    /// An override in `--templates` replaces one language's text only.
    @Test func anOverrideReplacesOneLanguage() throws {
        let folder = try temporaryDirectory()
        try write("{{% CONTENT_TYPE: TEXT}}Hallo {{partner_name}}\n", to: folder.appendingPathComponent("results.de.txt.mustache"))
        let templates = try MailTemplates(overrides: folder.path)
        #expect(templates.render("results.txt", language: "de", ["partner_name": "X"]) == "Hallo X\n")
        #expect(templates.render("results.txt", ["partner_name": "X"]).hasPrefix("Hello X,"))
        #expect(templates.render("results.txt", language: "fr", ["partner_name": "X"]).hasPrefix("Bonjour X,"))
    }

    // MARK: - Emails and partner files

    /// The sample partners with languages: what each one's results email and partner file say.
    static let cases: [(partner: String, tag: String?, language: String, subject: String, phrase: String, file: String)] = [
        ("P-ALPINE", "de-AT", "de", "Ihre Deal-Registrierungen in alpine-2026-11-21.csv: 6 genehmigt, 3 erfordern Ihre Aufmerksamkeit",
         "Nicht genehmigte Registrierungen und was als Nächstes zu tun ist", "alpine-2026-11-21.partner.csv"),
        ("P-SAKURA", "ja", "ja", "sakura-2026-11-21.csv の案件登録結果", "いつもお世話になっております。",
         "sakura-2026-11-21.partner-P-SAKURA.csv"),
        ("P-NORTHWIND", "es-MX", "es", "Sus registros de oportunidades en northwind-2026-11-20.csv: 7 aprobado(s), 8 requieren su atención",
         "Hemos procesado los registros de oportunidades del archivo northwind-2026-11-20.csv", "northwind-2026-11-20.partner.csv"),
        ("P-FIELDFORCE", "fr", "fr", "Vos enregistrements d'affaires dans fieldforce-2026-11-22.csv",
         "Nous avons traité les enregistrements d'affaires du fichier fieldforce-2026-11-22.csv", "fieldforce-2026-11-22.partner.csv"),
    ]

    private func partnersWithLanguages(_ folder: URL, _ languages: [String: String]) throws -> String {
        // The sample list has a language column (no quoted values): set it for the partners named.
        var rows = try String(contentsOfFile: samplePath("partners.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try #require(rows[0].firstIndex(of: "language"))
        for index in rows.indices.dropFirst() {
            if let language = languages[rows[index][0]] { rows[index][column] = language }
        }
        let lines = rows.map { $0.joined(separator: ",") }
        let path = folder.appendingPathComponent("partners.csv").path
        try write(lines.joined(separator: "\n") + "\n", to: URL(fileURLWithPath: path))
        return path
    }

    private func run(_ folder: URL, partners: String, ledger: String? = nil) throws -> BatchSummary {
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: partners,
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("out").path, uploads: sampleUploads,
                                             ledgerPath: ledger)
        configuration.outbox = folder.appendingPathComponent("outbox").path
        return try BatchRunner(configuration: configuration).run()
    }

    private func header(_ path: String, _ name: String) throws -> String? {
        let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let headers = raw[..<(raw.range(of: "\r\n\r\n")?.lowerBound ?? raw.endIndex)]
        return headers.split(separator: "\r\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    /// A partner file's rows by row_number: (reason_codes, reason), read in whatever dialect it is in.
    private func partnerReasons(_ path: String) throws -> [String: (codes: String, reason: String)] {
        let format = try CSVFile.detectFormat(path: path)
        let reader = try CSVFile.open(path: path, format: format)
        let header = try #require(try reader.next()?.fields)
        let number = try #require(header.firstIndex(of: "row_number")), codes = try #require(header.firstIndex(of: "reason_codes"))
        let reason = try #require(header.firstIndex(of: "reason"))
        var rows: [String: (String, String)] = [:]
        while let record = try reader.next() { rows[record.fields[number]] = (record.fields[codes], record.fields[reason]) }
        return rows
    }

    @Test func eachPartnerReadsItsResultsInItsLanguage() throws {
        let folder = try temporaryDirectory()
        var languages = Dictionary(uniqueKeysWithValues: Self.cases.map { ($0.partner, $0.tag ?? "") })
        languages["P-COASTAL"] = "pt"
        languages["P-LUMIERE"] = "fr"
        let partners = try partnersWithLanguages(folder, languages)
        let summary = try run(folder, partners: partners)
        #expect(summary.messages.count == 8)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("outbox").path)
            .filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent("outbox/\($0)").path }
        let parsed = Dictionary(uniqueKeysWithValues: zip(files, try parseMail(files)).map { ($0.0, $0.1) })
        for (partner, _, language, subject, phrase, file) in Self.cases {
            let (path, mail) = try #require(parsed.first { $0.key.contains("/\(partner)-") }, "\(partner)")
            #expect(mail.defects.isEmpty, "\(partner): \(mail.defects)")
            #expect(try header(path, "Content-Language") == language)
            #expect(mail.header_names.contains("Content-Language"))
            #expect(mail.subject.hasPrefix(subject), "\(partner): \(mail.subject)")
            let text = try #require(mail.text).replacingOccurrences(of: "\r\n", with: "\n")
            #expect(text.contains(phrase), "\(partner): \(text)")
            #expect(mail.html?.contains("<html lang=\"\(language)\">") == true)
            // The partner file's reason column is in the partner's language; the internal results stay English.
            let stem = String(file.prefix { $0 != "." })
            let english = try readResults(folder.appendingPathComponent("out/\(stem).results.csv"))
            let translated = try partnerReasons(folder.appendingPathComponent("out/\(file)").path)
            #expect(!translated.isEmpty)
            for (number, row) in translated {
                let englishRow = try #require(english.first { $0["row_number"] == number })
                #expect(row.codes == englishRow["reason_codes"], "codes stay as they are")
                #expect(!row.reason.isEmpty && row.reason != englishRow["reason"], "\(file) row \(number): \(row.reason)")
                // Each reason in the email is the partner file's.
                if englishRow["decision"] != "approved", englishRow.values.contains(partner) {
                    #expect(text.contains(row.reason), "\(partner) row \(number)")
                }
            }
        }
        // The English sentences stay in the internal files, and the German ones in the German partner's file.
        let alpine = try partnerReasons(folder.appendingPathComponent("out/alpine-2026-11-21.partner.csv").path)
        #expect(alpine.values.contains { $0.reason.contains("Sie") })
        let declined = try readResults(folder.appendingPathComponent("out/declined.csv"))
        #expect(declined.allSatisfy { !($0["reason"] ?? "").contains("Sie ") })
        // A file that mixes languages (Sakura ja, Lumière fr, Coastal pt): the whole-file copy is
        // English, each partner's own copy (the attachment) is in its language.
        let sakuraEnglish = try readResults(folder.appendingPathComponent("out/sakura-2026-11-21.results.csv"))
        for (number, row) in try partnerReasons(folder.appendingPathComponent("out/sakura-2026-11-21.partner.csv").path) {
            #expect(row.reason == sakuraEnglish.first { $0["row_number"] == number }?["reason"], "row \(number)")
        }
        let (lumierePath, lumiere) = try #require(parsed.first { $0.key.contains("/P-LUMIERE-") })
        #expect(try header(lumierePath, "Content-Language") == "fr")
        #expect(lumiere.text?.hasPrefix("Bonjour Lumière Intégration SAS,") == true)
        #expect(try partnerReasons(folder.appendingPathComponent("out/sakura-2026-11-21.partner-P-LUMIERE.csv").path)
            .values.allSatisfy { $0.reason.contains("vous") || $0.reason.contains("votre") || $0.reason.contains("compte") })
        // Japanese sentences are joined without spaces.
        let sakura = try partnerReasons(folder.appendingPathComponent("out/sakura-2026-11-21.partner-P-SAKURA.csv").path)
        #expect(sakura.values.allSatisfy { !$0.reason.contains("。 ") })
    }

    /// English is the default, and the fallback of a language without text.
    @Test func withoutALanguageOrWithOneNotShippedTheEmailIsEnglish() throws {
        let folder = try temporaryDirectory()
        let partners = try partnersWithLanguages(folder, ["P-ALPINE": "pt-PT"])
        _ = try run(folder, partners: partners)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("outbox").path)
            .filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent("outbox/\($0)").path }
        for (path, mail) in zip(files, try parseMail(files)) {
            #expect(try header(path, "Content-Language") == "en")
            #expect(mail.text?.hasPrefix("Hello ") == true, "\(path)")
        }
    }

    /// Status emails (review decisions, expiry, extension, withdrawal, closed won) in every language.
    @Test(arguments: [
        ("de", "genehmigt", "gute Nachrichten: Ihre Registrierung von", "abgelaufen", "ist am 2027-02-21 abgelaufen"),
        ("fr", "approuvé", "Bonne nouvelle : votre enregistrement de", "expiré", "a expiré le 2027-02-21"),
        ("es", "aprobado", "Buenas noticias: su registro de", "caducado", "caducó el 2027-02-21"),
        ("ja", "承認されました", "のご登録を確認し、承認いたしました。", "期限切れとなりました", "2027-02-21 に期限切れとなり"),
        ("en", "approved", "good news: your registration of", "expired", "expired on 2027-02-21"),
    ])
    func statusEmailsInThePartnersLanguage(_ language: String, _ approvedWord: String, _ approvedPhrase: String,
                                           _ expiredWord: String, _ expiredPhrase: String) throws {
        let folder = try temporaryDirectory()
        let ledger = try northwindLedger(in: folder)
        let desk = try LedgerDesk(path: ledger, actor: "ops")
        let registration = try #require(try desk.ledger.registrations(status: .approved).first)
        let policy = try EffectivePolicy.load(path: samplePath("policy.yaml")).policy
        let composer = try PartnerMail(templatesFolder: nil, settings: policy.email, asOf: sampleAsOf)
        var partner = try #require(try PartnerDirectory.load(path: samplePath("partners.csv")).partner("P-NORTHWIND"))
        partner.languageTag = language
        var paths: [String] = []
        for (index, action) in PartnerMail.statusEvents.keys.sorted().enumerated() {
            let (name, message) = try #require(try composer.statusChange(
                partner: partner, email: "x@example.com", registration: registration, action: action, note: "Note «1»",
                sequence: index, policy: policy))
            let path = folder.appendingPathComponent(name).path
            try message.rendered().write(to: URL(fileURLWithPath: path))
            #expect(try header(path, "Content-Language") == language)
            paths.append(path)
        }
        let parsed = try parseMail(paths)
        for mail in parsed {
            #expect(mail.defects.isEmpty)
            #expect(mail.subject.contains(registration.accountName))
            #expect(mail.text?.contains("{{") == false)
        }
        let names = PartnerMail.statusEvents.keys.sorted()
        let approved = parsed[try #require(names.firstIndex(of: "review.approve"))]
        #expect(approved.subject.hasSuffix(approvedWord), "\(approved.subject)")
        #expect(approved.text?.contains(approvedPhrase) == true, "\(approved.text ?? "")")
        #expect(approved.text?.contains("Note «1»") == true)
        let expired = parsed[try #require(names.firstIndex(of: "expire"))]
        #expect(expired.subject.hasSuffix(expiredWord), "\(expired.subject)")
        #expect(expired.text?.contains(expiredPhrase) == true, "\(expired.text ?? "")")
    }

    /// A subject the operator set in the policy is theirs, for every language.
    @Test func aPolicySubjectIsUsedForEveryLanguage() {
        let custom = "Registrations {{file}}"
        #expect(PartnerMail.subject(custom, default: EmailSettings().subject, key: "mail.subject.results", .german) == custom)
        #expect(PartnerMail.subject(EmailSettings().subject, default: EmailSettings().subject, key: "mail.subject.results", .german)
                == PartnerText.template("mail.subject.results", .german))
    }
}
