import DealregIdentity

/// How a file's header row maps onto a schema's fields.
public struct HeaderMapping: Sendable, Equatable {
    /// For each schema field (by index), the file column holding it.
    public let columnForField: [Int?]
    /// File columns that map to no field, in order; carried through untouched.
    public let unmappedColumns: [Int]
    /// Required fields with no column.
    public let missingRequired: [String]
    /// Columns that named a field already taken by an earlier column.
    public let duplicateColumns: [(column: Int, field: String)]
    /// The file column of each mapped field, by field name.
    public let columnByField: [String: Int]

    public static func == (lhs: HeaderMapping, rhs: HeaderMapping) -> Bool {
        lhs.columnForField == rhs.columnForField && lhs.unmappedColumns == rhs.unmappedColumns
            && lhs.missingRequired == rhs.missingRequired
            && lhs.duplicateColumns.map(\.column) == rhs.duplicateColumns.map(\.column)
    }

    /// Maps `header` onto `schema`: exact names first, then aliases, each
    /// compared as `HeaderMapping.key` (case, accents, spaces and punctuation ignored).
    public init(header: [String], schema: TableSchema) {
        var lookup: [String: Int] = [:]
        for (index, field) in schema.fields.enumerated() {
            lookup[Self.key(field.name)] = index
        }
        for (index, field) in schema.fields.enumerated() {
            for alias in field.aliases where lookup[Self.key(alias)] == nil {
                lookup[Self.key(alias)] = index
            }
        }
        var columnForField = [Int?](repeating: nil, count: schema.fields.count)
        var unmapped: [Int] = []
        var duplicates: [(Int, String)] = []
        for (column, name) in header.enumerated() {
            guard let field = lookup[Self.key(name)] else {
                unmapped.append(column)
                continue
            }
            if columnForField[field] == nil {
                columnForField[field] = column
            } else {
                duplicates.append((column, schema.fields[field].name))
                unmapped.append(column)
            }
        }
        self.columnForField = columnForField
        columnByField = Dictionary(uniqueKeysWithValues: schema.fields.indices.compactMap { index in
            columnForField[index].map { (schema.fields[index].name, $0) }
        })
        unmappedColumns = unmapped
        duplicateColumns = duplicates
        missingRequired = schema.fields.indices.filter { schema.fields[$0].isRequired && columnForField[$0] == nil }
            .map { schema.fields[$0].name }
    }

    /// "Company Name", "company-name" and " COMPANY_NAME " all give "company_name"; "Société" gives "societe".
    public static func key(_ header: String) -> String {
        ASCIIFolding.words(header).split(separator: " ").joined(separator: "_")
    }
}
