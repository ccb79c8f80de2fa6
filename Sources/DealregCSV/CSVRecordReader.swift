/// One record as read from a CSV file, before any header mapping.
public struct CSVRecord: Equatable, Sendable {
    /// Field values, unquoted and unescaped.
    public var fields: [String]
    /// 1-based physical line on which the record starts.
    public var line: Int
    /// Something wrong with the record's bytes; its fields hold what could be recovered.
    public var problem: CSVRecordProblem?

    public init(fields: [String], line: Int, problem: CSVRecordProblem? = nil) {
        self.fields = fields
        self.line = line
        self.problem = problem
    }
}

/// A defect in one record that the reader recovered from.
public enum CSVRecordProblem: Equatable, Sendable {
    /// A quoted field never closed (before the end of the file or within the record size limit).
    /// The record holds the fields of its first line; reading resumes on the next line.
    case unterminatedQuote
    /// Field `column` (0-based) holds bytes that are not text in the file's encoding.
    case undecodable(column: Int)
    /// The record is longer than the reader's limit: it was skipped to its end, unread (no fields).
    case tooLong(limit: Int)
}

/// A file-level failure that stops reading.
public struct CSVReadError: Error, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// A streaming RFC 4180 reader over UTF-8 bytes.
///
/// Accepts CRLF, LF and lone CR line ends, quoted fields with embedded
/// delimiters, quotes (`""`) and newlines, and is lenient where Excel is: a
/// quote inside an unquoted field, or text after a closing quote, is kept as
/// text. Blank lines are skipped and counted. An unterminated quote becomes a
/// record with a problem and reading resumes on the following line, so one bad
/// row never swallows the rest of the file.
///
/// Memory is bounded by the largest record, never by the file.
///
/// - Complexity: O(n) in the bytes read; a record that spans a read boundary is
///   scanned twice.
public final class CSVRecordReader {
    public let delimiter: UInt8
    /// Records whose quoted field runs longer than this are treated as unterminated.
    public let maxRecordBytes: Int
    /// Lines that were empty and so produced no record.
    public private(set) var blankLinesSkipped = 0
    /// The header's width, once known. A record that spans several lines and
    /// either does not have this many fields or has text right after a closing
    /// quote is a runaway quote (a quote opened in one row and "closed" by a
    /// quote in a later row): it is recovered like an unterminated quote, so the
    /// rows it swallowed are read as rows.
    public var expectedFieldCount: Int?

    private let source: ByteSource
    private var buffer: [UInt8]
    private var head = 0
    private var end = 0
    private var atEndOfInput = false
    private var line = 1

    // Scratch reused for every record: unescaped field bytes and where each field ends.
    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    /// Line ends inside an over-long quoted value from which it is taken for a stray quote (a
    /// quote never closed runs across the lines after it; a huge value is one long line).
    private static let strayQuoteLines = 3

    public init(source: ByteSource, delimiter: UInt8 = UInt8(ascii: ","),
                maxRecordBytes: Int = 1 << 20, readSize: Int = 1 << 18) {
        self.source = source
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        buffer = [UInt8](repeating: 0, count: max(readSize, 16))
        fieldBytes.reserveCapacity(4096)
        fieldEnds.reserveCapacity(64)
    }

    /// The next record, or nil at the end of the input.
    public func next() throws -> CSVRecord? {
        guard let (line, problem) = try advance() else { return nil }
        return makeRecord(line: line, problem: problem)
    }

    /// The next record as byte ranges into the reader's buffer, without creating a `String`
    /// per field: for callers that decode only the fields they use. The view is valid only
    /// inside `body`. Returns nil at the end of the input.
    public func nextFields<Result>(_ body: (CSVFieldsView) throws -> Result) throws -> Result? {
        guard let (line, problem) = try advance() else { return nil }
        return try fieldBytes.withUnsafeBufferPointer { bytes in
            try fieldEnds.withUnsafeBufferPointer { ends in
                try body(CSVFieldsView(bytes: bytes, ends: ends, line: line, unterminatedQuote: problem == .unterminatedQuote))
            }
        }
    }

    /// Parses the next record into the scratch buffers; its line and any recovery problem.
    private func advance() throws -> (line: Int, problem: CSVRecordProblem?)? {
        while true {
            switch parseRecord(endOfInputIsFinal: atEndOfInput) {
            case .record(let line):
                return (line, nil)
            case .blankLine:
                blankLinesSkipped += 1
            case .endOfInput:
                return nil
            case .runawayQuote:
                return recoverUnterminatedRecord()
            case .needMoreInput(let inQuotes):
                if atEndOfInput {
                    return recoverUnterminatedRecord()
                }
                if end - head > maxRecordBytes {
                    // A stray quote runs across many lines: the record is its first line, as at the end of the
                    // file. A record that is simply huge (a 50 MB name) is skipped whole, in bounded memory.
                    if inQuotes && lineEnds(from: head, limit: Self.strayQuoteLines) >= Self.strayQuoteLines {
                        return recoverUnterminatedRecord()
                    }
                    return try skipOversizedRecord()
                }
                try fill()
            }
        }
    }

