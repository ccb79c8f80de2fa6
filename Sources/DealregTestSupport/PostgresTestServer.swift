import Foundation

/// The PostgreSQL server the ledger tests run against: `DEALREG_TEST_POSTGRES_URL`, set by
/// `scripts/postgres-test-server.sh start` (and `.ci/run`). Without it, the PostgreSQL tests are
/// skipped with a message naming the variable.
public enum PostgresTestServer {
    /// The server's URL (a database the tests may connect to), or nil.
    public static var url: String? {
        ProcessInfo.processInfo.environment["DEALREG_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isAvailable: Bool { url != nil }

    /// Why PostgreSQL tests did not run.
    public static let skipMessage = "DEALREG_TEST_POSTGRES_URL is not set: PostgreSQL ledger tests skipped (eval \"$(bash scripts/postgres-test-server.sh start)\" to run them)"

    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// A new, empty database on the test server, and its URL: each test's own ledger.
    public static func freshDatabase() throws -> String {
        guard let url, var components = URLComponents(string: url) else { throw Failed(description: skipMessage) }
        let name = "dealreg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql(url, "CREATE DATABASE \(name)")
        components.path = "/" + name
        return components.string!
    }

    /// Runs one SQL command with psql (the server's own client) against `url`.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-X", "-A", "-t", "-c", sql]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(description: "psql failed: \(problem)") }
        return text
    }
}
