/// The distinct name tokens of an index, each interned once with what scoring
/// and typo blocking need: its scalars, prior weight and whether it is generic.
struct TokenVocabulary: Sendable {
    private var ids: [String: Int32] = [:]
    private(set) var texts: [String] = []
    private var scalars: [UInt32] = []
    private var scalarStarts: [Int32] = [0]
    private(set) var priors: [Double] = []
    private(set) var generic: [Bool] = []
    /// Four scalars or more and no digits: tokens that may have typo neighbours.
    private(set) var typoEligible: [Bool] = []

    var count: Int { texts.count }

    func id(_ token: String) -> Int32? { ids[token] }

    /// The token's id, interning it if new; `isNew` tells whether it was.
    mutating func intern(_ token: String) -> (id: Int32, isNew: Bool) {
        if let id = ids[token] { return (id, false) }
        let id = Int32(texts.count)
        ids[token] = id
        texts.append(token)
        scalars.append(contentsOf: token.unicodeScalars.lazy.map(\.value))
        scalarStarts.append(Int32(scalars.count))
        priors.append(TokenPriors.weight(token))
        generic.append(TokenPriors.isGeneric(token))
        typoEligible.append(Self.isTypoEligible(token))
        return (id, true)
    }

    /// Calls `body` with the token's scalars.
    func withScalars<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt32>) -> R) -> R {
        let start = Int(scalarStarts[Int(id)]), end = Int(scalarStarts[Int(id) + 1])
        return scalars.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    static func isTypoEligible(_ token: String) -> Bool {
        token.unicodeScalars.count >= 4 && !token.unicodeScalars.contains { $0.properties.numericType != nil }
    }

    /// Keys under which a token meets every token one edit away (symmetric deletion):
    /// the token itself and each of its one-letter deletions. Two tokens share a key
    /// exactly when one insertion, deletion, substitution or swap of neighbours may
    /// turn one into the other.
    static func deletionKeys(_ scalars: UnsafeBufferPointer<UInt32>) -> [UInt64] {
        var keys = [BlockingKey.hash(kindDeletion, scalars, UnsafeBufferPointer(start: nil, count: 0))]
        keys.reserveCapacity(scalars.count + 1)
        for skipped in 0..<scalars.count where skipped == 0 || scalars[skipped] != scalars[skipped - 1] {
            keys.append(BlockingKey.hash(kindDeletion, UnsafeBufferPointer(rebasing: scalars[..<skipped]),
                                         UnsafeBufferPointer(rebasing: scalars[(skipped + 1)...])))
        }
        return keys
    }

    /// A key shared by spellings that transliteration systems or ears confuse
    /// ("yandex"/"yandeks", "sholz"/"scholz"): x as ks, ph as f, c/q as k, w as v,
    /// y/j as i, kh as h, sch as sh; vowels after the first letter dropped; doubled
    /// letters once. Only for ASCII tokens of six letters or more, the length at
    /// which scoring counts a Jaro-Winkler near miss.
    static func spellingKey(_ token: String) -> UInt64? {
        guard token.utf8.count >= 6, token.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var spelled = Array(token.utf8).map { $0 | 0x20 }
        for (from, to) in spellingRewrites { spelled = replacing(from, with: to, in: spelled) }
        var key: [UInt32] = []
        for (offset, byte) in spelled.enumerated() {
            if offset > 0 && vowels.contains(byte) { continue }
            if key.last != UInt32(byte) { key.append(UInt32(byte)) }
        }
        return BlockingKey.hash(kindSpelling, key)
    }

    private static let spellingRewrites: [([UInt8], [UInt8])] = [
        ("sch", "sh"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("x", "ks"), ("c", "k"), ("q", "k"), ("w", "v"), ("y", "i"), ("j", "i"),
    ].map { (Array($0.utf8), Array($1.utf8)) }
    private static let vowels = Array("aeiou".utf8)

    private static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        var i = 0
        while i < bytes.count {
            if i + pattern.count <= bytes.count && bytes[i..<i + pattern.count].elementsEqual(pattern) {
                out.append(contentsOf: replacement)
                i += pattern.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static let kindDeletion = UInt8(ascii: "x"), kindSpelling = UInt8(ascii: "p")
}
