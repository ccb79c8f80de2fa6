#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A field two accounts are compared on.
public enum MatchField: Int, CaseIterable, Sendable {
    case name, domain, phone, address, postcode, city, country, legalForm

    /// The levels of the field, from "missing on either side" (level 0, never evidence) upward.
    public var levels: [String] {
        switch self {
        case .name: ["missing", "different names", "a shared distinctive word", "similar names", "close names",
                     "the same name but for common words", "nearly the same name", "the same name"]
        case .domain: ["missing", "different domains", "the same domain name under another suffix", "the same registrable domain"]
        case .phone: ["missing", "different phones", "the same phone"]
        case .address: ["missing", "different streets", "the same street, another house number", "the same street address"]
        case .postcode: ["missing", "different postal codes", "the same postal code"]
        case .city: ["missing", "different cities", "the same city"]
        case .country: ["missing", "different countries", "the same country"]
        case .legalForm: ["missing", "different legal forms", "the same legal form"]
        }
    }

    public var key: String {
        switch self {
        case .name: "name"
        case .domain: "domain"
        case .phone: "phone"
        case .address: "address"
        case .postcode: "postcode"
        case .city: "city"
        case .country: "country"
        case .legalForm: "legal_form"
        }
    }

    /// The name level at and above which two names share a distinctive word: the family of an account.
    public static let sharedWordLevel: UInt8 = 2
    /// The name level of one name that is the other plus common words only ("Micrel" /
    /// "Micrel Semiconductor"): the same distinctive words, nothing of its own on the shorter side.
    public static let commonWordsLevel: UInt8 = 5
    /// The name level of equal name keys.
    public static let equalNameLevel: UInt8 = 7
}

/// How one pair of accounts compares, field by field: the input of the match model.
public struct ComparisonVector: Sendable, Equatable {
    /// One level per `MatchField`, by raw value.
    public var levels = SIMD8<UInt8>(repeating: 0)
    /// How rare the distinctive words the names share are, in bits (log2 of entries per entry holding
    /// the rarest of them): the input of the term-frequency adjustment.
    public var nameRarity: Float = 0
    /// Name similarity 0-1, for the evidence text.
    public var nameSimilarity: Float = 0
    /// The shared street address (`MatchModel.addressHash`) when the address level is "the same
    /// street address": the input of the address's term-frequency adjustment.
    public var addressHash: UInt32 = 0
    /// The shared city and postal code (`MatchModel.valueHash`) when they agree: the inputs of their
    /// term-frequency adjustments.
    public var cityHash: UInt32 = 0
    public var postcodeHash: UInt32 = 0
    /// The entry's name (`MatchModel.nameHash`) when the street addresses differ: whether the
    /// snapshot knows that name at several sites (`MatchModel.multiSiteNames`).
    public var siteNameHash: UInt32 = 0

    public init() {}

    public subscript(field: MatchField) -> UInt8 {
        get { levels[field.rawValue] }
        set { levels[field.rawValue] = newValue }
    }
}

/// One line of a match explanation: a field's level and what it weighed.
public struct MatchContribution: Sendable, Equatable {
    public let field: MatchField
    public let level: UInt8
    /// log2(m/u) of the level, plus the term-frequency adjustment for the name.
    public let weight: Double
    /// What the level means, with the values compared where they help ("name 'lumo' vs 'numo'").
    public var detail: String
}

/// A Fellegi–Sunter match model: for every field and level, the probability `m`
/// of seeing the level when two rows are the same account and `u` when they are
/// not; a level's weight is log2(m/u), positive for agreement, negative for a
/// disagreement on values both rows have, zero when either lacks the value.
///
/// `u` is measured on the snapshot itself (`AccountIndex.estimateModel`): how often
/// two different deals agree at each level, by value frequencies for the
/// contact fields and by a sample of the snapshot matched against itself for
/// names. `m` starts from `MatchModel.defaultM` and is re-estimated without labels by
/// expectation-maximisation over a batch's candidate pairs (`fitted(to:queries:)`),
/// held near the defaults by pseudo-counts so a small batch cannot run away.
/// The prior is that of a batch matched against a snapshot: a share `matchRate`
/// of rows duplicate one of the `entryCount` deals, so one pair's prior odds are
/// `matchRate / entryCount`.
///
/// The score is the match probability × 100; the policy's duplicate and review
/// thresholds are probabilities in per cent.
public struct MatchModel: Sendable, Equatable {
    /// Per field (by raw value), per level.
    public var m: [[Double]]
    public var u: [[Double]]
    /// The share of queries expected to duplicate some entry.
    public var matchRate: Double
    /// Entries a query may match: the snapshot's deals.
    public var entryCount: Int
    /// Per name level, the mean name rarity of different-account pairs at that level.
    public var nameRarityMean: [Double]
    /// Street addresses several accounts of the snapshot share (an office tower, a mall, a
    /// casino), by `addressHash`: how many listed accounts are there.
    public var sharedAddresses: [UInt32: Int] = [:]
    /// Listed accounts with a street address: what `sharedAddresses` counts are out of.
    public var addressAccounts = 0
    /// Cities and postal codes far commoner than the average (a capital, a business district's
    /// code), by `valueHash`: the share of listed accounts that hold them.
    public var commonCities: [UInt32: Double] = [:]
    public var commonPostcodes: [UInt32: Double] = [:]
    /// Names the snapshot lists at two street addresses or more (a chain): another street is
    /// another of its sites, phone or not.
    public var multiSiteNames: Set<UInt32> = []

