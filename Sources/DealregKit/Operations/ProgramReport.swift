import DealregLedger
import DealregPolicy

/// The program view of the ledger (`dealreg report`): what was decided in a date range, overall
/// and per partner, how often reviewers overrode the rules, and the state of the review queue.
///
/// Pure: computed from registrations already read from the ledger, so it is tested on
/// hand-built rows; ``ProgramReportRenderer`` writes it as CSV, JSON or HTML.
///
/// - Registrations count when their `decided_on` (the day dealreg received and decided them)
///   falls in the range, both ends included; an open end is unbounded.
/// - The review queue and the expiring registrations are the state on `asOf`, whatever the range:
///   they are what ops has to work now.
/// - An override is a reviewed registration whose human decision differs from the automatic
///   decision (in shadow mode: the would-be decision). Only registrations whose automatic decision
///   was a decision (approved, declined, needs_info) can be overridden: a `needs_review` sent to a
///   person is deferred, not decided, so approving it overrides nothing.
public struct ProgramReport: Sendable, Equatable {
    /// Counts and rates for a set of registrations (all, or one partner's).
    public struct Metrics: Sendable, Equatable {
        public var registrations = 0
        /// By current decision (after review): approved, needs_review, needs_info, declined.
        public var byDecision: [String: Int] = [:]
        /// By reason code; a registration with several reasons counts under each.
        public var byReason: [String: Int] = [:]
        /// Reviewed by a person (a human decision is recorded).
        public var reviewed = 0
        /// Reviewed registrations whose automatic decision was a decision, and of those, the ones overridden.
        public var overridable = 0
        public var overridden = 0
        public var closedWon = 0
        /// Days from receipt (`decided_on`) to the reviewer's decision (`reviewed_on`), reviewed registrations only.
        public var daysToDecision: [Int] = []
        /// Duplicates caught, by kind: snapshot (a CRM deal), batch (the same upload night), ledger
        /// (another registration), possible (sent to review) and related (a family member or another site).
        public var duplicates: [String: Int] = [:]

        public var approved: Int { byDecision["approved", default: 0] }
        /// approved / registrations; nil without registrations.
        public var approvalRate: Double? { ratio(approved, registrations) }
        /// overridden / overridable; nil when nothing could be overridden.
        public var overrideRate: Double? { ratio(overridden, overridable) }
        /// closed_won / approved; nil without approvals.
        public var winRate: Double? { ratio(closedWon, approved) }
        public var medianDaysToDecision: Int? { ProgramReport.percentile(daysToDecision, 50) }
        public var p90DaysToDecision: Int? { ProgramReport.percentile(daysToDecision, 90) }

        private func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
    }

    /// One partner's metrics, with its share of the queue and of the registrations expiring soon.
    public struct PartnerMetrics: Sendable, Equatable {
        public var partnerID: String
        public var metrics = Metrics()
        public var queueOpen = 0
        public var expiringSoon = 0
    }

    /// A reviewed registration whose human decision differs from the automatic one.
    public struct Override: Sendable, Equatable {
        public var id: String
        public var partnerID: String
        public var accountName: String
        public var autoDecision: String
        public var autoRule: String?
        public var humanDecision: String
        public var reviewedBy: String?
        public var reviewedOn: String?
    }

    /// Registrations received in one week (Monday to Sunday), by current decision.
    public struct Week: Sendable, Equatable {
        public var start: Day
        public var byDecision: [String: Int]
        public var total: Int { byDecision.values.reduce(0, +) }
    }

    /// The open review queue on `asOf`.
    public struct Queue: Sendable, Equatable {
        public var open = 0
        /// Days each item has waited since it was received, oldest first.
        public var ages: [Int] = []
        public var oldestDays: Int? { ages.first }
        /// Items by age bucket, in ``ProgramReport/ageBuckets`` order.
        public var buckets: [Int] {
            ProgramReport.ageBuckets.map { bucket in ages.count { bucket.range.contains($0) } }
        }
    }

