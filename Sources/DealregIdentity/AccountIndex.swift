#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A candidate duplicate with its score and an explanation a channel manager can read.
public struct AccountMatch: Sendable, Equatable {
    /// Index of the matched entry, in the order entries were added.
    public let entry: Int
    /// 0-100.
    public let score: Int
    /// e.g. "same registrable domain fourthcoffee.com; name 100: 'fourth coffee' = 'fourth coffee'".
    public let evidence: String
}

/// Finds accounts that may be the same company, without comparing all pairs.
///
/// Blocking: exact maps for the registrable domain and every name key, an
/// inverted index of name tokens (only the query's rarest tokens are looked
/// up), and prefix/suffix blocks that let one-letter typos in long tokens meet.
/// Scoring: IDF-weighted token agreement (generic words such as "group" or
/// "international" weigh little, by their frequency here and a prior list)
/// blended with Jaro-Winkler on the condensed names, then domain, country,
/// city, postcode and phone agreement or conflict. See `score(_:_:)`.
public struct AccountIndex: Sendable {
    public private(set) var entries: [AccountIdentity] = []
    private var exact: [String: [Int32]] = [:]
    private var postings: [String: [Int32]] = [:]
    private var typoBlocks: [String: [Int32]] = [:]

    /// The rarest token's postings are scanned up to this length.
    static let maxPostingScan = 1_000
    /// Further tokens are scanned only when they are this rare.
    static let maxSecondaryPosting = 100
    /// Typo blocks longer than this are skipped: they would add candidates, not recall.
    static let maxTypoBlock = 300

    public init() {}

    public var count: Int { entries.count }

    /// Adds an account; returns its entry index.
    @discardableResult
    public mutating func add(_ identity: AccountIdentity) -> Int {
        let entry = entries.count
        let id = Int32(entry)
        entries.append(identity)
        for key in Self.exactKeys(identity) { exact[key, default: []].append(id) }
        for token in Set(identity.name.tokens) {
            postings[token, default: []].append(id)
            for block in Self.typoBlockKeys(token) { typoBlocks[block, default: []].append(id) }
        }
        return entry
    }

    /// The highest-scoring entry accepted by `filter`, if any scores at least `minimumScore`.
    /// Ties go to the earliest entry.
    ///
    /// - Parameter countryConflictCap: the most a pair whose countries differ may score
    ///   (keep it below the duplicate threshold: equal names in different countries are a review case).
    /// - Complexity: proportional to the candidates blocking finds, never to the index size.
    public func bestMatch(for query: AccountIdentity, minimumScore: Int = 1, countryConflictCap: Int = 89,
                          where filter: (Int) -> Bool = { _ in true }) -> AccountMatch? {
        Self.best(of: matches(for: query, countryConflictCap: countryConflictCap), minimumScore: minimumScore, where: filter)
    }

    /// Every candidate blocking finds, scored, in entry order: score once, then pick with `best(of:)`.
    public func matches(for query: AccountIdentity, countryConflictCap: Int = 89) -> [AccountMatch] {
        candidates(for: query).map { score(query, $0, countryConflictCap: countryConflictCap) }
    }

    /// The highest-scoring match accepted by `filter` with at least `minimumScore`; ties go to the earliest entry.
    public static func best(of matches: [AccountMatch], minimumScore: Int = 1, where filter: (Int) -> Bool = { _ in true }) -> AccountMatch? {
        var best: AccountMatch?
        for match in matches where match.score >= minimumScore && filter(match.entry) {
            if best == nil || match.score > best!.score { best = match }
        }
        return best
    }

    /// Scores the query against one entry, whether or not blocking would find it.
    public func compare(_ query: AccountIdentity, with entry: Int, countryConflictCap: Int = 89) -> AccountMatch {
        score(query, entry, countryConflictCap: countryConflictCap)
    }

    // MARK: - Blocking

    static func exactKeys(_ identity: AccountIdentity) -> [String] {
        var keys: [String] = []
        let name = identity.name
        if let domain = identity.domain {
            keys.append("d:" + domain)
            if let label = identity.domainLabel, label.count >= 4 { keys.append("l:" + label) }
        }
        if name.condensedKey.count >= 3 || name.tokens.count >= 2 {
            keys.append("c:" + name.condensedKey)
            keys.append("s:" + name.sortedKey)
        }
        if let german = name.germanKey, german.count >= 3 { keys.append("c:" + german) }
        if name.nativeKey.count >= 2 && !name.nativeKey.utf8.allSatisfy({ $0 < 0x80 }) { keys.append("n:" + name.nativeKey) }
        if name.confusableKey.count >= 3 { keys.append("k:" + name.confusableKey) }
        return keys
    }

