import ArgumentParser
import DealregKit
import Foundation

/// The ledger when `--ledger` is not given: `DEALREG_LEDGER`, else `dealreg.sqlite`.
let defaultLedger = ProcessInfo.processInfo.environment["DEALREG_LEDGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "dealreg.sqlite"

/// `--ledger`'s help: a SQLite file or a PostgreSQL URL.
let ledgerHelp = ArgumentHelp("Ledger: a SQLite file, or postgres://USER@HOST[:PORT]/DATABASE; DEALREG_LEDGER sets the default.",
                              valueName: "ledger")

/// Options every ledger command that changes something shares.
struct LedgerOptions: ParsableArguments {
    @Option(help: ledgerHelp) var ledger = defaultLedger
    @Option(help: ArgumentHelp("Who the audit log names; default: $USER, else ops.", valueName: "name"))
    var actor: String?

    /// The --actor given, else $USER, else "ops".
    var auditActor: String { actor ?? ProcessInfo.processInfo.environment["USER"] ?? "ops" }

    func desk() throws -> LedgerDesk { try mapErrors { try LedgerDesk(path: ledger, actor: auditActor) } }
}

/// Options of the ledger commands that only read it: no --actor, since nothing is recorded.
struct LedgerReadOptions: ParsableArguments {
    @Option(help: ledgerHelp) var ledger = defaultLedger

    func desk() throws -> LedgerDesk { try mapErrors { try LedgerDesk(path: ledger, actor: "read-only") } }
}

/// Runs `body`, turning batch-stopping errors into their exit code and refused
/// ledger operations into exit 1, each with one line on standard error.
func mapErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        printError("dealreg: \(error.message)")
        throw ExitCode(error.exitCode)
    } catch let error as LedgerError {
        printError("dealreg: \(error.message)")
        throw ExitCode(1)
    }
}

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The nightly job: decide every CSV in the inbox with the ledger, then archive it.",
        discussion: """
        Files are taken in arrival order (modification time, then name). Unreadable files go to INBOX/rejected with \
        an error report. A file whose content the ledger already processed is not registered again: its earlier results \
        are re-emitted. Every line printed carries an ISO-8601 UTC timestamp and a level (info, warning, error). \
        Exit status as for run; 75 when another batch holds the ledger; with --strict, 2 when files were rejected \
        (the rest ran and are archived).
        """)

    @Option(help: "Folder partners' files arrive in.") var inbox: String
    @Option(help: "Folder processed files are moved to.") var archive: String
    @Option(help: "Output folder for result files.") var out: String
    @Option(help: "CRM export of existing deals (CSV).") var snapshot: String
    @Option(help: "Partner list (CSV).") var partners: String
    @Option(help: "Policy file (YAML).") var policy: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @Option(help: ledgerHelp) var ledger = defaultLedger
    @Option(help: "Who the audit log names for these decisions.") var actor = "batch"
    @Option(help: "Seconds to wait when another batch holds the ledger.") var wait: Double = 0
    @Option(help: "Character encoding of the uploads, overriding detection.") var encoding: String?
    @OptionGroup var mail: MailOptions
    @Option(name: .customLong("log-format"), help: "Log lines as text or json (JSON Lines); both timestamped, with a level.")
    var logFormat: LogFormat = .text
    @Flag(help: "Exit 2 when any file was rejected to INBOX/rejected, so the night can alert.") var strict = false
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Also log each phase as it ends (bytes or rows, time, rate), and per-file details.") var verbose = false
    @Flag(help: "Go on without snapshot rows that cannot be read (each listed in the summary); they block nothing.")
    var skipBadSnapshotRows = false
    @Option(help: "Worker threads (default: DEALREG_THREADS or the number of cores); results do not depend on it.")
    var threads: Int?
    @Option(help: ArgumentHelp("Folder of the identity cache (default: LEDGER.identity-cache beside a SQLite ledger): snapshot rows unchanged since the last night are not normalized again; results are the same without it.",
                               valueName: "dir"))
    var cache: String?
    @Flag(name: .customLong("no-cache"), help: "Keep no identity cache: normalize every snapshot row.") var noCache = false

    func run() throws {
        let log = LogWriter(format: logFormat)
        var base = RunConfiguration(snapshotPath: snapshot, partnersPath: partners, policyPath: policy,
                                    asOf: try parseAsOf(asOf), outputDirectory: out, uploads: [], encoding: encoding,
                                    ledgerPath: ledger)
        base.actor = actor
        base.lockTimeout = wait
        base.skipBadSnapshotRows = skipBadSnapshotRows
        if noCache && cache != nil { throw ValidationError("--cache and --no-cache cannot be used together") }
        base.identityCachePath = noCache ? nil : cache.map(IdentityCache.path(inFolder:)) ?? IdentityCache.path(besideLedger: ledger)
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
            base.threads = threads
        }
        mail.apply(to: &base)
        // On a terminal, a progress line (percentage, rate, time left); with --verbose, one log
        // line as each phase ends.
        let line = quiet ? nil : ProgressLine.ifTerminal()
        let phases = verbose && !quiet ? PhaseLog { message in
            line?.clear()
            log.write(.info, message)
        } : nil
        let report: NightlyBatch.Report
        do {
            report = try NightlyBatch.run(inbox: inbox, archive: archive, base: base,
                                          progress: line == nil && phases == nil ? nil : { event in
                                              phases?.record(event)
                                              line?.update(event)
                                          }, warning: { message in
                                              line?.clear()
                                              log.write(.warning, "dealreg: \(message)")
                                          })
            line?.clear()
        } catch let error as InputError {
            line?.clear()
            log.write(.error, "dealreg: \(error.message)")
            throw ExitCode(error.exitCode)
        } catch let error as LedgerError {
            log.write(.error, "dealreg: \(error.message)")
            throw ExitCode(1)
        }
        if !quiet {
            for line in SummaryText.batch(report, outputDirectory: out, outbox: mail.outbox) {
                log.write(line.hasPrefix("rejected: ") ? .warning : .info, line)
            }
            if verbose, let summary = report.summary {
                for line in SummaryText.details(summary) { log.write(.info, line.trimmingCharacters(in: .whitespaces)) }
            }
        }
        if strict && !report.rejected.isEmpty { throw ExitCode(2) }
    }
}

