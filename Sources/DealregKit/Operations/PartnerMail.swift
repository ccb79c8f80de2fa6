import DealregCSV
import DealregLedger
import DealregMail
import DealregPolicy
import DealregReport
import Foundation
import Mustache

/// Composes the emails partners receive: one per partner per processed upload, and reminders.
struct PartnerMail {
    let templates: MailTemplates
    let settings: EmailSettings
    let asOf: Day

    init(templatesFolder: String?, settings: EmailSettings, asOf: Day) throws {
        do {
            templates = try MailTemplates(overrides: templatesFolder)
        } catch let error as MailError {
            throw InputError(.invalid, error.message)
        }
        self.settings = settings
        self.asOf = asOf
    }

    /// The decision as the partner reads it ("being reviewed"), in their language.
    static func decisionLabel(_ decision: Decision, _ language: PartnerLanguage = .english) -> String {
        PartnerText.template("mail.decision.\(decision.rawValue)", language)
    }

    /// The subject template: the policy's for English; for another language the shipped
    /// translation, unless the policy set its own subject (the operator's words then go to every partner).
    static func subject(_ configured: String, default shipped: String, key: String, _ language: PartnerLanguage) -> String {
        language == .english || configured != shipped ? configured : PartnerText.template(key, language)
    }

    /// Rows an email lists in each of its lists (not approved; approved); the rest are counted and
    /// left to the attached file, so an upload of any size makes an email a person can read.
    static let listedRows = 100

    /// The results email of one partner's rows of one upload.
    func results(partner: Partner, email: String, upload: UploadFile, lines: MailLines.PartnerLines,
                 attachment: MailAttachment) throws -> (name: String, message: MailMessage) {
        let language = partner.language
        let counts = lines.counts
        let attention: [[String: Any]] = lines.attention.map { row in
            ["row": row.sheetRow, "row_number": row.rowNumber,
             "account": row.account ?? PartnerText.template("mail.no_account_name", language),
             "decision": Self.decisionLabel(row.decision, language), "reason": row.reason,
             // Every row is kept in the ledger under this id: the partner can quote it, ops can audit it.
             "reference": row.registrationID ?? row.rowID]
        }
        let approved: [[String: Any]] = lines.approved.map { row in
            ["account": row.account ?? "", "expires_on": row.expiresOn?.description ?? "",
             "registration_id": row.registrationID ?? ""]
        }
        let attentionCount = counts.filter { $0.key != .approved }.values.reduce(0, +)
        let approvedCount = counts[.approved] ?? 0
        func more(_ count: Int) -> String {
            count == 1 ? PartnerText.template("mail.more.one", language)
                : Sentence("mail.more.other", ["count": "\(count)"]).text(in: language)
        }
        let values: [String: Any] = [
            "partner_name": partner.name, "partner_id": partner.id, "file": upload.name,
            "approved": counts[.approved] ?? 0, "declined": counts[.declined] ?? 0,
            "needs_review": counts[.needsReview] ?? 0, "needs_info": counts[.needsInfo] ?? 0,
            "attention_count": attentionCount, "has_attention": attentionCount > 0, "attention": attention,
            "attention_phrase": attentionCount == 1 ? PartnerText.template("mail.attention.one", language)
                : Sentence("mail.attention.other", ["count": "\(attentionCount)"]).text(in: language),
            "has_attention_more": attentionCount > attention.count, "attention_more": more(attentionCount - attention.count),
            "has_approved": approvedCount > 0, "approved_rows": approved, "attachment": attachment.filename,
            "has_approved_more": approvedCount > approved.count, "approved_more": more(approvedCount - approved.count),
            "signature": settings.signature,
        ]
        let key = "\(partner.id)-\(upload.sha256)"
        let subject = Self.subject(settings.subject, default: EmailSettings().subject, key: "mail.subject.results", language)
        let message = try compose(to: MailAddress(name: partner.name, email: email), subjectTemplate: subject,
                                  values: values, template: "results", language: language, key: key, attachments: [attachment])
        return ("\(Self.safe(partner.id).prefix(40))-\(Self.safe(upload.stem))-\(upload.sha256.prefix(12)).eml", message)
    }

