import Crypto
@testable import DealregKit
import DealregMail
import DealregTestSupport
import Foundation
import Testing

func sha256(_ path: String) throws -> String {
    SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
}

@Suite("Result emails", .serialized)
struct MailTests {
    private func runWithOutbox(_ folder: URL, policy: String = samplePath("policy.yaml"), send: Bool = false) throws -> BatchSummary {
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: policy, asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("out").path, uploads: sampleUploads)
        configuration.outbox = folder.appendingPathComponent("outbox").path
        configuration.send = send
        return try BatchRunner(configuration: configuration).run()
    }

    private func emls(_ folder: URL, _ sub: String = "outbox") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)
            .filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent("\(sub)/\($0)").path }
    }

    /// Issue 12, case 1: what a file owes its partners is recorded with its decisions, so an
    /// outbox that cannot be written (or a crash) after the ledger commit loses nothing: the
    /// batch exits with no result committed, and the rerun delivers every email once, with the
    /// partners' own copies and the batch files complete.
    @Test func owedEmailsSurviveAFailedOutbox() throws {
        let folder = try temporaryDirectory()
        let outbox = folder.appendingPathComponent("outbox").path
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        // A file where the outbox folder should be: no one, not even root, can write into it.
        #expect(FileManager.default.createFile(atPath: outbox, contents: Data("in the way".utf8)))
        func run(_ out: String) throws -> BatchSummary {
            var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                                 policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                                 outputDirectory: folder.appendingPathComponent(out).path, uploads: sampleUploads,
                                                 ledgerPath: ledger)
            configuration.outbox = outbox
            return try BatchRunner(configuration: configuration).run()
        }
        do {
            _ = try run("out1")
            Issue.record("the batch should stop when no email can be written")
        } catch let error as InputError {
            #expect(error.exitCode == 73)
            #expect(error.message.hasPrefix(outbox + ": cannot write an email into the outbox"), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out1/northwind-2026-11-20.results.csv").path),
                "no result committed on a failed run")
        let desk = try LedgerDesk(path: ledger, actor: "test")
        #expect(try desk.ledger.processedFileCount() == 4, "the decisions were recorded")
        #expect(try desk.ledger.undeliveredEmails().count == 8)

        try FileManager.default.removeItem(atPath: outbox)
        let rerun = try run("out2")
        #expect(rerun.messages.count == 8, "every owed email, once")
        #expect(try emls(folder).count == 8)
        #expect(try desk.ledger.undeliveredEmails().isEmpty)
        #expect(rerun.files.allSatisfy { $0.reemittedFrom != nil })
        #expect(rerun.decisions["approved"] == 23 && rerun.decisions["declined"] == 22, "\(rerun.decisions)")
        let out2 = folder.appendingPathComponent("out2")
        #expect(FileManager.default.fileExists(atPath: out2.appendingPathComponent("sakura-2026-11-21.partner-P-SAKURA.csv").path))
        let approved = try readResults(out2.appendingPathComponent("approved.csv"))
        #expect(approved.count == 23, "the re-emitted rows are in approved.csv")
        // A third run owes nothing: no email is written twice.
        let third = try run("out3")
        #expect(third.messages.isEmpty)
        #expect(try emls(folder).count == 8)
    }

    /// Issue 12, case 2: a partner name (or file name) with CR/LF cannot add a header.
    @Test func noValueCanAddAHeader() throws {
        let folder = try temporaryDirectory()
        let partners = folder.appendingPathComponent("partners.csv")
        try write(try String(contentsOfFile: samplePath("partners.csv"), encoding: .utf8)
            .replacingOccurrences(of: "P-NORTHWIND,Northwind Field Services,", with: "P-NORTHWIND,\"Evil Corp\r\nBcc: attacker@evil.example\",")
            .replacingOccurrences(of: "P-ALPINE,Alpine Systemhaus GmbH,", with: "P-ALPINE,\"Alpine\u{2028}Cc: x@evil.example \\\"q\\\"\",") , to: partners)
        let upload = folder.appendingPathComponent("north\"wind\r\nX-Injected: yes.csv")
        try FileManager.default.copyItem(atPath: samplePath("northwind-2026-11-20.csv"), toPath: upload.path)
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: partners.path,
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("out").path,
                                             uploads: [upload.path, samplePath("alpine-2026-11-21.csv")])
        configuration.outbox = folder.appendingPathComponent("outbox").path
        _ = try BatchRunner(configuration: configuration).run()
        let files = try emls(folder)
        #expect(files.count == 2)
        for (path, mail) in zip(files, try parseMail(files)) {
            #expect(mail.defects.isEmpty, "\(path): \(mail.defects)")
            #expect(mail.header_names == ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "Content-Language", "MIME-Version", "Content-Type"],
                    "\(path): \(mail.header_names)")
            #expect(!mail.to.contains("\n") && !mail.subject.contains("\n"))
            #expect(mail.attachments.count == 1 && mail.attachments[0].filename.hasSuffix(".csv"))
        }
        for path in files {
            let raw = try String(contentsOfFile: path, encoding: .utf8)
            let headers = String(raw[..<(raw.range(of: "\r\n\r\n")?.lowerBound ?? raw.endIndex)])
            #expect(!headers.contains("\nBcc:") && !headers.contains("\nCc:") && !headers.contains("\nX-Injected:"), "\(headers)")
            #expect(!headers.unicodeScalars.contains { $0.value == 0x2028 || ($0.value < 0x20 && $0 != "\r" && $0 != "\n" && $0 != "\t") })
        }
    }

    /// Issue 15: RFC 5322 dates of a moment, and a message re-dated without touching the rest.
    @Test func datesAndRestamping() throws {
        #expect(MIME.date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MIME.date(Date(timeIntervalSince1970: 1_795_919_407)) == "Sun, 29 Nov 2026 02:30:07 +0000")
        #expect(MIME.date(Date(timeIntervalSince1970: 951_825_600)) == "Tue, 29 Feb 2000 12:00:00 +0000")
        let message = Data("From: a@b.example\r\nSubject: Date: x\r\nDate: Mon, 23 Nov 2026 00:00:00 +0000\r\nX: y\r\n\r\nDate: body\r\n".utf8)
        let stamped = String(decoding: MIME.stamped(message, date: "Tue, 01 Dec 2026 02:30:07 +0000"), as: UTF8.self)
        #expect(stamped == "From: a@b.example\r\nSubject: Date: x\r\nDate: Tue, 01 Dec 2026 02:30:07 +0000\r\nX: y\r\n\r\nDate: body\r\n")
    }

    /// Issue 15: the templates are compiled into the binary; the generated Swift matches the
    /// .mustache files (run scripts/embed-templates.py after editing them).
    @Test func embeddedTemplatesMatchTheTemplateFiles() throws {
        let folder = repositoryRoot.appendingPathComponent("Sources/DealregMail/Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(Set(files.map { String($0.dropLast(".mustache".count)) }) == Set(MailTemplates.names))
        #expect(Set(MailTemplates.shipped.keys) == Set(MailTemplates.names))
        for name in MailTemplates.names {
            let text = try String(contentsOf: folder.appendingPathComponent("\(name).mustache"), encoding: .utf8)
            #expect(MailTemplates.shipped[name] == text, "\(name): run scripts/embed-templates.py")
        }
    }

    @Test func oneMessagePerPartnerPerUploadThatAMailClientReads() throws {
        let folder = try temporaryDirectory()
        let summary = try runWithOutbox(folder)
        let files = try emls(folder)
        #expect(files.count == 8)
        #expect(summary.messages.count == 8)
        #expect(summary.notNotified == [] && summary.unknownPartners == ["P-UNKNOWN"])
        let parsed = try parseMail(files)
        for (path, mail) in zip(files, parsed) {
            #expect(mail.defects.isEmpty, "\(path): \(mail.defects)")
            #expect(mail.from == "Partner Operations <partners@example.com>")
            // Issue 15: dated when written to the outbox, not midnight of --as-of.
            #expect(mail.date != "Mon, 23 Nov 2026 00:00:00 +0000" && mail.date.hasSuffix(" +0000"))
            #expect(mail.date.contains(MIME.date(Date()).dropFirst(5).prefix(8)) || mail.date.contains(MIME.date(Date() - 60).dropFirst(5).prefix(8)))
            #expect(mail.html?.contains("<table") == true)
            #expect(mail.attachments.count == 1)
        }
        // Non-ASCII display names survive the headers.
        let lumiere = try #require(parsed.first { $0.to.contains("lumiere-integration") })
        #expect(lumiere.to == "Lumière Intégration SAS <contact@lumiere-integration.example>")
        // The attachment is the partner file, byte for byte; a mixed file sends each partner only its rows.
        let northwind = try #require(zip(files, parsed).first { $0.0.contains("P-NORTHWIND-") })
        #expect(northwind.1.attachments[0].sha256 == (try sha256(folder.appendingPathComponent("out/northwind-2026-11-20.partner.csv").path)))
        #expect(northwind.1.attachments[0].content_type == "text/csv")
        let sakura = try #require(zip(files, parsed).first { $0.0.contains("P-SAKURA-") })
        #expect(sakura.1.attachments[0].sha256 == (try sha256(folder.appendingPathComponent("out/sakura-2026-11-21.partner-P-SAKURA.csv").path)))
        // Issue 15: the German partner's attachment is its file in its own dialect, labelled with its charset.
        let alpine = try #require(zip(files, parsed).first { $0.0.contains("P-ALPINE-") })
        #expect(alpine.1.attachments[0].sha256 == (try sha256(folder.appendingPathComponent("out/alpine-2026-11-21.partner.csv").path)))
        #expect(try String(contentsOfFile: alpine.0, encoding: .utf8).contains("Content-Type: text/csv; charset=windows-1252"))
        // The body lists what was not approved and what to do, and the approvals with their dates.
        let text = try #require(northwind.1.text).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("7 approved, 7 declined, 1 being reviewed, 0 returned for more information."))
        #expect(northwind.1.subject == "Your deal registrations in northwind-2026-11-20.csv: 7 approved, 8 need attention")
        #expect(!parsed.contains { $0.subject.hasSuffix(" 1 need attention") }, "singular: 1 needs attention")
        // Issue 15: rows as the partner's spreadsheet numbers them (header = row 1), with the results file's row_number.
        // Issue 13: a declined row carries a reference the partner can quote (its id in the ledger).
        let fourth = try #require(text.firstRange(of: "- Row 3 (row_number 2, reference REG-"))
        let line = text[fourth.lowerBound...].prefix { $0 != "\n" }
        #expect(line.hasSuffix("): FOURTH COFFEE INC (declined)") && line.count == "- Row 3 (row_number 2, reference REG-0123456789ABCDEF): FOURTH COFFEE INC (declined)".count, "\(line)")
        #expect(text.contains("): FOURTH COFFEE INC (declined)\n  This account is already registered by another partner until 2026-12-30."))
        #expect(text.contains("with the header in row 1; row_number in the attached file counts data rows only"))
        #expect(text.contains("- Litware Inc: registered to you until 2027-02-21"))
        #expect(!text.contains("&#39;") && !text.contains("D-10001") && !text.contains("P-COASTAL"))
    }

    /// An upload of hundreds of rows makes an email a person can read: each list shows its first
    /// `listedRows` rows and says how many more the attached file holds; the counts are of every row.
    @Test func longUploadsListTheirFirstRowsAndCountTheRest() throws {
        let folder = try temporaryDirectory()
        var lines = ["partner_id,account_name,account_domain,deal_value,expected_close_date,contact_email,city,region,country"]
        // Northwind may hold 40 active registrations: the rest of its 260 new accounts are declined over its cap.
        for i in 1...260 { lines.append("P-NORTHWIND,Brand\(i) Systems,brand\(i).example,12000,2027-03-01,sales@brand\(i).example,Austin,TX,US") }
        let upload = folder.appendingPathComponent("long.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: upload, atomically: true, encoding: .utf8)
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("out").path, uploads: [upload.path])
        configuration.outbox = folder.appendingPathComponent("outbox").path
        let summary = try BatchRunner(configuration: configuration).run()
        let approved = summary.decisions["approved", default: 0], others = 260 - approved
        try #require(approved > 0 && others > PartnerMail.listedRows, "the upload must overflow the list: \(summary.decisions)")
        let mail = try #require(try parseMail(try emls(folder)).first)
        #expect(mail.defects.isEmpty)
        let text = try #require(mail.text).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("\(approved) approved, "))
        #expect(text.components(separatedBy: "\n- Row ").count - 1 == PartnerMail.listedRows)
        #expect(text.contains("\(others - PartnerMail.listedRows) more are listed in the attached file."))
        #expect(text.components(separatedBy: ": registered to you until ").count - 1 == min(approved, PartnerMail.listedRows))
        #expect(text.contains("more are listed") && (approved > PartnerMail.listedRows) == (text.components(separatedBy: "more are listed").count == 3))
        #expect(try #require(mail.html).contains("<p>\(others - PartnerMail.listedRows) more are listed in the attached file.</p>"))
        // The attachment still holds every row.
        #expect(mail.attachments.first?.sha256 == (try sha256(folder.appendingPathComponent("out/long.partner.csv").path)))
    }

    @Test func nonASCIISubjectsAndTemplateOverrides() throws {
        let folder = try temporaryDirectory()
        let policy = folder.appendingPathComponent("policy.yaml")
        try write("""
            email:
              from: Partnerbüro Zürich <partner@example.ch>
              subject: "Ihre Registrierungen — {{file}} — {{approved}} genehmigt, {{attention_count}} brauchen Aufmerksamkeit (Ü ö ß 日本)"
              signature: Ihr Partnerteam
            """, to: policy)
        let templates = folder.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try write("{{% CONTENT_TYPE: TEXT}}Grüezi {{partner_name}} — {{approved}} genehmigt.\n{{signature}}\n",
                  to: templates.appendingPathComponent("results.txt.mustache"))
        let upload = folder.appendingPathComponent("Bestellungen Müller & Söhne.csv")
        try FileManager.default.copyItem(atPath: samplePath("alpine-2026-11-21.csv"), toPath: upload.path)
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: policy.path, asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("out").path, uploads: [upload.path])
        configuration.outbox = folder.appendingPathComponent("outbox").path
        configuration.templatesFolder = templates.path
        _ = try BatchRunner(configuration: configuration).run()
        let mail = try #require(try parseMail(try emls(folder)).first)
        #expect(mail.subject == "Ihre Registrierungen — Bestellungen Müller & Söhne.csv — 0 genehmigt, 9 brauchen Aufmerksamkeit (Ü ö ß 日本)")
        #expect(mail.from == "Partnerbüro Zürich <partner@example.ch>")
        #expect(mail.text?.replacingOccurrences(of: "\r\n", with: "\n") == "Grüezi Alpine Systemhaus GmbH — 0 genehmigt.\nIhr Partnerteam\n")
        #expect(mail.html?.contains("Ihr Partnerteam") == true)   // the shipped HTML template still applies
        #expect(mail.attachments.first?.filename == "results-Bestellungen Müller & Söhne.csv")
    }

    @Test func deliveryMovesOnlySentMessagesAndRerunsDoNotDuplicate() throws {
        let folder = try temporaryDirectory()
        _ = try runWithOutbox(folder)
        let outbox = Outbox(folder: folder.appendingPathComponent("outbox").path)
        // A failing delivery leaves every message, logged.
        let failed = try outbox.send(command: "cat > /dev/null; echo 'relay refused' >&2; exit 3")
        #expect(failed.sent.isEmpty && failed.failed.count == 8)
        #expect(failed.failed[0].error == "'cat > /dev/null; echo 'relay refused' >&2; exit 3' exited with 3: relay refused")
        #expect(try String(contentsOf: folder.appendingPathComponent("outbox/send.log"), encoding: .utf8).contains("relay refused"))
        // Deliver half, then retry: exactly the unsent ones go.
        let capture = folder.appendingPathComponent("delivered")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        let command = "n=$(ls \(capture.path) | wc -l); [ $n -lt 4 ] || exit 1; cat > \(capture.path)/m$n.eml"
        #expect(try outbox.send(command: command).sent.count == 4)
        #expect(try outbox.send(command: "cat > /dev/null").sent.count == 4)
        #expect(try emls(folder).isEmpty && (try emls(folder, "outbox/sent")).count == 8)
        // The same batch again writes no new message.
        _ = try runWithOutbox(folder)
        #expect(try emls(folder).isEmpty)
    }

    @Test func remindersOncePerExpiryWindow() throws {
        let folder = try temporaryDirectory()
        let ledger = try northwindLedger(in: folder, name: "l.sqlite")
        func remind(_ day: String) throws -> Reminders.Report {
            try Reminders.run(ledgerPath: ledger, partnersPath: samplePath("partners.csv"), policyPath: samplePath("policy.yaml"),
                              outbox: folder.appendingPathComponent("reminders").path, templatesFolder: nil,
                              asOf: Day(iso: day)!, actor: "batch")
        }
        #expect(try remind("2027-01-01").reminded == 0)            // nothing expires within 14 days
        let first = try remind("2027-02-10")                        // the approvals expire 2027-02-21
        #expect(first.reminded == 7 && first.messages.count == 1)
        #expect(try remind("2027-02-12").reminded == 0)             // once per window
        let desk = try LedgerDesk(path: ledger, actor: "ops")
        let extended = try desk.ledger.extend(id: try #require(try desk.ledger.registrations(status: .approved).first?.id),
                                              policy: try EffectivePolicy.load(path: samplePath("policy.yaml")).policy,
                                              actor: "ops", note: nil)
        #expect(try remind("2027-03-15").reminded == 1)             // the extension opened a new window
        let mail = try #require(try parseMail(try emls(folder, "reminders")).first { $0.subject.hasPrefix("7 ") })
        #expect(mail.subject == "7 deal registration(s) expire soon")
        #expect(mail.text?.contains("A registration can be extended by 30 days, up to 2 times") == true)
        #expect(try desk.ledger.audit(id: extended.id).map(\.action) == ["decide", "remind", "extend", "remind"])
    }

    /// Issue 13: a second reminder the same day, for registrations with the same expiry date,
    /// is a message of its own, never written over the first.
    @Test func aSecondReminderTheSameDayDoesNotOverwriteTheFirst() throws {
        let folder = try temporaryDirectory()
        let ledger = folder.appendingPathComponent("l.sqlite").path
        func batch(_ upload: String, _ out: String) throws {
            var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                                 policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                                 outputDirectory: folder.appendingPathComponent(out).path, uploads: [upload],
                                                 ledgerPath: ledger)
            configuration.actor = "batch"
            _ = try BatchRunner(configuration: configuration).run()
        }
        func remind() throws -> Reminders.Report {
            try Reminders.run(ledgerPath: ledger, partnersPath: samplePath("partners.csv"), policyPath: samplePath("policy.yaml"),
                              outbox: folder.appendingPathComponent("reminders").path, templatesFolder: nil,
                              asOf: Day(iso: "2027-02-10")!, actor: "batch")
        }
        try batch(samplePath("northwind-2026-11-20.csv"), "out1")
        #expect(try remind().reminded == 7)
        let late = folder.appendingPathComponent("late.csv")
        try ("partner_id,account_name,account_domain,deal_value,expected_close_date,country,state,contact_email\r\n"
             + "P-NORTHWIND,Proseware Inc,proseware.com,30000,2027-03-31,US,WA,cy@proseware.com\r\n")
            .write(to: late, atomically: true, encoding: .utf8)
        try batch(late.path, "out2")                                 // approved the same day: expires 2027-02-21 too
        #expect(try remind().reminded == 1)
        let messages = try emls(folder, "reminders")
        #expect(messages.count == 2, "\(messages)")
        #expect(Set(try parseMail(messages).map(\.subject)) == ["7 deal registration(s) expire soon", "1 deal registration(s) expire soon"])
    }
}
