import Foundation
import GRDB
import PostgresNIO
import Synchronization

/// The batch lock: while one batch holds it, no other batch on the same ledger runs, so two
/// batches never decide against the same claims (first come, first served across machines).
///
/// - SQLite: an exclusive `flock(2)` on a file beside the ledger (`LEDGER.lock`); the kernel
///   releases it when the process ends, even after `kill -9`.
/// - PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) held on a connection of
///   its own for the whole batch; the server releases it when that connection ends, including when
///   the process is killed or the machine is lost. Every write transaction of this process checks
///   that the lock is still held, so a batch whose lock connection was lost stops instead of
///   recording decisions made without it.
public final class BatchLock {
    public let path: String
    private let descriptor: Int32
    private let postgres: PostgresLink?

    /// Takes the lock of the ledger at `ledgerPath` (a file path or a `postgres://` URL), waiting up
    /// to `timeout` seconds (0: do not wait).
    /// - Throws: `LedgerError` (`isBusy`) naming the process that holds it, or the server that cannot be reached.
    public init(ledgerPath: String, timeout: Double) throws {
        if case .postgres(let location) = try LedgerLocation(ledgerPath) {
            path = location.display
            descriptor = -1
            postgres = try Self.advisoryLock(location, timeout: timeout)
            return
        }
        postgres = nil
        path = ledgerPath + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // Not another batch: the folder cannot be written (read-only, permission, disk full).
        guard descriptor >= 0 else {
            throw LedgerError("\(path): cannot open the batch lock: \(String(cString: strerror(errno)))", isUnusableFile: false, isBusy: false)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK, Date() < deadline else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                close(descriptor)
                throw LedgerError(isBusy: true, "another batch is running on this ledger\(holder.isEmpty ? "" : " (\(holder))"); try again when it has finished")
            }
            usleep(100_000)
        }
        let stamp = "pid \(getpid()) since \(Ledger.now())\n"
        ftruncate(descriptor, 0)
        _ = stamp.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        if let postgres {
            Self.held.withLock { $0[postgres.location.identity] = nil }
            // Closing the connection (in PostgresLink's deinit) releases the advisory lock.
            _ = try? postgres.query("SELECT pg_advisory_unlock(?)", [PostgresLockKey.batch.databaseValue])
        } else {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    // MARK: - PostgreSQL

    /// The server process holding each PostgreSQL batch lock this process took, by database.
    private static let held = Mutex<[String: Int32]>([:])

    private static func advisoryLock(_ location: PostgresLocation, timeout: Double) throws -> PostgresLink {
        let host = ProcessInfo.processInfo.hostName
        let link = try PostgresLink(location, applicationName: "dealreg batch, pid \(getpid()) on \(host), since \(Ledger.now())")
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let locked = try link.query("SELECT pg_try_advisory_lock(?) AS locked", [PostgresLockKey.batch.databaseValue])
                .first.map { try $0["locked"].decode(Bool.self) } ?? false
            if locked { break }
            guard Date() < deadline else {
                let holder = try? link.query("""
                    SELECT a.application_name AS holder FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND ((l.classid::bigint << 32) | l.objid::bigint) = ?
                    """, [PostgresLockKey.batch.databaseValue]).first.map { try $0["holder"].decode(String.self) }
                throw LedgerError(isBusy: true, "another batch is running on this ledger\(holder.map { " (\($0))" } ?? ""); try again when it has finished")
            }
            usleep(100_000)
        }
        let pid = try link.backendPID
        held.withLock { $0[location.identity] = pid }
        return link
    }

    /// Within a write transaction on `link`: when this process took the batch lock of the same
    /// database, refuses to go on if the lock's connection is gone (its lock released, so another
    /// batch may be deciding).
    static func verifyHeld(on link: PostgresLink) throws {
        guard let pid = held.withLock({ $0[link.location.identity] }) else { return }
        let rows = try link.query("""
            SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = ?
              AND ((classid::bigint << 32) | objid::bigint) = ?
            """, [Int64(pid).databaseValue, PostgresLockKey.batch.databaseValue])
        guard !rows.isEmpty else {
            throw LedgerError(isBusy: true, "\(link.location.display): the batch lock was lost (its connection to the server ended); nothing more was recorded — run the batch again")
        }
    }
}
