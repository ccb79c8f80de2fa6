#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Dispatch
import Synchronization

/// A candidate duplicate with its score and an explanation a channel manager can read.
public struct AccountMatch: Sendable, Equatable {
    /// Index of the matched entry, in the order entries were added.
    public let entry: Int
    /// 0-100.
    public let score: Int
    /// e.g. "same registrable domain fourthcoffee.com; name 100: 'fourth coffee' = 'fourth coffee'".
    public let evidence: String
}

/// A candidate's score without its explanation: what matching many rows needs.
public struct ScoredEntry: Sendable, Equatable {
    public let entry: Int
    public let score: Int
    /// The name's comparison level (`MatchField.name`): whether the names share a distinctive word.
    public let nameLevel: UInt8
    /// A policy rule held the score down (another country or site with nothing tying the two):
    /// the rule has said it is another account, so it leaves no doubt to weigh.
    public let capped: Bool
    /// The model's log-odds before any cap: breaks ties between equal scores by the stronger
    /// evidence (two sites of a chain both at 99 %, one agreeing on the address and phone).
    public let logOdds: Float

    public init(entry: Int, score: Int, nameLevel: UInt8 = 0, capped: Bool = false, logOdds: Float = 0) {
        self.entry = entry
        self.score = score
        self.nameLevel = nameLevel
        self.capped = capped
        self.logOdds = logOdds
    }

    /// Whether this candidate is a better match than `other`: a higher score, then stronger evidence.
    public func beats(_ other: ScoredEntry) -> Bool {
        (score, logOdds) > (other.score, other.logOdds)
    }
}

/// Finds accounts that may be the same company, without comparing all pairs.
///
/// Blocking: exact keys for the registrable domain and every name key, an
/// inverted index of name tokens (only the query's rarest distinctive tokens
/// are looked up), and a symmetric-deletion index of the token vocabulary, so a token
/// meets the tokens one typo away ("fabrikam"/"fabrikham", "adatum"/"adautm")
/// without scanning, plus a spelling key for transliteration variants ("yandex"/"yandeks"). Keys are 64-bit hashes in flat tables: no allocation per key.
///
/// Scoring: IDF-weighted token agreement (generic words such as "group" or
/// "international" weigh little, by their frequency and a prior list)
/// blended with Jaro-Winkler on the condensed names, then domain, country,
/// city, postcode and phone agreement or conflict. See `ScoreRules` for the policy caps on top.
/// Scores are numbers only; `explain` writes the evidence for the matches shown.
///
/// Reading is thread-safe (a value type); adding is not.
public struct AccountIndex: Sendable {
    public private(set) var entries: [AccountIdentity] = []
    private var exact = KeyMultimap()
    private var vocabulary = TokenVocabulary()
    private var postings: [[Int32]] = []
    private var neighbours = KeyMultimap()
    private var entryTokens: [Int32] = []
    private var entryTokenStarts: [Int32] = [0]
    private var condensed: [UInt32] = []
    private var condensedStarts: [Int32] = [0]
    private var statistics: TokenStatistics?
    /// By token id: a word many different names hold ("electronic", "shenzhen" in a registry of
    /// Chinese vendors), learned by `learnDescriptors()`: it describes a company, it does not name one.
    private var descriptor: [Bool] = []

    /// The rarest token's postings are scanned up to this length.
    static let maxPostingScan = 1_000
    /// A rarest token held by more entries than this (a family's brand) yields only this many
    /// candidates: those sharing the most of the query's words.
    static let rankedPostingLength = 150
    /// Further tokens are scanned only when they are this rare.
    static let maxSecondaryPosting = 100
    /// A typo neighbour's postings longer than this are skipped: they would add candidates, not recall.
    static let maxTypoBlock = 300
    /// Words shorter than this one letter apart are different words ("rako"/"tako", "bram"/"bran"),
    /// not typos: too many real names lie one letter apart.
    static let minimumTypoLength = 5
    /// How often two different companies' names meet at each level, before a snapshot is
    /// measured; worth `priorNamePairs` pairs against the snapshot's own counts.
    static let priorNameU: [Double] = [0, 0.997, 2e-3, 1e-4, 3e-5, 2e-5, 1e-5, 1e-5]
    static let priorNamePairs = 1e5
    /// Name levels at and above which a query counts at most one pair when `u` is measured.
    static let onceCountedNameLevel = 4
    /// Pseudo-pairs of typical rarity pooled into each name level's mean rarity.
    static let rarityPriorPairs = 5.0
    /// Share of a word's weight a near spelling earns. Tried and dropped: more for long words (1 −
    /// 1.5/length), which declined 556 more new accounts on the generated 1M world, whose distinct
    /// names often lie one letter apart, for 2 rows gained on hwvendors-dev (BENCHMARKS.md).
    static let nearMissCredit = 0.65
    /// Share of a word's weight an abbreviation of it earns.
    static let abbreviationCredit = 0.9
    /// Entries holding a word for it to count as common (one an abbreviation may stand for).
    static let commonWordEntries = 3
    /// A descriptor ("semiconductor") is held by at least one entry in this many (0.4 %), and by
    /// `commonWordMinimumEntries` at least; a brand is held by its own family only.
    static let commonWordShareDivisor = 250
    static let commonWordMinimumEntries = 5
    /// Words shorter than this are never common descriptors.
    static let minimumCommonWordLength = 3

    /// An index that weighs tokens by their frequency among its own entries.
    public init() {}

    /// An index that weighs tokens by their frequency in `reference` (frozen as it is now),
    /// so scores against it do not depend on what was added here, or in what order.
    public init(tokenStatisticsFrom reference: AccountIndex) {
        statistics = TokenStatistics(reference)
    }

    public var count: Int { entries.count }

    /// Adds an account; returns its entry index.
    @discardableResult
    public mutating func add(_ identity: AccountIdentity) -> Int {
        let entry = entries.count
        let id = Int32(entry)
        entries.append(identity)
        for key in Self.indexKeys(identity) { exact.insert(key, id) }
        for token in Self.uniqueTokens(identity.name) {
            let (tokenID, isNew) = vocabulary.intern(token)
            if isNew {
                postings.append([])
                descriptor.append(statistics?.isDescriptor(token) ?? false)
                statistics?.intern(token)
                if vocabulary.typoEligible[Int(tokenID)] {
                    for key in vocabulary.withScalars(tokenID, TokenVocabulary.deletionKeys) { neighbours.insert(key, tokenID) }
                    if let key = TokenVocabulary.spellingKey(token) { neighbours.insert(key, tokenID) }
                }
            }
            postings[Int(tokenID)].append(id)
            entryTokens.append(tokenID)
        }
        entryTokenStarts.append(Int32(entryTokens.count))
        condensed.append(contentsOf: identity.name.condensedKey.unicodeScalars.lazy.map(\.value))
        condensedStarts.append(Int32(condensed.count))
        return entry
    }