    /// A reminder of one partner's registrations that expire soon.
    func reminder(partner: Partner, email: String, registrations: [LedgerRegistration], policy: Policy) throws
        -> (name: String, message: MailMessage) {
        let listed: [[String: Any]] = registrations.map {
            ["account": $0.accountName, "registration_id": $0.id, "expires_on": $0.expiresOn ?? "",
             "can_extend": $0.extensionsUsed < policy.maxExtensions]
        }
        let values: [String: Any] = [
            "partner_name": partner.name, "partner_id": partner.id, "count": registrations.count,
            "registrations": listed, "reminder_days": policy.reminderDays, "extension_days": policy.extensionDays,
            "max_extensions": policy.maxExtensions, "signature": settings.signature,
        ]
        let key = "reminder-\(partner.id)-" + registrations.map { "\($0.id)@\($0.expiresOn ?? "")" }.joined(separator: ",")
        let subject = Self.subject(settings.reminderSubject, default: EmailSettings().reminderSubject,
                                   key: "mail.subject.reminder", partner.language)
        let message = try compose(to: MailAddress(name: partner.name, email: email), subjectTemplate: subject,
                                  values: values, template: "reminder", language: partner.language, key: key, attachments: [])
        // Named by a digest of every registration and expiry it lists: two reminders never share a name.
        return ("reminder-\(Self.safe(partner.id).prefix(40))-\(asOf)-\(sha256Hex(Array(key.utf8)).prefix(16)).eml", message)
    }

    /// A partner's weekly digest: its active registrations, those expiring within
    /// `reminder_days`, and the decisions of the last 7 days (`content`).
    func partnerDigest(partner: Partner, email: String, content: Digests.PartnerContent, period: Digests.Period,
                       policy: Policy) throws -> (name: String, message: MailMessage) {
        let language = partner.language
        let active: [[String: Any]] = content.active.map { (row: LedgerRegistration) -> [String: Any] in
            let expires: String = row.expiresOn ?? ""
            return ["account": row.accountName, "registration_id": row.id, "expires_on": expires]
        }
        let expiring: [[String: Any]] = content.expiring.map { (row: LedgerRegistration) -> [String: Any] in
            let expires: String = row.expiresOn ?? ""
            let canExtend: Bool = row.extensionsUsed < policy.maxExtensions
            return ["account": row.accountName, "registration_id": row.id, "expires_on": expires, "can_extend": canExtend]
        }
        let decisions: [[String: Any]] = content.decisions.map { (row: LedgerRegistration) -> [String: Any] in
            let day: String = String((row.reviewedOn ?? row.decidedOn).prefix(10))
            var label: String = row.decision
            if let decision = Decision(rawValue: row.decision) { label = Self.decisionLabel(decision, language) }
            return ["account": row.accountName, "reference": row.id, "decided_on": day, "decision": label]
        }
        let counts = content.decisionCounts
        let values: [String: Any] = [
            "partner_name": partner.name, "partner_id": partner.id, "period": period.name,
            "week_from": content.window.lowerBound.description, "week_to": content.window.upperBound.description,
            "active_count": active.count, "has_active": !active.isEmpty, "active": active,
            "expiring_count": expiring.count, "has_expiring": !expiring.isEmpty, "expiring": expiring,
            "reminder_days": policy.reminderDays, "extension_days": policy.extensionDays, "max_extensions": policy.maxExtensions,
            "decision_count": decisions.count, "has_decisions": !decisions.isEmpty, "decisions": decisions,
            "approved": counts["approved", default: 0], "declined": counts["declined", default: 0],
            "needs_review": counts["needs_review", default: 0], "needs_info": counts["needs_info", default: 0],
            "signature": settings.signature,
        ]
        let key = "digest-partners-\(partner.id)-\(period.name)"
        let message = try compose(to: MailAddress(name: partner.name, email: email),
                                  subjectTemplate: PartnerText.template("mail.subject.digest", language),
                                  values: values, template: "digest-partners", language: language, key: key, attachments: [])
        // One per partner and period; the digest of the id keeps two ids that read alike apart.
        return ("digest-\(Self.safe(partner.id).prefix(40))-\(period.name)-\(sha256Hex(Array(partner.id.utf8)).prefix(8)).eml", message)
    }

