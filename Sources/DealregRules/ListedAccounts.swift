import DealregIdentity
import DealregPolicy

/// A policy's list of named accounts (direct-reserved or blocked), indexed for matching: the
/// values the rules read. Loading the file is the caller's (DealregKit's `AccountList.load`).
public struct ListedAccounts: Sendable {
    public let path: String
    /// Entry `i` of the index is the account on `lines[i]`.
    public private(set) var index = AccountIndex()
    public private(set) var lines: [Int] = []
    public private(set) var notes: [String?] = []

    public init(path: String) { self.path = path }

    /// Adds one usable account, listed on `line` with an optional note.
    public mutating func add(_ identity: AccountIdentity, line: Int, note: String?) {
        index.add(identity)
        lines.append(line)
        notes.append(note)
    }
}

/// What the rules need to know of a partner: who it is, its tier, territories and cap.
public struct PartnerTerms: Sendable, Equatable {
    public var id: String
    public var tier: String?
    /// ISO 3166-1 alpha-2 countries or ISO 3166-2 subdivisions; empty means unrestricted.
    public var territories: [String]
    /// Overrides the policy's cap on active registrations.
    public var maxActive: Int?

    public init(id: String, tier: String? = nil, territories: [String] = [], maxActive: Int? = nil) {
        self.id = id; self.tier = tier; self.territories = territories; self.maxActive = maxActive
    }

    /// A partner id as compared: trimmed, upper case.
    public static func key(_ id: String) -> String { id.trimmingWhitespace().uppercased() }
    public var key: String { Self.key(id) }
}

/// An account already held when a claim is decided: a snapshot deal or an earlier claim (of
/// this batch or the ledger), as the duplicate rules need it.
public struct HeldAccount: Sendable, Equatable {
    public enum Holder: Sendable, Equatable {
        /// A partner's snapshot deal (registered, open or under review in the CRM).
        case partnerDeal(partnerID: String?)
        /// A deal of the direct sales team.
        case directDeal
        /// A claim decided earlier: `file` and `row` say where (shown to its own partner only).
        case claim(partnerID: String, file: String, row: Int)
    }

    public var holder: Holder
    public var expiresOn: Day?
    /// Still waiting for a reviewer: a possible duplicate, never a certain one.
    public var underReview: Bool

    public init(holder: Holder, expiresOn: Day?, underReview: Bool) {
        self.holder = holder; self.expiresOn = expiresOn; self.underReview = underReview
    }
}
