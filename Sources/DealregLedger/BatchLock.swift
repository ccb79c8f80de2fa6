import Foundation

/// An exclusive lock beside the ledger (`LEDGER.lock`), so two batches never interleave on one ledger.
///
/// Uses `flock(2)`: the kernel releases it when the process ends, even after `kill -9`.
public final class BatchLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock, waiting up to `timeout` seconds (0: do not wait).
    /// - Throws: `LedgerError` naming the process that holds it.
    public init(ledgerPath: String, timeout: Double) throws {
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
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