    /// The queue's age buckets, in days.
    public static let ageBuckets: [(label: String, range: ClosedRange<Int>)] =
        [("0-2", 0...2), ("3-7", 3...7), ("8-30", 8...30), (">30", 31...Int.max)]
    /// Decisions in display order; any other value recorded in the ledger follows, sorted.
    public static let decisionOrder = Decision.allCases.sorted { $0.strength < $1.strength }.map(\.rawValue)

    public var from: Day?
    public var to: Day?
    public var asOf: Day
    public var expiringWithinDays: Int
    public var overall = Metrics()
    /// By partner id, sorted.
    public var partners: [PartnerMetrics] = []
    /// By review day, then id.
    public var overrides: [Override] = []
    /// Every week from the first to the last registration in the range, empty weeks included.
    public var weeks: [Week] = []
    public var queue = Queue()
    public var expiringSoon = 0
    /// The match thresholds against the range's judged registrations (see ``ThresholdCalibration``).
    public var calibration: ThresholdCalibration

    /// Computes the report.
    ///
    /// - Parameters:
    ///   - registrations: every registration in the ledger (those outside the range still count
    ///     for the queue and the expiring ones).
    ///   - from: first day of the range (inclusive), or nil for no lower bound.
    ///   - to: last day of the range (inclusive), or nil for no upper bound.
    ///   - asOf: today, for the queue's ages and the expiring registrations.
    ///   - expiringWithinDays: approved registrations expiring from `asOf` to `asOf + expiringWithinDays` count as expiring soon.
    ///   - thresholds: the match thresholds in force, calibrated against the range's judged registrations.
    ///   - autoApproveLevel: the default auto-approve level in force, calibrated likewise.
    ///   - target: the calibration's target share of duplicates approved and of different accounts declined.
    /// - Complexity: O(*n* log *n*) in the number of registrations.
    public init(registrations: [LedgerRegistration], from: Day?, to: Day?, asOf: Day, expiringWithinDays: Int = 30,
                thresholds: MatchThresholds = MatchThresholds(), autoApproveLevel: Int = 70, target: Double = 0.01) {
        calibration = ThresholdCalibration(
            registrations: registrations.filter { Self.inRange(Self.day($0.decidedOn), from: from, to: to) },
            thresholds: thresholds, autoApproveLevel: autoApproveLevel, target: target)
        self.from = from
        self.to = to
        self.asOf = asOf
        self.expiringWithinDays = expiringWithinDays
        var byPartner: [String: PartnerMetrics] = [:]
        var weekly: [Int: [String: Int]] = [:]
        let sorted = registrations.sorted { ($0.decidedOn, $0.id) < ($1.decidedOn, $1.id) }
        for row in sorted {
            let received = Self.day(row.decidedOn)
            var partner = byPartner[row.partnerID] ?? PartnerMetrics(partnerID: row.partnerID)
            if Self.inRange(received, from: from, to: to) {
                Self.count(row, received: received, into: &overall)
                Self.count(row, received: received, into: &partner.metrics)
                if let received { weekly[Self.weekStart(received).ordinal, default: [:]][row.decision, default: 0] += 1 }
                if let overridden = Self.overrideOf(row) { overrides.append(overridden) }
            }
            if row.status == .underReview {
                let age = received.map { max(0, asOf.ordinal - $0.ordinal) } ?? 0
                queue.open += 1
                queue.ages.append(age)
                partner.queueOpen += 1
            }
            if row.status == .approved, let expires = row.expiresOn.flatMap(Self.day),
               expires >= asOf, expires <= asOf.adding(days: expiringWithinDays) {
                expiringSoon += 1
                partner.expiringSoon += 1
            }
            byPartner[row.partnerID] = partner
        }
        queue.ages.sort(by: >)
        partners = byPartner.values
            .filter { $0.metrics.registrations > 0 || $0.queueOpen > 0 || $0.expiringSoon > 0 }
            .sorted { $0.partnerID < $1.partnerID }
        overrides.sort { ($0.reviewedOn ?? "", $0.id) < ($1.reviewedOn ?? "", $1.id) }
        if let first = weekly.keys.min(), let last = weekly.keys.max() {
            weeks = stride(from: first, through: last, by: 7).map { Week(start: Day(ordinal: $0), byDecision: weekly[$0] ?? [:]) }
        }
    }

