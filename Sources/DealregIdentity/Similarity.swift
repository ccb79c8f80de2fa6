/// Jaro-Winkler similarity of two strings' Unicode scalars, 0...1.
///
/// - Complexity: O(n·m) in the worst case; names are short.
public func jaroWinkler(_ a: String, _ b: String) -> Double {
    let s = a.unicodeScalars.map(\.value), t = b.unicodeScalars.map(\.value)
    return s.withUnsafeBufferPointer { s in t.withUnsafeBufferPointer { t in jaroWinkler(s, t) } }
}

/// Edit distance counting an insertion, deletion, substitution or swap of
/// two neighbouring letters as one edit (optimal string alignment), stopping
/// early once it exceeds `limit`.
public func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
    let s = a.unicodeScalars.map(\.value), t = b.unicodeScalars.map(\.value)
    return s.withUnsafeBufferPointer { s in t.withUnsafeBufferPointer { t in editDistance(s, t, limit: limit) } }
}

/// Jaro-Winkler similarity of two scalar sequences; allocation-free for names up to 256 scalars.
func jaroWinkler(_ s: UnsafeBufferPointer<UInt32>, _ t: UnsafeBufferPointer<UInt32>) -> Double {
    if s.isEmpty && t.isEmpty { return 1 }
    if s.isEmpty || t.isEmpty { return 0 }
    return withUnsafeTemporaryAllocation(of: Bool.self, capacity: s.count + t.count) { flags in
        flags.initialize(repeating: false)
        let sMatched = UnsafeMutableBufferPointer(rebasing: flags[0..<s.count])
        let tMatched = UnsafeMutableBufferPointer(rebasing: flags[s.count...])
        let window = max(0, max(s.count, t.count) / 2 - 1)
        var matches = 0
        for i in 0..<s.count {
            let lo = max(0, i - window), hi = min(t.count - 1, i + window)
            guard lo <= hi else { continue }
            for j in lo...hi where !tMatched[j] && s[i] == t[j] {
                sMatched[i] = true
                tMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<s.count where sMatched[i] {
            while !tMatched[j] { j += 1 }
            if s[i] != t[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, s.count, t.count) && s[prefix] == t[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}

/// Optimal string alignment distance of two scalar sequences, stopping early once it exceeds `limit`.
func editDistance(_ s: UnsafeBufferPointer<UInt32>, _ t: UnsafeBufferPointer<UInt32>, limit: Int = .max) -> Int {
    if abs(s.count - t.count) > limit { return limit + 1 }
    if s.isEmpty || t.isEmpty { return max(s.count, t.count) }
    let width = t.count + 1
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
        var before = UnsafeMutableBufferPointer(rebasing: rows[0..<width])
        var previous = UnsafeMutableBufferPointer(rebasing: rows[width..<2 * width])
        var current = UnsafeMutableBufferPointer(rebasing: rows[2 * width..<3 * width])
        before.initialize(repeating: 0)
        current.initialize(repeating: 0)
        for j in 0..<width { previous.initializeElement(at: j, to: j) }
        for i in 1...s.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...t.count {
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1))
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] { value = min(value, before[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[t.count]
    }
}

/// True when two scalar sequences are at most one insertion, deletion, substitution
/// or swap of neighbours apart: the `editDistance(s, t, limit: 1) <= 1` test in linear time.
func withinOneEdit(_ s: UnsafeBufferPointer<UInt32>, _ t: UnsafeBufferPointer<UInt32>) -> Bool {
    let (short, long) = s.count <= t.count ? (s, t) : (t, s)
    if long.count - short.count > 1 { return false }
    var i = 0
    while i < short.count && short[i] == long[i] { i += 1 }
    if i == short.count { return true }
    if short.count == long.count {
        // One substitution, or a swap of positions i and i+1, then equal to the end.
        if i + 1 < short.count && short[i] == long[i + 1] && short[i + 1] == long[i] {
            return short[(i + 2)...].elementsEqual(long[(i + 2)...])
        }
        return short[(i + 1)...].elementsEqual(long[(i + 1)...])
    }
    // One insertion into the shorter at position i.
    return short[i...].elementsEqual(long[(i + 1)...])
}
