import DealregCSV
import DealregReport
import Foundation

/// The output folder's `datapackage.json`: a Frictionless Tabular Data Package
/// (https://specs.frictionlessdata.io/data-package/) describing every table file the run
/// wrote there — results, partner files (and workbooks), approved/declined/review — with
/// its exact columns, encoding and delimiter, so `frictionless validate OUTDIR/datapackage.json`
/// checks the folder with the standard tool.
///
/// Columns are read back from each file's own header, as written (so a header the formula
/// guard prefixed is listed with its prefix). The result columns are typed as in
/// `schemas/results.schema.json`; every column carried from an upload is a string.
/// `summary.json` and the outbox are not tables and are not listed.
enum DataPackage {
    /// The package for the files staged in `staging`, as pretty, key-sorted JSON.
    ///
    /// - Throws: `FileError` when a staged file cannot be read.
    static func json(for staging: OutputStaging) throws -> [UInt8] {
        var resources: [Resource] = []
        var names = Set<String>()
        for file in staging.stagedNames {
            let lowered = file.lowercased()
            guard lowered.hasSuffix(".csv") || lowered.hasSuffix(".xlsx") else { continue }
            let path = staging.stagingDirectory.appendingPathComponent(file).path
            var resource: Resource
            switch staging.tables[file] {
            case .csv(let format)?:
                resource = try csvResource(file, path: path, charset: format.charset, delimiter: format.delimiter)
            case .xlsx(let columns)?:
                resource = xlsxResource(file, columns: columns)
            case nil where lowered.hasSuffix(".csv"):
                // Re-emitted from the ledger byte for byte: described as dealreg reads any CSV.
                let format = try CSVFile.detectFormat(path: path)
                resource = try csvResource(file, path: path, charset: format.encoding.charset, delimiter: format.delimiter)
            case nil:
                // A re-emitted workbook holds the rows of the partner file of the same name.
                let sibling = String(file.dropLast(".xlsx".count)) + ".csv"
                guard let csv = resources.first(where: { $0.path == sibling }) else { continue }
                resource = xlsxResource(file, columns: csv.schema.fields.map(\.name))
            }
            resource.name = uniqueName(for: file, taken: &names)
            resources.append(resource)
        }
        let package = Package(resources: resources)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(package)) + [0x0A]
    }

    /// Which of dealreg's files `file` is, for typing its result columns.
    private enum Kind { case results, partner, batch }

    private static func kind(of file: String) -> Kind {
        if ["approved.csv", "declined.csv", "review.csv"].contains(file) { return .batch }
        return file.hasSuffix(".results.csv") ? .results : .partner
    }

    private static func csvResource(_ file: String, path: String, charset: String, delimiter: UInt8) throws -> Resource {
        let source = try FileByteSource(path: path)
        var first = [UInt8](repeating: 0, count: 4)
        let count = try first.withUnsafeMutableBytes { try source.read(into: $0) }
        let encoding = try EncodingDetector.override(charset, firstBytes: Array(first[0..<count]))
        let reader = try CSVFile.open(path: path, format: CSVFormat(encoding: encoding, delimiter: delimiter))
        let header = try reader.next()?.fields ?? []
        var name = charset.lowercased()
        // Python's codecs (frictionless) skip a UTF-16/32 byte-order mark only under the plain name.
        if encoding.signatureLength > 0, name.hasPrefix("utf-16") || name.hasPrefix("utf-32") { name = String(name.prefix(6)) }
        return Resource(path: file, format: "csv", mediatype: "text/csv", encoding: name,
                        dialect: Dialect(delimiter: String(UnicodeScalar(delimiter))),
                        schema: schema(for: header, kind: kind(of: file)))
    }

    private static func xlsxResource(_ file: String, columns: [String]) -> Resource {
        Resource(path: file, format: "xlsx", mediatype: XLSXWriter.contentType, encoding: nil, dialect: nil,
                 schema: schema(for: columns, kind: .partner))
    }

    /// Every column a string, but dealreg's own result columns, typed as the results schema types them.
    private static func schema(for header: [String], kind: Kind) -> TableSchemaDescriptor {
        let resultColumns: Range<Int>
        switch kind {
        case .results: resultColumns = max(0, header.count - ResultRecord.columns.count)..<header.count
        case .partner: resultColumns = max(0, header.count - ResultRecord.partnerColumns.count)..<header.count
        case .batch: resultColumns = min(1, header.count)..<min(1 + ResultRecord.columns.count, header.count)
        }
        // Field names must be unique and not empty: a blank or repeated column of an upload gets a
        // name of its own ("column 7", "notes (6)", by position), and a validator reports its label.
        var seen = Set<String>()
        let fields = header.enumerated().map { index, label -> FieldDescriptor in
            var name = label.isEmpty ? "column \(index + 1)" : label
            if seen.contains(name) { name = "\(name) (\(index + 1))" }
            seen.insert(name)
            guard name == label, resultColumns.contains(index), let known = Schemas.results.field(named: label) else {
                return FieldDescriptor(name: name, type: "string", description: nil, constraints: nil)
            }
            return FieldDescriptor(name: label, type: known.type, description: known.description,
                                   constraints: known.constraints?.enum.map { FieldDescriptor.Constraints(enum: $0) })
        }
        return TableSchemaDescriptor(fields: fields)
    }

    /// A resource name as the specification allows (lower case letters, digits, `-`, `_`, `.`),
    /// made unique within the package.
    private static func uniqueName(for file: String, taken: inout Set<String>) -> String {
        var base = ""
        for scalar in file.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", "-", "_", ".": base.unicodeScalars.append(scalar)
            default: base += "-"
            }
        }
        var name = base
        var counter = 2
        while taken.contains(name) {
            name = "\(base)-\(counter)"
            counter += 1
        }
        taken.insert(name)
        return name
    }

    private struct Package: Encodable {
        var profile = "tabular-data-package"
        var name = "dealreg-results"
        var title = "dealreg results"
        var description = "The table files one dealreg run wrote into this folder, with their exact columns, encoding and delimiter. summary.json holds the run's counts."
        var resources: [Resource]
    }

    private struct Resource: Encodable {
        var name = ""
        var path: String
        var profile = "tabular-data-resource"
        var format: String
        var mediatype: String
        var encoding: String?
        var dialect: Dialect?
        var schema: TableSchemaDescriptor

        init(path: String, format: String, mediatype: String, encoding: String?, dialect: Dialect?, schema: TableSchemaDescriptor) {
            self.path = path
            self.format = format
            self.mediatype = mediatype
            self.encoding = encoding
            self.dialect = dialect
            self.schema = schema
        }
    }

    /// CSV Dialect (https://specs.frictionlessdata.io/csv-dialect/) as CSVWriter writes.
    private struct Dialect: Encodable {
        var delimiter: String
        var lineTerminator = "\r\n"
        var quoteChar = "\""
        var doubleQuote = true
        var header = true
    }

    private struct TableSchemaDescriptor: Encodable {
        var fields: [FieldDescriptor]
        var missingValues = [""]
    }

    private struct FieldDescriptor: Encodable {
        var name: String
        var type: String
        var description: String?
        var constraints: Constraints?

        struct Constraints: Encodable {
            var `enum`: [String]
        }
    }
}
