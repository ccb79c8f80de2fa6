import DealregLedger
import DealregPolicy
import Foundation

/// How the match thresholds would have done on the registrations people judged, at every
/// threshold from 0 to 100, and the thresholds that would have met a target (issue 14): the
/// evidence to end shadow mode on, or to move `match.review_score` and `match.duplicate_score`.
///
/// Labels come from people's decisions only, never from the rules:
/// - a registration a reviewer **approved** is a different account from its best candidate,
///   whatever that candidate scored;
/// - one a reviewer **declined** as a duplicate is a duplicate: declined with `--duplicate-of`
///   (the reviewer's word, whatever the rules found), or declined when its automatic reasons name
///   a duplicate (`possible_duplicate`, `duplicate_existing_deal`, `duplicate_in_batch`,
///   `already_registered`);
/// - every other registration (not reviewed, returned for information, declined for another
///   reason such as territory or the cap) has no label and is left out.
///
/// A registration's score is the score of its best candidate when it was decided (`best_score`,
/// kept from schema v9 whatever the candidate led to). Rows decided before it have only
/// `match_score`, recorded for candidates at or above the review threshold then in force; below
/// it they count as 0, so while any judged row lacks `best_score` nothing below the review
/// threshold in force is suggested (the ledger cannot tell those thresholds apart).
///
/// In shadow mode people judge every row, so the rates cover the whole score range. Otherwise
/// people judge mostly rows at or above the review threshold (and appeals of declines), so the
/// rates below it rest on few rows. A threshold is suggested only when the evidence shows the
/// target met at 95 % confidence (the one-sided Clopper-Pearson upper bound of the rate is at or
/// below the target), not merely when the judged rows happen to meet it: two judged duplicates,
/// both caught, say little. With no error at all, showing "at most 1 %" takes 299 judged rows.
///
/// The auto-approve level (`auto_approve`, confidence 0-100) is calibrated the same way on the
/// rows the confidence decided: those the rules approved (in shadow mode: would have) and those
/// sent to review for low confidence (`triage.confidence`), with the confidence they were given.
/// A reviewer's approval says the row should be approved; a decline or a return says it should
/// not have been. The suggested level is the lowest (the most automation) at which, at 95 %
/// confidence, at most `target` of the rows people refused would have been approved.
public struct ThresholdCalibration: Sendable, Equatable {
    /// The judged rows split at one threshold.
    public struct Point: Sendable, Equatable {
        public var threshold: Int
        /// Judged duplicates scoring at or above the threshold (caught), and below it (let through).
        public var duplicatesAtOrAbove: Int
        public var duplicatesBelow: Int
        /// Judged different accounts scoring at or above the threshold (flagged wrongly).
        public var differentAtOrAbove: Int
        public var differentBelow: Int

        /// Of the rows at or above the threshold, the share that are duplicates; nil when none are.
        public var precision: Double? { ratio(duplicatesAtOrAbove, duplicatesAtOrAbove + differentAtOrAbove) }
        /// Of the duplicates, the share at or above the threshold; nil without duplicates.
        public var recall: Double? { ratio(duplicatesAtOrAbove, duplicatesAtOrAbove + duplicatesBelow) }
        /// As the review threshold: the share of duplicates that would have been approved.
        public var duplicatesApproved: Double? { ratio(duplicatesBelow, duplicatesAtOrAbove + duplicatesBelow) }
        /// As the decline threshold: the share of different accounts that would have been declined.
        public var differentDeclined: Double? { ratio(differentAtOrAbove, differentAtOrAbove + differentBelow) }
        /// The 95 % upper bounds of the two shares above (1 without rows).
        public var duplicatesApprovedBound: Double {
            ThresholdCalibration.upperBound(duplicatesBelow, of: duplicatesAtOrAbove + duplicatesBelow)
        }
        public var differentDeclinedBound: Double {
            ThresholdCalibration.upperBound(differentAtOrAbove, of: differentAtOrAbove + differentBelow)
        }

        private func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
    }

    /// The reason codes that say the rules took the row for a duplicate.
    public static let duplicateReasons: Set<String> = [
        ReasonCode.possibleDuplicate.rawValue, ReasonCode.duplicateExistingDeal.rawValue,
        ReasonCode.duplicateInBatch.rawValue, ReasonCode.alreadyRegistered.rawValue,
    ]

