/// Why a pair scored what it did, as data and as words: the result, then every
/// field with evidence for or against and its weight in bits, then the prior.
///
///     99 % = +11.2 name 'fourth coffee' vs 'fourth coffee': the same name (name key);
///     +13.5 the same phone; −4.1 different street addresses; prior −12.9
///
/// The result comes first so the cell never begins with a sign, which spreadsheets
/// would read as a formula (and the result files' formula guard would prefix with `'`).
///
/// The results file's `match_evidence` and `related_evidence`, the review list
/// and `dealreg explain` all render this one value.
public struct MatchExplanation: Sendable {
    public let contributions: [MatchContribution]
    public let prior: Double
    public let score: Int
    /// The policy rule that held the score below the model's probability, if one did.
    public let cap: String?

    public init(query: AccountIdentity, entry: AccountIdentity, vector: ComparisonVector, model: MatchModel, score: Int,
                cap: String? = nil) {
        var lines = model.contributions(vector)
        for index in lines.indices {
            lines[index].detail = Self.detail(lines[index], query: query, entry: entry, vector: vector, model: model)
        }
        // Strongest evidence first, for or against; the name leads among equals.
        contributions = lines.enumerated().sorted { a, b in
            abs(a.element.weight) != abs(b.element.weight) ? abs(a.element.weight) > abs(b.element.weight) : a.offset < b.offset
        }.map(\.element)
        prior = model.priorWeight
        self.score = score
        self.cap = cap
    }

    /// The waterfall in one line.
    public var text: String {
        var parts = contributions.map { "\(Self.signed($0.weight)) \($0.detail)" }
        parts.append("prior \(Self.signed(prior))")
        if let cap { parts.append(cap) }
        return "\(score) % = " + parts.joined(separator: "; ")
    }

    /// " (held by 12 % of accounts)" for a common value, nothing for an ordinary one.
    static func held(_ share: Double?) -> String {
        guard let share else { return "" }
        let percent = 100 * share
        return " (held by \(percent >= 1 ? "\(Int(percent.rounded()))" : "under 1") % of accounts)"
    }

    public static func signed(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        let magnitude = abs(rounded)
        let text = magnitude == magnitude.rounded() ? "\(Int(magnitude)).0" : "\(magnitude)"
        return (rounded < 0 ? "−" : "+") + text
    }

    private static func detail(_ line: MatchContribution, query: AccountIdentity, entry: AccountIdentity,
                               vector: ComparisonVector, model: MatchModel) -> String {
        switch line.field {
        case .name:
            let shown = "'\(query.name.latinKey)' vs '\(entry.name.latinKey)'"
            if let key = AccountIndex.equalKey(query.name, entry.name) ?? AccountIndex.equalButForTheirCity(query, entry) {
                return "name \(shown): the same name (\(key))"
            }
            if line.level == MatchField.equalNameLevel { return "name \(shown): the same name (a word in the plural)" }
            return "name \(shown): \(line.detail) (\(Int((100 * vector.nameSimilarity).rounded())) % alike)"
        case .domain:
            switch line.level {
            case 3: return "the same registrable domain \(query.domain ?? "")"
            case 2: return "the same domain name '\(query.domainLabel ?? "")' under different suffixes (\(query.domain ?? ""), \(entry.domain ?? ""))"
            default: return "different domains \(query.domain ?? "") vs \(entry.domain ?? "")"
            }
        case .phone:
            return line.level == 2 ? "the same phone \(query.phone ?? "")" : "different phones"
        case .address:
            switch line.level {
            case 3:
                let sharing = model.accountsAtAddress(vector)
                return "the same street address '\(query.street?.key ?? "")'" + (sharing > 1 ? " (\(sharing) accounts there)" : "")
            case 2: return "the same street, another house number (\(query.street?.number ?? "") vs \(entry.street?.number ?? ""))"
            default: return "different street addresses"
            }
        case .postcode:
            return line.level == 2 ? "the same postal code \(query.postalCode ?? "")" + Self.held(model.commonShare(.postcode, vector))
                : "different postal codes"
        case .city:
            return line.level == 2 ? "the same city" + Self.held(model.commonShare(.city, vector)) : "different cities"
        case .country:
            return line.level == 2 ? "the same country" : "countries differ (\(query.country ?? "") vs \(entry.country ?? ""))"
        case .legalForm:
            return line.level == 2 ? "the same legal form" : "different legal forms"
        }
    }
}
