import Foundation
import GRDB
import PostgresNIO

/// The advisory lock keys of a PostgreSQL ledger (each database has its own key space).
enum PostgresLockKey {
    /// Held by a batch, for the whole batch, on its own connection (`BatchLock`).
    static let batch: Int64 = 0x6465_616C_7265_6701
    /// Taken by every write transaction, so writers take turns as on SQLite.
    static let write: Int64 = 0x6465_616C_7265_6702
    /// Taken while migrating, so two processes never migrate at once.
    static let migrate: Int64 = 0x6465_616C_7265_6703
}

/// One PostgreSQL connection, used synchronously: every call waits on the event loop's future
/// from the calling thread (never an event loop thread), so the synchronous pipeline needs no
/// async code and never blocks Swift concurrency's pool waiting for it.
final class PostgresLink: @unchecked Sendable {
    let location: PostgresLocation
    private let connection: PostgresConnection
    private let logger: Logger

    /// Connects, as `applicationName` (seen in `pg_stat_activity`).
    /// - Throws: `LedgerError`; `isBusy` when the server cannot be reached (try again later).
    init(_ location: PostgresLocation, applicationName: String) throws {
        self.location = location
        var logger = Logger(label: "dealreg.ledger")
        logger.logLevel = .critical   // postgres-nio's own lines stay out of dealreg's output
        self.logger = logger
        let tls: PostgresConnection.Configuration.TLS
        do {
            var settings = TLSConfiguration.makeClientConfiguration()
            switch location.sslMode {
            case .disable:
                tls = .disable
            case .allow, .prefer:
                settings.certificateVerification = .none
                tls = .prefer(try NIOSSLContext(configuration: settings))
            case .require:
                settings.certificateVerification = .none
                tls = .require(try NIOSSLContext(configuration: settings))
            case .verifyCA:
                settings.certificateVerification = .noHostnameVerification
                tls = .require(try NIOSSLContext(configuration: settings))
            case .verifyFull:
                settings.certificateVerification = .fullVerification
                tls = .require(try NIOSSLContext(configuration: settings))
            }
        } catch {
            throw LedgerError("\(location.display): cannot set up TLS (sslmode=\(location.sslMode.rawValue)): \(error)")
        }
        var configuration: PostgresConnection.Configuration
        if let socket = location.unixSocketPath {
            configuration = .init(unixSocketPath: socket, username: location.user, password: location.password,
                                  database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                        configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            throw Self.describe(error, location: location, connecting: true)
        }
    }

    deinit {
        if !connection.isClosed { _ = try? connection.close().wait() }
    }

    /// The future's value, or a lost-connection error as soon as the connection closes (the
    /// server ended it, or the network did): a statement sent on a dead connection is never
    /// waited on forever.
    private func waitOrLost<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let promise = connection.eventLoop.makePromise(of: T.self)
        let once = Once()
        let display = location.display
        future.whenComplete { result in if once.first() { promise.completeWith(result) } }
        connection.closeFuture.whenComplete { _ in
            if once.first() {
                promise.fail(LedgerError(isBusy: true, "\(display): lost the connection to the PostgreSQL server; the transaction in progress was not recorded — try again when the server is up"))
            }
        }
        return try promise.futureResult.wait()
    }

    /// The server's process serving this connection.
    var backendPID: Int32 {
        get throws { try query("SELECT pg_backend_pid() AS pid", []).first.flatMap { try? $0["pid"].decode(Int32.self) } ?? 0 }
    }

