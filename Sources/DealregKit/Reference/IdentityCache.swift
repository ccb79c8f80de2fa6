import DealregCSV
import DealregIdentity
import DealregLedger
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The identity cache (issue 16): the normalized identity of each snapshot row, keyed by a
/// 128-bit hash of the row's identity fields, so a night whose CRM export is last night's with a
/// few rows changed normalizes only those rows.
///
/// One file, read in one go (memory-mapped) and written whole (a temporary file renamed over it,
/// mode 0640). Layout, little-endian:
///
///     0   magic "DRIDCACH"            8 bytes
///     8   format version              UInt32 (1)
///     12  reserved                    UInt32 (0)
///     16  engine fingerprint          16 bytes (`IdentityEngine.fingerprint`)
///     32  record count                UInt64
///     40  payload length              UInt64 (file size − 64)
///     48  payload checksum            UInt64
///     56  header checksum             UInt64 (of bytes 0..<56)
///     64  records: key (16 bytes), value length (LEB128 varint), value (`IdentityCodec`)
///
/// A file that is truncated, corrupt, foreign or written by another engine version (normalizer,
/// reference data, ICU) is never trusted: it is ignored with one warning (naming only the path and a
/// position, never a row's content) and rebuilt. A record that fails to decode is normalized again.
public final class IdentityCache: @unchecked Sendable {
    /// The file's name inside a `--cache` folder.
    public static let fileName = "identity-cache.bin"
    static let magic = Array("DRIDCACH".utf8)
    static let formatVersion: UInt32 = 1
    static let headerSize = 64

    /// The cache file in a `--cache` folder.
    public static func path(inFolder folder: String) -> String {
        folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
    }

    /// Where `batch` keeps its cache by default: beside a SQLite ledger (`LEDGER.identity-cache`, as
    /// its `LEDGER.lock`); none for a PostgreSQL ledger, which has no folder of its own.
    public static func path(besideLedger ledgerPath: String) -> String? {
        LedgerLocation.isPostgres(ledgerPath) ? nil : ledgerPath + ".identity-cache"
    }

    public let path: String
    /// Why the file on disk was not used; nil when it was used or there was none.
    public let warning: String?
    /// Whether a usable file was read.
    public let isWarm: Bool
    private let data: Data
    private let records: [IdentityKey: Range<Int>]
    public var count: Int { records.count }

    /// Reads the cache at `path` (a missing file is an empty cache, without a warning).
    public init(path: String, fingerprint: IdentityKey = IdentityEngine.fingerprint) {
        self.path = path
        var data = Data()
        var warning: String?
        var records: [IdentityKey: Range<Int>] = [:]
        if FileManager.default.fileExists(atPath: path) {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
                switch Self.parse(data, fingerprint: fingerprint) {
                case .success(let parsed): records = parsed
                case .failure(let problem): warning = problem.reason
                }
            } catch {
                warning = "cannot be read"
            }
        }
        if warning != nil {
            records = [:]
            data = Data()
        }
        self.warning = warning.map { "identity cache \(path): \($0); ignored, rebuilt from the snapshot" }
        self.records = records
        self.data = data
        isWarm = warning == nil && !data.isEmpty
    }

    /// The identity cached for `key`, and where its encoding lies in the file; nil when absent or undecodable.
    func identity(for key: IdentityKey) -> (identity: AccountIdentity, range: Range<Int>)? {
        guard let range = records[key] else { return nil }
        let identity = data.withUnsafeBytes { IdentityCodec.decode(UnsafeRawBufferPointer(rebasing: $0[range])) }
        return identity.map { (identity: $0, range: range) }
    }

    /// The file's bytes (empty when it was not used).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { data.withUnsafeBytes(body) }

    struct Problem: Error { let reason: String }

    static func parse(_ data: Data, fingerprint: IdentityKey) -> Result<[IdentityKey: Range<Int>], Problem> {
        data.withUnsafeBytes { bytes -> Result<[IdentityKey: Range<Int>], Problem> in
            func fail(_ reason: String) -> Result<[IdentityKey: Range<Int>], Problem> { .failure(Problem(reason: reason)) }
            func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
            guard bytes.count >= headerSize else { return fail("truncated (\(bytes.count) bytes, shorter than its \(headerSize)-byte header)") }
            guard bytes.prefix(8).elementsEqual(magic) else { return fail("not an identity cache (unknown header)") }
            let headerHash = StableHasher128.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<56]))
            guard u64(56) == headerHash.low else { return fail("corrupt header (checksum mismatch)") }
            let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            guard version == formatVersion else { return fail("format version \(version), this dealreg writes \(formatVersion)") }
            guard u64(16) == fingerprint.high && u64(24) == fingerprint.low else {
                return fail("written by another engine version (normalizer, reference data or ICU)")
            }
            let count = u64(32), payloadLength = u64(40)
            guard payloadLength == UInt64(bytes.count - headerSize) else {
                return fail("truncated or extended (\(bytes.count - headerSize) payload bytes, header says \(payloadLength))")
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[headerSize...])
            guard u64(48) == StableHasher128.hash(payload).low else { return fail("corrupt (payload checksum mismatch)") }
            guard count <= payloadLength / 17 else { return fail("corrupt (\(count) records cannot fit)") }
            var records: [IdentityKey: Range<Int>] = [:]
            records.reserveCapacity(Int(count))
            var offset = headerSize
            for _ in 0..<count {
                guard offset + 16 < bytes.count else { return fail("corrupt (record at byte \(offset) runs past the end)") }
                let key = IdentityKey(high: u64(offset), low: u64(offset + 8))
                offset += 16
                var length: UInt64 = 0, shift: UInt64 = 0
                while true {
                    guard offset < bytes.count, shift < 64 else { return fail("corrupt (record length at byte \(offset))") }
                    let byte = bytes[offset]
                    offset += 1
                    length |= UInt64(byte & 0x7F) << shift
                    if byte < 0x80 { break }
                    shift += 7
                }
                guard length <= UInt64(bytes.count - offset) else { return fail("corrupt (record at byte \(offset) runs past the end)") }
                let end = offset + Int(length)
                guard records.updateValue(offset..<end, forKey: key) == nil else { return fail("corrupt (key repeated at byte \(offset))") }
                offset = end
            }
            guard offset == bytes.count else { return fail("corrupt (\(bytes.count - offset) bytes after the last record)") }
            return .success(records)
        }
    }
}