    /// Learns which words are descriptors: held by `commonWordThreshold` entries or more with as
    /// many different names (a brand's many deals share one or a few names; a descriptor's
    /// entries are all different companies). Call once the entries are added; an index that
    /// borrows token statistics borrows its reference's descriptors instead.
    public mutating func learnDescriptors() {
        guard statistics == nil else { return }
        let threshold = commonWordThreshold
        for id in 0..<vocabulary.count {
            descriptor[id] = false
            guard !vocabulary.generic[id], postings[id].count >= threshold else { continue }
            var names = Set<UInt64>()
            for entry in postings[id] {
                let start = Int(condensedStarts[Int(entry)]), end = Int(condensedStarts[Int(entry) + 1])
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for scalar in condensed[start..<end] { hash = (hash ^ UInt64(scalar)) &* 0x100_0000_01b3 }
                names.insert(hash)
                if names.count >= threshold { break }
            }
            descriptor[id] = names.count >= threshold
        }
    }

    /// Whether the token is a learned descriptor of this index (see `learnDescriptors()`).
    func isDescriptor(_ token: String) -> Bool {
        vocabulary.id(token).map { descriptor[Int($0)] } ?? false
    }

    /// The highest-scoring entry accepted by `filter`, if any scores at least `minimumScore`,
    /// with its evidence. Ties go to the earliest entry.
    ///
    /// - Parameter model: the match model; by default one estimated from this index.
    /// - Parameter rules: the policy's caps (another country, another site) on top of the model.
    /// - Complexity: proportional to the candidates blocking finds, never to the index size.
    public func bestMatch(for query: AccountIdentity, model: MatchModel? = nil, minimumScore: Int = 1, rules: ScoreRules = .standard,
                          where filter: (Int) -> Bool = { _ in true }) -> AccountMatch? {
        let model = model ?? estimateModel()
        let scored = scores(for: query, model: model, rules: rules)
        return Self.best(of: scored, minimumScore: minimumScore, where: filter).map {
            explain(query, entry: $0.entry, model: model, rules: rules)
        }
    }

    /// Every candidate blocking finds, scored, in entry order: score once, pick with `best(of:)`,
    /// then `explain` the one shown.
    public func scores(for query: AccountIdentity, model: MatchModel, rules: ScoreRules = .standard) -> [ScoredEntry] {
        Self.scored(comparisons(for: query), model: model, rules: rules)
    }

    /// Comparisons scored by `model`, in the order given.
    public static func scored(_ comparisons: [(entry: Int, vector: ComparisonVector)], model: MatchModel,
                              rules: ScoreRules) -> [ScoredEntry] {
        comparisons.map {
            let scored = rules.score($0.vector, model: model)
            return ScoredEntry(entry: $0.entry, score: scored.score, nameLevel: $0.vector[.name], capped: scored.cap != nil,
                               logOdds: Float(model.logOdds(scored.vector)))
        }
    }

    /// Every candidate blocking finds with its comparison vector, in entry order.
    public func comparisons(for query: AccountIdentity) -> [(entry: Int, vector: ComparisonVector)] {
        let prepared = prepare(query)
        return candidates(prepared).map { (Int($0), compare(prepared, Int($0))) }
    }

    /// The highest-scoring entry accepted by `filter` with at least `minimumScore`, the stronger
    /// evidence among equal scores; full ties go to the earliest entry.
    public static func best(of scored: [ScoredEntry], minimumScore: Int = 1, where filter: (Int) -> Bool = { _ in true }) -> ScoredEntry? {
        var best: ScoredEntry?
        for candidate in scored where candidate.score >= minimumScore && filter(candidate.entry) {
            if best == nil || candidate.beats(best!) { best = candidate }
        }
        return best
    }

    /// Compares the query with one entry, whether or not blocking would find it.
    public func compare(_ query: AccountIdentity, entry: Int) -> ComparisonVector {
        compare(prepare(query), entry)
    }

    /// Scores the query against one entry, whether or not blocking would find it, with the evidence.
    public func explain(_ query: AccountIdentity, entry: Int, model: MatchModel, rules: ScoreRules = .standard) -> AccountMatch {
        let explanation = explanation(query, entry: entry, model: model, rules: rules)
        return AccountMatch(entry: entry, score: explanation.score, evidence: explanation.text)
    }

    /// The evidence for and against one entry, as data.
    public func explanation(_ query: AccountIdentity, entry: Int, model: MatchModel, rules: ScoreRules = .standard) -> MatchExplanation {
        let scored = rules.score(compare(query, entry: entry), model: model)
        return MatchExplanation(query: query, entry: entries[entry], vector: scored.vector, model: model,
                                score: scored.score, cap: scored.cap)
    }

    /// Entries blocking finds for the query, ascending.
    public func candidates(for query: AccountIdentity) -> [Int] {
        candidates(prepare(query)).map(Int.init)
    }

    // MARK: - Blocking

    private static let kindDomain = UInt8(ascii: "d"), kindLabel = UInt8(ascii: "l"), kindCondensed = UInt8(ascii: "c"),
                       kindSorted = UInt8(ascii: "s"), kindNative = UInt8(ascii: "n"), kindConfusable = UInt8(ascii: "k"),
                       kindSingular = UInt8(ascii: "p")

    /// The sorted key with every word of five letters or more ending in "s" read without it, as
    /// `isPluralTwin` pairs words: names of common words alone ("First International Computers")
    /// meet their singular spelling through it, as they are never looked up by word.
    static func singularKey(_ name: CompanyName) -> String {
        Set(name.tokens.map { $0.count >= 5 && $0.hasSuffix("s") ? String($0.dropLast()) : $0 }).sorted().joined(separator: " ")
    }

    /// Keys an entry is indexed under: the exact keys, and the singular key where it differs.
    static func indexKeys(_ identity: AccountIdentity) -> [UInt64] {
        var keys = exactKeys(identity)
        let name = identity.name
        if name.tokens.count >= 2 {
            let singular = singularKey(name)
            if singular != name.sortedKey { keys.append(BlockingKey.hash(kindSingular, singular)) }
        }
        return keys
    }