    /// Runs one statement (`?` placeholders) and returns its rows.
    func query(_ sql: String, _ arguments: [DatabaseValue]) throws -> [PostgresRandomAccessRow] {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.storage {
            case .null: bindings.appendNull()
            case .int64(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .string(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        do {
            let result = try waitOrLost(connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings), logger: logger))
            return result.rows.map { $0.makeRandomAccess() }
        } catch {
            throw Self.describe(error, location: location, connecting: false)
        }
    }

    /// Runs statements without parameters, one after the other (several may be given, as in a
    /// migration: each ends with `;` at the end of a line, outside quotes and `$$` bodies).
    func run(_ sql: String) throws {
        for statement in Self.statements(sql) {
            do {
                _ = try waitOrLost(connection.query(PostgresQuery(unsafeSQL: statement), logger: logger))
            } catch {
                throw Self.describe(error, location: location, connecting: false)
            }
        }
    }

    /// `sql` cut into statements at each `;` outside quotes, `$$` bodies and `--` comments.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quoted = false, dollar = false, comment = false
        var previous: Character = " "
        for character in sql {
            current.append(character)
            if comment {
                if character == "\n" { comment = false }
            } else if character == "'" && !dollar {
                quoted.toggle()
            } else if character == "$" && previous == "$" && !quoted {
                dollar.toggle()
            } else if character == "-" && previous == "-" && !quoted && !dollar {
                comment = true
            } else if character == ";" && !quoted && !dollar {
                statements.append(current)
                current = ""
            }
            previous = character == "$" && previous == "$" ? " " : character
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !$0.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces) == ";" } }
    }

    /// `?` placeholders as PostgreSQL's `$1`, `$2`, …; a `?` inside a quoted string stays.
    static func numbered(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A row as GRDB's, so the records decode as they do from SQLite.
    static func row(_ row: PostgresRandomAccessRow) throws -> Row {
        var values: [String: (any DatabaseValueConvertible)?] = [:]
        for cell in row {
            values[cell.columnName] = try value(cell)
        }
        return Row(values)
    }

    private static func value(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .bool: return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            return Data(buffer.readableBytesView).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }

    /// A PostgreSQL failure in words, without row values or credentials: the server's own message
    /// and SQLSTATE, or why the server could not be reached (then `isBusy`: try again later).
    static func describe(_ error: any Error, location: PostgresLocation, connecting: Bool) -> LedgerError {
        if let error = error as? LedgerError { return error }
        guard let error = error as? PSQLError else {
            if error is IOError || error is NIOConnectionError || error is ChannelError {
                return LedgerError(isBusy: true, "\(location.display): cannot reach the PostgreSQL server (\(plainWords(error))); nothing more was recorded — try again when it is up")
            }
            return LedgerError("\(location.display): the PostgreSQL ledger failed (\(plainWords(error)))")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "an error"
            // 08: connection exception; 57P0x: the server is shutting down or starting; 53: out of resources.
            if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53") {
                return LedgerError(isBusy: true, "\(location.display): the PostgreSQL server is not available (\(message), SQLSTATE \(state)); nothing more was recorded — try again later")
            }
            if state.hasPrefix("28") {
                return LedgerError("\(location.display): PostgreSQL refused the login of user \(location.user) (\(message)); check the password (URL, PGPASSWORD or PGPASSFILE) and pg_hba.conf")
            }
            if state == "3D000" {
                return LedgerError("\(location.display): there is no database \(location.database) on this server (create it with createdb, then run dealreg migrate)",
                                   isUnusableFile: true)
            }
            return LedgerError("\(location.display): PostgreSQL refused a ledger statement: \(message) (SQLSTATE \(state))")
        case .sslUnsupported:
            return LedgerError("\(location.display): the server does not offer TLS, but sslmode=\(location.sslMode.rawValue) requires it")
        case .authMechanismRequiresPassword:
            return LedgerError("\(location.display): the server asks user \(location.user) for a password: give it in PGPASSWORD, a pgpass file (PGPASSFILE) or the URL")
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            let cause = error.underlying.map(plainWords) ?? "the connection was closed"
            let what = connecting ? "cannot reach the PostgreSQL server" : "lost the connection to the PostgreSQL server"
            return LedgerError(isBusy: true, "\(location.display): \(what) (\(cause)); the transaction in progress was not recorded — try again when the server is up")
        default:
            return LedgerError("\(location.display): the PostgreSQL ledger failed (\(error.code))")
        }
    }

    /// An I/O error in words (`connection refused`), not a dump of its structure.
    private static func plainWords(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first?.error { return plainWords(first) }
            if error.dnsAAAAError != nil || error.dnsAError != nil { return "the host name could not be resolved" }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "no answer within the connect timeout" }
        let text = "\(error)"
        return text.count <= 120 ? text : String(text.prefix(120)) + "…"
    }
}

/// True the first time only, whoever asks first (a future's value, or its connection's end).
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func first() -> Bool { lock.lock(); defer { lock.unlock() }; let was = done; done = true; return !was }
}

/// The PostgreSQL backend: one connection per ledger, writers serialized by a transaction-level
/// advisory lock, migrated by ``PostgresMigrations``.
final class PostgresLedgerBackend: LedgerBackend, @unchecked Sendable {
    let link: PostgresLink
    private let lock = NSRecursiveLock()
    private var depth = 0
    var dialect: LedgerDialect { .postgres }

    init(location: PostgresLocation, opening: Ledger.Opening) throws {
        link = try PostgresLink(location, applicationName: "dealreg pid \(getpid())")
        try PostgresMigrations.migrate(link, opening: opening)
        isReadOnly = opening == .readOnly
    }

    /// Opened with `.readOnly`: `write` refuses.
    private let isReadOnly: Bool

    func read<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func write<T>(_ body: (any LedgerSession) throws -> T) throws -> T {
        guard !isReadOnly else { throw LedgerError("\(link.location.display): the ledger was opened read-only: nothing can be written") }
        return try transaction(begin: "BEGIN") { session in
            _ = try link.query("SELECT pg_advisory_xact_lock(?)", [PostgresLockKey.write.databaseValue])
            try BatchLock.verifyHeld(on: link)
            return try body(session)
        }
    }

    private func transaction<T>(begin: String, _ body: (any LedgerSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let session = PostgresSession(link: link)
        // A call from inside a transaction (a notifier reading the ledger) joins it.
        if depth > 0 { return try body(session) }
        depth += 1
        defer { depth -= 1 }
        try link.run(begin)
        do {
            let value = try body(session)
            try link.run("COMMIT")
            return value
        } catch {
            try? link.run("ROLLBACK")
            throw error
        }
    }
}

private struct PostgresSession: LedgerSession {
    let link: PostgresLink

    private func values(_ arguments: [(any DatabaseValueConvertible)?]) -> [DatabaseValue] {
        arguments.map { $0?.databaseValue ?? .null }
    }

    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Record] {
        try fetchRows(sql: sql, arguments: arguments).map { try Record(row: $0) }
    }

    func fetchRows(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Row] {
        try link.query(sql, values(arguments)).map(PostgresLink.row)
    }

    func execute(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws {
        _ = try link.query(sql, values(arguments))
    }

    func insert<Record: PersistableRecord>(_ record: Record) throws {
        // NULL columns are left out: their default is NULL, and an identity column numbers itself.
        let columns = try record.databaseDictionary.filter { !$0.value.isNull }.sorted { $0.key < $1.key }
        let sql = "INSERT INTO \(Record.databaseTableName) (\(columns.map(\.key).joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        _ = try link.query(sql, columns.map(\.value))
    }

    func update(_ registration: LedgerRegistration) throws {
        let columns = try registration.databaseDictionary.filter { $0.key != "id" }.sorted { $0.key < $1.key }
        let sql = "UPDATE registration SET \(columns.map { "\($0.key) = ?" }.joined(separator: ", ")) WHERE id = ?"
        _ = try link.query(sql, columns.map(\.value) + [registration.id.databaseValue])
    }
}
