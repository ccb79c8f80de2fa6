import Synchronization

/// Folds low-volume text (header names, country names) to lower-case ASCII
/// words: NFKC_Casefold, any script transliterated, punctuation to spaces.
///
/// Uses one shared transliterator behind a lock; hot paths own their own
/// `Transliterator` instead.
public enum ASCIIFolding {
    private static let latin = Mutex<Transliterator?>(try? Transliterator(id: "Any-Latin; Latin-ASCII"))

    ///     ASCIIFolding.words("Société Générale") == "societe generale"
    ///     ASCIIFolding.words("Россия") == "rossia"
    public static func words(_ text: String) -> String {
        let folded = nfkcCasefold(text)
        if folded.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(folded) }
        let latin = Self.latin.withLock { $0?(folded) ?? folded }
        return asciiWords(latin)
    }

    /// Latin letters without accents ("société" → "societe"); other scripts unchanged.
    public static func foldLatin(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ScriptClass($0) == .latin && $0.value >= 0x80 }) else { return text }
        return latinOnly.withLock { $0?(text) ?? text }
    }

    private static let latinOnly = Mutex<Transliterator?>(try? Transliterator(id: "Latin-ASCII"))
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
