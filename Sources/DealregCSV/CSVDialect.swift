/// How a CSV file is laid out: its encoding and field delimiter.
public struct CSVFormat: Equatable, Sendable {
    public var encoding: DetectedEncoding
    public var delimiter: UInt8

    public init(encoding: DetectedEncoding, delimiter: UInt8) {
        self.encoding = encoding
        self.delimiter = delimiter
    }

    /// The delimiter as people name it: "comma", "semicolon", "tab", "pipe".
    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ","): return "comma"
        case UInt8(ascii: ";"): return "semicolon"
        case UInt8(ascii: "\t"): return "tab"
        case UInt8(ascii: "|"): return "pipe"
        default: return "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }
}

/// Picks the delimiter from a file's first (header) line.
public enum DelimiterSniffer {
    /// Candidates in order of preference when counts tie.
    public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The candidate that occurs most often outside quotes on the first non-blank line;
    /// comma when none occurs.
    public static func sniff<S: Sequence<UInt8>>(_ bytes: S) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var sawContent = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); sawContent = true; continue }
            if !inQuotes && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
                if sawContent { break } else { continue }
            }
            sawContent = true
            if !inQuotes, let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        return counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")
    }
}

/// Replays the first bytes of a source after they have been inspected.
final class PeekingByteSource: ByteSource {
    private let base: ByteSource
    private(set) var peeked: [UInt8] = []
    private var replayed = 0

    init(_ base: ByteSource, peek count: Int) throws {
        self.base = base
        var chunk = [UInt8](repeating: 0, count: count)
        while peeked.count < count {
            let n = try chunk.withUnsafeMutableBytes { buffer in
                try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(count - peeked.count)]))
            }
            if n == 0 { break }
            peeked.append(contentsOf: chunk[0..<n])
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if replayed < peeked.count {
            let count = min(buffer.count, peeked.count - replayed)
            peeked.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + replayed, byteCount: count)
            }
            replayed += count
            return count
        }
        return try base.read(into: buffer)
    }
}

/// Opens CSV files: detects encoding and delimiter, and streams records.
public enum CSVFile {
    /// Reads the file once to choose its encoding, then sniffs the delimiter.
    ///
    /// - Parameters:
    ///   - encoding: an explicit charset name (`--encoding`) that overrides detection.
    ///   - delimiter: an explicit delimiter that overrides sniffing.
    ///   - observe: sees every raw byte of the file, e.g. to hash it.
    public static func detectFormat(path: String, encoding: String? = nil, delimiter: UInt8? = nil,
                                    observe: (UnsafeRawBufferPointer) -> Void = { _ in }) throws -> CSVFormat {
        let detected: DetectedEncoding
        if let encoding {
            let source = try FileByteSource(path: path)
            var first = [UInt8](repeating: 0, count: 4)
            let n = try first.withUnsafeMutableBytes { try source.read(into: $0) }
            detected = try EncodingDetector.override(encoding, firstBytes: Array(first[0..<n]))
            _ = try EncodingDetector.detect(try FileByteSource(path: path), observe: observe)
        } else {
            detected = try EncodingDetector.detect(try FileByteSource(path: path), observe: observe)
        }
        if let delimiter { return CSVFormat(encoding: detected, delimiter: delimiter) }
        let peeking = try PeekingByteSource(try decodedSource(path: path, encoding: detected), peek: 64 * 1024)
        return CSVFormat(encoding: detected, delimiter: DelimiterSniffer.sniff(peeking.peeked))
    }

    /// A record reader over the file in the given format.
    public static func open(path: String, format: CSVFormat, maxRecordBytes: Int = 1 << 20) throws -> CSVRecordReader {
        try openCounting(path: path, format: format, maxRecordBytes: maxRecordBytes).reader
    }

    /// A record reader over the file in the given format, and the file it reads (whose
    /// `bytesRead` tells how far into the file the reader is, to within one read).
    public static func openCounting(path: String, format: CSVFormat,
                                    maxRecordBytes: Int = 1 << 20) throws -> (reader: CSVRecordReader, file: FileByteSource) {
        let file = try FileByteSource(path: path)
        let reader = CSVRecordReader(source: try decodedSource(file, encoding: format.encoding),
                                     delimiter: format.delimiter, maxRecordBytes: maxRecordBytes)
        return (reader, file)
    }

    /// The file's bytes as UTF-8, byte-order mark removed.
    static func decodedSource(path: String, encoding: DetectedEncoding) throws -> ByteSource {
        try decodedSource(FileByteSource(path: path), encoding: encoding)
    }

    /// The file's bytes as UTF-8, byte-order mark removed.
    static func decodedSource(_ file: FileByteSource, encoding: DetectedEncoding) throws -> ByteSource {
        var source: ByteSource = file
        if encoding.signatureLength > 0 { source = SkippingByteSource(source, skipping: encoding.signatureLength) }
        if !encoding.isUTF8 { source = try TranscodingByteSource(source, from: encoding.charset) }
        return source
    }
}
