import CICU

/// The character encoding chosen for a file, and why.
public struct DetectedEncoding: Equatable, Sendable {
    /// ICU charset name, e.g. "UTF-8", "UTF-16LE", "windows-1252", "Shift_JIS".
    public var charset: String
    /// Bytes of byte-order mark at the start of the file (skipped when reading).
    public var signatureLength: Int
    /// How the encoding was chosen: "byte-order mark", "valid UTF-8", "detected (confidence 85)", "--encoding".
    public var evidence: String

    public init(charset: String, signatureLength: Int, evidence: String) {
        self.charset = charset
        self.signatureLength = signatureLength
        self.evidence = evidence
    }

    public var isUTF8: Bool { charset == "UTF-8" }
}

/// Chooses a file's character encoding the way NORMALIZATION.md §1.5 recommends:
/// a byte-order mark wins; otherwise a file that is valid UTF-8 throughout is
/// UTF-8 (this covers ASCII); otherwise ICU's detector ranks candidates over a
/// sample, ISO-8859-1 is read as its superset windows-1252 (what Excel writes),
/// and a candidate is accepted only if it decodes the sample without
/// undecodable bytes or C1 control characters.
public enum EncodingDetector {
    static let sampleSize = 64 * 1024
    /// Encodings Excel and CRMs write, tried after ICU's own candidates.
    static let excelFallbacks = ["windows-1252", "Shift_JIS", "windows-1251", "GB18030", "Big5", "EUC-KR", "windows-1250"]

    /// Reads the whole source once (in bounded memory) and decides its encoding.
    ///
    /// - Parameter observe: called with every chunk read, e.g. to hash the file in the same pass.
    public static func detect(_ source: ByteSource,
                              observe: (UnsafeRawBufferPointer) -> Void = { _ in }) throws -> DetectedEncoding {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var head: [UInt8] = []
        var around: [UInt8] = []
        var validator = UTF8StreamValidator()
        var byteOrderMark: DetectedEncoding?
        var total = 0
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer -> Int in
                let n = try source.read(into: buffer)
                observe(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                return n
            }
            if count == 0 { break }
            let bytes = chunk[0..<count]
            if total == 0 { byteOrderMark = signature(of: Array(bytes.prefix(4))) }
            total += count
            // With a byte-order mark the encoding is known; keep reading only so `observe` sees every byte.
            if byteOrderMark != nil { continue }
            if head.count < sampleSize { head.append(contentsOf: bytes.prefix(sampleSize - head.count)) }
            if validator.isValid {
                validator.feed(bytes)
                if !validator.isValid { around = Array(bytes) }
            }
        }
        if let byteOrderMark { return byteOrderMark }
        if validator.isValid && validator.finish() {
            return DetectedEncoding(charset: "UTF-8", signatureLength: 0, evidence: "valid UTF-8")
        }
        return chooseLegacyCharset(sample: head + around)
    }

    /// The encoding named by `--encoding`, checked against ICU's converters.
    public static func override(_ name: String, firstBytes: [UInt8]) throws -> DetectedEncoding {
        var err: Int32 = 0
        var canonical = [CChar](repeating: 0, count: 64)
        guard dr_canonical_charset(name, &canonical, 64, &err) == 1 else {
            throw EncodingError.unknownCharset(name)
        }
        // A Unicode override still skips the file's own byte-order mark.
        let bom = signature(of: Array(firstBytes.prefix(4)))
        let skip = name.uppercased().hasPrefix("UTF") ? bom?.signatureLength ?? 0 : 0
        return DetectedEncoding(charset: name, signatureLength: skip, evidence: "--encoding")
    }

    static func signature(of bytes: [UInt8]) -> DetectedEncoding? {
        var name = [CChar](repeating: 0, count: 32)
        let length = dr_detect_signature(bytes, Int32(bytes.count), &name, 32)
        guard length > 0 else { return nil }
        return DetectedEncoding(charset: decodeCString(name), signatureLength: Int(length), evidence: "byte-order mark")
    }

    static func chooseLegacyCharset(sample: [UInt8]) -> DetectedEncoding {
        var names = [CChar](repeating: 0, count: 32 * 8)
        var confidences = [Int32](repeating: 0, count: 8)
        var err: Int32 = 0
        let found = Int(dr_detect_charsets(sample, Int32(sample.count), &names, &confidences, 8, &err))
        var candidates: [(String, Int)] = (0..<found).map { index in
            let name = decodeCString(Array(names[(32 * index)..<(32 * index + 32)]))
            return (name == "ISO-8859-1" ? "windows-1252" : name, Int(confidences[index]))
        }.filter { !$0.0.hasPrefix("UTF-") }
        for fallback in excelFallbacks where !candidates.contains(where: { $0.0 == fallback }) {
            candidates.append((fallback, 0))
        }
        for (charset, confidence) in candidates where decodesCleanly(sample, as: charset) {
            let evidence = confidence > 0 ? "detected (confidence \(confidence))" : "fallback (decodes cleanly)"
            return DetectedEncoding(charset: charset, signatureLength: 0, evidence: evidence)
        }
        return DetectedEncoding(charset: "windows-1252", signatureLength: 0, evidence: "fallback (no clean candidate)")
    }

    /// True when the sample decodes with no replacement characters and no C1 controls.
    static func decodesCleanly(_ sample: [UInt8], as charset: String) -> Bool {
        guard let transcoder = try? TranscodingByteSource(MemoryByteSource(sample), from: charset) else { return false }
        var output = [UInt8](repeating: 0, count: 1 << 16)
        var previous: UInt8 = 0
        while let count = try? output.withUnsafeMutableBytes({ try transcoder.read(into: $0) }), count > 0 {
            for byte in output[0..<count] {
                // U+0080...U+009F are C2 80...C2 9F in UTF-8.
                if previous == 0xC2 && byte >= 0x80 && byte <= 0x9F { return false }
                previous = byte
            }
        }
        // A sample cut in the middle of a multi-byte character yields one trailing substitution at most.
        return transcoder.substitutions <= (sample.count >= sampleSize ? 1 : 0)
    }
}

func decodeCString(_ chars: [CChar]) -> String {
    let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// Validates UTF-8 across chunk boundaries.
struct UTF8StreamValidator {
    private(set) var isValid = true
    private var carry: [UInt8] = []

    mutating func feed(_ chunk: ArraySlice<UInt8>) {
        guard isValid else { return }
        var bytes = carry
        bytes.append(contentsOf: chunk)
        // Keep an incomplete trailing sequence for the next chunk.
        var cut = bytes.count
        var back = 0
        while back < 3, cut > 0, bytes[cut - 1] & 0xC0 == 0x80 { cut -= 1; back += 1 }
        if cut > 0 {
            let lead = bytes[cut - 1]
            let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if needed > 1 && needed > back + 1 { cut -= 1 } else { cut = bytes.count }
        }
        carry = Array(bytes[cut...])
        isValid = String(validating: bytes[0..<cut], as: UTF8.self) != nil
    }

    mutating func finish() -> Bool {
        if !carry.isEmpty { isValid = false }
        return isValid
    }
}