    /// Keys a query looks up: the exact keys, and its singular key among entries' singular and sorted keys.
    static func lookupKeys(_ identity: AccountIdentity) -> [UInt64] {
        var keys = exactKeys(identity)
        let name = identity.name
        if name.tokens.count >= 2 {
            let singular = singularKey(name)
            keys.append(BlockingKey.hash(kindSingular, singular))
            if singular != name.sortedKey { keys.append(BlockingKey.hash(kindSorted, singular)) }
        }
        return keys
    }

    static func exactKeys(_ identity: AccountIdentity) -> [UInt64] {
        var keys: [UInt64] = []
        let name = identity.name
        if let domain = identity.domain, !identity.domainIsFreeMail {
            keys.append(BlockingKey.hash(kindDomain, domain))
            if let label = identity.domainLabel, label.count >= 4 { keys.append(BlockingKey.hash(kindLabel, label)) }
        }
        if name.condensedKey.count >= 3 || name.tokens.count >= 2 {
            keys.append(BlockingKey.hash(kindCondensed, name.condensedKey))
            keys.append(BlockingKey.hash(kindSorted, name.sortedKey))
        }
        if let german = name.germanKey, german.count >= 3 { keys.append(BlockingKey.hash(kindCondensed, german)) }
        if let primary = name.primaryKey { keys.append(BlockingKey.hash(kindCondensed, primary)) }
        if name.nativeKey.count >= 2 && !name.nativeKey.utf8.allSatisfy({ $0 < 0x80 }) {
            keys.append(BlockingKey.hash(kindNative, name.nativeKey))
        }
        if name.confusableKey.count >= 3 { keys.append(BlockingKey.hash(kindConfusable, name.confusableKey)) }
        return keys
    }

    /// Tokens in first-seen order, each once.
    static func uniqueTokens(_ name: CompanyName) -> [String] {
        var seen = Set<String>()
        return name.tokens.filter { seen.insert($0).inserted }
    }

    private func candidates(_ query: PreparedQuery) -> [Int32] {
        var found: [Int32] = []
        for key in Self.lookupKeys(query.identity) { exact.forEach(key) { found.append($0) } }
        let byRarity = query.tokens.indices.sorted {
            (postingCount(query.tokens[$0].id), query.tokens[$0].text) < (postingCount(query.tokens[$1].id), query.tokens[$1].text)
        }
        var looked = 0
        // Generic words are never looked up: they cannot carry a match alone (see `nameSimilarity`),
        // and equal all-generic names meet through the exact keys.
        for position in byRarity where looked < 3 && !query.tokens[position].generic {
            guard let id = query.tokens[position].id else { continue }
            let list = postings[Int(id)]
            if looked > 0 && list.count > Self.maxSecondaryPosting { break }
            if list.count > Self.rankedPostingLength {
                // A family's brand held by many deals: only those sharing most of the query's
                // words are compared; the rest share the brand alone (a website would have found
                // its own account through the exact keys).
                found.append(contentsOf: mostSharing(list.prefix(Self.maxPostingScan), query, keep: Self.rankedPostingLength))
            } else {
                found.append(contentsOf: list)
            }
            looked += 1
        }
        for position in byRarity.prefix(2) where query.tokens[position].typoEligible {
            let token = query.tokens[position]
            var keys = token.scalars.withUnsafeBufferPointer(TokenVocabulary.deletionKeys)
            if let key = TokenVocabulary.spellingKey(token.text) { keys.append(key) }
            for key in keys {
                neighbours.forEach(key) { neighbour in
                    guard neighbour != token.id, postings[Int(neighbour)].count <= Self.maxTypoBlock,
                          isNearMiss(token, neighbour) else { return }
                    found.append(contentsOf: postings[Int(neighbour)])
                }
            }
        }
        found.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(found.count)
        for entry in found where unique.last != entry { unique.append(entry) }
        return unique
    }

    private func postingCount(_ id: Int32?) -> Int { id.map { postings[Int($0)].count } ?? 0 }

    /// The `keep` entries of `list` sharing the most query-word weight (ties: the earlier entry).
    private func mostSharing(_ list: ArraySlice<Int32>, _ query: PreparedQuery, keep: Int) -> [Int32] {
        var ranked: [(weight: Double, entry: Int32)] = []
        ranked.reserveCapacity(list.count)
        for entry in list {
            var shared = 0.0
            for position in Int(entryTokenStarts[Int(entry)])..<Int(entryTokenStarts[Int(entry) + 1]) {
                let id = entryTokens[position]
                for token in query.tokens where token.id == id { shared += token.weight }
            }
            ranked.append((shared, entry))
        }
        ranked.sort { ($0.weight, -$0.entry) > ($1.weight, -$1.entry) }
        return ranked.prefix(keep).map(\.entry)
    }

    /// How many entries have the token.
    func frequency(of token: String) -> Int { postingCount(vocabulary.id(token)) }

    // MARK: - Scoring

    /// A query with its tokens looked up and weighed once, however many candidates it meets.
    private struct PreparedQuery {
        struct Token {
            let text: String
            let id: Int32?
            let weight: Double
            let generic: Bool
            /// A learned descriptor of the index: not distinctive, but not generic for weighting either.
            let descriptor: Bool
            let typoEligible: Bool
            let scalars: [UInt32]
        }
        let identity: AccountIdentity
        let tokens: [Token]
        let totalWeight: Double
        let condensed: [UInt32]
    }

    private func prepare(_ query: AccountIdentity) -> PreparedQuery {
        let tokens = Self.uniqueTokens(query.name).map { text in
            let id = vocabulary.id(text)
            return PreparedQuery.Token(text: text, id: id, weight: weight(text, id: id), generic: TokenPriors.isGeneric(text),
                                       descriptor: id.map { descriptor[Int($0)] } ?? statistics?.isDescriptor(text) ?? false,
                                       typoEligible: TokenVocabulary.isTypoEligible(text), scalars: text.unicodeScalars.map(\.value))
        }
        return PreparedQuery(identity: query, tokens: tokens, totalWeight: tokens.reduce(0) { $0 + $1.weight },
                             condensed: query.name.condensedKey.unicodeScalars.map(\.value))
    }

    /// A query token's weight: an indexed token's, else that of a token this index has never seen.
    private func weight(_ text: String, id: Int32?) -> Double {
        if let id { return weight(id) }
        return Self.idf(documents: documents, frequency: statistics?.frequency(text) ?? 0)
            * TokenPriors.weight(text)
    }

    /// Inverse document frequency of a token, times its prior (generic words weigh less).
    private func weight(_ id: Int32) -> Double {
        Self.idf(documents: documents, frequency: frequency(id)) * vocabulary.priors[Int(id)]
    }

    /// How many entries token frequencies are counted over: the borrowed reference's, else this index's.
    private var documents: Int { statistics?.documents ?? entries.count }

