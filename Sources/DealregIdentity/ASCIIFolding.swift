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
}