    /// Bounds of the term-frequency adjustment, in bits.
    public static let rarityAdjustmentRange = -6.0...6.0
    /// Share of the rarity difference counted.
    public static let rarityAdjustmentShare = 1.0
    /// Term frequencies adjust equal and nearly equal names, and names equal but for common
    /// words, in full (as Splink adjusts exact matches): for names that share a rare brand but
    /// differ otherwise, the rarity says "same family", not "same account".
    public static let rarityAdjustedNameLevel = 5
    /// Shared words, similar and close names (levels 2 to 4) count half the rarity difference
    /// (shared words only when it lowers the weight).
    public static let looseRarityAdjustmentShare = 0.5
    /// Pseudo-pairs with which the default `m` holds its ground in EM.
    public static let pseudoPairs = 20.0
    public static let matchRateBounds = 0.005...0.9
    /// EM never lowers a level's m below this share of its default, nor raises a loose name
    /// level's (different names, a shared word) above `maximumMShare` times it.
    public static let minimumMShare = 0.5
    public static let maximumMShare = 3.0
    public static let defaultMatchRate = 0.2
    /// The prior never assumes fewer accounts than this a row could be: a short list
    /// (five blocked accounts, a small snapshot) does not make every look-alike one of them.
    public static let minimumPopulation = 1_000
    /// A city or postal code held by this many times the average agreement share of accounts is
    /// common: kept for its term-frequency adjustment.
    public static let commonValueFactor = 2.0
    /// `u` is never estimated below this: a snapshot cannot show rarer agreement.
    public static let minimumU = 1e-9

    /// Prior beliefs of how often a true duplicate shows each level, before EM: a
    /// duplicate's name is most often equal or nearly so, its contact values mostly
    /// agree (people have several phones and offices; lists are stale).
    public static let defaultM: [[Double]] = [
        /* name */ [0, 0.04, 0.04, 0.05, 0.08, 0.07, 0.16, 0.56],
        /* domain */ [0, 0.08, 0.04, 0.88],
        /* phone */ [0, 0.25, 0.75],
        /* address */ [0, 0.15, 0.03, 0.82],
        /* postcode */ [0, 0.12, 0.88],
        /* city */ [0, 0.10, 0.90],
        /* country */ [0, 0.04, 0.96],
        /* legal form */ [0, 0.35, 0.65],
    ]

    public init(u: [[Double]], nameRarityMean: [Double], entryCount: Int, m: [[Double]] = MatchModel.defaultM,
                matchRate: Double = MatchModel.defaultMatchRate) {
        self.m = m
        self.u = u
        self.nameRarityMean = nameRarityMean
        self.entryCount = max(entryCount, 1)
        self.matchRate = matchRate
    }

    /// log2 of one pair's prior odds.
    public var priorWeight: Double {
        let p = matchRate / Double(max(entryCount, Self.minimumPopulation))
        return log2(p / (1 - p))
    }

    /// log2(m/u) of a level; 0 for level 0 (a value missing on either side).
    public func weight(_ field: MatchField, _ level: UInt8) -> Double {
        guard level > 0 else { return 0 }
        let f = field.rawValue, l = Int(level)
        var value = log2(max(m[f][l], 1e-6) / max(u[f][l], Self.minimumU))
        if field == .name && l >= 2 && l < m[f].count - 1 {
            // Name levels are ordered: a looser name never weighs more than a closer one.
            value = min(value, weight(field, level + 1))
        }
        // Disagreement is never evidence for, full agreement never evidence against.
        if l == 1 { return min(value, 0) }
        if l == m[f].count - 1 { return max(value, 0) }
        return value
    }