    private static func idf(documents: Int, frequency: Int) -> Double {
        log(Double(max(documents, 1) + 1) / Double(frequency + 1)) + 1
    }

    /// Compares one candidate field by field (see `MatchField` for the levels).
    private func compare(_ query: PreparedQuery, _ entry: Int) -> ComparisonVector {
        let q = query.identity, other = entries[entry]
        var vector = ComparisonVector()
        if !q.name.isEmpty && !other.name.isEmpty {
            let name = nameSimilarity(query, entry)
            vector.nameSimilarity = Float(name.similarity)
            vector.nameRarity = Float(name.rarity)
            vector[.name] = Self.nameLevel(name)
        }
        if let a = q.domain, let b = other.domain {
            if q.domainIsFreeMail || other.domainIsFreeMail {
                // A free-mail provider as the website: the provider's own site when the names agree
                // (Yandex and yandex.ru), otherwise a shared mailbox host that says nothing.
                if a == b && vector[.name] >= MatchField.sharedWordLevel { vector[.domain] = 3 }
            } else {
                vector[.domain] = a == b ? 3 : q.domainLabel == other.domainLabel ? 2 : 1
            }
        }
        if let a = q.phone, let b = other.phone { vector[.phone] = a == b ? 2 : 1 }
        if let a = q.street, let b = other.street, let agreement = a.agreement(with: b) {
            switch agreement {
            case .sameStreetAndNumber:
                vector[.address] = 3
                if let number = b.number, let core = b.core { vector.addressHash = MatchModel.addressHash(number: number, core: core) }
            case .sameStreetOtherNumber: vector[.address] = 2
            case .differentStreet: vector[.address] = 1
            }
            if vector[.address] != 3 { vector.siteNameHash = MatchModel.nameHash(other.name.sortedKey) }
        }
        if let a = q.postalCode, let b = other.postalCode {
            vector[.postcode] = a == b ? 2 : 1
            if a == b { vector.postcodeHash = MatchModel.valueHash(a) }
        }
        if let a = q.city, let b = other.city {
            vector[.city] = a == b ? 2 : 1
            if a == b { vector.cityHash = MatchModel.valueHash(a) }
        }
        // Location fields nest: the same street address implies the same postal code and city,
        // the same postal code the same city, and another city another postal code. The model
        // weighs fields as independent, so what one field already says is not counted again.
        if vector[.address] == 3 || vector[.postcode] == 2 {
            if vector[.city] == 2 { vector[.city] = 0; vector.cityHash = 0 }
        }
        if vector[.address] == 3 && vector[.postcode] == 2 { vector[.postcode] = 0; vector.postcodeHash = 0 }
        if vector[.city] == 1 && vector[.postcode] == 1 { vector[.postcode] = 0 }
        if let a = q.country, let b = other.country { vector[.country] = a == b ? 2 : 1 }
        if let a = q.name.legalForms.first?.generic, let b = other.name.legalForms.first?.generic, !a.isEmpty, !b.isEmpty {
            vector[.legalForm] = a == b ? 2 : 1
        }
        return vector
    }

    /// Name similarity bands: equal keys; ≥ 0.9; equal but for common words; ≥ 0.8; ≥ 0.7; a
    /// shared distinctive word; different.
    static func nameLevel(_ name: NameComparison) -> UInt8 {
        if name.equalKey != nil { return MatchField.equalNameLevel }
        if name.similarity >= 0.9 { return 6 }
        if name.equalButForCommonWords { return MatchField.commonWordsLevel }
        if name.ownWordsOnBothSides { return name.sharesDistinctiveWord ? MatchField.sharedWordLevel : 1 }
        if name.similarity >= 0.8 { return 4 }
        if name.similarity >= 0.7 { return 3 }
        return name.sharesDistinctiveWord ? MatchField.sharedWordLevel : 1
    }

    /// What comparing two names found.
    struct NameComparison {
        var similarity: Double
        var equalKey: String?
        /// A distinctive word both names hold exactly (a brand).
        var sharesDistinctiveWord = false
        /// Bits of rarity of the rarest word the names share.
        var rarity = 0.0
        /// Each name has a word the other lacks ("sukechi health" / "sukechi group"): two members of a family.
        var ownWordsOnBothSides = false
        /// One name is the other plus words common in the snapshot's names ("micrel" / "micrel
        /// semiconductor"): every distinctive word met whole, the extra words on one side only.
        var equalButForCommonWords = false
    }

    // MARK: - The model's u, measured on this index