    /// Blocks that let a token meet its one-edit neighbours: the first and last four
    /// letters, and for short tokens the first three ("adautm" meets "adatum").
    static func typoBlockKeys(_ token: String) -> [String] {
        guard token.count >= 4 else { return [] }
        var keys = ["p:" + token.prefix(4), "s:" + token.suffix(4)]
        if token.count <= 7 { keys.append("3:" + token.prefix(3)) }
        return keys
    }

    /// Entries blocking finds for the query, ascending.
    public func candidates(for query: AccountIdentity) -> [Int] {
        var found = Set<Int32>()
        for key in Self.exactKeys(query) { found.formUnion(exact[key] ?? []) }
        let tokens = Set(query.name.tokens).sorted { (postings[$0]?.count ?? 0, $0) < (postings[$1]?.count ?? 0, $1) }
        var looked = 0
        for token in tokens where looked < 3 {
            guard let list = postings[token] else { continue }
            if looked > 0 && list.count > Self.maxSecondaryPosting { break }
            found.formUnion(list.prefix(Self.maxPostingScan))
            looked += 1
        }
        for token in tokens.prefix(2) {
            for block in Self.typoBlockKeys(token) {
                if let list = typoBlocks[block], list.count <= Self.maxTypoBlock { found.formUnion(list) }
            }
        }
        return found.map(Int.init).sorted()
    }

    // MARK: - Scoring

    /// Inverse document frequency of a token here, times its prior (generic words weigh less).
    func weight(_ token: String) -> Double {
        let documents = Double(max(entries.count, 1))
        let frequency = Double(postings[token]?.count ?? 0)
        let idf = log((documents + 1) / (frequency + 1)) + 1
        return idf * TokenPriors.weight(token)
    }

    /// Scores one candidate. Name similarity (0-1) gives the base; then
    /// same registrable domain lifts to at least 92 (plus up to 8 for name agreement);
    /// different domains (different labels) cost 15; same country +2, different
    /// country caps at `countryConflictCap`; same city +2, postcode +4, phone +6.
    func score(_ query: AccountIdentity, _ entry: Int, countryConflictCap: Int) -> AccountMatch {
        let other = entries[entry]
        let name = NameComparison(query.name, other.name, weight: weight)
        var score = 100 * name.similarity
        var evidence: [String] = []
        if let a = query.domain, let b = other.domain {
            if a == b {
                score = max(score, 92) + 8 * name.similarity
                evidence.append("same registrable domain \(a)")
            } else if query.domainLabel == other.domainLabel {
                evidence.append("same domain name '\(query.domainLabel!)' under different suffixes (\(a), \(b))")
            } else {
                score -= 15
                evidence.append("different domains \(a) vs \(b)")
            }
        }
        evidence.append(name.explanation)
        if let a = query.city, let b = other.city, a == b { score += 2; evidence.append("same city") }
        if let a = query.postalCode, let b = other.postalCode, a == b { score += 4; evidence.append("same postal code \(a)") }
        if let a = query.phone, let b = other.phone, a == b { score += 6; evidence.append("same phone \(a)") }
        if let a = query.country, let b = other.country {
            if a == b {
                score += 2
            } else {
                score = min(score, Double(countryConflictCap))
                evidence.append("countries differ (\(a) vs \(b))")
            }
        }
        let rounded = Int(max(0, min(100, score)).rounded())
        return AccountMatch(entry: entry, score: rounded, evidence: evidence.joined(separator: "; "))
    }
}

/// How alike two names are, with the reason.
struct NameComparison {
    let similarity: Double
    let explanation: String

