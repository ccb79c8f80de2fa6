/// A company name reduced to comparison keys (NORMALIZATION.md §4.1).
///
/// Legal forms are removed from both ends and kept apart as weak evidence;
/// several keys are kept because no single "clean" string survives every
/// script, spelling and spacing difference.
public struct CompanyName: Sendable, Hashable {
    /// ASCII tokens in order, legal forms removed: the scoring tokens.
    public let tokens: [String]
    /// Case-folded native-script tokens joined by spaces, legal forms removed ("ソニー", "газпром нефть").
    public var nativeKey: String
    /// Confusable skeleton of the native key: defeats look-alike letters.
    public var confusableKey: String
    /// Condensed key with German umlauts as ae/oe/ue, when the name has umlauts ("mueller").
    public var germanKey: String?
    /// Legal forms found, outermost first.
    public var legalForms: [LegalForm]

    /// Tokens joined by spaces ("fourth coffee").
    public let latinKey: String
    /// Tokens joined without spaces: "A B C Engineering" = "ABC Engineering".
    public let condensedKey: String
    /// Unique tokens sorted: word order ignored.
    public let sortedKey: String
    public var isEmpty: Bool { tokens.isEmpty && nativeKey.isEmpty }
    /// The condensed key of the name without its bracketed asides, or of what stands before an
    /// alternative written " / " ("Conexant Systems (Rockwell), Inc." → "conexantsystems",
    /// "Microchip Technology / SMSC" → "microchiptechnology"), when that differs: another
    /// registry may write only that.
    public var primaryKey: String?

    public init(tokens: [String], nativeKey: String, confusableKey: String, germanKey: String?, legalForms: [LegalForm]) {
        self.tokens = tokens
        // Derived once here: every candidate comparison reads them.
        latinKey = tokens.joined(separator: " ")
        condensedKey = tokens.joined()
        sortedKey = Set(tokens).sorted().joined(separator: " ")
        self.nativeKey = nativeKey
        self.confusableKey = confusableKey
        self.germanKey = germanKey
        self.legalForms = legalForms
    }
}

/// Turns company names into `CompanyName` keys with ICU.
///
/// Steps: `&`/`+` → "and"; NFKC; split on anything but letters, marks and digits;
/// case fold; tokens that mix Latin with Cyrillic or Greek letters replaced by
/// their confusable skeleton; leading article dropped; legal forms stripped at
/// both ends, longest first, repeatedly, never the last token (forms written
/// without spaces, 株式会社, are also cut from inside Han/Kana/Hangul tokens);
/// Han/Kana/Hangul generic words (集团, グループ) split off and translated; each
/// token transliterated to ASCII by script (Russian or Ukrainian BGN for
/// Cyrillic, UNGEGN for Greek, syllables of a Han or Kana run joined).
///
/// Not thread-safe (owns transliterators and a token cache): one per thread.
public final class CompanyNameNormalizer {
    private var transliterators: [String: Transliterator] = [:]
    private var latinCache: [String: [String]] = [:]
    private var tokenCache: [String: TokenForms] = [:]
    private let legalForms = LegalFormTable.shared

    /// What a token becomes in each step that depends on the token alone, computed
    /// once per distinct token: names repeat their words far more than their spellings.
    private struct TokenForms {
        /// Case folded (or confusable skeleton of a mixed-script token).
        let folded: String
        /// As legal-form aliases are compared: Latin accents removed.
        let compare: String
        /// Generic words written without spaces split off and translated (集团 → group).
        let peeled: [String]
        /// The peeled words transliterated to ASCII, abbreviations written out.
        let latin: [String]
        /// Case-folded confusable skeletons of the peeled words, joined by spaces.
        let skeleton: String
    }

    /// Distinct tokens remembered per normalizer before the cache starts over.
    static let tokenCacheLimit = 500_000

    public init() {}

    public func normalize(_ name: String) -> CompanyName {
        var result = normalizeWhole(name)
        if let primary = Self.primaryPart(name) {
            let key = normalizeWhole(primary).condensedKey
            if key.count >= 3 && key != result.condensedKey { result.primaryKey = key }
        }
        return result
    }