    /// A match model whose `u` is measured on this index's entries: value frequencies
    /// for the contact fields; for names, a deterministic sample of entries matched
    /// against the index (each pair of different entries found by blocking counted at its
    /// level; pairs blocking does not find count as different names). `alsoCounting` (tonight's
    /// rows) adds to what the snapshot shows of how many accounts share a street address;
    /// `alsoCountingAddressed` the same, from what `addressedName` kept of each row.
    ///
    /// - Complexity: about `sample` queries, and one pass over the entries per contact field, on up
    ///   to `threads` threads (the result does not depend on how many).
    public func estimateModel(sample: Int = 4_000, alsoCounting: [AccountIdentity] = [],
                              alsoCountingAddressed: [AddressedName] = [], threads: Int = 1) -> MatchModel {
        let n = entries.count
        let levelCounts = MatchField.allCases.map { $0.levels.count }
        var u = levelCounts.map { Array(repeating: 0.0, count: $0) }
        // Contact fields: the chance two different entries agree, from value frequencies.
        // Fewer values than this and the snapshot says too little: a prior guess stands in.
        let minimumPresent = 30
        // A snapshot lists deals, and an account with several deals is listed several times:
        // agreement within one listed account says nothing of how often different accounts agree.
        let accounts = entries.map(Self.listedAccountHash)
        // A chain's sites share their website: for the website, one name is one account.
        let names = entries.map { Self.fnv1a($0.name.sortedKey) }
        // Each field's values counted in one pass over the entries, the fields shared out to the threads
        // (each pass a literal closure, so the compiler specializes the count for it).
        var measured = [ValueAgreement](repeating: ValueAgreement(agree: 0), count: 9)
        measured.withUnsafeMutableBufferPointer { slots in
            let slots = UnsafeSlots(slots)
            IndexWork.run(slots.buffer.count, threads: threads) { pass in
                func count(_ fallback: Double, byName: Bool = false, _ values: (AccountIdentity) -> String?) -> ValueAgreement {
                    Self.agreement(entries, values, keys: byName ? names : accounts, fallback: fallback, minimumPresent: minimumPresent)
                }
                switch pass {
                case 0: slots.buffer[pass] = count(1e-6) { $0.phone }
                case 1: slots.buffer[pass] = count(1e-2) { $0.postalCode }
                case 2: slots.buffer[pass] = count(2e-2) { $0.city }
                case 3: slots.buffer[pass] = count(0.2) { $0.country }
                case 4: slots.buffer[pass] = count(0.4) { $0.name.legalForms.first?.generic }
                case 5: slots.buffer[pass] = count(1e-7, byName: true) { $0.domain }
                case 6: slots.buffer[pass] = count(1e-6, byName: true) { $0.domainLabel }
                case 7: slots.buffer[pass] = count(1e-4) { identity in
                    identity.street.flatMap { s in s.number.flatMap { number in s.core.map { "\(number) \($0)" } } }
                }
                default: slots.buffer[pass] = count(1e-3) { $0.street?.core }
                }
            }
        }
        func setBinary(_ field: MatchField, _ agreement: ValueAgreement) {
            u[field.rawValue][2] = max(agreement.agree, MatchModel.minimumU)
            u[field.rawValue][1] = 1 - u[field.rawValue][2]
        }
        setBinary(.phone, measured[0])
        setBinary(.postcode, measured[1])
        let commonPostcodes = measured[1].common
        setBinary(.city, measured[2])
        let commonCities = measured[2].common
        setBinary(.country, measured[3])
        setBinary(.legalForm, measured[4])
        let sameDomain = measured[5].agree
        let sameLabel = max(measured[6].agree, sameDomain)
        u[MatchField.domain.rawValue] = [0, 1 - sameLabel, max(sameLabel - sameDomain, sameDomain / 4, MatchModel.minimumU),
                                         max(sameDomain, MatchModel.minimumU)]
        let sameAddress = measured[7].agree
        let sameStreet = max(measured[8].agree, sameAddress)
        u[MatchField.address.rawValue] = [0, 1 - sameStreet, max(sameStreet - sameAddress, sameAddress, MatchModel.minimumU),
                                          max(sameAddress, MatchModel.minimumU)]
        // Names: a sample matched against the index.
        let nameLevels = levelCounts[MatchField.name.rawValue]
        var nameCounts = Array(repeating: 0.0, count: nameLevels)
        var raritySums = Array(repeating: 0.0, count: nameLevels)
        // The rarity of a sampled name's rarest word: what a level with few measured pairs is
        // assumed to average.
        var nameRaritySum = 0.0, namesSampled = 0.0
        var sharedWordRarity: Double?
        let sampled = Swift.min(n, sample)
        if sampled > 0 && n > 1 {
            let stride = Double(n) / Double(sampled)
            // The sampled queries are shared out to the threads, each recording its pairs; the counts and sums
            // are then taken in query order, as one thread would (the same sums to the last bit).
            struct QueryTally {
                var equalNameRarity = 0.0
                var pairs: [(level: Int, rarity: Double)] = []
            }
            var tallies = [QueryTally?](repeating: nil, count: sampled)
            tallies.withUnsafeMutableBufferPointer { slots in
                let slots = UnsafeSlots(slots)
                let chunkSize = 64, chunks = (sampled + chunkSize - 1) / chunkSize
                IndexWork.run(chunks, threads: threads) { chunk in
                    for step in chunk * chunkSize..<Swift.min((chunk + 1) * chunkSize, sampled) {
                        let entry = Int(Double(step) * stride)
                        let query = prepare(entries[entry])
                        guard !query.identity.name.isEmpty else { continue }
                        var tally = QueryTally(equalNameRarity: equalNameRarity(entry))
                        // Near-equal names held by several entries are mostly one company listed
                        // several times, not different companies alike: each query counts them once.
                        var countedClose = Array(repeating: false, count: nameLevels)
                        for candidate in candidates(query) where Int(candidate) != entry {
                            let other = Int(candidate)
                            guard !entries[other].name.isEmpty else { continue }
                            let name = nameSimilarity(query, other)
                            let level = Int(Self.nameLevel(name))
                            // Another deal of the same account (the same name, nothing contradicting) is
                            // not a different account that happens to agree.
                            if level == Int(MatchField.equalNameLevel) && !Self.contradicts(compare(query, other)) { continue }
                            if level >= Self.onceCountedNameLevel {
                                if countedClose[level] { continue }
                                countedClose[level] = true
                            }
                            tally.pairs.append((level, name.rarity))
                        }
                        slots.buffer[step] = tally
                    }
                }
            }
            for case let tally? in tallies {
                nameRaritySum += tally.equalNameRarity
                namesSampled += 1
                for pair in tally.pairs {
                    nameCounts[pair.level] += 1
                    raritySums[pair.level] += pair.rarity
                }
            }
            let pairs = Double(sampled) * Double(n - 1)
            var above = 0.0
            for level in 2..<nameLevels {
                // A small snapshot shows few close pairs: its counts are pooled with a prior guess.
                let prior = Self.priorNameU[level]
                u[MatchField.name.rawValue][level] = max((nameCounts[level] + Self.priorNamePairs * prior) / (pairs + Self.priorNamePairs),
                                                         MatchModel.minimumU)
                above += u[MatchField.name.rawValue][level]
            }
            // Blocking scans a common word's postings for queries whose other words are unknown,
            // but not for the sampled entries, whose own rare words find them: pairs that share
            // only a common word ("Shenzhen") are met by queries and missed by the sample. The
            // shared-word level's u is at least the chance that two entries share a distinctive
            // word, from the words' frequencies, and its mean rarity that of those pairs.
            let name = MatchField.name.rawValue, shared = Int(MatchField.sharedWordLevel)
            var sharingPairs = 0.0, sharingRarity = 0.0
            for id in 0..<vocabulary.count where !vocabulary.generic[id] {
                let f = Double(frequency(Int32(id)))
                guard f >= 2 else { continue }
                sharingPairs += f * (f - 1)
                sharingRarity += f * (f - 1) * rarityBits(Int(f))
            }
            let sharingU = sharingPairs / (Double(n) * Double(n - 1))
            if sharingU > u[name][shared] {
                above += sharingU - u[name][shared]
                u[name][shared] = sharingU
                sharedWordRarity = sharingRarity / sharingPairs
            }
            u[MatchField.name.rawValue][1] = max(1 - above, 0.5)
        } else {
            // Too few entries to measure: names of different companies rarely agree.
            u[MatchField.name.rawValue] = Self.priorNameU
        }
        // Levels with few measured pairs lean on the sampled names' average rarity.
        let typicalRarity = namesSampled > 0 ? nameRaritySum / namesSampled : 0
        var rarityMean = (0..<nameLevels).map {
            (raritySums[$0] + Self.rarityPriorPairs * typicalRarity) / (nameCounts[$0] + Self.rarityPriorPairs)
        }
        if let sharedWordRarity { rarityMean[Int(MatchField.sharedWordLevel)] = sharedWordRarity }
        var model = MatchModel(u: u, nameRarityMean: rarityMean, entryCount: n)
        model.commonCities = commonCities
        model.commonPostcodes = commonPostcodes
        // Street addresses several accounts share, for the address's term-frequency adjustment:
        // the names seen at each address, in the snapshot and in tonight's rows (as Splink counts
        // term frequencies over every input), each name once.
        var atAddress: [UInt32: Int] = [:]
        var seenNames = Set<UInt64>()
        func count(_ addressed: AddressedName) {
            guard seenNames.insert(addressed.nameAtAddress).inserted else { return }
            atAddress[addressed.address, default: 0] += 1
        }
        for identity in [entries, alsoCounting].joined() { Self.addressedName(identity).map(count) }
        alsoCountingAddressed.forEach(count)
        // Names listed at two street addresses or more: chains, whose other sites are accounts of their own.
        var firstAddress: [UInt32: UInt32] = [:]
        for entry in entries {
            guard let street = entry.street, let number = street.number, let core = street.core, !entry.name.isEmpty else { continue }
            let name = MatchModel.nameHash(entry.name.sortedKey), address = MatchModel.addressHash(number: number, core: core)
            if let first = firstAddress[name] {
                if first != address { model.multiSiteNames.insert(name) }
            } else {
                firstAddress[name] = address
            }
        }
        model.addressAccounts = atAddress.values.reduce(0, +)
        model.sharedAddresses = atAddress.filter { $0.value > 1 }
        return model
    }