struct Expire: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Expire approved registrations whose protection has ended.")
    @OptionGroup var options: LedgerOptions
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @Option(help: "Policy file (YAML): the email settings.") var policy: String?
    @OptionGroup var mail: NoticeOptions

    func run() throws {
        let day = try parseAsOf(asOf)
        try mail.change(ledger: options, policy: policy, asOf: day) { _, desk, notify in
            let expired = try desk.ledger.expire(asOf: day, actor: options.auditActor, notify: notify)
            print("dealreg: \(expired.count) registration(s) expired as of \(day)")
            for registration in expired { print("  \(registration.id)  \(registration.partnerID)  \(registration.accountName)  ended \(registration.expiresOn ?? "")") }
        }
    }
}

struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extend an approved registration by the policy's extension_days.",
        discussion: "Refused when the policy's blocked or direct-reserved list now names the account, or no extension is left.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Policy file (YAML) with extension_days, max_extensions and the account lists.") var policy: String?
    @Option(help: "Why, for the audit log.") var note: String?
    @OptionGroup var mail: NoticeOptions
    @Argument(help: "Registration id (REG-...).") var id: String

    func run() throws {
        try mail.change(ledger: options, policy: policy, asOf: try parseAsOf(nil)) { effective, desk, notify in
            let registration = try desk.extend(id: id, note: note, policy: effective, notify: notify)
            print("dealreg: \(registration.id) now expires on \(registration.expiresOn ?? "?") (extension \(registration.extensionsUsed))")
        }
    }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Withdraw a registration; the account is free again.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Why, for the audit log.") var note: String?
    @Option(help: "Policy file (YAML): the email settings.") var policy: String?
    @OptionGroup var mail: NoticeOptions
    @Argument(help: "Registration id (REG-...).") var id: String

    func run() throws {
        try mail.change(ledger: options, policy: policy, asOf: try parseAsOf(nil)) { _, desk, notify in
            let registration = try desk.ledger.withdraw(id: id, actor: options.auditActor, note: note, notify: notify)
            print("dealreg: \(registration.id) withdrawn")
        }
    }
}

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work the review queue.",
                                                    subcommands: [ReviewList.self, ReviewApprove.self, ReviewReject.self,
                                                                  ReviewReturn.self, ReviewReopen.self, ReviewAssign.self])
}