    init(_ a: CompanyName, _ b: CompanyName, weight: (String) -> Double) {
        let shown = "'\(a.latinKey)' vs '\(b.latinKey)'"
        if let key = Self.equalKey(a, b) {
            similarity = 1
            explanation = "name 100: \(shown) (same \(key))"
            return
        }
        let tokensA = Array(Set(a.tokens)), tokensB = Array(Set(b.tokens))
        var matchedWeight = 0.0
        var matchedDistinctive = false
        var unmatchedA = 0, unmatchedB = Set(tokensB)
        for token in tokensA {
            let w = weight(token)
            if tokensB.contains(token) {
                matchedWeight += w
                unmatchedB.remove(token)
                if !TokenPriors.isGeneric(token) { matchedDistinctive = true }
            } else if let near = tokensB.first(where: { Self.isNearMiss(token, $0) }) {
                // A near spelling is not assumed to be a typo: partial credit only, enough for review.
                matchedWeight += 0.65 * (w + weight(near)) / 2
                unmatchedB.remove(near)
                if !TokenPriors.isGeneric(token) { matchedDistinctive = true }
            } else {
                unmatchedA += 1
            }
        }
        let total = tokensA.reduce(0) { $0 + weight($1) } + tokensB.reduce(0) { $0 + weight($1) }
        var tokenScore = total > 0 ? 2 * matchedWeight / total : 0
        // Each side has words the other lacks: different distinguishing words (Toyota Motor / Toyota Industries).
        if unmatchedA > 0 && !unmatchedB.isEmpty { tokenScore *= 0.8 }
        let characterScore = jaroWinkler(a.condensedKey, b.condensedKey)
        var value = 0.8 * tokenScore + 0.2 * characterScore
        // Generic words never carry a match alone.
        if !matchedDistinctive { value = min(value, 0.5) }
        similarity = value
        explanation = "name \(Int((100 * value).rounded())): \(shown)"
    }

    static func equalKey(_ a: CompanyName, _ b: CompanyName) -> String? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let longEnough = a.condensedKey.count >= 3 || a.tokens.count >= 2
        if longEnough && a.condensedKey == b.condensedKey { return "name key" }
        if longEnough && a.sortedKey == b.sortedKey { return "words in another order" }
        if let g = a.germanKey, g == b.condensedKey || g == b.germanKey { return "name with ä=ae" }
        if let g = b.germanKey, g == a.condensedKey { return "name with ä=ae" }
        if !a.nativeKey.utf8.allSatisfy({ $0 < 0x80 }) && a.nativeKey == b.nativeKey { return "native-script name" }
        if a.confusableKey.count >= 3 && a.confusableKey == b.confusableKey { return "name after look-alike letters" }
        return nil
    }

    /// Tokens of four letters or more one edit apart ("fabrikam"/"fabrikham",
    /// "house"/"houes"), or long ones spelled alike by Jaro-Winkler ("yandex"/"yandeks"
    /// from transliteration). Digits never count as a near miss ("3m"/"5m").
    static func isNearMiss(_ a: String, _ b: String) -> Bool {
        guard a.count >= 4 && b.count >= 4, !a.contains(where: \.isNumber), !b.contains(where: \.isNumber) else { return false }
        return editDistance(a, b, limit: 1) <= 1 || (min(a.count, b.count) >= 6 && jaroWinkler(a, b) >= 0.9)
    }
}

/// Prior weights for words that say little about which company is meant.
public enum TokenPriors {
    /// Words that appear in many unrelated company names.
    public static let generic: Set<String> = [
        "group", "groupe", "gruppe", "grupo", "gruppo", "holding", "international", "global",
        "technology", "solution", "service", "system", "laboratories", "pharmaceuticals", "center", "product",
        "industries", "industry", "industrial", "bank", "banco", "banque", "trading", "consulting", "partners",
        "enterprises", "enterprise", "management", "capital", "company", "corporation", "energy", "health",
        "healthcare", "insurance", "financial", "finance", "software", "networks", "network", "media",
        "communications", "logistics", "foods", "food", "pharma", "electric", "electronics", "motor", "motors",
        "airlines", "express", "national", "general", "united", "american", "america", "european", "europe",
        "asia", "pacific", "north", "south", "east", "west", "new", "first", "city", "digital", "data", "labs",
        "ventures", "investments", "investment", "properties", "realty", "construction", "manufacturing",
        "products", "retail", "store", "stores", "shop", "direct", "world", "worldwide", "trust", "securities",
        "deutsche", "german", "germany", "french", "france", "british", "japan", "japanese", "china", "chinese",
        "korea", "india", "canada", "australia", "usa", "us", "uk",
    ]

    /// Words that carry almost nothing.
    public static let stopwords: Set<String> = [
        "and", "of", "the", "de", "la", "le", "el", "der", "die", "das", "und", "et", "y", "du", "des", "del", "for",
        "da", "do", "di", "van", "von", "at", "a",
    ]

    public static func isGeneric(_ token: String) -> Bool {
        generic.contains(token) || stopwords.contains(token) || token.count == 1
    }

    static func weight(_ token: String) -> Double {
        if stopwords.contains(token) { return 0.1 }
        if token.count == 1 { return 0.3 }
        if generic.contains(token) { return 0.35 }
        return 1
    }
}