    /// The term-frequency adjustment of the name: names sharing rarer words than
    /// different accounts at the same level usually do weigh more, commoner ones less.
    public func rarityAdjustment(_ vector: ComparisonVector) -> Double {
        let level = Int(vector[.name])
        guard level >= Int(MatchField.sharedWordLevel), level < nameRarityMean.count else { return 0 }
        let share = level >= Self.rarityAdjustedNameLevel ? Self.rarityAdjustmentShare : Self.looseRarityAdjustmentShare
        let difference = share * (Double(vector.nameRarity) - nameRarityMean[level])
        let adjustment = min(max(difference, Self.rarityAdjustmentRange.lowerBound), Self.rarityAdjustmentRange.upperBound)
        // A shared word commoner than usual ("Shenzhen", "Global") says less; a rarer one says
        // "same family", not "same account": never more.
        if level == Int(MatchField.sharedWordLevel) { return max(min(adjustment, 0), -max(weight(.name, vector[.name]), 0)) }
        return adjustment
    }

    /// The term-frequency adjustment of an agreeing street address: one that several accounts
    /// share says less than a private one (Splink's u of the value, count / accounts, when that
    /// exceeds the level's u). Never below zero in total: agreement is never evidence against.
    public func addressAdjustment(_ vector: ComparisonVector) -> Double {
        let level = Int(vector[.address])
        guard level == m[MatchField.address.rawValue].count - 1, let sharing = sharedAddresses[vector.addressHash],
              addressAccounts > 0 else { return 0 }
        let f = MatchField.address.rawValue
        let valueU = Double(sharing) / Double(addressAccounts)
        let adjustment = log2(max(u[f][level], Self.minimumU) / valueU)
        return max(min(adjustment, 0), -weight(.address, vector[.address]))
    }

    /// The term-frequency adjustment of an agreeing city or postal code: one that many accounts
    /// hold (Shenzhen, a business district's code) says less than the average one. Never below
    /// zero in total.
    public func valueAdjustment(_ field: MatchField, _ vector: ComparisonVector) -> Double {
        let f = field.rawValue
        guard let share = commonShare(field, vector), share > u[f][2] else { return 0 }
        return max(log2(max(u[f][2], Self.minimumU) / share), -weight(field, 2))
    }

    /// The share of listed accounts that hold the vector's agreeing city or postal code, when it is common.
    public func commonShare(_ field: MatchField, _ vector: ComparisonVector) -> Double? {
        guard vector[field] == 2 else { return nil }
        switch field {
        case .city: return commonCities[vector.cityHash]
        case .postcode: return commonPostcodes[vector.postcodeHash]
        default: return nil
        }
    }

    /// The key a name is known as a chain under: its sorted name key.
    public static func nameHash(_ sortedKey: String) -> UInt32 { valueHash(sortedKey) | 1 }

    /// Whether the pair's names are a chain's (see `multiSiteNames`).
    public func isMultiSite(_ vector: ComparisonVector) -> Bool {
        vector.siteNameHash != 0 && multiSiteNames.contains(vector.siteNameHash)
    }