    /// The channel team's weekly digest: the week's numbers (from ``ProgramReport``) and the overdue reviews.
    func teamDigest(to recipient: MailAddress, content: Digests.TeamContent, period: Digests.Period) throws
        -> (name: String, message: MailMessage) {
        let numbers = content.report.overall
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        let overdue: [[String: Any]] = content.overdue.map { (item: Digests.Overdue) -> [String: Any] in
            let row = item.registration
            let received: String = String(row.decidedOn.prefix(10))
            let owner: String = row.owner ?? "(none)"
            return ["registration_id": row.id, "partner_id": row.partnerID, "account": row.accountName,
                    "received_on": received, "days": item.days, "owner": owner]
        }
        let overrides: [[String: Any]] = content.report.overrides.map { (item: ProgramReport.Override) -> [String: Any] in
            let reviewer: String = item.reviewedBy ?? "(unknown)"
            return ["registration_id": item.id, "partner_id": item.partnerID, "auto_decision": item.autoDecision,
                    "human_decision": item.humanDecision, "reviewed_by": reviewer]
        }
        let values: [String: Any] = [
            "period": period.name, "week_from": content.window.lowerBound.description, "week_to": content.window.upperBound.description,
            "received": numbers.registrations, "approved": numbers.approved,
            "declined": numbers.byDecision["declined", default: 0], "needs_review": numbers.byDecision["needs_review", default: 0],
            "needs_info": numbers.byDecision["needs_info", default: 0], "approval_rate": percent(numbers.approvalRate),
            "overridden": numbers.overridden, "overridable": numbers.overridable, "override_rate": percent(numbers.overrideRate),
            "has_overrides": !overrides.isEmpty, "overrides": overrides,
            "sla_days": content.slaDays, "queue_open": content.report.queue.open,
            "overdue_count": overdue.count, "has_overdue": !overdue.isEmpty, "overdue": overdue,
            "reminder_days": content.report.expiringWithinDays, "expiring_soon": content.report.expiringSoon,
            "signature": settings.signature,
        ]
        let key = "digest-team-\(recipient.email.lowercased())-\(period.name)"
        let subject = "Channel team digest {{period}}: {{received}} received, {{overdue_count}} overdue review(s)"
        let message = try compose(to: recipient, subjectTemplate: subject, values: values, template: "digest-team",
                                  language: .english, key: key, attachments: [])
        return ("digest-team-\(period.name)-\(sha256Hex(Array(recipient.email.lowercased().utf8)).prefix(8)).eml", message)
    }

    /// What partners are told of each ledger action: the template's event (`status-EVENT`; the
    /// subject's word for it is PartnerText's `mail.event.EVENT`), and whether the reviewer's note
    /// is written for the partner (on the review desk's decisions it is; elsewhere it is for the audit log).
    static let statusEvents: [String: (event: String, showsNote: Bool)] = [
        "review.approve": ("approved", true), "review.reject": ("rejected", true),
        "review.return": ("returned", true), "review.reopen": ("reopened", true),
        "expire": ("expired", false), "extend": ("extended", false),
        "withdraw": ("withdrawn", false), "close_won": ("closed-won", false),
    ]

