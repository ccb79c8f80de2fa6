import ArgumentParser
import DealregKit
import Foundation

/// The period a digest covers; only the ISO week for now.
enum DigestPeriod: String, ExpressibleByArgument, CaseIterable {
    case week
}

/// `dealreg digest partners|team`: the weekly digests (from cron on Mondays), once per period per recipient.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Weekly digests: each partner's registrations (digest partners), the channel team's queue and numbers (digest team).",
        discussion: """
        The period is the ISO week (Monday to Sunday) containing --as-of (default today, UTC), e.g. 2026-W49; the \
        week's decisions are those of the 7 days up to --as-of. Each digest is recorded in the ledger with its message \
        and then written into the outbox, once per recipient per period: a rerun in the same week writes nothing new.
        """,
        subcommands: [DigestPartners.self, DigestTeam.self])
}

/// Options both digests take.
struct DigestOptions: ParsableArguments {
    @Option(help: "Policy file (YAML): reminder_days, review_sla_days, the email settings.") var policy: String?
    @Option(help: "Write the emails (.eml) to this folder.") var outbox: String
    @Option(help: "Folder of Mustache templates replacing the shipped ones (digest-partners.txt.mustache, ...).") var templates: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @Option(help: "The period a digest covers: week (the ISO week containing --as-of).") var period: DigestPeriod = .week
    @Flag(help: "Deliver the outbox through the policy's email.sendmail command.") var send = false

    /// Delivers the outbox with --send; one summary line.
    func deliver() throws {
        guard send else { return }
        try sendOutbox(outbox, command: mapErrors { try EffectivePolicy.load(path: policy).policy.email.sendmail })
    }
}

struct DigestPartners: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "Email each partner its active registrations, those expiring within reminder_days and the week's decisions.",
        discussion: """
        In the partner's language (partners.csv language). A partner with no active registration and no decision in \
        the 7 days up to --as-of gets no email; one without an email address is listed by id as not notified.
        """)
    @OptionGroup var options: LedgerOptions
    @Option(help: "Partner list (CSV) with each partner's email address and language.") var partners: String
    @OptionGroup var digest: DigestOptions

    func run() throws {
        let day = try parseAsOf(digest.asOf)
        let report = try mapErrors {
            try Digests.partners(ledgerPath: options.ledger, partnersPath: partners, policyPath: digest.policy,
                                 outbox: digest.outbox, templatesFolder: digest.templates, asOf: day, actor: options.auditActor)
        }
        print("dealreg: partner digest \(report.period): \(report.digested.count) new digest(s), \(report.messages.count) email(s) -> \(digest.outbox)")
        for name in report.messages { print("  email: \(name)") }
        if report.digested.isEmpty && !report.alreadySent.isEmpty {
            print("already sent for \(report.period): nothing new (\(report.alreadySent.count) partner(s))")
        } else if !report.alreadySent.isEmpty {
            print("already sent for \(report.period): \(Self.ids(report.alreadySent))")
        }
        if !report.nothingToSay.isEmpty { print("\(report.nothingToSay.count) partner(s) with nothing to report this week: no email") }
        if !report.notNotified.isEmpty { print("not notified (no email address): \(Self.ids(report.notNotified))") }
        try digest.deliver()
    }

    /// Partner ids as logs may show them: an id the ledger holds from an upload row that is not
    /// one (a whole line, an email, control characters) is counted, never printed.
    static func ids(_ values: [String]) -> String {
        let shown = values.compactMap(LogText.identifier)
        let hidden = values.count - shown.count
        return (shown + (hidden > 0 ? ["(\(hidden) unreadable partner_id value\(hidden == 1 ? "" : "s"))"] : [])).joined(separator: ", ")
    }
}

struct DigestTeam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Email the channel team the overdue reviews and the week's numbers (as dealreg report counts them).",
        discussion: """
        Sent to --to, else the policy's email.team (exit 64 when neither is given). A review is overdue when it has \
        waited longer than --overdue-days, else the policy's review_sla_days (as review list flags it).
        """)
    @OptionGroup var options: LedgerOptions
    @Option(help: ArgumentHelp("The team's address (default: the policy's email.team), e.g. 'Channel Team <channel@example.com>'.",
                               valueName: "address")) var to: String?
    @Option(name: .customLong("overdue-days"),
            help: ArgumentHelp("Overdue past this many days waiting (default: the policy's review_sla_days).", valueName: "days"))
    var overdueDays: Int?
    @OptionGroup var digest: DigestOptions

    func validate() throws {
        if let overdueDays, overdueDays < 0 { throw ValidationError("--overdue-days must be 0 or more") }
    }

    func run() throws {
        let day = try parseAsOf(digest.asOf)
        let report = try mapErrors {
            try Digests.team(ledgerPath: options.ledger, policyPath: digest.policy, outbox: digest.outbox,
                             templatesFolder: digest.templates, to: to, overdueDays: overdueDays, asOf: day, actor: options.auditActor)
        }
        if report.recorded {
            print("dealreg: team digest \(report.period): \(report.overdue) overdue review(s); \(report.messages.count) email(s) -> \(digest.outbox)")
        } else {
            print("dealreg: team digest \(report.period): already sent for \(report.period), nothing new; \(report.messages.count) email(s) -> \(digest.outbox)")
        }
        for name in report.messages { print("  email: \(name)") }
        try digest.deliver()
    }
}
