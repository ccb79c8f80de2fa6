import CICU

/// Converts a byte stream in any ICU-supported charset to UTF-8, chunk by chunk.
///
/// Undecodable sequences become U+FFFD and are counted in `substitutions`;
/// the CSV layer reports the rows that contain them.
public final class TranscodingByteSource: ByteSource {
    private let base: ByteSource
    private let converter: OpaquePointer
    private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd = 0
    private var baseExhausted = false
    private var flushed = false

    /// - Throws: `EncodingError.unknownCharset` when ICU has no converter of that name.
    public init(_ base: ByteSource, from charset: String, chunkSize: Int = 1 << 16) throws {
        var err: Int32 = 0
        guard let handle = dr_transcoder_open(charset, &err), err <= 0 else {
            throw EncodingError.unknownCharset(charset)
        }
        self.base = base
        converter = handle
        input = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { dr_transcoder_close(converter) }

    /// How many undecodable byte sequences were replaced so far.
    public var substitutions: Int { Int(dr_transcoder_substitutions(converter)) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while !flushed {
            if inputStart == inputEnd && !baseExhausted {
                inputStart = 0
                inputEnd = try input.withUnsafeMutableBytes { try base.read(into: $0) }
                baseExhausted = inputEnd == 0
            }
            var consumed: Int32 = 0
            var produced: Int32 = 0
            var err: Int32 = 0
            let flush: Int32 = baseExhausted ? 1 : 0
            let targetFull = input.withUnsafeBufferPointer { source in
                dr_transcoder_convert(converter, source.baseAddress! + inputStart, Int32(inputEnd - inputStart),
                                      &consumed, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                      Int32(buffer.count), &produced, flush, &err)
            }
            if err > 0 { throw EncodingError.conversionFailed(String(cString: dr_error_name(err))) }
            inputStart += Int(consumed)
            if baseExhausted && targetFull == 0 { flushed = true }
            if produced > 0 { return Int(produced) }
        }
        return 0
    }
}

/// Problems with a file's character encoding that stop it from being read.
public enum EncodingError: Error, Equatable, CustomStringConvertible {
    case unknownCharset(String)
    case conversionFailed(String)

    public var description: String {
        switch self {
        case .unknownCharset(let name):
            return "unknown character encoding '\(name)' (use a name such as UTF-8, windows-1252, ISO-8859-1, Shift_JIS, UTF-16LE)"
        case .conversionFailed(let reason):
            return "character conversion failed (\(reason))"
        }
    }
}
