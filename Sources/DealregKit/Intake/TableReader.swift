import DealregCSV
import DealregIdentity

/// A data row of a CSV file, mapped onto a schema.
public struct MappedRow: Sendable {
    /// 1-based physical line where the row starts.
    public let line: Int
    /// 1-based data row (header, blank and all-empty lines not counted).
    public let rowNumber: Int
    /// The row as a spreadsheet numbers it: the header is row 1, and blank and all-empty rows
    /// before this one count (a value spanning lines is one row).
    public let sheetRow: Int
    /// The values as read, one per column of the file's header (padded or cut to its width).
    public let fields: [String]
    /// Values beyond the header's width (a ragged row).
    public let extraValues: [String]
    /// What was wrong with the row's bytes or shape.
    public let problem: RowProblem?
    let mapping: HeaderMapping
    let schema: TableSchema

    /// The trimmed value of a schema field; nil when the column is absent or the cell empty.
    public func value(_ field: String) -> String? {
        guard let value = rawValue(field)?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// The value of a schema field exactly as read; nil when the file has no such column.
    public func rawValue(_ field: String) -> String? {
        guard let column = mapping.columnByField[field], column < fields.count else { return nil }
        return fields[column]
    }
}

/// A structural defect in a row; its values cannot be trusted.
public enum RowProblem: Equatable, Sendable {
    case unterminatedQuote
    case undecodable(column: String)
    case wrongFieldCount(expected: Int, found: Int)
    /// The line is longer than the reader's limit and was not read.
    case tooLong(limit: Int)
}

/// Reads a CSV file as rows of a schema: detects encoding and delimiter, maps
/// the header, numbers the rows and classifies malformed ones.
public final class TableReader {
    public let path: String
    public let format: CSVFormat
    /// The header as written in the file.
    public let header: [String]
    public let mapping: HeaderMapping
    public let schema: TableSchema
    /// Lines with only delimiters (e.g. `;;;;` that Excel leaves at the end).
    public private(set) var emptyRowsSkipped = 0
    private let records: CSVRecordReader
    private let file: FileByteSource
    private var rowNumber = 0

    /// Bytes of the file read so far: how far through it the reader is, to within one 64 KiB read.
    public var bytesRead: Int64 { file.bytesRead }

    /// Opens `path` in an already detected `format`.
    public init(path: String, schema: TableSchema, format: CSVFormat) throws {
        self.path = path
        self.format = format
        self.schema = schema
        (records, file) = try CSVFile.openCounting(path: path, format: format)
        header = try records.next()?.fields.map { $0.trimmingWhitespace() } ?? []
        mapping = HeaderMapping(header: header, schema: schema)
        records.expectedFieldCount = header.count
    }

    /// Detects the format, then opens the file.
    public convenience init(path: String, schema: TableSchema, encoding: String? = nil,
                            observe: (UnsafeRawBufferPointer) -> Void = { _ in }) throws {
        let format = try CSVFile.detectFormat(path: path, encoding: encoding, observe: observe)
        try self.init(path: path, schema: schema, format: format)
    }

    public var blankLinesSkipped: Int { records.blankLinesSkipped }

    public func next() throws -> MappedRow? {
        while let record = try records.next() {
            if record.problem == nil && record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
                emptyRowsSkipped += 1
                continue
            }
            rowNumber += 1
            let width = max(header.count, 1)
            var fields = Array(record.fields.prefix(width))
            let extra = Array(record.fields.dropFirst(width))
            // Trailing empty cells beyond the header are how spreadsheets pad rows, not a defect.
            let meaningfulExtra = extra.contains { !$0.trimmingWhitespace().isEmpty }
            let found = record.fields.count
            while fields.count < width { fields.append("") }
            var problem: RowProblem?
            switch record.problem {
            case .unterminatedQuote:
                problem = .unterminatedQuote
            case .tooLong(let limit):
                problem = .tooLong(limit: limit)
            case .undecodable(let column):
                problem = .undecodable(column: column < header.count ? header[column] : "column \(column + 1)")
            case nil:
                if found < header.count || meaningfulExtra {
                    problem = .wrongFieldCount(expected: header.count, found: meaningfulExtra ? found : record.fields.count)
                }
            }
            return MappedRow(line: record.line, rowNumber: rowNumber,
                             sheetRow: rowNumber + 1 + records.blankLinesSkipped + emptyRowsSkipped, fields: fields,
                             extraValues: meaningfulExtra ? extra : [], problem: problem, mapping: mapping, schema: schema)
        }
        return nil
    }
}
