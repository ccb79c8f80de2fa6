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
/// a byte-order mark wins; then UTF-16 without one (every other byte NUL in ASCII
/// text); a file that is valid UTF-8 throughout is UTF-8 (this covers ASCII), and so
/// is one that is UTF-8 but for a few bad bytes (its rows holding them are flagged,
/// rather than every row re-read wrongly in a legacy encoding); otherwise ICU's
/// detector ranks candidates over a sample, ISO-8859-1 is read as its superset
/// windows-1252 (what Excel writes), a candidate is accepted only if it decodes the
/// sample without undecodable bytes or C1 control characters, and windows-1252 is
/// preferred to another Latin code page when it reads every non-ASCII character
/// inside a word as a letter (Western text: "Crème", not "Crčme").
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
            let wasValid = validator.isValid
            validator.feed(bytes)
            if wasValid && !validator.isValid { around = Array(bytes) }
        }
        if let byteOrderMark { return byteOrderMark }
        if let utf16 = utf16WithoutSignature(head) { return utf16 }
        let valid = validator.finish()
        if valid {
            return DetectedEncoding(charset: "UTF-8", signatureLength: 0, evidence: "valid UTF-8")
        }
        // UTF-8 but for a few bad bytes: one stray byte must not re-read every row in another encoding.
        if validator.validMultibyte > 0 && validator.invalidSequences <= max(3, validator.validMultibyte / 50) {
            return DetectedEncoding(charset: "UTF-8", signatureLength: 0,
                                    evidence: "UTF-8 with \(validator.invalidSequences) undecodable byte sequence(s) "
                                        + "among \(validator.validMultibyte) valid ones (those rows are flagged)")
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

    /// UTF-16 without a byte-order mark: in text that is mostly ASCII, every other byte is NUL.
    static func utf16WithoutSignature(_ sample: [UInt8]) -> DetectedEncoding? {
        let pairs = min(sample.count, 8192) / 2
        guard pairs >= 4 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for pair in 0..<pairs {
            if sample[2 * pair] == 0 { evenZeros += 1 }
            if sample[2 * pair + 1] == 0 { oddZeros += 1 }
        }
        if oddZeros * 10 >= pairs * 4 && evenZeros * 20 < pairs {
            return DetectedEncoding(charset: "UTF-16LE", signatureLength: 0, evidence: "UTF-16LE without byte-order mark (NUL pattern)")
        }
        if evenZeros * 10 >= pairs * 4 && oddZeros * 20 < pairs {
            return DetectedEncoding(charset: "UTF-16BE", signatureLength: 0, evidence: "UTF-16BE without byte-order mark (NUL pattern)")
        }
        return nil
    }

    /// Single-byte Latin code pages ICU may rank above windows-1252 on short Western text.
    static let otherLatinPages: Set<String> = ["ISO-8859-2", "windows-1250", "ISO-8859-9", "windows-1254", "ISO-8859-15"]

    /// Whether, read as windows-1252, every non-ASCII character next to a letter is a letter
    /// itself: Western text ("Crème") rather than Central European text read wrongly ("¹koda").
    static func readsAsWesternWords(_ sample: [UInt8]) -> Bool {
        guard let transcoder = try? TranscodingByteSource(MemoryByteSource(sample), from: "windows-1252") else { return false }
        var bytes: [UInt8] = []
        var output = [UInt8](repeating: 0, count: 1 << 16)
        while let count = try? output.withUnsafeMutableBytes({ try transcoder.read(into: $0) }), count > 0 {
            bytes += output[0..<count]
        }
        let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var nonASCIILetters = 0
        for (index, scalar) in scalars.enumerated() where scalar.value >= 0x80 {
            let neighbours = [index > 0 ? scalars[index - 1] : nil, index + 1 < scalars.count ? scalars[index + 1] : nil]
            guard neighbours.contains(where: { $0?.properties.isAlphabetic == true }) else { continue }
            guard scalar.properties.isAlphabetic else { return false }
            nonASCIILetters += 1
        }
        return nonASCIILetters > 0
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
            if otherLatinPages.contains(charset) && decodesCleanly(sample, as: "windows-1252") && readsAsWesternWords(sample) {
                return DetectedEncoding(charset: "windows-1252", signatureLength: 0,
                                        evidence: "windows-1252: letters within words (ICU ranked \(charset) first, confidence \(confidence))")
            }
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

/// Validates UTF-8 across chunk boundaries, counting valid multi-byte sequences and
/// undecodable ones (a file that is UTF-8 but for a few bad bytes is still UTF-8).
struct UTF8StreamValidator {
    private(set) var isValid = true
    private(set) var validMultibyte = 0
    private(set) var invalidSequences = 0
    private var carry: [UInt8] = []

    mutating func feed(_ chunk: ArraySlice<UInt8>) {
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
        count(bytes[0..<cut])
    }

    mutating func finish() -> Bool {
        if !carry.isEmpty {
            invalidSequences += 1
            isValid = false
        }
        return isValid
    }

    /// Counts sequences: a lead byte C2–F4 with its continuation bytes is valid; anything else
    /// non-ASCII is one undecodable byte.
    private mutating func count(_ bytes: ArraySlice<UInt8>) {
        if String(validating: bytes, as: UTF8.self) != nil {
            validMultibyte += bytes.count { $0 >= 0xC0 }
            return
        }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            if length > 0, index + length <= bytes.endIndex,
               bytes[(index + 1)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 }),
               String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil {
                validMultibyte += 1
                index += length
            } else {
                invalidSequences += 1
                isValid = false
                index += 1
            }
        }
    }
}