    /// One field's agreement: the chance two different listed accounts share a value, and the values
    /// far commoner than the average (by `MatchModel.valueHash`, with their share).
    struct ValueAgreement {
        var agree: Double
        var common: [UInt32: Double] = [:]
    }

    /// Counts one field's values over `entries`, each value once per key (a listed account, or a
    /// name for the website). Values are counted by a 64-bit hash, not kept as strings (two values
    /// colliding would only merge their counts); the 32-bit `valueHash` of a value is taken when it
    /// is seen a second time, for the common values.
    static func agreement(_ entries: [AccountIdentity], _ values: (AccountIdentity) -> String?, keys: [UInt64],
                          fallback: Double, minimumPresent: Int) -> ValueAgreement {
        var counts: [UInt64: Int] = [:]
        var repeated: [UInt64: UInt32] = [:]
        var seen = Set<SIMD2<UInt64>>(minimumCapacity: entries.count)
        counts.reserveCapacity(entries.count)
        var present = 0
        for index in entries.indices {
            guard let value = values(entries[index]) else { continue }
            let key = keys[index], hash = fnv1a(value)
            guard seen.insert(SIMD2(hash, key)).inserted else { continue }
            counts[hash, default: 0] += 1
            if counts[hash] == 2 { repeated[hash] = MatchModel.valueHash(value) }
            present += 1
        }
        guard present >= minimumPresent else { return ValueAgreement(agree: fallback) }
        let pairs = Double(present) * Double(present - 1)
        // Whole numbers below 2^53: the sum is exact in any order.
        let same = counts.values.reduce(0.0) { $0 + Double($1) * Double($1 - 1) }
        let agree = (same + 1) / (pairs + 2)
        var common: [UInt32: Double] = [:]
        for (hash, count) in counts where count > 1 {
            let share = Double(count) / Double(present)
            if share > MatchModel.commonValueFactor * agree, let valueHash = repeated[hash] { common[valueHash] = share }
        }
        return ValueAgreement(agree: agree, common: common)
    }

    /// An account's street address and the name at it, hashed: all `estimateModel` counts of
    /// one of tonight's rows (12 bytes a batch can keep per row instead of its identity).
    public struct AddressedName: Sendable, Hashable {
        let address: UInt32
        let nameAtAddress: UInt64
    }

    /// The identity's street address and name, hashed; nil without a numbered street address or a name.
    public static func addressedName(_ identity: AccountIdentity) -> AddressedName? {
        guard let street = identity.street, let number = street.number, let core = street.core,
              !identity.name.isEmpty else { return nil }
        let address = MatchModel.addressHash(number: number, core: core)
        return AddressedName(address: address, nameAtAddress: fnv1a(identity.name.sortedKey, UInt64(address)))
    }

    /// Whether a comparison holds a value both sides have and disagree on (another country,
    /// domain, phone, street, postcode or city).
    static func contradicts(_ vector: ComparisonVector) -> Bool {
        vector[.domain] == 1 || vector[.phone] == 1 || vector[.address] == 1 || vector[.address] == 2
            || vector[.postcode] == 1 || vector[.city] == 1 || vector[.country] == 1
    }