struct ReviewList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Registrations waiting for review, oldest first.",
        discussion: "Each item shows how many days it has waited and is flagged overdue past the policy's review_sla_days (default 3).")
    @OptionGroup var options: LedgerReadOptions
    @Option(help: "Only this partner's.") var partner: String?
    @Option(help: "Only the items this person owns (see review assign).") var owner: String?
    @Option(help: "table, csv or json.") var format: LedgerDesk.Format = .table
    @Option(help: "Policy file (YAML): review_sla_days.") var policy: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?

    func run() throws {
        let day = try parseAsOf(asOf)
        try mapErrors {
            let sla = try EffectivePolicy.load(path: policy).policy.reviewSLADays
            let rows = try options.desk().ledger.registrations(partner: partner, status: .underReview, owner: owner)
            print(try LedgerDesk.renderQueue(rows, format: format, asOf: day, slaDays: sla), terminator: "")
        }
    }
}

struct ReviewApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a registration under review, after re-checking every rule at this moment.",
        discussion: "Refused when the account is now on the blocked or direct-reserved list, outside the partner's territory, over its cap, held by another claim in the ledger, or blocked by a deal in the snapshot. Needs --snapshot, --partners and --policy.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Why, for the audit log.") var note: String
    @Option(help: "Policy file (YAML) with validity_days and match thresholds.") var policy: String?
    @Option(help: "CRM snapshot to re-check as well (CSV).") var snapshot: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @OptionGroup var mail: NoticeOptions
    @Argument(help: "Registration id (REG-...).") var id: String

    func validate() throws {
        guard snapshot != nil, mail.partners != nil, policy != nil else {
            throw ValidationError("review approve re-checks every rule at this moment: give --snapshot, --partners and --policy")
        }
    }

    func run() throws {
        let day = try parseAsOf(asOf)
        try mail.change(ledger: options, policy: policy, asOf: day) { effective, desk, notify in
            let deals = try snapshot.map { try Snapshot.load(path: $0, policy: effective.policy, asOf: day) }
            let partners = try mail.partners.map { try PartnerDirectory.load(path: $0) }
            let registration = try desk.approve(id: id, note: note, asOf: day, policy: effective, snapshot: deals,
                                                partners: partners, notify: notify)
            print("dealreg: \(registration.id) approved until \(registration.expiresOn ?? "?")")
        }
    }
}

struct ReviewReject: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a registration under review.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "The reason the partner will read.") var note: String
    @Option(name: .customLong("duplicate-of"),
            help: ArgumentHelp("The deal or registration id the row duplicates, when that is why it is rejected (report's calibration counts it).",
                               valueName: "id"))
    var duplicateOf: String?
    @Option(help: "Policy file (YAML): the email settings.") var policy: String?
    @OptionGroup var mail: NoticeOptions
    @Argument(help: "Registration id (REG-...).") var id: String

    func validate() throws {
        if let duplicateOf, LogText.identifier(duplicateOf) == nil {
            throw ValidationError("--duplicate-of takes a deal or registration id (letters, digits, ._:- ; at most 40), got something else")
        }
    }

    func run() throws {
        let day = try parseAsOf(nil)
        try mail.change(ledger: options, policy: policy, asOf: day) { _, desk, notify in
            let registration = try desk.ledger.resolveReview(id: id, approve: false, note: note, actor: options.auditActor,
                                                             asOf: day, validityDays: 0, duplicateOf: duplicateOf,
                                                             notify: notify) { _, _ in nil }
            print("dealreg: \(registration.id) rejected")
        }
    }
}

struct ReviewReturn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "Return a registration under review to its partner for missing information (needs_info).",
        discussion: "The note is what the partner is asked for; it is emailed with --outbox. The partner sends the row again with it.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "What the partner must add (the partner reads it).") var note: String
    @Option(help: "Policy file (YAML): the email settings.") var policy: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @OptionGroup var mail: NoticeOptions
    @Argument(help: "Registration id (REG-...).") var id: String

    func run() throws {
        let day = try parseAsOf(asOf)
        try mail.change(ledger: options, policy: policy, asOf: day) { _, desk, notify in
            let registration = try desk.ledger.returnForInfo(id: id, note: note, actor: options.auditActor, asOf: day, notify: notify)
            print("dealreg: \(registration.id) returned to \(registration.partnerID) for information")
        }
    }
}

