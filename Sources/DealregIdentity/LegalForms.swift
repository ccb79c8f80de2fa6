/// A legal form found in a company name: weak evidence, kept apart from the name.
public struct LegalForm: Sendable, Hashable {
    /// How the form is usually written ("GmbH", "K.K.").
    public let display: String
    /// The standardized class (LLC, JSC, LP, ...) where known.
    public let generic: String
}

/// The legal-form table: rigour's aliases in many scripts plus dealreg's
/// supplement (`Data/LegalFormData.swift`), keyed by compare form.
struct LegalFormTable: Sendable {
    static let shared = LegalFormTable(tsv: LegalFormData.text)

    /// Compare form (tokens joined without spaces) → form.
    let byKey: [String: LegalForm]
    /// The most tokens any alias has.
    let maxTokens: Int
    /// Forms written without spaces in Han, Kana, Hangul or Thai, longest first: matched inside a token.
    let affixes: [(text: String, form: LegalForm)]

    /// Short compare forms that are clearly legal forms; other forms of three letters
    /// or fewer ("as", "sa", "spa") are also ordinary words and are stripped only
    /// when written like a legal form (see `CompanyNameNormalizer`).
    static let unambiguousShortForms: Set<String> = [
        "inc", "ltd", "llc", "plc", "llp", "co", "pty", "bhd", "kk", "gk", "ooo", "oao", "zao", "pao", "tov",
        "jsc", "srl", "sas", "kft", "zrt", "doo", "sro", "mbh", "oy", "oyj", "bv", "nv", "ag", "lp", "ltda", "sdn",
        "lda", "hf", "ehf", "asa", "kg", "ab", "gk",
    ]

    init(tsv: String) {
        var byKey: [String: LegalForm] = [:]
        var affixes: [(String, LegalForm)] = []
        var maxTokens = 1
        for line in tsv.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 2 else { continue }
            let form = LegalForm(display: columns[1], generic: columns.count > 2 ? columns[2] : "")
            let tokens = CompanyNameNormalizer.compareTokens(columns[0])
            guard !tokens.isEmpty else { continue }
            let key = tokens.joined()
            if byKey[key] == nil { byKey[key] = form }
            maxTokens = max(maxTokens, tokens.count)
            if tokens.count == 1, key.unicodeScalars.allSatisfy({ ScriptClass($0).isUnspaced }) {
                affixes.append((key, form))
            }
        }
        self.byKey = byKey
        self.maxTokens = min(maxTokens, 8)
        self.affixes = affixes.sorted { $0.0.count > $1.0.count }
    }

    /// Short Latin forms that are also ordinary words or initials.
    static func isAmbiguous(_ key: String) -> Bool {
        key.count <= 3 && key.utf8.allSatisfy { $0 < 0x80 } && !unambiguousShortForms.contains(key)
    }
}

extension ScriptClass {
    /// Scripts written without spaces between words.
    var isUnspaced: Bool { self == .han || self == .hiragana || self == .katakana || self == .hangul || self == .thai }
    /// Hiragana and Katakana mix inside Japanese words (the prolonged sound mark is Common).
    var isKana: Bool { self == .hiragana || self == .katakana }
}
