/// The rules of engagement dealreg enforces; loaded from `--policy` or the
/// documented defaults.
public struct Policy: Equatable, Sendable {
    /// Currency of amounts that name none (ISO 4217).
    public var currency = "USD"
    /// How to read ambiguous all-numeric dates such as 03/04/2027.
    public var dateOrder = DateOrder.monthDayYear
    /// Days an approved registration protects the account.
    public var validityDays = 90
    /// Score thresholds for duplicates.
    public var match = MatchThresholds()

    public init() {}

    /// Every setting as `key: value` lines in a fixed order; hashed into the policy version.
    public var canonicalText: String {
        [
            "currency: \(currency)",
            "date_order: \(dateOrder.rawValue)",
            "validity_days: \(validityDays)",
            "match.duplicate_score: \(match.duplicateScore)",
            "match.review_score: \(match.reviewScore)",
        ].joined(separator: "\n") + "\n"
    }
}

/// Match scores (0-100) at which a candidate becomes a duplicate or a review case.
public struct MatchThresholds: Equatable, Sendable {
    public var duplicateScore = 90
    public var reviewScore = 70
    public init(duplicateScore: Int = 90, reviewScore: Int = 70) {
        self.duplicateScore = duplicateScore
        self.reviewScore = reviewScore
    }
}
