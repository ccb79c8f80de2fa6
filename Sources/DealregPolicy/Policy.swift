import DealregIdentity
/// The rules of engagement dealreg enforces; loaded from `--policy` or the
/// documented defaults (POLICY.md lists every key).
public struct Policy: Equatable, Sendable {
    /// Currency of amounts that name none, and of `direct_reserved.min_deal_value` (ISO 4217).
    public var currency = "USD"
    /// How to read ambiguous all-numeric dates such as 03/04/2027.
    public var dateOrder = DateOrder.monthDayYear
    /// Days an approved registration protects the account.
    public var validityDays = 90
    /// Days one extension adds.
    public var extensionDays = 30
    /// How many times a registration may be extended.
    public var maxExtensions = 2
    /// Days after a partner's registration of an account ends (expired or withdrawn) before the
    /// same partner may register it again: no parking an account around the extension cap.
    public var reregisterAfterDays = 30
    /// Days a registration may wait in the review queue before `review list` flags it overdue.
    /// It changes no decision, so it is not part of the policy version.
    public var reviewSLADays = 3
    /// Days before expiry that partners are reminded.
    public var reminderDays = 14
    /// Active registrations a partner may hold; `max_active` in partners.csv overrides it.
    public var maxActivePerPartner = 25
    /// Deals reserved for direct sales.
    public var directReserved = DirectReserved()
    /// Sanctioned or do-not-sell accounts (name and/or domain), resolved against the policy file's folder.
    public var blockedAccountsFile: String?
    /// What a registration of a won deal's account gets.
    public var existingCustomers = ExistingCustomers.review
    /// An open direct deal with activity within this many days blocks registration.
    public var directActivityDays = 90
    /// What a registration outside the partner's territory gets.
    public var territory = TerritoryMode.enforce
    /// Whether the `consent` column must say yes.
    public var requireConsent = false
    /// Confidence (0-100) needed for automatic approval, by partner tier; "default" for the rest.
    public var autoApprove: [String: Int] = ["default": 70]
    /// Decide every row, but send every row to review with the would-be decision recorded.
    public var shadowMode = false
    /// Score thresholds for duplicates.
    public var match = MatchThresholds()
    /// Value of one unit of a currency in `currency`, for the direct-sales threshold.
    public var exchangeRates: [String: Double] = [:]
    /// How result and reminder emails are addressed and signed (not part of the policy version).
    public var email = EmailSettings()

    public init() {}

    /// The auto-approve level for a partner tier.
    public func autoApproveLevel(tier: String?) -> Int {
        tier.flatMap { autoApprove[$0.lowercased()] } ?? autoApprove["default"] ?? 70
    }

    /// Every setting as `key: value` lines in a fixed order; hashed into the policy version.
    /// Files are named as given, so the version changes when the policy points elsewhere.
    public var canonicalText: String {
        var lines = [
            "currency: \(currency)", "date_order: \(dateOrder.rawValue)", "validity_days: \(validityDays)",
            "extension_days: \(extensionDays)", "max_extensions: \(maxExtensions)", "reminder_days: \(reminderDays)",
            "reregister_after_days: \(reregisterAfterDays)",
            "max_active_per_partner: \(maxActivePerPartner)",
            "direct_reserved.min_deal_value: \(directReserved.minDealValue.map { String($0) } ?? "none")",
            "direct_reserved.accounts_file: \(directReserved.accountsFile ?? "none")",
            "blocked_accounts_file: \(blockedAccountsFile ?? "none")",
            "existing_customers: \(existingCustomers.rawValue)", "direct_activity_days: \(directActivityDays)",
            "territory: \(territory.rawValue)", "require_consent: \(requireConsent)", "shadow_mode: \(shadowMode)",
            "match.duplicate_score: \(match.duplicateScore)", "match.review_score: \(match.reviewScore)",
            "match.sites: \(match.sites.rawValue)",
        ]
        lines += autoApprove.keys.sorted().map { "auto_approve.\($0): \(autoApprove[$0]!)" }
        lines += exchangeRates.keys.sorted().map { "exchange_rates.\($0): \(exchangeRates[$0]!)" }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Sender, subjects, signature and delivery command of partner emails.
public struct EmailSettings: Equatable, Sendable {
    public var from = "Partner Operations <partners@example.com>"
    public var replyTo: String?
    /// The channel team's address (`dealreg digest team`); nil: none configured.
    public var team: String?
    /// Mustache template of the results subject.
    public var subject = "Your deal registrations in {{file}}: {{approved}} approved, {{attention_phrase}}"
    /// Mustache template of the reminder subject.
    public var reminderSubject = "{{count}} deal registration(s) expire soon"
    /// Mustache template of the subject of a status change (review decision, expiry, extension, withdrawal).
    public var statusSubject = "Your registration of {{account}}: {{event}}"
    public var signature = "Partner Operations"
    /// A sendmail-compatible command that reads one message on standard input.
    public var sendmail = "/usr/sbin/sendmail -t -i"
    public init() {}
}

/// Deals and accounts reserved for direct sales.
public struct DirectReserved: Equatable, Sendable {
    /// Deals at or above this value (in the policy currency) go to direct sales; nil disables the rule.
    public var minDealValue: Double? = 100_000
    /// Named accounts reserved for direct sales (CSV with account_name and/or account_domain).
    public var accountsFile: String?
    public init() {}
}

/// What a registration of an existing customer's account gets.
public enum ExistingCustomers: String, Sendable, CaseIterable {
    case decline, review, allow
}

/// How territory is enforced.
public enum TerritoryMode: String, Sendable, CaseIterable {
    case enforce, review, ignore
}

/// Match scores (0-100) at which a candidate becomes a duplicate or a review case, and how
/// two sites of one name are treated.
public struct MatchThresholds: Equatable, Sendable {
    public var duplicateScore = 90
    public var reviewScore = 50
    /// `separate` (default): a name's sites at clearly different addresses, with different phones, are different accounts.
    public var sites = ScoreRules.Sites.separate
    public init(duplicateScore: Int = 90, reviewScore: Int = 50, sites: ScoreRules.Sites = .separate) {
        self.duplicateScore = duplicateScore
        self.reviewScore = reviewScore
        self.sites = sites
    }

    /// The caps matching applies on top of the model under these settings.
    public var scoreRules: ScoreRules {
        ScoreRules(duplicateScore: duplicateScore, reviewScore: reviewScore, sites: sites)
    }
}