    /// What stands before " / " ("A / B": two names, the first the account's own), or else the
    /// name with its bracketed asides removed, when it has either.
    static func primaryPart(_ name: String) -> String? {
        if let slash = name.firstRange(of: " / ") {
            return withoutAsides(String(name[..<slash.lowerBound]))
        }
        guard name.contains(where: { $0 == "(" || $0 == "[" }) else { return nil }
        return withoutAsides(name)
    }

    /// The text with its bracketed asides removed, if letters remain (names here; cities in `IdentityBuilder.cityKey`).
    static func withoutAsides(_ name: String) -> String? {
        var out = ""
        var depth = 0
        for character in name {
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            default: if depth == 0 { out.append(character) }
            }
        }
        return out.contains(where: { $0.isLetter }) ? out : nil
    }

    private func normalizeWhole(_ name: String) -> CompanyName {
        var raw = Self.split(nfkc(Self.preclean(name)))
        var forms = raw.map { self.forms(of: $0.text) }
        if forms.count > 1, Self.articles.contains(forms[0].folded) {
            raw.removeFirst()
            forms.removeFirst()
        }
        let allSameCase = !name.unicodeScalars.contains(where: \.properties.isLowercase)
            || !name.unicodeScalars.contains(where: \.properties.isUppercase)
        var found: [LegalForm] = []
        stripLegalForms(raw: &raw, forms: &forms, caseIsInformative: !allSameCase, found: &found)
        var tokens = forms.flatMap(\.latin)
        let folded = forms.flatMap(\.peeled)
        if tokens.isEmpty, !folded.isEmpty { tokens = folded }
        var germanKey: String?
        if folded.contains(where: { $0.unicodeScalars.contains(where: { "äöü".unicodeScalars.contains($0) }) }) {
            germanKey = folded.map { asciiWords(Self.asciiFold($0.replacing("ä", with: "ae").replacing("ö", with: "oe")
                .replacing("ü", with: "ue"), using: self)).replacing(" ", with: "") }.joined()
        }
        return CompanyName(tokens: tokens, nativeKey: folded.joined(separator: " "),
                           confusableKey: forms.map(\.skeleton).joined(separator: " "),
                           germanKey: germanKey, legalForms: found)
    }

    private func forms(of token: String) -> TokenForms {
        if let cached = tokenCache[token] { return cached }
        let folded = Self.caseFolded(token)
        let forms = forms(folded: folded)
        if tokenCache.count >= Self.tokenCacheLimit { tokenCache.removeAll(keepingCapacity: true) }
        tokenCache[token] = forms
        return forms
    }

    private func forms(folded: String) -> TokenForms {
        let peeled = Self.peelGenericWords(folded)
        return TokenForms(folded: folded, compare: foldLatin(folded), peeled: peeled,
                          latin: peeled.flatMap(latinTokens).map { Self.canonicalWords[$0] ?? $0 },
                          skeleton: peeled.map { nfkcCasefold(confusableSkeleton($0)) }.joined(separator: " "))
    }

    // MARK: - Steps

    static let articles: Set<String> = ["the", "le", "la", "les", "el", "los", "las", "die", "der", "das", "il", "lo", "l"]

    /// `&`, `＆` and `+` become " and "; apostrophes inside words are dropped. One pass.
    static func preclean(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in withoutTrailingAside(name).unicodeScalars {
            switch scalar {
            case "&", "＆", "+": out.append(contentsOf: " and ".unicodeScalars)
            case "'", "’", "´", "‘": continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The name without a trailing bracketed Latin aside — an abbreviation, a former name, a
    /// location ("Acer Incorporated [ALI]", "Spago (Los Angeles)", "Analog Devices (White
    /// Mountain DSP" cut short) — when letters or digits stand before it. The aside
    /// describes the account; it is not part of the name two registries both write.
    static func withoutTrailingAside(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        guard let open = scalars.lastIndex(where: { $0 == "(" || $0 == "[" }), open > 0 else { return name }
        let before = scalars[..<open]
        guard before.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) else { return name }
        let closing: Unicode.Scalar = scalars[open] == "(" ? ")" : "]"
        let after = scalars[(open + 1)...]
        // Latin asides only: "(มหาชน)" is part of a Thai legal form, "(주)" of a Korean one.
        guard after.contains(where: { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }) else { return name }
        if let close = after.firstIndex(of: closing) {
            // Only an aside at the end: "Smith (UK) Holdings" keeps its words.
            guard scalars[(close + 1)...].allSatisfy({ !$0.properties.isAlphabetic && $0.properties.numericType == nil }) else { return name }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: before)
        return String(view)
    }

    /// A token and whether a `.` or `/` follows it directly (the "S.A." and "A/S" of legal forms).
    struct RawToken {
        var text: String
        var abbreviated: Bool
        /// The token begins a word written apart: first in the name, or after white space
        /// ("S.C.E. s.r.l.": the "s" of "s.r.l." does, its "r" does not).
        var wordStart = true
    }

    /// Splits on every scalar that is not a letter, combining mark or digit, and
    /// where a run of Han, Kana, Hangul or Thai meets another script
    /// ("トヨタ自動車" → "トヨタ", "自動車"; "KDDI株式会社" → "KDDI", "株式会社").
    static func split(_ text: String) -> [RawToken] {
        var tokens: [RawToken] = []
        var current = String.UnicodeScalarView()
        var previousScript = ScriptClass.common
        var spaceSeen = true
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
                || properties.generalCategory == .spacingMark {
                let script = properties.isAlphabetic ? ScriptClass(scalar) : .common
                if script != .common {
                    if !current.isEmpty, previousScript != .common, script != previousScript,
                       script.isUnspaced || previousScript.isUnspaced, !(script.isKana && previousScript.isKana) {
                        tokens.append(RawToken(text: String(current), abbreviated: false, wordStart: spaceSeen))
                        current = String.UnicodeScalarView()
                        spaceSeen = false
                    }
                    previousScript = script
                }
                current.append(scalar)
            } else {
                if !current.isEmpty {
                    tokens.append(RawToken(text: String(current), abbreviated: scalar == "." || scalar == "/", wordStart: spaceSeen))
                    current = String.UnicodeScalarView()
                    previousScript = .common
                    spaceSeen = false
                }
                if properties.isWhitespace { spaceSeen = true }
            }
        }
        if !current.isEmpty { tokens.append(RawToken(text: String(current), abbreviated: false, wordStart: spaceSeen)) }
        return tokens
    }

    /// The case-folded token; a token mixing Latin, Cyrillic and Greek letters is a
    /// look-alike accident ("Сisco", "ЅΙΕΜΕΝЅ"), so it becomes its confusable skeleton,
    /// taken before case folding as skeletons depend on case.
    static func caseFolded(_ token: String) -> String {
        var scripts = Set<ScriptClass>()
        for scalar in token.unicodeScalars {
            let script = ScriptClass(scalar)
            if script == .latin || script == .cyrillic || script == .greek { scripts.insert(script) }
        }
        return nfkcCasefold(scripts.count > 1 ? confusableSkeleton(token) : token)
    }

    /// Tokens as legal-form aliases are compared: case folded, Latin letters without accents.
    static func compareTokens(_ text: String) -> [String] {
        split(nfkc(preclean(text))).map { nfkcCasefold($0.text) }.map { token in
            token.unicodeScalars.allSatisfy({ $0.value < 0x80 }) ? token : ASCIIFolding.foldLatin(token)
        }
    }

    private func stripLegalForms(raw: inout [RawToken], forms: inout [TokenForms], caseIsInformative: Bool, found: inout [LegalForm]) {
        var changed = true
        while changed && forms.count > 0 {
            changed = false
            let compare = forms.map(\.compare)
            // Whole-token forms at either end, longest span first, the end before the start
            // ("S.C.E. srl": the initials are the name, srl its form); never the last token.
            let longest = min(legalForms.maxTokens, forms.count - 1)
            for length in stride(from: longest, through: 1, by: -1) {
                let before = compare.count > length ? compare[compare.count - length - 1] : nil
                if let form = match(compare.suffix(length), raw: raw.suffix(length), caseIsInformative: caseIsInformative,
                                    neighbour: before) {
                    found.append(form)
                    raw.removeLast(length); forms.removeLast(length)
                    changed = true
                    break
                }
            }
            if changed { continue }
            for length in stride(from: longest, through: 1, by: -1) {
                let after = compare.count > length ? compare[length] : nil
                if let form = match(compare.prefix(length), raw: raw.prefix(length), caseIsInformative: caseIsInformative,
                                    neighbour: after, atStart: true, endsWord: raw.count > length ? raw[length].wordStart : true) {
                    found.append(form)
                    raw.removeFirst(length); forms.removeFirst(length)
                    changed = true
                    break
                }
            }
            // Forms written without spaces inside the first or last Han/Kana/Hangul/Thai token.
            for position in Set([0, forms.count - 1]) where !changed && position < forms.count {
                let token = forms[position].folded
                guard token.unicodeScalars.contains(where: { ScriptClass($0).isUnspaced }) else { continue }
                for (affix, form) in legalForms.affixes where token.count > affix.count {
                    var rest: Substring?
                    if token.hasSuffix(affix) { rest = token.dropLast(affix.count) } else if token.hasPrefix(affix) {
                        rest = token.dropFirst(affix.count)
                    }
                    if let rest {
                        forms[position] = self.forms(folded: String(rest))
                        raw[position].text = String(rest)
                        found.append(form)
                        changed = true
                        break
                    }
                }
            }
        }
    }

    /// The legal form a span of end tokens spells, by native or transliterated compare form.
    ///
    /// Short forms that are also words or initials ("Spa", "A B C") count only when
    /// written like a legal form: dotted or slashed (S.p.A., A/S), or, at the end
    /// of the name, capitalized inside (SpA, AS) or two letters in an all-capitals
    /// name. Single letters ("A B C Engineering", "A.B.C. Ltd") are initials unless
    /// dotted and not followed by more initials.
    private func match(_ compare: ArraySlice<String>, raw: ArraySlice<RawToken>, caseIsInformative: Bool,
                       neighbour: String?, atStart: Bool = false, endsWord: Bool = true) -> LegalForm? {
        var key = compare.joined()
        var form = legalForms.byKey[key]
        if form == nil, compare.contains(where: { !$0.utf8.allSatisfy { $0 < 0x80 } }) {
            key = compare.map { latinTokens($0).joined() }.joined()
            form = legalForms.byKey[key]
        }
        guard let form else { return nil }
        let dotted = raw.dropLast().allSatisfy(\.abbreviated)
        // Initials dotted as one word of their own ("S.C.E. s.r.l.") are a form even after other
        // initials; run on from them ("S.C.E.S.R.L.") they are more initials.
        let ownWord = endsWord && raw.first!.wordStart && raw.dropFirst().allSatisfy { !$0.wordStart }
        if compare.count > 1 && compare.allSatisfy({ $0.count == 1 }) && (!dotted || (neighbour?.count == 1 && !ownWord)) { return nil }
        guard LegalFormTable.isAmbiguous(key) else { return form }
        if compare.count > 1 { return dotted ? form : nil }
        if atStart { return nil }
        let uppercase = raw.first!.text.filter(\.isUppercase).count
        if caseIsInformative { return uppercase >= 2 ? form : nil }
        return key.count == 2 && uppercase == 2 ? form : nil
    }

    /// Generic words written without spaces at the end of a Han/Kana/Hangul token, split off and translated.
    static func peelGenericWords(_ token: String) -> [String] {
        guard !token.utf8.allSatisfy({ $0 < 0x80 }) else { return [token] }
        var rest = token
        var peeled: [String] = []
        var changed = true
        while changed {
            changed = false
            for (word, translation) in genericTranslations where rest.count > word.count && rest.hasSuffix(word) {
                rest.removeLast(word.count)
                peeled.insert(translation, at: 0)
                changed = true
                break
            }
        }
        return [rest] + peeled
    }

    /// Abbreviations and plurals of generic words, and "and" in other languages, written
    /// one way ("intl" → "international", "technologies" → "technology", "und" → "and"),
    /// so "Contoso Intl" meets "Contoso International" and "Müller und Söhne" meets "Müller & Söhne".
    static let canonicalWords: [String: String] = [
        "intl": "international", "int": "international", "mfg": "manufacturing", "mfrs": "manufacturers",
        "svc": "service", "svcs": "service", "services": "service", "sys": "system", "systems": "system",
        "tech": "technology", "techs": "technology", "technologies": "technology", "bros": "brothers",
        "assoc": "associates", "assocs": "associates", "hldgs": "holding", "hldg": "holding", "holdings": "holding",
        "grp": "group", "mgmt": "management", "mgt": "management", "natl": "national", "univ": "university",
        "inst": "institute", "assn": "association", "dept": "department", "ind": "industries", "inds": "industries",
        "industry": "industries", "solutions": "solution", "products": "product", "prods": "product",
        "labs": "laboratories", "lab": "laboratories", "pharm": "pharmaceuticals", "pharma": "pharmaceuticals",
        "eng": "engineering", "engg": "engineering", "dev": "development", "devel": "development",
        "intern": "international", "ctr": "center", "centre": "center", "st": "saint", "mt": "mount",
        "und": "and", "et": "and", "og": "and", "och": "and",
    ]

    static let genericTranslations: [(String, String)] = [
        ("ホールディングス", "holdings"), ("インターナショナル", "international"), ("テクノロジーズ", "technologies"),
        ("グループ", "group"), ("集团", "group"), ("集團", "group"), ("控股", "holding"), ("科技", "technology"),
        ("国际", "international"), ("國際", "international"), ("银行", "bank"), ("銀行", "bank"), ("그룹", "group"),
        ("홀딩스", "holdings"), ("은행", "bank"),
    ]

    /// ASCII tokens of one native token, transliterated by script and cached.
    private func latinTokens(_ token: String) -> [String] {
        if token.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(token).split(separator: " ").map(String.init) }
        if let cached = latinCache[token] { return cached }
        let id = Self.transliteratorID(for: token)
        var latin = transliterator(id)(token)
        if id.hasPrefix("Any-Latin") && token.unicodeScalars.contains(where: { ScriptClass($0).isUnspaced }) {
            latin = latin.replacing(" ", with: "")   // 阿里巴巴 → "a li ba ba" → "alibaba"
        }
        let result = asciiWords(latin).split(separator: " ").map(String.init)
        if latinCache.count > 500_000 { latinCache.removeAll(keepingCapacity: true) }
        latinCache[token] = result
        return result
    }

    static func transliteratorID(for token: String) -> String {
        var counts: [ScriptClass: Int] = [:]
        for scalar in token.unicodeScalars { counts[ScriptClass(scalar), default: 0] += 1 }
        counts[.common] = nil
        let script = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?.key ?? .latin
        switch script {
        case .latin: return "Latin-ASCII"
        case .cyrillic:
            return token.contains(where: { "іїєґ".contains($0) })
                ? "Ukrainian-Latin/BGN; Any-Latin; Latin-ASCII" : "Russian-Latin/BGN; Any-Latin; Latin-ASCII"
        case .greek: return "Greek-Latin/UNGEGN; Latin-ASCII"
        default: return "Any-Latin; Latin-ASCII"
        }
    }

    /// Latin letters without accents; other scripts unchanged (as `compareTokens` folds legal-form aliases).
    private func foldLatin(_ token: String) -> String {
        guard token.unicodeScalars.contains(where: { $0.value >= 0x80 && ScriptClass($0) == .latin }) else { return token }
        return transliterator("Latin-ASCII")(token)
    }

    fileprivate func transliterator(_ id: String) -> Transliterator {
        if let existing = transliterators[id] { return existing }
        let created = (try? Transliterator(id: id)) ?? (try! Transliterator(id: "Any-Latin; Latin-ASCII"))
        transliterators[id] = created
        return created
    }

    static func asciiFold(_ text: String, using normalizer: CompanyNameNormalizer) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : normalizer.transliterator("Any-Latin; Latin-ASCII")(text)
    }
}
