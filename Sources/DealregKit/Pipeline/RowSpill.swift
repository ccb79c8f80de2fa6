#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DealregCSV
import DealregIdentity
import DealregPolicy
import Foundation

/// Pass 1's parsed upload rows, kept on disk for pass 2 (issue 12): each row is read and parsed
/// once, written here in batch order, and read back in the same order to be decided and written.
///
/// One sequential file in a private temporary folder (0700, the file 0600; `TMPDIR` or /tmp).
/// Both are unlinked as soon as the file is open, so nothing is left behind whatever way the
/// run ends (an error, a signal, a crash): the open descriptor is the only way to the rows,
/// and the space is freed when it closes. Memory holds one buffer of records at a time.
///
/// Not thread-safe: pass 1 writes and pass 2 reads on the batch's own thread.
final class RowSpill {
    /// The folder the spill was made in, for error messages (the file itself has no name left).
    let folder: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Reading: where the next record starts in `buffer`.
    private var offset = 0
    private var reading = false
    private var atEndOfFile = false
    /// Bytes written (or read back) so far, for the error messages.
    private(set) var bytes: Int64 = 0

    /// Bytes gathered before one `write(2)`, and asked of each `read(2)`.
    static let bufferSize = 1 << 20

    /// Creates the spill in a fresh private folder under `temporaryFolder`.
    ///
    /// - Throws: `InputError(.cannotWrite)` naming the folder when it cannot be made.
    init(temporaryFolder: String = NSTemporaryDirectory()) throws {
        let parent = temporaryFolder.hasSuffix("/") ? String(temporaryFolder.dropLast()) : temporaryFolder
        var template = Array("\(parent.isEmpty ? "/tmp" : parent)/dealreg-rows-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Self.failure(parent, "cannot create a private temporary folder", code: errno)
        }
        folder = String(cString: made)
        let path = folder + "/rows.spill"
        let opened = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        let openError = errno
        // From here the rows are reachable only through the descriptor.
        unlink(path)
        rmdir(folder)
        guard opened >= 0 else { throw Self.failure(folder, "cannot create the file of parsed rows", code: openError) }
        descriptor = opened
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { close(descriptor) }

    /// Appends one encoded record (`RowSpillCodec.encode`).
    func append(_ record: [UInt8]) throws {
        precondition(!reading, "the spill is written before it is read")
        IdentityCodec.writeVarint(UInt64(record.count), into: &buffer)
        buffer.append(contentsOf: record)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Ends writing: what is buffered goes to the file, and reading starts at its first record.
    func rewind() throws {
        try flush()
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw Self.failure(folder, "cannot read back the file of parsed rows", code: errno)
        }
        reading = true
        bytes = 0
    }

    /// The next record's bytes, handed to `body` (valid only during the call); nil at the end.
    ///
    /// - Throws: `InputError(.unreadable)` when the file cannot be read or ends inside a record.
    func next<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        precondition(reading, "rewind before reading")
        while true {
            // A whole record buffered: its length, then its bytes.
            var length: UInt64 = 0
            var shift: UInt64 = 0
            var index = offset
            var complete = false
            while index < buffer.count, shift < 64 {
                let byte = buffer[index]
                index += 1
                length |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { complete = true; break }
                shift += 7
            }
            // No record is longer than a few rows of 1 MiB: a longer length is damage, not a row.
            if complete && length > UInt64(Int32.max) { throw Self.damaged(folder) }
            if complete, length <= UInt64(buffer.count - index) {
                let start = index, end = index + Int(length)
                offset = end
                return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
            }
            if atEndOfFile {
                guard offset == buffer.count else { throw Self.damaged(folder) }
                return nil
            }
            try fill(atLeast: complete ? Int(length) + (index - offset) : 0)
        }
    }

    /// Writes out what is buffered.
    private func flush() throws {
        var written = 0
        while written < buffer.count {
            let count = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure(folder, "cannot write the file of parsed rows", code: errno)
            }
            written += count
        }
        bytes += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Keeps the unread bytes and reads more after them (room for a record of `needed` bytes).
    private func fill(atLeast needed: Int) throws {
        buffer.removeSubrange(0..<offset)
        offset = 0
        let room = max(Self.bufferSize, needed)
        let kept = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: room))
        var filled = kept
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                buffer.removeSubrange(filled...)
                throw Self.failure(folder, "cannot read back the file of parsed rows", code: code, kind: .unreadable)
            }
            if count == 0 { atEndOfFile = true; break }
            filled += count
            // Enough for the record asked for (and one buffer's worth): the next call reads on.
            if filled - kept >= Self.bufferSize && filled >= needed { break }
        }
        buffer.removeSubrange(filled...)
        bytes += Int64(filled - kept)
    }

    static func failure(_ folder: String, _ action: String, code: Int32, kind: InputError.Kind = .cannotWrite) -> InputError {
        InputError(kind, "\(LogText.path(folder)): \(action) (\(String(cString: strerror(code))))")
    }

    static func damaged(_ folder: String) -> InputError {
        InputError(.unreadable, "\(LogText.path(folder)): the file of parsed rows was cut short or damaged; run the batch again")
    }
}