    /// The email of one registration's status change, from the event's own template: approved,
    /// rejected or returned for information from review, reopened, expired, extended, withdrawn,
    /// closed as won. Nil for an action partners are not told of.
    /// - Parameter sequence: the change's place in the registration's history, so a second
    ///   change of the same kind (rejected again after a reopen) is a message of its own.
    func statusChange(partner: Partner, email: String, registration: LedgerRegistration, action: String, note: String?,
                      sequence: Int, policy: Policy) throws -> (name: String, message: MailMessage)? {
        guard let (event, showsNote) = Self.statusEvents[action] else { return nil }
        let language = partner.language
        let subjectWord = PartnerText.template("mail.event.\(event)", language)
        let shownNote = showsNote ? note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } : nil
        // The day protection ended: the expiry date, or today for a withdrawal.
        let ended = action == "expire" ? registration.expiresOn.flatMap(Day.init(iso:)) ?? asOf : asOf
        var values: [String: Any] = [
            "partner_name": partner.name, "partner_id": partner.id, "account": registration.accountName,
            "registration_id": registration.id, "expires_on": registration.expiresOn ?? "", "event": subjectWord,
            "extensions_used": registration.extensionsUsed, "max_extensions": policy.maxExtensions,
            "extensions_left": max(0, policy.maxExtensions - registration.extensionsUsed),
            "can_extend": registration.extensionsUsed < policy.maxExtensions, "extension_days": policy.extensionDays,
            "has_wait": policy.reregisterAfterDays > 0, "reregister_after_days": policy.reregisterAfterDays,
            "reregister_from": ended.adding(days: policy.reregisterAfterDays).description,
            "source_file": registration.sourceFile, "source_row": registration.sourceRow,
            "has_note": shownNote != nil, "note": shownNote ?? "", "signature": settings.signature,
        ]
        if let reference = registration.partnerReference, !reference.isEmpty { values["partner_reference"] = reference }
        let key = "status-\(registration.id)-\(action)-\(sequence)-\(registration.expiresOn ?? "")-\(registration.extensionsUsed)"
        let subject = Self.subject(settings.statusSubject, default: EmailSettings().statusSubject, key: "mail.subject.status", language)
        let message = try compose(to: MailAddress(name: partner.name, email: email), subjectTemplate: subject,
                                  values: values, template: "status-\(event)", language: language, key: key, attachments: [])
        return ("\(event)-\(Self.safe(partner.id).prefix(40))-\(Self.safe(registration.id))-\(sha256Hex(Array(key.utf8)).prefix(12)).eml", message)
    }

    private func compose(to recipient: MailAddress, subjectTemplate: String, values: [String: Any], template: String,
                         language: PartnerLanguage, key: String, attachments: [MailAttachment]) throws -> MailMessage {
        guard let from = MailAddress(parsing: settings.from) else {
            throw InputError(.invalid, "email.from '\(settings.from)' is not an address")
        }
        let subject: String
        do {
            subject = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + subjectTemplate).render(values)
        } catch {
            throw InputError(.invalid, "email subject '\(subjectTemplate)' is not a valid Mustache template")
        }
        let (y, m, d) = asOf.components
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "dealreg.invalid"
        return MailMessage(from: from, replyTo: settings.replyTo.flatMap(MailAddress.init(parsing:)), to: [recipient],
                           subject: subject, date: MIME.date(year: y, month: m, day: d, ordinal: asOf.ordinal),
                           messageID: "\(sha256Hex(Array(key.utf8)).prefix(32))@\(domain)",
                           text: templates.render("\(template).txt", language: language.rawValue, values),
                           html: templates.render("\(template).html", language: language.rawValue, values),
                           attachments: attachments, language: language.rawValue)
    }

    static func safe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }
}

/// The outbox folder: `.eml` files waiting to be delivered, and `sent/` for those delivered.
public struct Outbox: Sendable {
    public let folder: String
    public init(folder: String) { self.folder = folder }

    var sentFolder: String { folder + "/sent" }

    /// Writes a message unless it is already waiting or was sent (reruns never duplicate mail).
    /// Returns whether it was written.
    @discardableResult
    func write(_ name: String, _ message: MailMessage) throws -> Bool {
        try write(name, bytes: message.rendered())
    }

    /// Writes every email the ledger still owes — each file's results emails, each status
    /// change's notice and each digest — marking each delivered once it is in the folder; their names.
    func deliverOwed(from ledger: Ledger) throws -> [String] {
        var written: [String] = []
        for item in try ledger.undeliveredEmails() {
            try writeOrExplain(item.name, bytes: item.bytes)
            try ledger.markDelivered(item)
            written.append(item.name)
        }
        for notice in try ledger.undeliveredNotices() {
            try writeOrExplain(notice.name, bytes: notice.bytes)
            try ledger.markDelivered(notice)
            written.append(notice.name)
        }
        for digest in try ledger.undeliveredDigests() {
            try writeOrExplain(digest.name, bytes: digest.bytes)
            try ledger.markDelivered(digest)
            written.append(digest.name)
        }
        return written
    }

    /// `write`, with a failure worded for the operator (the outbox named, and why).
    func writeOrExplain(_ name: String, bytes: Data) throws {
        do {
            try write(name, bytes: bytes)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(.cannotWrite, "\(LogText.path(folder)): cannot write an email into the outbox (\(describeFileError(error)))")
        }
    }

