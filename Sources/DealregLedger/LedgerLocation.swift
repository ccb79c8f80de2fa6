import Foundation

/// Where a ledger lives: a SQLite file (a path) or a PostgreSQL database (a `postgres://` URL).
///
/// `--ledger postgres://user@host/db` selects PostgreSQL; anything else is a file path.
/// The password (from the URL, `PGPASSWORD` or a pgpass file) is never part of ``display``:
/// messages and logs name the user, host and database only.
public enum LedgerLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads a `--ledger` value. A `postgres://` or `postgresql://` URL selects PostgreSQL.
    /// - Throws: `LedgerError` for a PostgreSQL URL that cannot be used (its parameter named).
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if Self.isPostgres(text) {
            self = .postgres(try PostgresLocation(url: text, environment: environment))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// Whether a `--ledger` value names a PostgreSQL database.
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The ledger as messages name it: the path, or the URL without its password.
    public var display: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.display
        }
    }

    /// A `--ledger` value fit for a message: a PostgreSQL URL loses its password and query
    /// (even one that cannot be parsed); a path is returned as given.
    public static func display(_ text: String) -> String {
        guard isPostgres(text) else { return text }
        if let location = try? PostgresLocation(url: text, environment: [:]) { return location.display }
        return redacted(text)
    }

    /// The URL as written, less its query and any password: the scheme, the user and what follows
    /// the '@', never what stands between ':' and '@'. For URLs that cannot be parsed.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return "postgres://…" }
        var rest = String(text[schemeEnd.upperBound...])
        if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
        if let at = rest.lastIndex(of: "@") {
            let user = rest[..<at].split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            rest = user + "@" + rest[rest.index(after: at)...]
        }
        return String(text[..<schemeEnd.upperBound]) + rest
    }
}

/// A PostgreSQL ledger's connection settings, parsed from `postgres://[user[:password]@][host][:port][/database][?sslmode=…]`.
///
/// Like libpq: the user defaults to `PGUSER`, then `USER`; the host to `PGHOST`, then `localhost`
/// (a host starting with `/` is a Unix socket folder); the port to `PGPORT`, then 5432; the database
/// to `PGDATABASE`, then the user; the password to `PGPASSWORD`, then the pgpass file (`PGPASSFILE`
/// or `~/.pgpass`); `sslmode` to `PGSSLMODE`, then `prefer`.
public struct PostgresLocation: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// Seconds to wait for the server to answer a connection.
    public var connectTimeout: Int
    /// Never printed; see ``display``.
    var password: String?

    /// The Unix socket to connect to, when the host is a folder.
    public var unixSocketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    /// `postgres://user@host:port/database`: no password, ever.
    public var display: String {
        let shownHost = host.hasPrefix("/") ? "" : (host.contains(":") ? "[\(host)]" : host)
        let socket = host.hasPrefix("/") ? "?host=\(host)" : ""
        return "postgres://\(user)@\(shownHost):\(port)/\(database)\(socket)"
    }

    /// What identifies the database (for the process's record of batch locks).
    var identity: String { "\(host):\(port)/\(database)" }

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func refuse(_ why: String) -> LedgerError {
            LedgerError("the ledger URL \(LedgerLocation.redacted(url)) cannot be used: \(why)")
        }
        guard let components = URLComponents(string: url) else {
            throw LedgerError("the ledger URL \(LedgerLocation.redacted(url)) is not a URL (postgres://user@host:port/database is expected; characters such as @ : / in a password must be percent-encoded)")
        }
        var host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding }
        if let bracketed = host, bracketed.hasPrefix("["), bracketed.hasSuffix("]") { host = String(bracketed.dropFirst().dropLast()) }
        var port = components.port
        var sslMode = environment["PGSSLMODE"]
        var timeout = 10
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode": sslMode = value
            case "host": host = value
            case "port":
                guard let number = Int(value) else { throw refuse("port=\(value) is not a number") }
                port = number
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else { throw refuse("connect_timeout=\(value) is not a number of seconds") }
                timeout = seconds
            case "application_name": break
            default:
                throw refuse("unknown parameter '\(item.name)' (known: sslmode, host, port, connect_timeout, application_name)")
            }
        }
        if host?.isEmpty ?? true { host = environment["PGHOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "localhost" }
        if port == nil, let text = environment["PGPORT"] {
            guard let number = Int(text) else { throw refuse("PGPORT=\(text) is not a number") }
            port = number
        }
        let resolvedPort = port ?? 5432
        guard (1...65535).contains(resolvedPort) else { throw refuse("port \(resolvedPort) is out of range") }
        let mode = sslMode.flatMap { $0.isEmpty ? nil : $0 } ?? "prefer"
        guard let parsedMode = SSLMode(rawValue: mode) else {
            throw refuse("sslmode=\(mode) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        var database = components.path.removingPercentEncoding ?? components.path
        while database.hasPrefix("/") { database.removeFirst() }
        if database.isEmpty { database = environment["PGDATABASE"] ?? user }
        guard !database.contains("/") else { throw refuse("the database name '\(database)' contains '/'") }

        self.user = user
        self.host = host!
        self.port = resolvedPort
        self.database = database
        self.sslMode = parsedMode
        self.connectTimeout = timeout
        self.password = components.password
            ?? environment["PGPASSWORD"]
            ?? Self.passwordFromPassFile(environment: environment, host: self.host, port: resolvedPort, database: database, user: user)
    }

    /// The password of the first matching line of the pgpass file (`host:port:database:user:password`,
    /// `*` matching anything, `\` escaping `:` and `\`), as libpq reads it; nil without one.
    static func passwordFromPassFile(environment: [String: String], host: String, port: Int, database: String,
                                     user: String) -> String? {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let hostNames = host.hasPrefix("/") ? ["localhost", host] : [host]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped { fields[fields.count - 1].append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == ":" && fields.count < 5 { fields.append("") }
                else { fields[fields.count - 1].append(character) }
            }
            guard fields.count == 5 else { continue }
            func matches(_ field: String, _ values: [String]) -> Bool { field == "*" || values.contains(field) }
            if matches(fields[0], hostNames), matches(fields[1], [String(port)]), matches(fields[2], [database]),
               matches(fields[3], [user]) {
                return fields[4]
            }
        }
        return nil
    }
}
