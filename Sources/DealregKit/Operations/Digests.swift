import DealregLedger
import DealregMail
import DealregPolicy
import Foundation

/// `dealreg digest partners|team`: the weekly digests (issue 14), once per period per recipient.
///
/// - The period is the ISO week (Monday to Sunday) containing as-of, named `2026-W49`; "the
///   week's decisions" are those of the 7 days up to as-of, both ends included (from cron on a
///   Monday: the week just ended).
/// - Each digest is recorded in the ledger (`digest`: audience, recipient, period, the message) in
///   one transaction before it is written into the outbox, then written and marked delivered like
///   every other owed email: a rerun for the same period writes nothing new, and a crash between
///   the two loses nothing (the next command with the outbox writes it).
public enum Digests {
    /// The period a digest covers: the ISO 8601 week containing a day.
    public struct Period: Sendable, Equatable, CustomStringConvertible {
        /// Monday of the week.
        public let start: Day
        /// `YYYY-Www`, the ISO week-numbering year and week (2027-01-01 is in `2026-W53`).
        public let name: String
        /// Sunday of the week.
        public var end: Day { start.adding(days: 6) }
        public var description: String { name }

        /// The ISO week containing `day`.
        public init(containing day: Day) {
            start = ProgramReport.weekStart(day)
            // The week belongs to the year of its Thursday; its number counts from that year's first Thursday.
            let thursday = start.adding(days: 3)
            let year = thursday.components.year
            let january1 = Day(year: year, month: 1, day: 1)!
            let week = (thursday.ordinal - january1.ordinal) / 7 + 1
            name = "\(year)-W\(week < 10 ? "0" : "")\(week)"
        }
    }

    /// What a partner's digest says.
    public struct PartnerContent: Sendable, Equatable {
        /// The 7 days up to as-of whose decisions are listed.
        public var window: ClosedRange<Day>
        /// Approved registrations still protected on as-of, by expiry date.
        public var active: [LedgerRegistration] = []
        /// The active ones that expire within the policy's `reminder_days`.
        public var expiring: [LedgerRegistration] = []
        /// Registrations decided (by the rules or a reviewer) in the window, by day.
        public var decisions: [LedgerRegistration] = []

        /// Decisions by their current value (approved, declined, needs_review, needs_info).
        public var decisionCounts: [String: Int] { Dictionary(grouping: decisions, by: \.decision).mapValues(\.count) }
        /// Nothing to tell: no active registration and no decision this week (no email is written).
        public var isEmpty: Bool { active.isEmpty && decisions.isEmpty }
    }

    /// An overdue review: under review for longer than the SLA.
    public struct Overdue: Sendable, Equatable {
        public var registration: LedgerRegistration
        /// Days waited since it was received (as `dealreg review list` counts).
        public var days: Int
    }

    /// What the team's digest says: the week's numbers are ``ProgramReport``'s for the window.
    public struct TeamContent: Sendable, Equatable {
        public var window: ClosedRange<Day>
        public var report: ProgramReport
        public var slaDays: Int
        /// Oldest first.
        public var overdue: [Overdue]
    }

    /// What `digest partners` did.
    public struct PartnerRun: Sendable {
        public var period: Period
        /// Messages written into the outbox by this run (its digests, and any other email still owed).
        public var messages: [String] = []
        /// Partners whose digest this run recorded.
        public var digested: [String] = []
        /// Partners that already had this period's digest (a rerun): nothing new for them.
        public var alreadySent: [String] = []
        /// Partners with something to say but no email address (ids only).
        public var notNotified: [String] = []
        /// Partners of the partner list with nothing to say this period (no active registration, no
        /// decision this week): no email.
        public var nothingToSay: [String] = []
    }

    /// What `digest team` did.
    public struct TeamRun: Sendable {
        public var period: Period
        public var messages: [String] = []
        /// Whether this run recorded the team's digest (false: the period's was already sent).
        public var recorded = false
        public var overdue = 0
    }

    /// The window of "the week's decisions": the 7 days up to `asOf`.
    public static func window(asOf: Day) -> ClosedRange<Day> { asOf.adding(days: -6)...asOf }

    /// Each partner's digest content from the ledger, by partner id (partners with registrations only).
    public static func partnerContents(ledger: Ledger, asOf: Day, reminderDays: Int) throws -> [String: PartnerContent] {
        let window = window(asOf: asOf)
        let horizon = asOf.adding(days: reminderDays)
        var contents: [String: PartnerContent] = [:]
        for registration in try ledger.activeRegistrations(asOf: asOf) {
            contents[registration.partnerID, default: PartnerContent(window: window)].active.append(registration)
            if let expires = registration.expiresOn.flatMap(Day.init(iso:)), expires <= horizon {
                contents[registration.partnerID, default: PartnerContent(window: window)].expiring.append(registration)
            }
        }
        for registration in try ledger.decisions(in: window) {
            contents[registration.partnerID, default: PartnerContent(window: window)].decisions.append(registration)
        }
        return contents
    }

