import DealregCSV

/// `dealreg inspect`: a file's records exactly as the pipeline reads them.
public enum Inspector {
    /// Describes how the file was read: encoding, delimiter and column mapping.
    public static func describe(_ reader: TableReader) -> [String] {
        let encoding = reader.format.encoding
        var lines = [
            "file: \(reader.path)",
            "encoding: \(encoding.charset) (\(encoding.evidence))",
            "delimiter: \(reader.format.delimiterName)",
        ]
        var fieldOfColumn: [Int: String] = [:]
        for (index, field) in reader.schema.fields.enumerated() {
            if let column = reader.mapping.columnForField[index] { fieldOfColumn[column] = field.name }
        }
        for (column, name) in reader.header.enumerated() {
            lines.append("column \(column + 1) '\(name)' -> \(fieldOfColumn[column] ?? "(carried through)")")
        }
        for field in reader.mapping.missingRequired { lines.append("missing required column: \(field)") }
        return lines
    }

    /// One JSON object for a row: position, mapped fields in schema order, unmapped columns, and any problem.
    public static func jsonLine(_ row: MappedRow, reader: TableReader) -> String {
        var members = ["\"line\":\(row.line)", "\"row_number\":\(row.rowNumber)"]
        var fields: [String] = []
        for field in reader.schema.fields {
            if let value = row.rawValue(field.name) { fields.append("\(jsonString(field.name)):\(jsonString(value))") }
        }
        members.append("\"fields\":{\(fields.joined(separator: ","))}")
        let extra = reader.mapping.unmappedColumns.map { "\(jsonString(reader.header[$0])):\(jsonString(row.fields[$0]))" }
        members.append("\"unmapped\":{\(extra.joined(separator: ","))}")
        if !row.extraValues.isEmpty {
            members.append("\"extra_values\":[\(row.extraValues.map(jsonString).joined(separator: ","))]")
        }
        if let problem = row.problem { members.append("\"problem\":\(jsonString(DealregKit.describe(problem)))") }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JSON string literal (also the batch log's JSON lines).
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
