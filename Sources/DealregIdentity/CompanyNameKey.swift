/// Reduces a company name to a comparison key: NFKC_Casefold, any script
/// transliterated to ASCII Latin, `&` read as "and", and punctuation and
/// spacing collapsed to single spaces.
///
///     key("Fourth Coffee, Inc.") == "fourth coffee inc"
///     key("Café Crème") == "cafe creme"
///
/// Not thread-safe (it owns a transliterator): one per thread.
public final class CompanyNameKeyer {
    private let toASCII: Transliterator

    public init() throws {
        toASCII = try Transliterator(id: "Any-Latin; Latin-ASCII")
    }

    public func key(_ name: String) -> String {
        let folded = nfkcCasefold(name)
        let latin = folded.utf8.allSatisfy { $0 < 0x80 } ? folded : toASCII(folded)
        return asciiWords(latin.replacing("&", with: " and ").replacing("+", with: " and "))
    }
}

/// Lower-case ASCII letters and digits, every other run of characters
/// becoming one space; apostrophes inside words are dropped ("O'Reilly" → "oreilly").
func asciiWords(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte + 32)
        case UInt8(ascii: "'"):
            continue
        default:
            pendingSpace = true
        }
    }
    return String(decoding: out, as: UTF8.self)
}