    /// Every decision value seen in the range, in ``decisionOrder`` then any other, sorted.
    public var decisions: [String] {
        let seen = Set(overall.byDecision.keys)
        return Self.decisionOrder.filter(seen.contains) + seen.subtracting(Self.decisionOrder).sorted()
    }

    // MARK: - Counting

    private static func count(_ row: LedgerRegistration, received: Day?, into metrics: inout Metrics) {
        metrics.registrations += 1
        metrics.byDecision[row.decision, default: 0] += 1
        for code in row.reasonCodes.split(separator: ";") where !code.isEmpty {
            metrics.byReason[String(code), default: 0] += 1
            if let kind = duplicateKind(String(code)) { metrics.duplicates[kind, default: 0] += 1 }
        }
        if row.relatedRecord.map({ !$0.isEmpty }) ?? false { metrics.duplicates["related", default: 0] += 1 }
        if row.status == .closedWon { metrics.closedWon += 1 }
        if row.humanDecision != nil {
            metrics.reviewed += 1
            if let received, let reviewed = row.reviewedOn.flatMap(Self.day) {
                metrics.daysToDecision.append(max(0, reviewed.ordinal - received.ordinal))
            }
            if isOverridable(row) {
                metrics.overridable += 1
                if row.isOverride { metrics.overridden += 1 }
            }
        }
    }

    private static func duplicateKind(_ code: String) -> String? {
        switch code {
        case ReasonCode.duplicateExistingDeal.rawValue: "snapshot"
        case ReasonCode.duplicateInBatch.rawValue: "batch"
        case ReasonCode.alreadyRegistered.rawValue: "ledger"
        case ReasonCode.possibleDuplicate.rawValue: "possible"
        default: nil
        }
    }

    /// Reviewed, with an automatic decision that decided something (not a deferral to review).
    static func isOverridable(_ row: LedgerRegistration) -> Bool {
        guard row.humanDecision != nil, let auto = row.autoDecision else { return false }
        return auto != Decision.needsReview.rawValue
    }

    private static func overrideOf(_ row: LedgerRegistration) -> Override? {
        guard isOverridable(row), row.isOverride, let auto = row.autoDecision, let human = row.humanDecision else { return nil }
        return Override(id: row.id, partnerID: row.partnerID, accountName: row.accountName, autoDecision: auto,
                        autoRule: row.autoRule, humanDecision: human, reviewedBy: row.reviewedBy, reviewedOn: row.reviewedOn)
    }

    static func day(_ text: String) -> Day? { Day(iso: String(text.prefix(10))) }

    static func inRange(_ day: Day?, from: Day?, to: Day?) -> Bool {
        guard let day else { return from == nil && to == nil }
        return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
    }

    /// The Monday on or before `day`.
    public static func weekStart(_ day: Day) -> Day {
        // 1970-01-01 was a Thursday: Monday-based weekday = (ordinal + 3) mod 7.
        let weekday = ((day.ordinal + 3) % 7 + 7) % 7
        return day.adding(days: -weekday)
    }

    /// The nearest-rank percentile: the smallest value with at least `p` % of the values at or
    /// below it; nil for no values. `percentile([1, 2, 3, 4], 50) == 2`, `percentile(1...10, 90) == 9`.
    public static func percentile(_ values: [Int], _ p: Int) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, (p * sorted.count + 99) / 100)   // ceil(p/100 · n)
        return sorted[min(rank, sorted.count) - 1]
    }
}
