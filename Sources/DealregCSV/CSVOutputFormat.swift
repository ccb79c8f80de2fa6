#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CICU

/// How a CSV file is written for the person who opens it: its delimiter and charset.
///
/// Partners get their results in the dialect their upload used, so a German Excel
/// (separator `;`, Windows-1252) splits them into columns; a file whose text the charset
/// cannot hold (a name in another script, a symbol) is written as UTF-8 with a byte-order
/// mark instead, which every spreadsheet reads.
public struct CSVOutputFormat: Equatable, Sendable {
    public var delimiter: UInt8
    /// ICU charset name. "UTF-8" is written with a byte-order mark; UTF-16 and UTF-32 with theirs.
    public var charset: String

    public init(delimiter: UInt8, charset: String) {
        self.delimiter = delimiter
        self.charset = charset
    }

    /// UTF-8 with a byte-order mark, comma-separated: the internal result files.
    public static let standard = CSVOutputFormat(delimiter: UInt8(ascii: ","), charset: "UTF-8")

    /// The dialect a file was read in.
    public init(matching format: CSVFormat) {
        self.init(delimiter: format.delimiter, charset: format.encoding.charset)
    }
}

/// Converting a written UTF-8 file to another charset.
public enum CSVEncoding {
    /// Converts the UTF-8 file at `path` (starting with a byte-order mark) to `charset` in place,
    /// streaming. Returns false, leaving the file as it was, when the text holds a character the
    /// charset cannot represent.
    ///
    /// - Throws: `FileError` on I/O failure, `EncodingError` for an unknown charset.
    public static func convertUTF8File(_ path: String, to charset: String) throws -> Bool {
        var err: Int32 = 0
        guard let encoder = dr_encoder_open(charset, &err), err <= 0 else { throw EncodingError.unknownCharset(charset) }
        defer { dr_transcoder_close(encoder) }
        let source = try FileByteSource(path: path)
        // Unicode charsets carry their own byte-order mark (U+FEFF, converted); others none.
        let keepsSignature = charset.uppercased().hasPrefix("UTF-")
        let temporary = path + ".encoding.tmp"
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, PrivateFiles.fileMode)
        guard output >= 0 else { throw FileError.fromErrno(temporary, "cannot create") }
        var finished = false
        defer {
            close(output)
            if !finished { unlink(temporary) }
        }
        var input = [UInt8](repeating: 0, count: 1 << 16)
        var converted = [UInt8](repeating: 0, count: 1 << 17)
        var start = 0, end = 0, skip = keepsSignature ? 0 : 3, exhausted = false
        while true {
            if start == end && !exhausted {
                start = 0
                end = try input.withUnsafeMutableBytes { try source.read(into: $0) }
                exhausted = end == 0
                let skipped = min(skip, end)
                start += skipped
                skip -= skipped
            }
            var consumed: Int32 = 0, produced: Int32 = 0
            let more = input.withUnsafeBufferPointer { from in
                converted.withUnsafeMutableBufferPointer { to in
                    dr_transcoder_convert(encoder, from.baseAddress! + start, Int32(end - start), &consumed,
                                          to.baseAddress!, Int32(to.count), &produced, exhausted ? 1 : 0, &err)
                }
            }
            if err == 10 { return false }  // U_INVALID_CHAR_FOUND: not representable in the charset
            if err > 0 { throw EncodingError.conversionFailed(String(cString: dr_error_name(err))) }
            start += Int(consumed)
            if produced > 0 { try PrivateFiles.writeAll(Array(converted[0..<Int(produced)]), to: output, path: temporary) }
            if exhausted && more == 0 { break }
        }
        guard fsync(output) == 0 else { throw FileError.fromErrno(temporary, "cannot sync") }
        guard rename(temporary, path) == 0 else { throw FileError.fromErrno(path, "cannot replace") }
        finished = true
        return true
    }
}
