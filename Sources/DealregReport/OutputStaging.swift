import DealregCSV
import Foundation

/// Writes a batch's output files into a hidden staging folder inside the
/// output folder, then moves each into place with an atomic `rename(2)`.
/// If the batch fails, `discard()` removes everything it wrote, so no partial
/// result file is ever left behind.
public final class OutputStaging {
    public let outputDirectory: URL
    public let stagingDirectory: URL
    private var staged: [String] = []
    /// How each table file was written, where the writer said (see `describe`).
    public private(set) var tables: [String: TableFile] = [:]

    /// How a staged table file was written, for the folder's `datapackage.json`.
    public enum TableFile: Equatable, Sendable {
        /// A CSV file in this delimiter and charset (UTF-8 with its byte-order mark).
        case csv(CSVOutputFormat)
        /// An Excel workbook whose first sheet has these columns (every cell text).
        case xlsx(columns: [String])
    }

    /// The names of the files staged so far, in the order they were first staged.
    public var stagedNames: [String] { staged }

    public init(outputDirectory: URL) throws {
        self.outputDirectory = outputDirectory
        let manager = FileManager.default
        try PrivateFiles.createFolder(outputDirectory.path)
        stagingDirectory = outputDirectory.appendingPathComponent(".dealreg-staging-\(getpid())", isDirectory: true)
        // A run killed mid-way leaves its staging folder; clear those whose process is gone.
        for name in (try? manager.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
        where name.hasPrefix(".dealreg-staging-") {
            if let pid = Int32(name.dropFirst(".dealreg-staging-".count)), pid == getpid() || kill(pid, 0) != 0 {
                try? manager.removeItem(at: outputDirectory.appendingPathComponent(name))
            }
        }
        try PrivateFiles.createFolder(stagingDirectory.path)
    }

    /// The staging path for an output file named `name`.
    public func path(for name: String) -> String {
        if !staged.contains(name) { staged.append(name) }
        return stagingDirectory.appendingPathComponent(name).path
    }

    /// Records how the staged file `name` was written. A table file staged without a description
    /// (one re-emitted byte for byte from the ledger) is described from its own bytes.
    public func describe(_ name: String, as table: TableFile) {
        tables[name] = table
    }

    /// Writes `bytes` as output file `name`.
    public func write(_ name: String, bytes: [UInt8]) throws {
        try PrivateFiles.write(bytes, to: path(for: name))
    }

    /// Moves every staged file into the output folder and removes the staging folder.
    public func commit() throws {
        for name in staged {
            let source = stagingDirectory.appendingPathComponent(name).path
            let target = outputDirectory.appendingPathComponent(name).path
            guard rename(source, target) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target,
                                                                NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        }
        try? FileManager.default.removeItem(at: stagingDirectory)
    }

    /// Removes the staging folder and everything in it.
    public func discard() {
        try? FileManager.default.removeItem(at: stagingDirectory)
    }
}
