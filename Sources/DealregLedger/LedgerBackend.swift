import Foundation
import GRDB

/// The SQL dialect a backend speaks, where the ledger's statements differ.
enum LedgerDialect: Sendable {
    case sqlite, postgres

    /// `lhs LIKE rhs`, ASCII case-insensitive and without an escape character, as SQLite's LIKE is.
    func like(_ lhs: String, _ rhs: String) -> String {
        switch self {
        case .sqlite: return "\(lhs) LIKE \(rhs)"
        case .postgres: return "\(lhs) ILIKE \(rhs) ESCAPE ''"
        }
    }
}

/// One transaction of a ledger backend. Statements use `?` placeholders in both dialects;
/// values are GRDB's (`String`, `Int`, `Double`, `Data`, nil), rows come back as GRDB rows,
/// so the records' `Codable` column mapping is written once.
protocol LedgerSession {
    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Record]
    func fetchRows(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Row]
    func execute(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws
    /// Inserts every column of the record.
    func insert<Record: PersistableRecord>(_ record: Record) throws
    /// Updates every column of the registration with its id.
    func update(_ registration: LedgerRegistration) throws
}

extension LedgerSession {
    func fetchOne<Record: FetchableRecord>(_ type: Record.Type, sql: String,
                                           arguments: [(any DatabaseValueConvertible)?] = []) throws -> Record? {
        try fetchAll(type, sql: sql, arguments: arguments).first
    }

    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, sql: String) throws -> [Record] {
        try fetchAll(type, sql: sql, arguments: [])
    }
}

/// Where the ledger's rows are kept: SQLite (one file) or PostgreSQL (one database).
///
/// `read` sees one consistent state; `write` is one transaction, all or nothing, serialized
/// with every other writer of the same ledger (also in other processes).
protocol LedgerBackend: Sendable {
    var dialect: LedgerDialect { get }
    func read<T>(_ body: (any LedgerSession) throws -> T) throws -> T
    func write<T>(_ body: (any LedgerSession) throws -> T) throws -> T
}

// MARK: - SQLite

/// The SQLite backend: one file in WAL mode through GRDB, migrated by ``Migrations``.
final class SQLiteLedgerBackend: LedgerBackend {
    let pool: any DatabaseWriter
    /// Opened with `.readOnly`: the file is opened read-only and `write` refuses.
    let isReadOnly: Bool
    var dialect: LedgerDialect { .sqlite }

    /// Opens the ledger at `path`. A file of zero bytes is never taken for a new ledger (a
    /// truncated ledger would otherwise approve everything again).
    init(path: String, opening: Ledger.Opening) throws {
        var status = stat()
        if stat(path, &status) != 0 {
            guard opening == .createIfMissing else {
                throw LedgerError("no ledger at \(path): give an existing ledger file (a new one is made only by run or batch with --ledger)",
                                  isUnusableFile: true)
            }
            // Private: the ledger holds partners' contacts (SQLite gives its -wal and -shm files the same mode).
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 || errno == EEXIST else {
                throw LedgerError("cannot create the ledger \(path): \(String(cString: strerror(errno)))")
            }
            if descriptor >= 0 { close(descriptor) }
        } else if status.st_size == 0 {
            var wal = stat()
            let walHoldsData = stat(path + "-wal", &wal) == 0 && wal.st_size > 0
            if !walHoldsData {
                throw LedgerError("\(path) is an empty file, not a ledger (truncated?): restore it from a backup, or remove it to start a new ledger",
                                  isUnusableFile: true)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        isReadOnly = opening == .readOnly
        if isReadOnly {
            // Read only: SQLite opens the file O_RDONLY and never checkpoints or migrates it.
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let current = try queue.read { try Migrations.migrator.hasCompletedMigrations($0) }
            guard current else {
                throw LedgerError("\(path): the ledger's schema is older than this dealreg's; open it once with a write command (e.g. `dealreg migrate --ledger \(path)`) before reading it read-only")
            }
            pool = queue
        } else {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Migrations.migrator.migrate(pool)
        }
    }

    func read<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        try pool.read { try body(SQLiteSession(db: $0)) }
    }

    func write<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        guard !isReadOnly else { throw LedgerError("the ledger was opened read-only: nothing can be written") }
        return try pool.write { try body(SQLiteSession(db: $0)) }
    }
}

private struct SQLiteSession: LedgerSession {
    let db: Database

    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Record] {
        try Record.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
    }

    func fetchRows(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Row] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
    }

    func execute(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws {
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
    }

    func insert<Record: PersistableRecord>(_ record: Record) throws {
        try record.insert(db)
    }

    func update(_ registration: LedgerRegistration) throws {
        try registration.update(db)
    }
}