    // MARK: - Buffer management

    private func fill() throws {
        if head > 0 {
            let live = end - head
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + head, byteCount: live)
            }
            head = 0
            end = live
        }
        if end == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        let count = try buffer.withUnsafeMutableBytes { raw in
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
        }
        if count == 0 { atEndOfInput = true }
        end += count
    }

    // MARK: - The state machine

    private enum ParseOutcome {
        /// A record is in the scratch buffers; it started on this line.
        case record(line: Int)
        case blankLine
        case endOfInput
        case needMoreInput(inQuotes: Bool)
        case runawayQuote
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Parses one record starting at `head`. On success consumes it; when the
    /// buffer ends first, consumes nothing.
    private func parseRecord(endOfInputIsFinal: Bool, stopAtLineEnd: Bool = false) -> ParseOutcome {
        // The scratch buffers and the buffer's end are worked on as locals: a class's stored
        // properties are checked for exclusive access on every touch, which costs more than the parsing.
        var fieldBytes = self.fieldBytes, fieldEnds = self.fieldEnds
        self.fieldBytes = []
        self.fieldEnds = []
        defer {
            self.fieldBytes = fieldBytes
            self.fieldEnds = fieldEnds
        }
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        let end = self.end
        var state = State.fieldStart
        var newlinesInside = 0
        var textAfterClosingQuote = false
        let delimiter = self.delimiter
        let quote = Self.quote, lf = Self.lineFeed, cr = Self.carriageReturn
        return buffer.withUnsafeBufferPointer { bytes -> ParseOutcome in
            var i = head
            func finishRecord(consumingTo next: Int) -> ParseOutcome {
                fieldEnds.append(fieldBytes.count)
                if newlinesInside > 0, !stopAtLineEnd, let expected = expectedFieldCount,
                   fieldEnds.count != expected || textAfterClosingQuote {
                    return .runawayQuote
                }
                let start = line
                line += 1 + newlinesInside
                head = next
                return .record(line: start)
            }
            /// Index after the line end at `i` (CR, LF or CRLF), or nil if CR is the last byte and more may follow.
            func afterLineEnd(_ i: Int) -> Int? {
                if bytes[i] == cr {
                    if i + 1 < end { return bytes[i + 1] == lf ? i + 2 : i + 1 }
                    return endOfInputIsFinal ? i + 1 : nil
                }
                return i + 1
            }
            while true {
                if i == end {
                    if !endOfInputIsFinal { return .needMoreInput(inQuotes: state == .quoted) }
                    if state == .quoted && !stopAtLineEnd { return .needMoreInput(inQuotes: true) }
                    if i == head && fieldEnds.isEmpty { return .endOfInput }
                    return finishRecord(consumingTo: i)
                }
                let byte = bytes[i]
                switch state {
                case .fieldStart, .unquoted, .quoteInQuoted:
                    if byte == delimiter {
                        fieldEnds.append(fieldBytes.count)
                        state = .fieldStart
                        i += 1
                    } else if byte == lf || byte == cr {
                        guard let next = afterLineEnd(i) else { return .needMoreInput(inQuotes: false) }
                        if state == .fieldStart && fieldEnds.isEmpty {
                            line += 1
                            head = next
                            return .blankLine
                        }
                        return finishRecord(consumingTo: next)
                    } else if byte == quote && state == .fieldStart {
                        state = .quoted
                        i += 1
                    } else if byte == quote && state == .quoteInQuoted {
                        fieldBytes.append(quote)
                        state = .quoted
                        i += 1
                    } else {
                        if state == .quoteInQuoted { textAfterClosingQuote = true }
                        // Plain text: copy the run up to the next special byte in one go.
                        var j = i + 1
                        while j < end, bytes[j] != delimiter, bytes[j] != lf, bytes[j] != cr { j += 1 }
                        fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                        state = .unquoted
                        i = j
                    }
                case .quoted:
                    if byte == quote {
                        state = .quoteInQuoted
                        i += 1
                    } else if stopAtLineEnd && (byte == lf || byte == cr) {
                        guard let next = afterLineEnd(i) else { return .needMoreInput(inQuotes: true) }
                        return finishRecord(consumingTo: next)
                    } else {
                        var j = i
                        while j < end, bytes[j] != quote {
                            if bytes[j] == lf || (bytes[j] == cr && (j + 1 >= end || bytes[j + 1] != lf)) {
                                if stopAtLineEnd { break }
                                newlinesInside += 1
                            }
                            j += 1
                        }
                        if j == i { continue }
                        fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                        i = j
                    }
                }
            }
        }
    }

    /// Line ends in the buffer from `start`, counted up to `limit`.
    private func lineEnds(from start: Int, limit: Int) -> Int {
        buffer.withUnsafeBufferPointer { bytes in
            var count = 0
            for index in start..<end where bytes[index] == Self.lineFeed {
                count += 1
                if count >= limit { break }
            }
            return count
        }
    }

    /// A record longer than `maxRecordBytes`: read to its end (a line end outside quotes)
    /// without keeping it, and returned as one record with no fields and `.tooLong`, so the
    /// row is reported once and the next record starts where it should.
    private func skipOversizedRecord() throws -> (line: Int, problem: CSVRecordProblem?) {
        let startLine = line
        var inQuotes = false
        var newlines = 0
        var afterCarriageReturn = false
        defer {
            fieldBytes.removeAll(keepingCapacity: true)
            fieldEnds.removeAll(keepingCapacity: true)
        }
        while true {
            var index = head
            var recordEnd: Int?
            buffer.withUnsafeBufferPointer { bytes in
                while index < end {
                    let byte = bytes[index]
                    if afterCarriageReturn {
                        afterCarriageReturn = false
                        if byte == Self.lineFeed { index += 1; continue }
                    }
                    if byte == Self.quote {
                        inQuotes.toggle()
                    } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                        if !inQuotes {
                            recordEnd = index
                            break
                        }
                        newlines += 1
                        afterCarriageReturn = byte == Self.carriageReturn
                    }
                    index += 1
                }
            }
            if let recordEnd {
                head = recordEnd + 1
                if buffer[recordEnd] == Self.carriageReturn {
                    if head == end && !atEndOfInput { try fill() }
                    if head < end && buffer[head] == Self.lineFeed { head += 1 }
                }
                line = startLine + 1 + newlines
                return (startLine, .tooLong(limit: maxRecordBytes))
            }
            head = end
            if atEndOfInput {
                line = startLine + 1 + newlines
                return (startLine, .tooLong(limit: maxRecordBytes))
            }
            try fill()
        }
    }

    /// After an unterminated quote: the record becomes its first physical line,
    /// read leniently, and reading resumes on the next line.
    private func recoverUnterminatedRecord() -> (line: Int, problem: CSVRecordProblem?)? {
        guard case .record(let line) = parseRecord(endOfInputIsFinal: true, stopAtLineEnd: true) else { return nil }
        return (line, .unterminatedQuote)
    }

    private func makeRecord(line: Int, problem: CSVRecordProblem?) -> CSVRecord {
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        var problem = problem
        fieldBytes.withUnsafeBufferPointer { all in
            var start = 0
            for (column, fieldEnd) in fieldEnds.enumerated() {
                let slice = UnsafeBufferPointer(rebasing: all[start..<fieldEnd])
                if problem == nil && !isCleanText(slice) { problem = .undecodable(column: column) }
                fields.append(String(decoding: slice, as: UTF8.self))
                start = fieldEnd
            }
        }
        return CSVRecord(fields: fields, line: line, problem: problem)
    }
}

/// One record's fields as unescaped UTF-8 bytes, borrowed from the reader.
public struct CSVFieldsView {
    fileprivate let bytes: UnsafeBufferPointer<UInt8>
    fileprivate let ends: UnsafeBufferPointer<Int>
    /// 1-based physical line on which the record starts.
    public let line: Int
    /// The record held an unterminated quote and was cut at its first line.
    public let unterminatedQuote: Bool

    public var count: Int { ends.count }

    /// Field `column`'s bytes, unquoted and unescaped.
    public subscript(column: Int) -> UnsafeBufferPointer<UInt8> {
        let start = column == 0 ? 0 : ends[column - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[column]])
    }
}

/// True when `bytes` is valid UTF-8 without U+FFFD, NUL or other control
/// characters (TAB, CR and LF allowed).
func isCleanText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var sawNonASCII = false
    for byte in bytes {
        if byte >= 0x80 { sawNonASCII = true; continue }
        if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return false }
        if byte == 0x7F { return false }
    }
    guard sawNonASCII else { return true }
    guard let text = String(validating: bytes, as: UTF8.self) else { return false }
    return !text.unicodeScalars.contains { $0.value == 0xFFFD || (0x80...0x9F).contains($0.value) }
}
