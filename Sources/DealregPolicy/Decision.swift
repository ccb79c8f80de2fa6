/// The outcome for one registration row.
public enum Decision: String, Sendable, CaseIterable, Codable {
    case approved
    case declined
    case needsReview = "needs_review"
    case needsInfo = "needs_info"

    /// Higher wins when several reasons apply to one row.
    public var strength: Int {
        switch self {
        case .approved: return 0
        case .needsReview: return 1
        case .needsInfo: return 2
        case .declined: return 3
        }
    }
}

/// Why a row got its decision; the vocabulary shared by every result file.
/// Every row carries at least one: an approved row carries `registered`.
public enum ReasonCode: String, Sendable, CaseIterable, Codable, Comparable {
    case registered
    case lowConfidence = "low_confidence"
    case duplicateExistingDeal = "duplicate_existing_deal"
    case duplicateInBatch = "duplicate_in_batch"
    case possibleDuplicate = "possible_duplicate"
    case alreadyRegistered = "already_registered"
    case outsideTerritory = "outside_territory"
    case directAccount = "direct_account"
    case blockedAccount = "blocked_account"
    case partnerCapReached = "partner_cap_reached"
    case existingCustomer = "existing_customer"
    case missingRequiredField = "missing_required_field"
    case invalidValue = "invalid_value"
    case unknownPartner = "unknown_partner"
    /// The partner's own registration of the account ended (expired or withdrawn) too recently.
    case reregistrationTooSoon = "reregistration_too_soon"

    /// The decision this reason leads to on its own.
    public var decision: Decision {
        switch self {
        case .registered: return .approved
        case .lowConfidence: return .needsReview
        case .missingRequiredField, .invalidValue: return .needsInfo
        case .possibleDuplicate, .existingCustomer: return .needsReview
        case .duplicateExistingDeal, .duplicateInBatch, .alreadyRegistered, .outsideTerritory,
             .directAccount, .blockedAccount, .partnerCapReached, .unknownPartner, .reregistrationTooSoon: return .declined
        }
    }

    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One reason that applies to a row, with the sentence the partner reads.
public struct Finding: Equatable, Sendable {
    public var code: ReasonCode
    /// A partner-facing sentence that says what to do; never names another partner or deal.
    /// English, as internal files and the ledger keep it; `message(in:)` gives the partner's language.
    public var message: String
    /// The sentence as a catalogue key and values (`PartnerText`), when it has one.
    public var sentence: Sentence?
    /// The canonical column the finding is about, if any.
    public var field: String?
    /// The id of the rule that found it (POLICY.md), e.g. "intake.invalid_value", "territory.outside".
    public var rule: String
    /// The decision this finding leads to; the code's own unless the policy says otherwise.
    public var decision: Decision

    public init(code: ReasonCode, message: String, field: String? = nil, rule: String? = nil, decision: Decision? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.rule = rule ?? "intake.\(code.rawValue)"
        self.decision = decision ?? code.decision
    }

    /// A finding whose sentence comes from the catalogue, so the partner reads it in their language.
    public init(code: ReasonCode, sentence: Sentence, field: String? = nil, rule: String? = nil, decision: Decision? = nil) {
        self.init(code: code, message: sentence.text(in: .english), field: field, rule: rule, decision: decision)
        self.sentence = sentence
    }

    /// The sentence in `language` (the English message when it has no catalogue key).
    public func message(in language: PartnerLanguage) -> String {
        sentence?.text(in: language) ?? message
    }
}

extension Decision {
    /// The decision that follows from a row's findings: the strongest reason's
    /// decision, or approved when there is none.
    public init(strongestOf findings: [Finding]) {
        self = findings.map(\.decision).max { $0.strength < $1.strength } ?? .approved
    }
}

/// How a row is handled: approved without a person, sent to a person, or held because it conflicts.
public enum Triage: String, Sendable, CaseIterable {
    case autoApproved = "AUTO_APPROVED"
    case needsReview = "NEEDS_REVIEW"
    case flaggedConflict = "FLAGGED_CONFLICT"

    /// Reasons that mean another claim on the account exists.
    public static let conflictCodes: Set<ReasonCode> = [
        .duplicateExistingDeal, .duplicateInBatch, .possibleDuplicate, .alreadyRegistered, .directAccount,
        .blockedAccount, .existingCustomer, .reregistrationTooSoon,
    ]

    /// AUTO_APPROVED for approved rows, FLAGGED_CONFLICT for rows with a conflict reason, NEEDS_REVIEW otherwise.
    public init(decision: Decision, findings: [Finding]) {
        if decision == .approved {
            self = .autoApproved
        } else if findings.contains(where: { Self.conflictCodes.contains($0.code) }) {
            self = .flaggedConflict
        } else {
            self = .needsReview
        }
    }
}