    /// Writes a rendered message unless it is already waiting or was sent.
    @discardableResult
    func write(_ name: String, bytes: Data) throws -> Bool {
        let manager = FileManager.default
        try PrivateFiles.createFolder(folder)
        if manager.fileExists(atPath: sentFolder + "/" + name) { return false }
        let path = folder + "/" + name
        let temporary = folder + "/." + name + ".tmp"
        try PrivateFiles.write(Array(MIME.stamped(bytes, date: MIME.date(Date()))), to: temporary)
        guard rename(temporary, path) == 0 else { throw InputError(.cannotWrite, "\(path): cannot write the message") }
        return true
    }

    /// What delivering the outbox did.
    public struct Delivery: Sendable {
        public var sent: [String] = []
        public var failed: [(file: String, error: String)] = []
    }

    /// Delivers every waiting message through `command` (message on standard input), moving each
    /// to `sent/` only when the command succeeds; failures stay, with a line in `send.log`.
    public func send(command: String) throws -> Delivery {
        let manager = FileManager.default
        var delivery = Delivery()
        let names = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }.sorted()
        for name in names {
            let path = folder + "/" + name
            // Dated now: a message retried days later does not arrive with the day it was written.
            let waiting = try Data(contentsOf: URL(fileURLWithPath: path))
            try PrivateFiles.write(Array(MIME.stamped(waiting, date: MIME.date(Date()))), to: path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                try PrivateFiles.createFolder(sentFolder)
                try manager.moveItem(atPath: path, toPath: sentFolder + "/" + name)
                delivery.sent.append(name)
            } else {
                let reason = "'\(command)' exited with \(process.terminationStatus)"
                    + (message.isEmpty ? "" : ": " + message.trimmingCharacters(in: .whitespacesAndNewlines))
                delivery.failed.append((name, reason))
                let line = "\(Ledger.now()) \(name): \(reason)\n"
                if let handle = FileHandle(forWritingAtPath: folder + "/send.log") {
                    handle.seekToEndOfFile()
                    handle.write(Data(line.utf8))
                    try? handle.close()
                } else {
                    try line.write(toFile: folder + "/send.log", atomically: true, encoding: .utf8)
                }
            }
        }
        return delivery
    }
}

/// What one upload's results emails say, gathered as its rows are decided: for each partner, how
/// many rows had each decision and the first `PartnerMail.listedRows` rows of each list; and the
/// rows that name no partner (for the summary, never mailed).
struct MailLines {
    struct PartnerLines {
        let partner: Partner
        var counts: [Decision: Int] = [:]
        var attention: [MailRow] = []
        var approved: [MailRow] = []
    }

    private(set) var byPartner: [String: PartnerLines] = [:]
    /// Rows naming no known partner, for the summary: the id when it looks like one, else the row's place.
    private(set) var unknownPartners = Set<String>()
    private let uploadName: String

    init(uploadName: String) { self.uploadName = uploadName }

    mutating func add(_ row: DecidedRow) {
        guard let partner = row.submission.partner else {
            // Logs show ids, never a raw value: an id that does not look like one is named by its place.
            let id = row.submission.partnerID
            unknownPartners.insert(id.flatMap(LogText.identifier)
                ?? (id == nil ? "(rows without a partner_id)"
                    : "(an unreadable partner_id: \(LogText.path(uploadName)) row \(row.result.rowNumber))"))
            return
        }
        var lines = byPartner[partner.id] ?? PartnerLines(partner: partner)
        let decision = row.result.decision
        lines.counts[decision, default: 0] += 1
        if decision == .approved {
            if lines.approved.count < PartnerMail.listedRows { lines.approved.append(MailRow(row)) }
        } else if lines.attention.count < PartnerMail.listedRows {
            lines.attention.append(MailRow(row))
        }
        byPartner[partner.id] = lines
    }
}

/// One row as a partner's results email lists it (its reason already in the partner's language,
/// nothing else of the row).
struct MailRow {
    let sheetRow: Int
    let rowNumber: Int
    let rowID: String
    let registrationID: String?
    let account: String?
    let decision: Decision
    let reason: String
    let expiresOn: Day?

    init(_ row: DecidedRow) {
        let submission = row.submission, result = row.result
        sheetRow = submission.sheetRow
        rowNumber = result.rowNumber
        rowID = result.rowID
        registrationID = result.registrationID
        account = submission.fields.name
        decision = result.decision
        reason = result.reason(in: submission.partner?.language ?? .english)
        expiresOn = result.expiresOn
    }
}
