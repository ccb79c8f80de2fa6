import Foundation
import GRDB

extension Ledger {
    /// The ledger's tables in the order a copy inserts them (each after those it references),
    /// with the order rows are read in.
    static let tables: [(name: String, order: String)] = [
        ("processed_file", "sha256"), ("blob_part", "file_sha256, item, seq"), ("registration", "id"), ("audit", "id"),
        ("reminder", "registration_id, expires_on"), ("owed", "file_sha256, kind, name"), ("notice", "name"),
        ("digest", "audience, recipient, period"),
    ]

    /// The migrations applied to this ledger, oldest first.
    public func appliedMigrations() throws -> [String] {
        let sql = dialect == .sqlite ? "SELECT identifier FROM grdb_migrations ORDER BY rowid"
                                     : "SELECT identifier FROM schema_version ORDER BY version"
        return try backend.read { try $0.fetchRows(sql: sql, arguments: []).map { $0["identifier"] as String } }
    }

    /// How many rows each table holds, by table name.
    public func rowCounts() throws -> [String: Int] {
        try backend.read { db in
            var counts: [String: Int] = [:]
            for table in Self.tables {
                counts[table.name] = try db.fetchRows(sql: "SELECT COUNT(*) AS count FROM \(table.name)", arguments: []).first
                    .map { $0["count"] as Int } ?? 0
            }
            return counts
        }
    }

    /// Copies every row of this ledger into `target`, which must hold no registration and no
    /// file, in one transaction of the target (all or nothing), then verifies the copy: the same
    /// number of rows in every table, the same registrations and the same audit chain (every
    /// entry, with its id, in order).
    /// - Returns: the rows copied, by table.
    /// - Throws: `LedgerError` when the target is not empty or the copy differs (nothing is kept then).
    public func copy(into target: Ledger) throws -> [String: Int] {
        let existing = try target.rowCounts()
        if existing["processed_file", default: 0] > 0 || existing["registration", default: 0] > 0 {
            throw LedgerError("\(target.path) already holds \(existing["registration", default: 0]) registrations from \(existing["processed_file", default: 0]) files: copy-ledger copies into an empty ledger only")
        }
        return try backend.read { source in
            try target.backend.write { destination in
                var counts: [String: Int] = [:]
                for table in Self.tables {
                    let rows = try source.fetchRows(sql: "SELECT * FROM \(table.name) ORDER BY \(table.order)", arguments: [])
                    for row in rows {
                        let columns = Array(row.columnNames)
                        let values: [(any DatabaseValueConvertible)?] = columns.map { row[$0] as DatabaseValue }
                        try destination.execute(sql: "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES ("
                                                    + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")",
                                                arguments: values)
                    }
                    counts[table.name] = rows.count
                }
                if target.dialect == .postgres {
                    // Entries copied with their ids: the next entry numbers on from the last.
                    try destination.execute(sql: "SELECT setval(pg_get_serial_sequence('audit', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM audit), false)",
                                            arguments: [])
                }
                // Verified inside the transaction: a copy that differs is never committed.
                for table in Self.tables {
                    let copied = try destination.fetchRows(sql: "SELECT COUNT(*) AS count FROM \(table.name)", arguments: []).first
                        .map { $0["count"] as Int } ?? 0
                    guard copied == counts[table.name] else {
                        throw LedgerError("\(target.path): \(table.name) holds \(copied) rows after the copy, not \(counts[table.name] ?? 0); nothing was copied")
                    }
                }
                let chain = "SELECT * FROM audit ORDER BY id"
                guard try source.fetchAll(AuditEntry.self, sql: chain) == destination.fetchAll(AuditEntry.self, sql: chain) else {
                    throw LedgerError("\(target.path): the copied audit chain differs from \(path)'s; nothing was copied")
                }
                let registrations = "SELECT * FROM registration ORDER BY id"
                guard try source.fetchAll(LedgerRegistration.self, sql: registrations)
                        == destination.fetchAll(LedgerRegistration.self, sql: registrations) else {
                    throw LedgerError("\(target.path): the copied registrations differ from \(path)'s; nothing was copied")
                }
                return counts
            }
        }
    }
}