/// The binary form of one parsed upload row in the spill: the row as read (`MappedRow`, less the
/// header mapping every row of a file shares) and its `Submission` (less the `Partner`, which is
/// the partner directory's entry for its `partnerID`), identity by `IdentityCodec`.
///
/// Strings are a LEB128 varint (0 for nil, else UTF-8 length + 1) and their bytes, as in
/// `IdentityCodec`; integers are zigzag varints; a Double is its 8 bit-pattern bytes.
enum RowSpillCodec {
    static func encode(_ row: MappedRow, _ submission: Submission) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        // The row.
        writeInt(row.line, into: &out)
        writeInt(row.rowNumber, into: &out)
        writeInt(row.sheetRow, into: &out)
        writeStrings(row.fields, into: &out)
        writeStrings(row.extraValues, into: &out)
        switch row.problem {
        case nil: out.append(0)
        case .unterminatedQuote: out.append(1)
        case .undecodable(let column):
            out.append(2)
            write(column, into: &out)
        case .wrongFieldCount(let expected, let found):
            out.append(3)
            writeInt(expected, into: &out)
            writeInt(found, into: &out)
        case .tooLong(let limit):
            out.append(4)
            writeInt(limit, into: &out)
        }
        // The submission.
        write(submission.partnerID, into: &out)
        out.append(submission.partner == nil ? 0 : 1)
        writeInt(submission.sheetRow, into: &out)
        var identity: [UInt8] = []
        IdentityCodec.encode(submission.identity, into: &identity)
        IdentityCodec.writeVarint(UInt64(identity.count), into: &out)
        out.append(contentsOf: identity)
        if let amount = submission.dealValue {
            out.append(1)
            withUnsafeBytes(of: amount.value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            write(amount.currency, into: &out)
        } else {
            out.append(0)
        }
        writeOptionalInt(submission.closeDate?.ordinal, into: &out)
        writeOptionalInt(submission.submittedAt, into: &out)
        write(submission.region, into: &out)
        let fields = submission.fields
        for field in [fields.name, fields.website, fields.email, fields.country, fields.city, fields.postalCode,
                      fields.phone, fields.address] {
            write(field, into: &out)
        }
        write(submission.partnerReference, into: &out)
        writeInt(submission.completeness, into: &out)
        IdentityCodec.writeVarint(UInt64(submission.findings.count), into: &out)
        for finding in submission.findings {
            write(finding.code.rawValue, into: &out)
            write(finding.message, into: &out)
            if let sentence = finding.sentence {
                out.append(1)
                write(sentence.key, into: &out)
                IdentityCodec.writeVarint(UInt64(sentence.values.count), into: &out)
                // Sorted: the same sentence is the same bytes.
                for (key, value) in sentence.values.sorted(by: { $0.key < $1.key }) {
                    write(key, into: &out)
                    write(value, into: &out)
                }
            } else {
                out.append(0)
            }
            write(finding.field, into: &out)
            write(finding.rule, into: &out)
            write(finding.decision.rawValue, into: &out)
        }
        out.append(submission.isSound ? 1 : 0)
        return out
    }

