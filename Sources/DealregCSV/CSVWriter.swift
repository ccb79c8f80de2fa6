#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes RFC 4180 CSV the way Excel reads it best: UTF-8 with a byte-order
/// mark, CRLF line ends, and quotes only where a field needs them — or, given an
/// output format, in a partner's own delimiter and encoding (`CSVOutputFormat`).
///
/// Result files go to partners who open them in spreadsheets, so by default a
/// cell a spreadsheet would evaluate is prefixed with an apostrophe and cannot run
/// as a formula (OWASP "CSV injection"): one that starts with `=`, `@`, TAB or CR, or
/// with `+` or `-` followed by anything but a number or phone number (`+1 425 555 0100`
/// and `-12.50` stay readable: digits, spaces, `( ) . - /` reach no cell or function);
/// also after leading spaces (ASCII, no-break, ideographic) and in full-width forms
/// (`＝`, `＋`).
public final class CSVWriter {
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes written out to the file so far.
    private var flushed: UInt64 = 0
    private let neutralizeFormulas: Bool
    private let delimiter: UInt8
    /// The charset the file is to be in; the writer writes UTF-8 and converts it in `finish()`.
    private let targetCharset: String
    /// The charset the finished file is in: the target's, or UTF-8 (with a byte-order mark)
    /// when the text holds a character the target cannot represent.
    public private(set) var writtenCharset = "UTF-8"
    private static let flushThreshold = 1 << 16

    /// The delimiter and the charset of the finished file (after `finish()`).
    public var writtenFormat: CSVOutputFormat { CSVOutputFormat(delimiter: delimiter, charset: writtenCharset) }

    /// Creates (or truncates) the file at `path`.
    public init(path: String, byteOrderMark: Bool = true, neutralizeFormulas: Bool = true,
                delimiter: UInt8 = UInt8(ascii: ",")) throws {
        self.path = path
        self.neutralizeFormulas = neutralizeFormulas
        self.delimiter = delimiter
        targetCharset = "UTF-8"
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, PrivateFiles.fileMode)
        guard descriptor >= 0 else { throw FileError.fromErrno(path, "cannot create") }
        buffer.reserveCapacity(Self.flushThreshold * 2)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    /// Creates (or truncates) the file at `path`, to be written in `format`: its delimiter, and its
    /// charset when every character of the text has a place in it, else UTF-8 with a byte-order mark.
    public init(path: String, format: CSVOutputFormat) throws {
        self.path = path
        neutralizeFormulas = true
        delimiter = format.delimiter
        targetCharset = format.charset
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, PrivateFiles.fileMode)
        guard descriptor >= 0 else { throw FileError.fromErrno(path, "cannot create") }
        buffer.reserveCapacity(Self.flushThreshold * 2)
        // UTF-8 with a byte-order mark first; `finish()` converts it when the target is another charset.
        buffer.append(contentsOf: [0xEF, 0xBB, 0xBF])
    }

    deinit { close(descriptor) }

    /// Appends one record.
    public func write<C: Collection<String>>(_ fields: C) throws {
        appendRecord(fields)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Where the next record starts: the bytes appended so far (written out or buffered), the
    /// byte-order mark included. (Before `finish()`, which may convert the file to another charset.)
    public var position: UInt64 { flushed + UInt64(buffer.count) }

    /// Writes out the buffered bytes: the file then holds every record appended so far.
    public func flushBuffered() throws { try flush() }

    /// Appends records already encoded by this writer's rules (CRLF-terminated).
    public func write(encodedRecords bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func appendRecord<C: Collection<String>>(_ fields: C) {
        var first = true
        for field in fields {
            if !first { buffer.append(delimiter) }
            first = false
            append(field)
        }
        buffer.append(UInt8(ascii: "\r"))
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Writes buffered bytes, converts the file to the target charset where it can, and `fsync`s it.
    public func finish() throws {
        try flush()
        guard fsync(descriptor) == 0 else { throw FileError.fromErrno(path, "cannot sync") }
        if targetCharset != "UTF-8", try CSVEncoding.convertUTF8File(path, to: targetCharset) {
            writtenCharset = targetCharset
        }
    }

    private func append(_ field: String) {
        Self.encode(field, delimiter: delimiter, neutralizeFormulas: neutralizeFormulas, into: &buffer)
    }

    /// One record as CSV text with CRLF, quoted exactly as the writer quotes (for standard output).
    public static func line<C: Collection<String>>(_ fields: C, neutralizeFormulas: Bool = true,
                                                   delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            encode(field, delimiter: delimiter, neutralizeFormulas: neutralizeFormulas, into: &bytes)
        }
        bytes += [0x0D, 0x0A]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one field, quoted only where it needs it.
    static func encode(_ field: String, delimiter: UInt8, neutralizeFormulas: Bool, into buffer: inout [UInt8]) {
        var utf8 = Array(field.utf8)
        if neutralizeFormulas, let first = utf8.first, formulaTriggers.contains(first) || first >= 0x80 || first == 0x20 || first == 0x0A,
           startsLikeFormula(field) {
            utf8.insert(UInt8(ascii: "'"), at: 0)
        }
        let needsQuotes = utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || utf8.first == 0x20 || utf8.last == 0x20
        guard needsQuotes else {
            buffer.append(contentsOf: utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Whether a spreadsheet would evaluate the cell: after leading white space (which
    /// spreadsheets skip), `=` or `@` (ASCII or full-width), or a sign (`+`, `-`,
    /// full-width or minus) followed by anything but digits, spaces and `( ) . - /` — a sign
    /// before a number or phone number computes nothing that reaches a cell or a function.
    /// A TAB or CR first is one too.
    public static func startsLikeFormula(_ field: String) -> Bool {
        let scalars = field.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            switch scalars[index].value {
            case 0x20, 0x0A, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF:
                index = scalars.index(after: index)
                continue
            case 0x09, 0x0D: return index == scalars.startIndex
            case 0x3D, 0x40, 0xFF1D, 0xFF20, 0xFE66: return true
            case 0x2B, 0x2D, 0xFF0B, 0xFF0D, 0x2212, 0xFE62, 0xFE63:
                return !scalars[scalars.index(after: index)...].allSatisfy { scalar in
                    switch scalar.value {
                    case 0x30...0x39, 0x20, 0x28, 0x29, 0x2E, 0x2D, 0x2F: return true
                    default: return false
                    }
                }
            default: return false
            }
        }
        return false
    }

    private static let formulaTriggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    private func flush() throws {
        try PrivateFiles.writeAll(buffer, to: descriptor, path: path)
        flushed += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
