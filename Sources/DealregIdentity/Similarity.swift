/// Jaro-Winkler similarity of two strings' Unicode scalars, 0...1.
///
/// - Complexity: O(n·m) in the worst case; names are short.
public func jaroWinkler(_ a: String, _ b: String) -> Double {
    let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
    if s.isEmpty && t.isEmpty { return 1 }
    if s.isEmpty || t.isEmpty { return 0 }
    let window = max(0, max(s.count, t.count) / 2 - 1)
    var sMatched = [Bool](repeating: false, count: s.count)
    var tMatched = [Bool](repeating: false, count: t.count)
    var matches = 0
    for i in s.indices {
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
    for i in s.indices where sMatched[i] {
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

/// Edit distance counting an insertion, deletion, substitution or swap of
/// two neighbouring letters as one edit (optimal string alignment), stopping
/// early once it exceeds `limit`.
public func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
    let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
    if abs(s.count - t.count) > limit { return limit + 1 }
    if s.isEmpty || t.isEmpty { return max(s.count, t.count) }
    var before = [Int](repeating: 0, count: t.count + 1)
    var previous = Array(0...t.count)
    var current = [Int](repeating: 0, count: t.count + 1)
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