    /// The team digest's content: ``ProgramReport`` over the window (every registration counted
    /// once, as `dealreg report --from --to` counts) and the reviews waiting longer than `slaDays`.
    public static func teamContent(ledger: Ledger, asOf: Day, slaDays: Int, expiringWithinDays: Int) throws -> TeamContent {
        let window = window(asOf: asOf)
        let registrations = try ledger.registrations()
        let report = ProgramReport(registrations: registrations, from: window.lowerBound, to: window.upperBound, asOf: asOf,
                                   expiringWithinDays: expiringWithinDays)
        let overdue = registrations.filter { $0.status == .underReview }.compactMap { row -> Overdue? in
            let days = ProgramReport.day(row.decidedOn).map { max(0, asOf.ordinal - $0.ordinal) } ?? 0
            return days > slaDays ? Overdue(registration: row, days: days) : nil
        }.sorted { ($0.days, $1.registration.id) > ($1.days, $0.registration.id) }
        return TeamContent(window: window, report: report, slaDays: slaDays, overdue: overdue)
    }

    /// `dealreg digest partners`: one digest per partner with something to say and an email
    /// address, once per period; then writes what the ledger owes into the outbox.
    public static func partners(ledgerPath: String, partnersPath: String, policyPath: String?, outbox: String,
                                templatesFolder: String?, asOf: Day, actor: String) throws -> PartnerRun {
        let policy = try EffectivePolicy.load(path: policyPath).policy
        let partners = try PartnerDirectory.load(path: partnersPath)
        let desk = try LedgerDesk(path: ledgerPath, actor: actor)
        let composer = try PartnerMail(templatesFolder: templatesFolder, settings: policy.email, asOf: asOf)
        let period = Period(containing: asOf)
        var run = PartnerRun(period: period)
        let done = try desk.ledger.digestRecipients(audience: .partners, period: period.name)
        let contents = try partnerContents(ledger: desk.ledger, asOf: asOf, reminderDays: policy.reminderDays)
        for (partnerID, content) in contents.sorted(by: { $0.key < $1.key }) {
            if done.contains(partnerID) { run.alreadySent.append(partnerID); continue }
            if content.isEmpty { run.nothingToSay.append(partnerID); continue }
            guard let partner = partners.partner(partnerID), let email = partner.email else {
                run.notNotified.append(partnerID)
                continue
            }
            let (name, message) = try composer.partnerDigest(partner: partner, email: email, content: content,
                                                             period: period, policy: policy)
            let record = DigestRecord(audience: .partners, recipient: partnerID, period: period.name, name: name,
                                      bytes: message.rendered(), createdAt: Ledger.now())
            if try desk.ledger.recordDigest(record) { run.digested.append(partnerID) } else { run.alreadySent.append(partnerID) }
        }
        let told = Set(contents.filter { !$0.value.isEmpty }.keys.map { partners.partner($0)?.id ?? $0 })
        run.nothingToSay += partners.all.map(\.id).filter { !told.contains($0) && !run.nothingToSay.contains($0) }
        run.nothingToSay.sort()
        run.messages = try Outbox(folder: outbox).deliverOwed(from: desk.ledger)
        return run
    }

    /// `dealreg digest team`: the channel team's digest to `to` (else the policy's `email.team`),
    /// once per period; overdue means waiting longer than `overdueDays` (else the policy's `review_sla_days`).
    public static func team(ledgerPath: String, policyPath: String?, outbox: String, templatesFolder: String?,
                            to: String?, overdueDays: Int?, asOf: Day, actor: String) throws -> TeamRun {
        let policy = try EffectivePolicy.load(path: policyPath).policy
        guard let address = to ?? policy.email.team else {
            throw InputError(.usage, "no team address: set email.team in the policy or give --to ADDRESS")
        }
        guard let recipient = MailAddress(parsing: address), recipient.email.contains("@") else {
            throw InputError(to == nil ? .invalid : .usage,
                             "\(to == nil ? "email.team" : "--to") is not an address (expected e.g. Channel Team <channel@example.com>)")
        }
        let desk = try LedgerDesk(path: ledgerPath, actor: actor)
        let composer = try PartnerMail(templatesFolder: templatesFolder, settings: policy.email, asOf: asOf)
        let period = Period(containing: asOf)
        var run = TeamRun(period: period)
        let key = recipient.email.lowercased()
        let content = try teamContent(ledger: desk.ledger, asOf: asOf, slaDays: overdueDays ?? policy.reviewSLADays,
                                      expiringWithinDays: policy.reminderDays)
        run.overdue = content.overdue.count
        if try !desk.ledger.digestRecipients(audience: .team, period: period.name).contains(key) {
            let (name, message) = try composer.teamDigest(to: recipient, content: content, period: period)
            run.recorded = try desk.ledger.recordDigest(DigestRecord(audience: .team, recipient: key, period: period.name, name: name,
                                                                     bytes: message.rendered(), createdAt: Ledger.now()))
        }
        run.messages = try Outbox(folder: outbox).deliverOwed(from: desk.ledger)
        return run
    }
}
