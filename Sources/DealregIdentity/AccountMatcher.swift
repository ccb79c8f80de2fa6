/// What identifies an account for duplicate detection.
public struct AccountIdentity: Sendable, Equatable {
    /// `CompanyNameKeyer` key of the account name ("" when there is none).
    public var nameKey: String
    /// Normalized web domain, if known.
    public var domain: String?
    /// ISO 3166-1 alpha-2 country, if known.
    public var country: String?

    public init(nameKey: String, domain: String?, country: String?) {
        self.nameKey = nameKey
        self.domain = domain
        self.country = country
    }

    /// True when the identity has something to match on.
    public var isUsable: Bool { !nameKey.isEmpty || domain != nil }
}

/// A candidate duplicate with its score and a sentence explaining it.
public struct AccountMatch: Sendable, Equatable {
    /// Index of the matched entry, in the order entries were added.
    public let entry: Int
    /// 0-100.
    public let score: Int
    /// For channel managers, e.g. "same web domain fourthcoffee.com".
    public let evidence: String
}

/// Finds accounts already known by exact normalized domain or name, through
/// hash indexes (never a scan).
///
/// Equal names in conflicting countries are only a review candidate (score 75).
public struct AccountMatcher: Sendable {
    private var identities: [AccountIdentity] = []
    private var byName: [String: [Int]] = [:]
    private var byDomain: [String: [Int]] = [:]

    public init() {}

    public var count: Int { identities.count }

    /// Adds an account; returns its entry index.
    @discardableResult
    public mutating func add(_ identity: AccountIdentity) -> Int {
        let entry = identities.count
        identities.append(identity)
        if !identity.nameKey.isEmpty { byName[identity.nameKey, default: []].append(entry) }
        if let domain = identity.domain { byDomain[domain, default: []].append(entry) }
        return entry
    }

    /// The highest-scoring entry accepted by `filter`; ties go to the earliest entry.
    public func bestMatch(for identity: AccountIdentity, where filter: (Int) -> Bool = { _ in true }) -> AccountMatch? {
        var best: AccountMatch?
        func consider(_ match: AccountMatch) {
            guard filter(match.entry) else { return }
            if best == nil || match.score > best!.score || (match.score == best!.score && match.entry < best!.entry) {
                best = match
            }
        }
        if let domain = identity.domain {
            for entry in byDomain[domain] ?? [] {
                consider(AccountMatch(entry: entry, score: 100, evidence: "same web domain \(domain)"))
            }
        }
        if !identity.nameKey.isEmpty {
            for entry in byName[identity.nameKey] ?? [] {
                let other = identities[entry].country
                if let mine = identity.country, let other, mine != other {
                    consider(AccountMatch(entry: entry, score: 75,
                                          evidence: "same name '\(identity.nameKey)' but country \(mine) vs \(other)"))
                } else {
                    consider(AccountMatch(entry: entry, score: 100, evidence: "same name '\(identity.nameKey)'"))
                }
            }
        }
        return best
    }
}
