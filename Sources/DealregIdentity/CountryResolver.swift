import CICU

/// Resolves what people type in a country column to an ISO 3166-1 alpha-2 code.
///
/// Accepts alpha-2 codes (with ICU's aliases, e.g. UK → GB), alpha-3 and
/// numeric codes, and country names in 40 major languages taken from ICU's
/// locale data ("Deutschland", "Allemagne", "Россия", "日本"), plus a small
/// alias table for common names ICU lacks ("Great Britain", "UAE"). A name
/// that two countries share after folding ("Korea") stays unresolved.
public struct CountryResolver: Sendable {
    /// The resolver built from ICU once per process.
    public static let shared = CountryResolver()

    /// Display languages whose country names are accepted.
    public static let nameLocales = [
        "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "sk", "hu", "ro", "bg",
        "el", "tr", "ru", "uk", "sr", "hr", "sl", "et", "lv", "lt", "ja", "zh", "zh_Hant", "ko", "ar", "he",
        "fa", "hi", "th", "vi", "id", "ms", "ca",
    ]

    /// Names ICU does not give (NORMALIZATION.md §1.7), folded like every key.
    static let aliases: [String: String] = [
        "greatbritain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northernireland": "GB",
        "unitedkingdomofgreatbritainandnorthernireland": "GB", "britain": "GB",
        "uae": "AE", "usa": "US", "unitedstatesofamerica": "US", "america": "US",
        "southkorea": "KR", "republicofkorea": "KR", "korearepublicof": "KR", "northkorea": "KP",
        "holland": "NL", "russianfederation": "RU", "czechrepublic": "CZ", "hongkongsar": "HK",
        "ivorycoast": "CI", "turkiye": "TR", "vietnam": "VN", "prc": "CN", "mainlandchina": "CN",
        "中华人民共和国": "CN", "中華人民共和国": "CN", "中華人民共和國": "CN", "한국": "KR", "南韓": "KR", "韩国": "KR",
    ]

    private let alpha2: Set<String>
    private let alpha3: [String: String]
    private let names: [String: String]

    init() {
        var codes = [CChar](repeating: 0, count: 3 * 300)
        let count = Int(dr_iso_countries(&codes, 300))
        var alpha2 = Set<String>()
        var alpha3: [String: String] = [:]
        for index in 0..<count {
            let code = String(decoding: codes[(3 * index)..<(3 * index + 2)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            alpha2.insert(code)
            var iso3 = [CChar](repeating: 0, count: 4)
            if dr_iso3_country(code, &iso3) == 1 {
                alpha3[String(decoding: iso3.prefix(3).map { UInt8(bitPattern: $0) }, as: UTF8.self)] = code
            }
        }
        self.alpha2 = alpha2
        self.alpha3 = alpha3
        names = Self.buildNameTable(codes: alpha2.sorted())
    }

    /// The alpha-2 code for `raw`, or nil when it names no single country.
    public func resolve(_ raw: String) -> String? {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        let upper = nfkcCasefold(trimmed).uppercased()
        let isCodeLike = upper.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
        if isCodeLike && (upper.count == 2 || (upper.count == 3 && upper.allSatisfy(\.isNumber))) {
            var out = [CChar](repeating: 0, count: 3)
            if dr_region_from_code(upper, &out) == 1 {
                let code = String(decoding: out.prefix(2).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if alpha2.contains(code) { return code }
            }
            if upper.count == 2 { return nil }
        }
        if isCodeLike, upper.count == 3, let code = alpha3[upper] { return code }
        return names[Self.nativeKey(trimmed)] ?? names[Self.latinKey(trimmed)]
    }

    /// Case-folded, letters and digits only, leading article dropped; native script kept.
    static func nativeKey(_ name: String) -> String {
        var folded = nfkcCasefold(name)
        for article in ["the ", "die ", "der ", "la ", "le ", "el ", "les ", "los ", "las ", "l'", "l’"]
        where folded.hasPrefix(article) {
            folded.removeFirst(article.count)
            break
        }
        return String(String.UnicodeScalarView(folded.unicodeScalars.filter {
            $0.properties.isAlphabetic || $0.properties.numericType != nil
        }))
    }

    /// `nativeKey` transliterated to ASCII.
    static func latinKey(_ name: String) -> String {
        let native = nativeKey(name)
        guard !native.utf8.allSatisfy({ $0 < 0x80 }) else { return native }
        return ASCIIFolding.words(native).replacing(" ", with: "")
    }

    private static func buildNameTable(codes: [String]) -> [String: String] {
        var table: [String: String] = [:]
        var ambiguous = Set<String>()
        func add(_ key: String, _ code: String) {
            guard !key.isEmpty, !ambiguous.contains(key) else { return }
            if let existing = table[key], existing != code {
                table[key] = nil
                ambiguous.insert(key)
            } else {
                table[key] = code
            }
        }
        for locale in nameLocales {
            for shortForm: Int32 in [0, 1] {
                var err: Int32 = 0
                guard let handle = dr_region_names_open(locale, shortForm, &err) else { continue }
                defer { dr_region_names_close(handle) }
                for code in codes {
                    let (name, status) = withUTF16Output(capacityHint: 64) { dst, cap, err in
                        dr_region_name(handle, code, dst, cap, &err)
                    }
                    guard status <= 0, !name.isEmpty else { continue }
                    let native = nativeKey(name)
                    add(native, code)
                    if !native.utf8.allSatisfy({ $0 < 0x80 }) {
                        add(ASCIIFolding.words(native).replacing(" ", with: ""), code)
                    }
                }
            }
        }
        for (key, code) in aliases { table[key] = code }
        return table
    }
}
