import CICU

/// Calls an ICU function that writes UTF-16 into a caller-sized buffer,
/// retrying once with the length it asked for.
func withUTF16Output(capacityHint: Int,
                     _ body: (UnsafeMutablePointer<UInt16>, Int32, inout Int32) -> Int32) -> (String, Int32) {
    var capacity = max(capacityHint, 16)
    for _ in 0..<2 {
        var buffer = [UInt16](repeating: 0, count: capacity)
        var err: Int32 = 0
        let length = Int(buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, Int32(capacity), &err) })
        if err > 0 { return ("", err) }
        if length <= capacity { return (String(decoding: buffer[0..<length], as: UTF16.self), 0) }
        capacity = length
    }
    return ("", 15) // U_BUFFER_OVERFLOW_ERROR
}

/// ICU's NFKC_Casefold (filtered to keep Thai and Lao SARA AM composed):
/// compatibility forms folded, case folded, default-ignorables removed.
///
///     nfkcCasefold("ＫＤＤＩ株式会社") == "kddi株式会社"
///     nfkcCasefold("Straße") == "strasse"
public func nfkcCasefold(_ text: String) -> String {
    if text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) {
        // Printable ASCII folds to itself, capitals lowered.
        return text.utf8.contains(where: { (0x41...0x5A).contains($0) })
            ? String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self) : text
    }
    let source = Array(text.utf16)
    return withUTF16Output(capacityHint: source.count * 2 + 8) { dst, cap, err in
        dr_nfkc_casefold(source, Int32(source.count), dst, cap, &err)
    }.0
}

/// ICU's NFKC: compatibility forms folded ("Ｓｏｎｙ" → "Sony", "㈱" → "(株)"), case kept.
public func nfkc(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
    let source = Array(text.utf16)
    return withUTF16Output(capacityHint: source.count * 2 + 8) { dst, cap, err in
        dr_nfkc(source, Int32(source.count), dst, cap, &err)
    }.0
}

/// The UTS #39 confusable skeleton of `text` ("раураl" → "paypal", "Сisco" → "Cisco").
public func confusableSkeleton(_ text: String) -> String {
    let source = Array(text.utf16)
    return withUTF16Output(capacityHint: source.count * 2 + 8) { dst, cap, err in
        dr_confusable_skeleton(source, Int32(source.count), dst, cap, &err)
    }.0
}

/// Script classes that choose a transliterator.
public enum ScriptClass: Int32, Sendable {
    case common = 0, latin, cyrillic, greek, han, hiragana, katakana, hangul, thai, arabic, hebrew
    case other = 99

    public init(_ scalar: Unicode.Scalar) {
        if scalar.value < 0x80 {
            let lowered = scalar.value | 0x20
            self = lowered >= 0x61 && lowered <= 0x7A ? .latin : .common
        } else {
            self = ScriptClass(rawValue: dr_script_class(scalar.value)) ?? .other
        }
    }
}

/// An ICU transliterator, opened once and reused for every string.
///
/// Not thread-safe: give each thread its own.
public final class Transliterator {
    public let id: String
    private let handle: OpaquePointer

    /// - Parameters:
    ///   - id: a transliterator ID or compound ID, e.g. `"Any-Latin; Latin-ASCII"`.
    ///   - rules: optional custom rules; `id` then names the result.
    /// - Throws: `ICUError` when ICU rejects the ID or rules.
    public init(id: String, rules: String? = nil) throws {
        self.id = id
        let idUnits = Array(id.utf16)
        let ruleUnits = rules.map { Array($0.utf16) }
        var err: Int32 = 0
        let opened: OpaquePointer? = if let ruleUnits {
            dr_transliterator_open(idUnits, Int32(idUnits.count), ruleUnits, Int32(ruleUnits.count), &err)
        } else {
            dr_transliterator_open(idUnits, Int32(idUnits.count), nil, 0, &err)
        }
        guard let opened, err <= 0 else { throw ICUError(operation: "open transliterator '\(id)'", code: err) }
        handle = opened
    }

    deinit { dr_transliterator_close(handle) }

    /// The transliterated text.
    public func callAsFunction(_ text: String) -> String {
        let source = Array(text.utf16)
        var capacity = max(source.count * 4, 32)
        while true {
            var buffer = source + [UInt16](repeating: 0, count: capacity - source.count)
            var err: Int32 = 0
            let length = Int(dr_transliterate(handle, &buffer, Int32(source.count), Int32(capacity), &err))
            if err > 0 { return text }
            if length <= capacity { return String(decoding: buffer[0..<length], as: UTF16.self) }
            capacity = length + 16
        }
    }
}

/// A failure reported by ICU.
public struct ICUError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "ICU could not \(operation): \(String(cString: dr_error_name(code)))" }
}

/// The ICU library version in use, e.g. "72.1".
public var icuVersion: String {
    var buffer = [CChar](repeating: 0, count: 32)
    dr_icu_version(&buffer, 32)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