    /// Deals with this key are one account listed several times: the same name key and the
    /// same contact values.
    /// (A 64-bit FNV-1a hash of the key: two accounts colliding would only merge their counts.)
    static func listedAccountHash(_ identity: AccountIdentity) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [identity.name.sortedKey, identity.country, identity.domain, identity.phone,
                     identity.street?.number, identity.street?.core] {
            hash = fnv1a(part ?? "", hash)
            hash = (hash ^ 0x1f) &* 0x100_0000_01b3   // separator: ("ab", "c") is not ("a", "bc")
        }
        return hash
    }

    static func fnv1a(_ text: String, _ start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = start
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The rarity an equal name with this entry has: that of its rarest word.
    private func equalNameRarity(_ entry: Int) -> Double {
        var rarest = Int.max
        for position in Int(entryTokenStarts[entry])..<Int(entryTokenStarts[entry + 1]) {
            rarest = Swift.min(rarest, frequency(entryTokens[position]))
        }
        return rarityBits(rarest == .max ? 1 : rarest)
    }

    /// How alike the names are (0-1), and the key they share when equal.
    ///
    /// Equal keys score 1. Otherwise IDF-weighted token Dice (a token one typo
    /// away earns partial credit, never full: a near spelling is not assumed to
    /// be a typo), cut by a fifth when each side has words the other lacks
    /// (Toyota Motor / Toyota Industries), blended 80/20 with Jaro-Winkler on the
    /// condensed names, and at most 0.5 unless a distinctive word agrees.
    private func nameSimilarity(_ query: PreparedQuery, _ entry: Int) -> NameComparison {
        let start = Int(entryTokenStarts[entry]), end = Int(entryTokenStarts[entry + 1])
        if let key = Self.equalKey(query.identity.name, entries[entry].name) ?? Self.equalButForTheirCity(query.identity, entries[entry]) {
            return NameComparison(similarity: 1, equalKey: key, sharesDistinctiveWord: true, rarity: equalNameRarity(entry))
        }
        var matchedWeight = 0.0, entryWeight = 0.0
        var matchedDistinctive = false, sharedDistinctive = false
        var rarest = Int.max
        var unmatchedQuery = 0
        var onlyWholeWords = true   // every query word met its own word or plural, no near spelling
        var nearMissUsed = false
        var abbreviationUsed = false   // a query word met its entry word as an abbreviation ("info"/"information")
        var queryExtrasCommon = true   // every query word left unmatched is a common word
        var matchedEntryTokens: UInt64 = 0   // bit i: the entry's token i was matched (names have few tokens)
        for position in start..<end { entryWeight += weight(entryTokens[position]) }
        for token in query.tokens {
            // The same word, or its plural ("semiconductor"/"semiconductors"): full credit.
            if let position = (start..<end).first(where: { entryTokens[$0] == token.id })
                ?? (start..<end).first(where: { isPluralTwin(token, entryTokens[$0]) }) {
                if entryTokens[position] != token.id && !token.generic { nearMissUsed = true }
                matchedWeight += (token.weight + weight(entryTokens[position])) / 2
                matchedEntryTokens |= 1 << UInt64((position - start) & 63)
                // The account's own city in its name ("Shenzhen Kingvt", city Shenzhen) places
                // it; it does not name it.
                let place = token.text == query.identity.city || token.text == entries[entry].city
                if !token.generic && !token.descriptor && !place { matchedDistinctive = true; sharedDistinctive = true }
                if let id = token.id { rarest = Swift.min(rarest, frequency(id)) }
            } else if token.typoEligible, let position = (start..<end).first(where: { isNearMiss(token, entryTokens[$0]) }) {
                matchedWeight += Self.nearMissCredit * (token.weight + weight(entryTokens[position])) / 2
                matchedEntryTokens |= 1 << UInt64((position - start) & 63)
                onlyWholeWords = false
                nearMissUsed = true
                if !token.generic { matchedDistinctive = true }
            } else if let position = (start..<end).first(where: { isAbbreviation(token, entryTokens[$0]) }) {
                // "info"/"information": the same common word, saying nothing distinctive.
                matchedWeight += Self.abbreviationCredit * (token.weight + weight(entryTokens[position])) / 2
                matchedEntryTokens |= 1 << UInt64((position - start) & 63)
                abbreviationUsed = true
            } else {
                unmatchedQuery += 1
                let place = token.text == query.identity.city || token.text == entries[entry].city
                if token.scalars.count < Self.minimumCommonWordLength
                    || (!token.generic && !place && (token.id.map(frequency) ?? 0) < commonWordThreshold) { queryExtrasCommon = false }
            }
        }
        let allEntryWordsMet = matchedEntryTokens.nonzeroBitCount == min(end - start, 64)
        if onlyWholeWords && unmatchedQuery == 0 && allEntryWordsMet
            && (sharedDistinctive || (query.tokens.count >= 2 && !abbreviationUsed)) {
            // Word for word the same name, a word in the plural ("Samsung Electronic"/"Samsung Electronics";
            // "First International Computer"/"… Computers": common words alone, as equal keys may be),
            // or a common word abbreviated beside a distinctive one met whole ("Samsung Info. Systems
            // America"/"Samsung Information Systems America"): registries shorten descriptors, not brands.
            return NameComparison(similarity: 1, equalKey: abbreviationUsed ? "name with an abbreviated word" : "name with a word in the plural",
                                  sharesDistinctiveWord: true, rarity: equalNameRarity(entry))
        }
        let total = query.totalWeight + entryWeight
        var tokenScore = total > 0 ? 2 * matchedWeight / total : 0
        let ownWordsOnBothSides = unmatchedQuery > 0 && !allEntryWordsMet
        if ownWordsOnBothSides { tokenScore *= 0.8 }
        let characterScore = query.condensed.withUnsafeBufferPointer { a in
            condensed.withUnsafeBufferPointer { all in
                jaroWinkler(a, UnsafeBufferPointer(rebasing: all[Int(condensedStarts[entry])..<Int(condensedStarts[entry + 1])]))
            }
        }
        var value = 0.8 * tokenScore + 0.2 * characterScore
        if !matchedDistinctive { value = Swift.min(value, 0.5) }
        var comparison = NameComparison(similarity: value, equalKey: nil, sharesDistinctiveWord: sharedDistinctive,
                                        rarity: rarest == .max ? 0 : rarityBits(rarest), ownWordsOnBothSides: ownWordsOnBothSides)
        if sharedDistinctive && !nearMissUsed && !ownWordsOnBothSides {
            if unmatchedQuery > 0 {
                comparison.equalButForCommonWords = queryExtrasCommon
            } else if !allEntryWordsMet {
                comparison.equalButForCommonWords = (start..<end).allSatisfy { position in
                    matchedEntryTokens & (1 << UInt64((position - start) & 63)) != 0 || isCommonWord(entryTokens[position])
                        || isPlace(entryTokens[position], query.identity.city, entries[entry].city)
                }
            }
        }
        return comparison
    }

    /// Entries holding a word for it to count as common among this index's names: a descriptor
    /// ("semiconductor", "computer") rather than a brand. Learned from the names, not listed.
    private var commonWordThreshold: Int {
        Swift.max(Self.commonWordMinimumEntries, documents / Self.commonWordShareDivisor)
    }

    /// A generic word, or one common among this index's names; a word of its own length at
    /// least (a lone letter, "t" of "T-Square", is part of a name, not a descriptor).
    private func isCommonWord(_ id: Int32) -> Bool {
        vocabulary.withScalars(id) { $0.count } >= Self.minimumCommonWordLength
            && (vocabulary.generic[Int(id)] || frequency(id) >= commonWordThreshold)
    }

    /// Whether the word is either account's city (a place qualifier: "(Shenzhen)").
    private func isPlace(_ id: Int32, _ a: String?, _ b: String?) -> Bool {
        guard a != nil || b != nil else { return false }
        let text = vocabulary.texts[Int(id)]
        return text == a || text == b
    }

    /// How many entries hold the token, by the frequencies this index weighs with.
    private func frequency(_ id: Int32) -> Int {
        statistics.map { $0.frequencies[Int(id)] } ?? postingCount(id)
    }

    /// log2 of entries per entry holding a word of `frequency`.
    private func rarityBits(_ frequency: Int) -> Double {
        log2(Double(documents + 1) / Double(Swift.max(frequency, 1)))
    }

    /// One word the other with an "s" added, the shorter of four letters or more ("device"/"devices").
    private func isPluralTwin(_ token: PreparedQuery.Token, _ id: Int32) -> Bool {
        let s = UInt32(UInt8(ascii: "s"))
        return token.scalars.withUnsafeBufferPointer { a in
            vocabulary.withScalars(id) { b in
                let (long, short) = a.count > b.count ? (a, b) : (b, a)
                guard long.count == short.count + 1, short.count >= 4, long.last == s else { return false }
                return zip(long, short).allSatisfy { $0 == $1 }
            }
        }
    }

    /// Tokens of four letters or more one edit apart ("fabrikam"/"fabrikham",
    /// "house"/"houes"), or long ones spelled alike by Jaro-Winkler ("yandex"/"yandeks"
    /// from transliteration). Digits never count as a near miss ("3m"/"5m").
    private func isNearMiss(_ token: PreparedQuery.Token, _ id: Int32) -> Bool {
        guard vocabulary.typoEligible[Int(id)] else { return false }
        return token.scalars.withUnsafeBufferPointer { a in
            vocabulary.withScalars(id) { b in
                (Swift.min(a.count, b.count) >= Self.minimumTypoLength && withinOneEdit(a, b))
                    || (Swift.min(a.count, b.count) >= 6 && jaroWinkler(a, b) >= 0.9)
            }
        }
    }

    /// A common word and its abbreviation ("info"/"information", "elec"/"electronics",
    /// "microelectr"/"microelectronics"): the shorter, of three letters or more, begins the
    /// longer, which is at least three letters longer and generic or held by several entries.
    private func isAbbreviation(_ token: PreparedQuery.Token, _ id: Int32) -> Bool {
        token.scalars.withUnsafeBufferPointer { a in
            vocabulary.withScalars(id) { b in
                let queryLonger = a.count > b.count
                let (long, short) = queryLonger ? (a, b) : (b, a)
                guard short.count >= 3, long.count >= short.count + 3, zip(long, short).allSatisfy({ $0 == $1 }) else {
                    return false
                }
                if queryLonger { return token.generic || (token.id.map(frequency) ?? 0) >= Self.commonWordEntries }
                return vocabulary.generic[Int(id)] || frequency(id) >= Self.commonWordEntries
            }
        }
    }

    /// Both accounts are in one city, and one name is the other's with that city's name added
    /// before or after it ("Shenzhen Action Technologies" / "Action Technology (SZ)", both in
    /// Shenzhen: registries there write the seat first; "Leica Microsystems Shanghai" in
    /// Shanghai): the place says where, not who. Not when what is left is a generic word alone
    /// ("Shenzhen Technology"), nor across cities (that is another site, or another company).
    static func equalButForTheirCity(_ a: AccountIdentity, _ b: AccountIdentity) -> String? {
        guard let city = a.city, city == b.city, !city.isEmpty else { return nil }
        func keys(_ name: CompanyName) -> [String] { [name.condensedKey] + (name.primaryKey.map { [$0] } ?? []) }
        func withoutCity(_ name: CompanyName) -> String? {
            let tokens = name.tokens
            guard tokens.count >= 2 else { return nil }
            let rest = tokens.first == city ? tokens.dropFirst() : tokens.last == city ? tokens.dropLast() : nil
            guard let rest, rest.contains(where: { !TokenPriors.isGeneric($0) && $0 != city }) else { return nil }
            return rest.joined()
        }
        if let stripped = withoutCity(a.name), keys(b.name).contains(stripped) { return "the name without the city both are in" }
        if let stripped = withoutCity(b.name), keys(a.name).contains(stripped) { return "the name without the city both are in" }
        return nil
    }

    static func equalKey(_ a: CompanyName, _ b: CompanyName) -> String? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let longEnough = a.condensedKey.count >= 3 || a.tokens.count >= 2
        if longEnough && a.condensedKey == b.condensedKey { return "name key" }
        if longEnough && a.sortedKey == b.sortedKey { return "words in another order" }
        if let g = a.germanKey, g == b.condensedKey || g == b.germanKey { return "name with ä=ae" }
        if let g = b.germanKey, g == a.condensedKey { return "name with ä=ae" }
        // One side's name without its aside or alternative (never two asides compared: "Kontron
        // (Beijing)" is not "Kontron (Shanghai)").
        if a.primaryKey == b.condensedKey || b.primaryKey == a.condensedKey { return "the name without its aside" }
        if !a.nativeKey.utf8.allSatisfy({ $0 < 0x80 }) && a.nativeKey == b.nativeKey { return "native-script name" }
        if a.confusableKey.count >= 3 && a.confusableKey == b.confusableKey { return "name after look-alike letters" }
        return nil
    }
}