    /// The row and submission encoded in `bytes`, or nil when they are not exactly one encoded
    /// row (or name a partner `partners` does not have).
    ///
    /// - Parameters:
    ///   - mapping: the header mapping of the row's file (as `TableReader` made it).
    ///   - partners: the directory the row was parsed with.
    static func decode(_ bytes: UnsafeRawBufferPointer, mapping: HeaderMapping, schema: TableSchema = Schemas.upload,
                       partners: PartnerDirectory) -> (MappedRow, Submission)? {
        var reader = SpillReader(bytes: bytes)
        guard let line = reader.int(), let rowNumber = reader.int(), let sheetRow = reader.int(),
              let fields = reader.strings(), let extraValues = reader.strings(), let problemTag = reader.byte()
        else { return nil }
        let problem: RowProblem?
        switch problemTag {
        case 0: problem = nil
        case 1: problem = .unterminatedQuote
        case 2:
            guard case .some(.some(let column)) = reader.string() else { return nil }
            problem = .undecodable(column: column)
        case 3:
            guard let expected = reader.int(), let found = reader.int() else { return nil }
            problem = .wrongFieldCount(expected: expected, found: found)
        case 4:
            guard let limit = reader.int() else { return nil }
            problem = .tooLong(limit: limit)
        default: return nil
        }
        let row = MappedRow(line: line, rowNumber: rowNumber, sheetRow: sheetRow, fields: fields, extraValues: extraValues,
                            problem: problem, mapping: mapping, schema: schema)

        guard case .some(let partnerID) = reader.string(), let hasPartner = reader.byte(), hasPartner <= 1,
              let submissionRow = reader.int(), let identityLength = reader.varint(),
              let identityBytes = reader.bytes(identityLength), let identity = IdentityCodec.decode(identityBytes)
        else { return nil }
        var partner: Partner?
        if hasPartner == 1 {
            guard let id = partnerID, let found = partners.partner(id) else { return nil }
            partner = found
        }
        guard let hasAmount = reader.byte(), hasAmount <= 1 else { return nil }
        var dealValue: Amount?
        if hasAmount == 1 {
            guard let pattern = reader.uint64(), case .some(let currency) = reader.string() else { return nil }
            dealValue = Amount(value: Double(bitPattern: pattern), currency: currency)
        }
        guard case .some(let closeOrdinal) = reader.optionalInt(), case .some(let submittedAt) = reader.optionalInt(),
              case .some(let region) = reader.string() else { return nil }
        var values: [String?] = []
        for _ in 0..<8 {
            guard case .some(let value) = reader.string() else { return nil }
            values.append(value)
        }
        guard case .some(let partnerReference) = reader.string(), let completeness = reader.int(),
              let findingCount = reader.varint(), findingCount <= UInt64(bytes.count) else { return nil }
        var findings: [Finding] = []
        for _ in 0..<findingCount {
            guard case .some(.some(let codeText)) = reader.string(), let code = ReasonCode(rawValue: codeText),
                  case .some(.some(let message)) = reader.string(), let hasSentence = reader.byte(), hasSentence <= 1
            else { return nil }
            var sentence: Sentence?
            if hasSentence == 1 {
                guard case .some(.some(let key)) = reader.string(), let count = reader.varint(), count <= UInt64(bytes.count)
                else { return nil }
                var sentenceValues: [String: String] = [:]
                for _ in 0..<count {
                    guard case .some(.some(let name)) = reader.string(), case .some(.some(let value)) = reader.string()
                    else { return nil }
                    sentenceValues[name] = value
                }
                sentence = Sentence(key, sentenceValues)
            }
            guard case .some(let field) = reader.string(), case .some(.some(let rule)) = reader.string(),
                  case .some(.some(let decisionText)) = reader.string(), let decision = Decision(rawValue: decisionText)
            else { return nil }
            var finding = Finding(code: code, message: message, field: field, rule: rule, decision: decision)
            finding.sentence = sentence
            findings.append(finding)
        }
        guard let sound = reader.byte(), sound <= 1, reader.atEnd else { return nil }
        var submission = Submission(partnerID: partnerID, partner: partner, identity: identity, dealValue: dealValue,
                                    closeDate: closeOrdinal.map { Day(ordinal: $0) }, submittedAt: submittedAt, region: region,
                                    completeness: completeness, findings: findings, isSound: sound == 1)
        submission.sheetRow = submissionRow
        submission.fields = AccountFields(name: values[0], website: values[1], email: values[2], country: values[3],
                                          city: values[4], postalCode: values[5], phone: values[6], address: values[7])
        submission.partnerReference = partnerReference
        return (row, submission)
    }

    private static func write(_ text: String?, into out: inout [UInt8]) {
        guard var text else { return out.append(0) }
        text.withUTF8 { bytes in
            IdentityCodec.writeVarint(UInt64(bytes.count) + 1, into: &out)
            out.append(contentsOf: bytes)
        }
    }

    private static func writeStrings(_ texts: [String], into out: inout [UInt8]) {
        IdentityCodec.writeVarint(UInt64(texts.count), into: &out)
        for text in texts { write(text, into: &out) }
    }

    private static func writeInt(_ value: Int, into out: inout [UInt8]) {
        let value = Int64(value)
        IdentityCodec.writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), into: &out)
    }

    private static func writeOptionalInt(_ value: Int?, into out: inout [UInt8]) {
        guard let value else { return out.append(0) }
        out.append(1)
        writeInt(value, into: &out)
    }
}

/// Bounds-checked reading of `RowSpillCodec`'s values: every method returns nil past the end or
/// on a malformed value.
private struct SpillReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard shift < 64, let byte = byte() else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func int() -> Int? {
        guard let raw = varint() else { return nil }
        return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    /// `.some(nil)` for an absent value, nil when malformed.
    mutating func optionalInt() -> Int?? {
        guard let tag = byte(), tag <= 1 else { return nil }
        if tag == 0 { return .some(nil) }
        guard let value = int() else { return nil }
        return .some(value)
    }

    mutating func uint64() -> UInt64? {
        guard bytes.count - offset >= 8 else { return nil }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func bytes(_ count: UInt64) -> UnsafeRawBufferPointer? {
        guard count <= UInt64(bytes.count - offset) else { return nil }
        let start = offset
        offset += Int(count)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// `.some(nil)` for an absent string, nil when malformed.
    mutating func string() -> String?? {
        guard let header = varint() else { return nil }
        if header == 0 { return .some(nil) }
        guard let text = bytes(header - 1) else { return nil }
        return .some(String(decoding: text, as: UTF8.self))
    }

    mutating func strings() -> [String]? {
        guard let count = varint(), count <= UInt64(bytes.count) else { return nil }
        var texts: [String] = []
        texts.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard case .some(.some(let text)) = string() else { return nil }
            texts.append(text)
        }
        return texts
    }
}