    /// The share of duplicates approved, and of different accounts declined, that the suggestions may allow.
    public var target: Double
    /// The thresholds in force (the policy given to `report`).
    public var reviewScore: Int
    public var duplicateScore: Int
    public var duplicates = 0
    public var different = 0
    /// Every threshold from 0 to 100.
    public var points: [Point] = []
    /// The highest review threshold that, at 95 % confidence, approves at most `target` of the
    /// duplicates (the shortest queue that meets the target); nil when the judged rows cannot show it.
    public var suggestedReviewScore: Int?
    /// The lowest decline threshold, not below the suggested review threshold, that at 95 %
    /// confidence declines at most `target` of the different accounts; nil as above.
    public var suggestedDuplicateScore: Int?
    /// Whether every judged row has its best candidate's score (else thresholds below the review
    /// threshold in force are not suggested: see the type).
    public var fullResolution = true
    /// Judged rows of one kind that could show the target with no error among them (the rule of three's exact form).
    public var rowsNeeded: Int { Self.rowsNeeded(target) }

    public var judged: Int { duplicates + different }

    /// The judged rows the confidence decided, split at one auto-approve level.
    public struct ConfidencePoint: Sendable, Equatable {
        public var level: Int
        /// Rows people approved at or above the level (approved automatically there) and below it (sent to review).
        public var approvedAtOrAbove: Int
        public var approvedBelow: Int
        /// Rows people declined or returned at or above the level (approved wrongly there) and below it.
        public var refusedAtOrAbove: Int
        public var refusedBelow: Int

        /// As the auto-approve level: the share of refused rows that would have been approved; nil without any.
        public var refusedApproved: Double? {
            let refused = refusedAtOrAbove + refusedBelow
            return refused == 0 ? nil : Double(refusedAtOrAbove) / Double(refused)
        }
        /// Its 95 % upper bound (1 without refused rows).
        public var refusedApprovedBound: Double { ThresholdCalibration.upperBound(refusedAtOrAbove, of: refusedAtOrAbove + refusedBelow) }
        /// As the auto-approve level: the share of rows people approved that would have waited in review.
        public var approvedReviewed: Double? {
            let approved = approvedAtOrAbove + approvedBelow
            return approved == 0 ? nil : Double(approvedBelow) / Double(approved)
        }
    }

    /// The default auto-approve level in force (`auto_approve.default`; tiers have their own).
    public var autoApproveLevel = 70
    public var confidenceApproved = 0
    public var confidenceRefused = 0
    /// Every level from 0 to 100.
    public var confidencePoints: [ConfidencePoint] = []
    /// The lowest level at which, at 95 % confidence, at most `target` of the refused rows would have
    /// been approved; nil when the judged rows cannot show it.
    public var suggestedAutoApproveLevel: Int?

    public func confidencePoint(_ level: Int) -> ConfidencePoint { confidencePoints[max(0, min(100, level))] }

    public func point(_ threshold: Int) -> Point { points[max(0, min(100, threshold))] }

    /// - Parameters:
    ///   - registrations: the rows to learn from (the report's range).
    ///   - thresholds: the thresholds in force, shown beside the suggestions.
    ///   - target: e.g. 0.01 for "at most 1 % of duplicates approved and 1 % of different accounts declined".
    ///   - autoApproveLevel: the default auto-approve level in force.
    public init(registrations: [LedgerRegistration], thresholds: MatchThresholds, autoApproveLevel: Int = 70, target: Double = 0.01) {
        self.target = target
        self.autoApproveLevel = autoApproveLevel
        reviewScore = thresholds.reviewScore
        duplicateScore = thresholds.duplicateScore
        calibrateConfidence(registrations)
        // Judged rows by score: [duplicate?][score].
        var duplicateAt = [Int](repeating: 0, count: 101), differentAt = [Int](repeating: 0, count: 101)
        for row in registrations {
            guard let isDuplicate = Self.label(row) else { continue }
            if row.bestScore == nil { fullResolution = false }
            let score = max(0, min(100, row.bestScore ?? row.matchScore ?? 0))
            if isDuplicate { duplicateAt[score] += 1; duplicates += 1 } else { differentAt[score] += 1; different += 1 }
        }
        var duplicatesBelow = 0, differentBelow = 0
        for threshold in 0...100 {
            points.append(Point(threshold: threshold, duplicatesAtOrAbove: duplicates - duplicatesBelow, duplicatesBelow: duplicatesBelow,
                                differentAtOrAbove: different - differentBelow, differentBelow: differentBelow))
            duplicatesBelow += duplicateAt[threshold]
            differentBelow += differentAt[threshold]
        }
        guard duplicates > 0, different > 0 else { return }
        let lowest = fullResolution ? 0 : reviewScore
        suggestedReviewScore = points.last { $0.duplicatesApprovedBound <= target }?.threshold
        if let review = suggestedReviewScore, review < lowest { suggestedReviewScore = nil }
        guard let floor = suggestedReviewScore else { return }
        suggestedDuplicateScore = points.first { $0.threshold >= floor && $0.differentDeclinedBound <= target }?.threshold
    }