/// Token frequencies borrowed from another index, frozen when borrowed.
private struct TokenStatistics: Sendable {
    private final class Reference: Sendable {
        let index: AccountIndex
        init(_ index: AccountIndex) { self.index = index }
    }
    private let reference: Reference
    let documents: Int
    /// The reference's frequency of each token of the borrowing index, by its id there.
    private(set) var frequencies: [Int] = []

    init(_ reference: AccountIndex) {
        self.reference = Reference(reference)
        documents = reference.count
    }

    func frequency(_ token: String) -> Int { reference.index.frequency(of: token) }

    func isDescriptor(_ token: String) -> Bool { reference.index.isDescriptor(token) }

    mutating func intern(_ token: String) { frequencies.append(frequency(token)) }
}

/// A buffer that worker threads fill at disjoint positions.
struct UnsafeSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

/// Work over an index shared out to threads: `body(i)` for every `i` in `0..<iterations`, on up to
/// `threads` threads, each taking the next `i` in turn. Whatever `body` writes must be its own.
enum IndexWork {
    static func run(_ iterations: Int, threads: Int, _ body: (Int) -> Void) {
        guard threads > 1, iterations > 1 else {
            for iteration in 0..<iterations { body(iteration) }
            return
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let body = UnsafeSendableClosure(body)
            DispatchQueue.concurrentPerform(iterations: Swift.min(threads, iterations)) { _ in
                while true {
                    let iteration = next.add(1, ordering: .relaxed).oldValue
                    guard iteration < iterations else { return }
                    body.call(iteration)
                }
            }
        }
    }
}

private struct UnsafeSendableClosure: @unchecked Sendable {
    let call: (Int) -> Void
    init(_ call: @escaping (Int) -> Void) { self.call = call }
}