    /// The key a city or postal code is counted under.
    public static func valueHash(_ value: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in value.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// How many listed accounts share the vector's street address (1 when it is theirs alone).
    public func accountsAtAddress(_ vector: ComparisonVector) -> Int {
        vector[.address] == UInt8(m[MatchField.address.rawValue].count - 1) ? sharedAddresses[vector.addressHash] ?? 1 : 0
    }

    /// The key an address is counted under: house number and street core.
    public static func addressHash(number: String, core: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in number.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        hash = (hash ^ 0x20) &* 16_777_619
        for byte in core.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// Prior plus every field's weight, in bits.
    public func logOdds(_ vector: ComparisonVector) -> Double {
        var total = priorWeight + rarityAdjustment(vector) + addressAdjustment(vector)
            + valueAdjustment(.city, vector) + valueAdjustment(.postcode, vector)
        for field in MatchField.allCases { total += weight(field, vector[field]) }
        return total
    }

    public func probability(_ vector: ComparisonVector) -> Double {
        let odds = logOdds(vector)
        if odds > 60 { return 1 }
        let value = exp2(odds)
        return value / (1 + value)
    }

    /// The match probability in per cent, rounded down (89.9 % does not reach a threshold of 90).
    public func score(_ vector: ComparisonVector) -> Int {
        Int((100 * probability(vector)).rounded(.down))
    }

    /// Every field with evidence for or against, strongest first (the name first among equals).
    public func contributions(_ vector: ComparisonVector) -> [MatchContribution] {
        var lines: [MatchContribution] = []
        for field in MatchField.allCases where vector[field] > 0 {
            var weight = self.weight(field, vector[field])
            if field == .name { weight += rarityAdjustment(vector) }
            if field == .address { weight += addressAdjustment(vector) }
            if field == .city || field == .postcode { weight += valueAdjustment(field, vector) }
            lines.append(MatchContribution(field: field, level: vector[field], weight: weight,
                                           detail: field.levels[Int(vector[field])]))
        }
        return lines
    }

    // MARK: - Estimation

    /// `m` and the match rate re-estimated by expectation-maximisation over candidate
    /// pairs, `u` held fixed (as Splink does). `groups` holds each query row's candidates;
    /// every other pair is taken as a non-match.
    ///
    /// Deterministic: sums run in the order given.
    public func fitted(to groups: [[ComparisonVector]], iterations: Int = 25) -> MatchModel {
        let queries = groups.count { !$0.isEmpty }
        guard queries > 0 else { return self }
        var model = self
        let fields = MatchField.allCases
        var odds: [Double] = []
        for _ in 1...iterations {
            var counts = fields.map { Array(repeating: 0.0, count: $0.levels.count) }
            var expected = 0.0
            // A row is one account: its candidates share one unit of match probability
            // (p = odds / (1 + the row's total odds)), so a crowd of look-alikes cannot all be it.
            for group in groups where !group.isEmpty {
                odds.removeAll(keepingCapacity: true)
                var total = 0.0
                for pair in group {
                    let value = exp2(min(model.logOdds(pair), 60))
                    odds.append(value)
                    total += value
                }
                for (pair, value) in zip(group, odds) {
                    let p = value / (1 + total)
                    expected += p
                    for field in fields where pair[field] > 0 { counts[field.rawValue][Int(pair[field])] += p }
                }
            }
            var next = model
            for field in fields {
                let f = field.rawValue
                let observed = counts[f].reduce(0, +)
                for level in 1..<counts[f].count {
                    let estimate = (counts[f][level] + Self.pseudoPairs * Self.defaultM[f][level]) / (observed + Self.pseudoPairs)
                    // Bounded: no level becomes impossible for a duplicate (a brand name under a
                    // company's own domain must stay reachable however rare it was tonight).
                    // Nor does a loose level become a match's usual one: fields are not independent
                    // (a city named in the name and the same city), and EM would take their
                    // correlation for evidence.
                    let bounded = max(estimate, Self.minimumMShare * Self.defaultM[f][level])
                    next.m[f][level] = field == .name && level <= Int(MatchField.sharedWordLevel)
                        ? min(bounded, Self.maximumMShare * Self.defaultM[f][level]) : bounded
                }
            }
            next.matchRate = min(max(expected / Double(queries), Self.matchRateBounds.lowerBound), Self.matchRateBounds.upperBound)
            let change = zip(next.m.joined(), model.m.joined()).map { abs($0 - $1) }.max() ?? 0
            model = next
            if change < 1e-5 { break }
        }
        return model
    }

    /// Eight hex digits that change when any parameter does (FNV-1a over `parameterTable()`):
    /// recorded with each decision beside the policy version.
    public var fingerprint: String {
        var hash: UInt32 = 2_166_136_261
        for byte in parameterTable().utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The parameters as a table: field, level, m, u, weight.
    public func parameterTable() -> String {
        var lines = ["field\tlevel\tm\tu\tweight_bits"]
        for field in MatchField.allCases {
            for level in 1..<field.levels.count {
                lines.append("\(field.key)\t\(field.levels[level])\t\(Self.format(m[field.rawValue][level]))\t"
                    + "\(Self.format(u[field.rawValue][level]))\t\(Self.format(weight(field, UInt8(level)), digits: 2))")
            }
        }
        lines.append("prior\tmatch rate \(Self.format(matchRate)) over \(entryCount) entries\t\t\t\(Self.format(priorWeight, digits: 2))")
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double, digits: Int = 6) -> String {
        if value != 0 && abs(value) < 0.001 {
            let exponent = Int(floor(log10(abs(value))))
            let mantissa = value / pow(10, Double(exponent))
            return "\(Self.fixed(mantissa, 2))e\(exponent)"
        }
        return Self.fixed(value, digits)
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        let scale = pow(10, Double(digits))
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