    /// The one-sided upper confidence bound of a rate seen as `events` in `trials` (Clopper-Pearson:
    /// the rate at which seeing `events` or fewer has probability 1 - `confidence`); 1 without trials.
    public static func upperBound(_ events: Int, of trials: Int, confidence: Double = 0.95) -> Double {
        guard trials > 0, events < trials else { return 1 }
        let alpha = 1 - confidence
        if events == 0 { return 1 - pow(alpha, 1 / Double(trials)) }
        // P(X <= events | trials, p) falls as p rises: bisect for the p where it equals alpha.
        func cumulative(_ p: Double) -> Double {
            let n = Double(trials)
            var sum = 0.0
            for k in 0...events {
                let i = Double(k)
                let logChoose: Double = lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1)
                let logTerm: Double = logChoose + i * log(p) + (n - i) * log1p(-p)
                sum += exp(logTerm)
            }
            return sum
        }
        var low = Double(events) / Double(trials), high = 1.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if cumulative(middle) > alpha { low = middle } else { high = middle }
        }
        return high
    }

    /// The fewest judged rows that, with none wrong, put the 95 % upper bound at or below `target`.
    public static func rowsNeeded(_ target: Double) -> Int {
        guard target > 0, target < 1 else { return target >= 1 ? 1 : Int.max }
        return Int((log(0.05) / log1p(-target)).rounded(.up))
    }

    private mutating func calibrateConfidence(_ registrations: [LedgerRegistration]) {
        var approvedAt = [Int](repeating: 0, count: 101), refusedAt = [Int](repeating: 0, count: 101)
        for row in registrations {
            guard let confidence = row.confidence, let approve = Self.confidenceLabel(row) else { continue }
            let level = max(0, min(100, confidence))
            if approve { approvedAt[level] += 1; confidenceApproved += 1 } else { refusedAt[level] += 1; confidenceRefused += 1 }
        }
        var approvedBelow = 0, refusedBelow = 0
        for level in 0...100 {
            confidencePoints.append(ConfidencePoint(level: level, approvedAtOrAbove: confidenceApproved - approvedBelow,
                                                    approvedBelow: approvedBelow, refusedAtOrAbove: confidenceRefused - refusedBelow,
                                                    refusedBelow: refusedBelow))
            approvedBelow += approvedAt[level]
            refusedBelow += refusedAt[level]
        }
        guard confidenceApproved > 0, confidenceRefused > 0 else { return }
        suggestedAutoApproveLevel = confidencePoints.first { $0.refusedApprovedBound <= target }?.level
    }

    /// For the auto-approve level: true when a reviewer approved a row the confidence decided,
    /// false when a reviewer declined or returned it, nil for rows the confidence did not decide
    /// (another rule decided them) or no person judged.
    public static func confidenceLabel(_ row: LedgerRegistration) -> Bool? {
        guard row.autoDecision == Decision.approved.rawValue || row.autoRule == "triage.confidence" else { return nil }
        switch row.humanDecision {
        case Decision.approved.rawValue?: return true
        case Decision.declined.rawValue?, Decision.needsInfo.rawValue?: return false
        default: return nil
        }
    }

    /// True for a judged duplicate, false for a judged different account, nil for no label (see the type).
    public static func label(_ row: LedgerRegistration) -> Bool? {
        switch row.humanDecision {
        case Decision.approved.rawValue?:
            return false
        case Decision.declined.rawValue?:
            if row.duplicateOf != nil { return true }
            let reasons = row.reasonCodes.split(separator: ";").map(String.init)
            return reasons.contains(where: duplicateReasons.contains) ? true : nil
        default:
            return nil
        }
    }
}