struct ReviewReopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Reopen a rejected or returned registration on appeal: it is under review again.",
        discussion: "The account is claimed again while it waits; approving it later re-checks every rule at that moment.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Why (the appeal), for the audit log and the partner.") var note: String
    @Option(help: "Policy file (YAML): the email settings.") var policy: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @OptionGroup var mail: NoticeOptions
    @Argument(help: "Registration id (REG-...).") var id: String

    func run() throws {
        let day = try parseAsOf(asOf)
        try mail.change(ledger: options, policy: policy, asOf: day) { _, desk, notify in
            let registration = try desk.ledger.reopen(id: id, note: note, actor: options.auditActor, notify: notify)
            print("dealreg: \(registration.id) reopened: under review again")
        }
    }
}

struct ReviewAssign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Give a registration under review an owner (who works it).")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Who owns the item; an empty name clears it.") var owner: String
    @Option(help: "Why, for the audit log.") var note: String?
    @Argument(help: "Registration id (REG-...).") var id: String

    func run() throws {
        try mapErrors {
            let name = owner.trimmingCharacters(in: .whitespaces)
            let registration = try options.desk().ledger.assign(id: id, owner: name.isEmpty ? nil : name,
                                                                actor: options.auditActor, note: note)
            print("dealreg: \(registration.id) owned by \(registration.owner ?? "nobody")")
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Search and list registrations (the ops view).")
    @OptionGroup var options: LedgerReadOptions
    @Option(help: "Only this partner's.") var partner: String?
    @Option(help: "Only this status (\(RegistrationStatus.allCases.map(\.rawValue).joined(separator: ", "))).")
    var status: RegistrationStatus?
    @Option(help: "Account name contains this text.") var account: String?
    @Option(name: .customLong("expiring-within"), help: "Approved registrations expiring within this many days.")
    var expiringWithin: Int?
    @Option(name: .customLong("submitted-from"), help: "Only registrations submitted on or after this day (YYYY-MM-DD; the partner's submitted_at, else the day received).")
    var submittedFrom: String?
    @Option(name: .customLong("submitted-to"), help: "Only registrations submitted on or before this day (YYYY-MM-DD).")
    var submittedTo: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @Option(help: "submitted, value, expiry or account.") var sort: LedgerDesk.Sort = .submitted
    @Option(help: "table, csv or json.") var format: LedgerDesk.Format = .table

    func run() throws {
        let day = try parseAsOf(asOf)
        let rows = try mapErrors {
            try options.desk().ledger.registrations(
                partner: partner, status: status, account: account,
                accountKey: account.map { IdentityBuilder().names.normalize($0).condensedKey },
                expiring: expiringWithin.map { day...day.adding(days: $0) })
        }
        let from = try submittedFrom.map { try parseDay($0, option: "--submitted-from") }
        let to = try submittedTo.map { try parseDay($0, option: "--submitted-to") }
        let shown = LedgerDesk.submitted(rows, from: from, to: to)
        print(try LedgerDesk.render(LedgerDesk.sorted(shown, by: sort), format: format), terminator: "")
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The full history of one registration.")
    @OptionGroup var options: LedgerReadOptions
    @Option(help: "table (the rationale in full, last) or json.") var format: AuditFormat = .table
    @Argument(help: "Registration id (REG-...).") var id: String

    enum AuditFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() throws {
        let (entries, registration) = try mapErrors {
            let ledger = try options.desk().ledger
            let entries = try ledger.audit(id: id)
            return (entries, try ledger.registration(id: id))
        }
        guard let registration else { throw ExitCode(1) }
        switch format {
        case .table: print(LedgerDesk.render(audit: entries, registration: registration), terminator: "")
        case .json: print(try LedgerDesk.renderJSON(audit: entries, registration: registration))
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write every registration as CSV, for import into the CRM.")
    @OptionGroup var options: LedgerReadOptions
    @Option(help: "The CSV file to write.") var out: String

    func run() throws {
        let count = try mapErrors { try options.desk().export(to: out) }
        print("dealreg: \(count) registration(s) -> \(out)")
    }
}

extension RegistrationStatus: ExpressibleByArgument {}
extension LedgerDesk.Sort: ExpressibleByArgument {}
extension LedgerDesk.Format: ExpressibleByArgument {}