/// Collects the records of the next cache file: each key once, in snapshot order. Records already
/// in the cache read are kept as positions in it until the file is written (a warm run that
/// changes nothing writes nothing, and copies nothing).
struct IdentityCacheWriter {
    private enum Source {
        case cached(Range<Int>)
        case fresh(Range<Int>)
    }
    private var records: [(key: IdentityKey, source: Source)] = []
    private var fresh: [UInt8] = []
    private var seen = Set<IdentityKey>()
    var count: Int { records.count }

    /// A record of `cache` (read from `range` of its file).
    mutating func append(key: IdentityKey, cached range: Range<Int>) {
        guard seen.insert(key).inserted else { return }
        records.append((key, .cached(range)))
    }

    /// A newly encoded record.
    mutating func append(key: IdentityKey, value: [UInt8]) {
        guard seen.insert(key).inserted else { return }
        records.append((key, .fresh(fresh.count..<fresh.count + value.count)))
        fresh.append(contentsOf: value)
    }

    /// The whole file: header, then the records (`cache` the file the cached ones are in).
    func fileBytes(cache: IdentityCache?, fingerprint: IdentityKey = IdentityEngine.fingerprint) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(fresh.count + records.count * 20)
        func build(_ old: UnsafeRawBufferPointer) {
            fresh.withUnsafeBytes { new in
                for (key, source) in records {
                    withUnsafeBytes(of: key.high.littleEndian) { payload.append(contentsOf: $0) }
                    withUnsafeBytes(of: key.low.littleEndian) { payload.append(contentsOf: $0) }
                    let value: Slice<UnsafeRawBufferPointer>
                    switch source {
                    case .cached(let range): value = old[range]
                    case .fresh(let range): value = new[range]
                    }
                    IdentityCodec.writeVarint(UInt64(value.count), into: &payload)
                    payload.append(contentsOf: value)
                }
            }
        }
        if let cache { cache.withBytes(build) } else { build(UnsafeRawBufferPointer(start: nil, count: 0)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(IdentityCache.headerSize + payload.count)
        bytes.append(contentsOf: IdentityCache.magic)
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        put(IdentityCache.formatVersion)
        put(UInt32(0))
        put(fingerprint.high)
        put(fingerprint.low)
        put(UInt64(records.count))
        put(UInt64(payload.count))
        put(payload.withUnsafeBytes { StableHasher128.hash($0) }.low)
        put(bytes.withUnsafeBytes { StableHasher128.hash($0) }.low)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Writes the file atomically: a private temporary file beside it, renamed over it.
    func write(to path: String, cache: IdentityCache?) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try PrivateFiles.createFolder(folder) }
        let temporary = path + ".tmp-\(getpid())"
        do {
            try PrivateFiles.write(fileBytes(cache: cache), to: temporary)
            guard rename(temporary, path) == 0 else {
                throw FileError(path: path, message: "cannot replace the file: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
