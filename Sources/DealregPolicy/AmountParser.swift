import DealregIdentity

/// A money amount read from a cell, with the currency it named, if any.
public struct Amount: Equatable, Sendable {
    public var value: Double
    /// ISO 4217 code from a symbol or code in the cell ("$" → USD, "€" → EUR).
    public var currency: String?

    public init(value: Double, currency: String?) {
        self.value = value
        self.currency = currency
    }
}

/// Why a value is not an amount.
public enum AmountProblem: Error, Equatable, Sendable {
    case notANumber
    case ambiguousSeparators
    case notPositive
}

/// Reads amounts as partners type them: "$12,500.00", "12 500", "12.500,00 €",
/// "EUR 12500", "1'250'000" (Swiss), "12500".
///
/// The decimal separator is decided without locale guessing: with both `.`
/// and `,` present the last one is decimal; a separator that repeats is a
/// thousands separator; a single separator followed by exactly three digits is
/// a thousands separator (money has at most two decimals), by one or two digits
/// a decimal point. Group sizes are checked, so "1,23,4" is rejected, not misread.
public enum AmountParser {
    static let symbols: [(String, String)] = [
        ("US$", "USD"), ("A$", "AUD"), ("C$", "CAD"), ("NZ$", "NZD"), ("HK$", "HKD"), ("R$", "BRL"),
        ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("￥", "JPY"), ("₹", "INR"), ("₩", "KRW"),
        ("zł", "PLN"), ("kr", "SEK"), ("Fr.", "CHF"), ("₽", "RUB"), ("₺", "TRY"),
    ]

    /// ISO 4217 codes accepted next to a number.
    public static let isoCurrencyCodes: Set<String> = [
        "USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
        "HUF", "RON", "BGN", "TRY", "RUB", "UAH", "INR", "KRW", "SGD", "HKD", "TWD", "THB", "MYR", "IDR",
        "PHP", "VND", "BRL", "MXN", "ARS", "CLP", "COP", "PEN", "ZAR", "AED", "SAR", "ILS", "EGP", "NGN",
        "KES", "ISK",
    ]

    /// The shape of an amount cell, as the schemas' `deal_value` pattern documents it for other
    /// tools (`frictionless validate`): an optional currency — one of `isoCurrencyCodes` or a
    /// symbol that `parse` knows — before or after digits grouped by `.`, `,`, `'`, `’`, spaces or
    /// no-break spaces, with an optional leading `+`: "$12,500.00", "12.500,00 €", "EUR 12500",
    /// "1'250'000", "¥4,800,000". Written for XML Schema and Python regular expressions alike
    /// (no `\d`, `\s` or `\p{…}`), matched against the whole cell. `parse` checks more than the
    /// shape (group sizes, the decimal separator, a value above 0), so a cell can fit the pattern
    /// and still be `invalid_value`; an amount written as in these examples fits it (`parse` also
    /// takes rarer forms, such as a symbol between digits or a thin space, that it does not).
    public static let pattern: String = {
        let space = "[ \u{00A0}\u{202F}\t]"
        // ISO codes in any case, as `parse` takes them ("[Ee][Uu][Rr]"), then the symbols.
        let codes = isoCurrencyCodes.sorted().map { code in code.map { "[\($0)\($0.lowercased())]" }.joined() }
        let currencies = codes + symbols.map(\.0).map(escaped)
        let currency = "(" + currencies.joined(separator: "|") + ")"
        let digits = "[0-9.,'’ \u{00A0}\u{202F}]"
        return "\(space)*(\(currency)\(space)*)?[+]?\(digits)*[0-9]\(digits)*(\(space)*\(currency))?\(space)*"
    }()

    /// `symbol` with the regular-expression metacharacters it holds escaped.
    private static func escaped(_ symbol: String) -> String {
        var result = ""
        for character in symbol {
            if "$.+()[]{}*?|^\\".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    public static func parse(_ raw: String) -> Result<Amount, AmountProblem> {
        var text = raw.trimmingWhitespace()
        var currency: String?
        // A three-letter ISO code before or after the number.
        let letters = text.filter(\.isLetter)
        if letters.count == 3, isoCurrencyCodes.contains(letters.uppercased()),
           text.hasPrefix(letters) || text.hasSuffix(letters) {
            currency = letters.uppercased()
            text = text.replacing(letters, with: "")
        } else {
            for (symbol, code) in symbols where text.contains(symbol) {
                currency = code
                text = text.replacing(symbol, with: "")
                break
            }
        }
        text = String(text.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "'" && $0 != "’" }
            .map(Character.init))
        if text.hasPrefix("-") || text.hasPrefix("(") || text.hasPrefix("−") { return .failure(.notPositive) }
        if text.hasPrefix("+") { text.removeFirst() }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "," }),
              text.first!.isASCIIDigit || text.first == "." || text.first == "," else { return .failure(.notANumber) }
        guard let value = number(from: text) else { return .failure(.ambiguousSeparators) }
        guard value > 0 else { return .failure(.notPositive) }
        return .success(Amount(value: value, currency: currency))
    }

    private static func number(from text: String) -> Double? {
        let lastDot = text.lastIndex(of: "."), lastComma = text.lastIndex(of: ",")
        let dots = text.filter { $0 == "." }.count, commas = text.filter { $0 == "," }.count
        var decimal: Character?
        var grouping: Character?
        switch (lastDot, lastComma) {
        case (nil, nil):
            break
        case (.some(let dot), .some(let comma)):
            decimal = dot > comma ? "." : ","
            grouping = dot > comma ? "," : "."
            if (decimal == "." ? dots : commas) > 1 { return nil }
        case (.some, nil), (nil, .some):
            let separator: Character = lastDot != nil ? "." : ","
            let count = separator == "." ? dots : commas
            let digitsAfter = text.distance(from: text.index(after: (lastDot ?? lastComma)!), to: text.endIndex)
            if count > 1 || digitsAfter == 3 {
                grouping = separator
            } else if digitsAfter == 1 || digitsAfter == 2 {
                decimal = separator
            } else {
                return nil
            }
        }
        let parts = text.split(separator: decimal ?? "\u{0}", omittingEmptySubsequences: false)
        let integerPart = parts[0]
        if let grouping {
            let groups = integerPart.split(separator: grouping, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = integerPart.filter(\.isASCIIDigit)
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !digits.isEmpty || !fraction.isEmpty, fraction.count <= 2 || decimal == nil else { return nil }
        return Double((digits.isEmpty ? "0" : digits) + (fraction.isEmpty ? "" : "." + fraction))
    }
}
