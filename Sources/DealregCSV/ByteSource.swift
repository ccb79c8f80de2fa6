#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of bytes.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// An I/O failure with the path and the operating system's explanation.
public struct FileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }

    static func fromErrno(_ path: String, _ action: String) -> FileError {
        FileError(path: path, message: "\(action): \(String(cString: strerror(errno)))")
    }
}

/// Reads a file with `read(2)`, no buffering of its own.
public final class FileByteSource: ByteSource {
    public let path: String
    private var descriptor: Int32
    /// Bytes read from the file so far (for progress; one addition per `read(2)`).
    public private(set) var bytesRead: Int64 = 0

    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError.fromErrno(path, "cannot open") }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            descriptor = -1
            throw FileError(path: path, message: "is a directory, expected a CSV file")
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                bytesRead += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            throw FileError.fromErrno(path, "cannot read")
        }
    }
}

/// Serves bytes from memory; used for tests and for re-reading small samples.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkLimit: Int

    /// - Parameter chunkLimit: the most bytes one `read` returns, to exercise
    ///   chunk boundaries.
    public init(_ bytes: [UInt8], chunkLimit: Int = .max) {
        self.bytes = bytes
        self.chunkLimit = max(1, chunkLimit)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset, chunkLimit)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// Skips a fixed number of leading bytes (a byte-order mark) of another source.
final class SkippingByteSource: ByteSource {
    private let base: ByteSource
    private var remainingToSkip: Int

    init(_ base: ByteSource, skipping count: Int) {
        self.base = base
        remainingToSkip = count
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while remainingToSkip > 0 {
            var scratch = [UInt8](repeating: 0, count: remainingToSkip)
            let n = try scratch.withUnsafeMutableBytes { try base.read(into: $0) }
            if n == 0 { return 0 }
            remainingToSkip -= n
        }
        return try base.read(into: buffer)
    }
}

/// The size of the file at `path` in bytes, or 0 when it cannot be read (for progress totals).
public func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
}
