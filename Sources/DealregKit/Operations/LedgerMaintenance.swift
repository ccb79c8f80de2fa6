import DealregLedger

/// `dealreg migrate` and `dealreg copy-ledger`: making a ledger, and moving one between backends.
public enum LedgerMaintenance {
    /// Creates the ledger at `path` (a SQLite file or a `postgres://` URL) if there is none, and
    /// brings it to the current schema. Returns one line for the operator.
    public static func migrate(path: String) throws -> String {
        let ledger = try open(path, opening: .createIfMissing)
        let applied = try call(path) { try ledger.appliedMigrations() }
        return "\(ledger.path): schema at \(applied.last.map { String($0.prefix { $0 != ":" }) } ?? "none") (\(applied.count) migrations applied)"
    }

    /// Copies the ledger at `from` into the empty ledger at `to` (made if missing), verifying the
    /// counts, the registrations and the audit chain. Returns one line per table.
    public static func copy(from: String, to: String) throws -> [String] {
        let source = try open(from, opening: .existing)
        let target = try open(to, opening: .createIfMissing)
        let counts = try call(to) { try source.copy(into: target) }
        return ["copied \(source.path) into \(target.path), verified (counts, registrations, audit chain):"]
            + counts.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value) rows" }
    }

    private static func open(_ path: String, opening: Ledger.Opening) throws -> Ledger {
        try call(path) { try Ledger(path: path, opening: opening) }
    }

    /// Ledger failures as exit codes: 66 no ledger, 75 the server is down (try again), 73 otherwise.
    private static func call<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            if error.isUnusableFile { throw InputError(.unreadable, error.message) }
            if error.isBusy { throw InputError(.busy, error.message) }
            throw InputError(.cannotWrite, error.message)
        } catch {
            throw InputError(.cannotWrite, "\(LedgerLocation.display(path)): the ledger failed: \(error)")
        }
    }
}
