#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and folders that hold partners' data (results, emails, archived uploads, the
/// ledger) are private by default: folders 0750, files 0640, the ledger 0600 — never
/// world-readable, whatever the umask (which can only narrow them further).
public enum PrivateFiles {
    public static let folderMode: mode_t = 0o750
    public static let fileMode: mode_t = 0o640
    public static let ledgerMode: mode_t = 0o600

    /// Creates the folder and any missing parents with `folderMode`; an existing folder is left as it is.
    public static func createFolder(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, folderMode) != 0 && errno != EEXIST {
                throw FileError.fromErrno(prefix, "cannot create the folder")
            }
        }
    }

    /// Writes `bytes` to `path` (created with `mode`, or truncated), all or an error.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = fileMode) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileError.fromErrno(path, "cannot create the file") }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: path)
    }

    /// Writes every byte to an open descriptor, retrying short and interrupted writes.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(path, "cannot write")
            }
            offset += written
        }
    }
}
