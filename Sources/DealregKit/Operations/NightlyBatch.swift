import DealregCSV
import DealregLedger
import Foundation

/// `dealreg batch`: the nightly job over an inbox folder.
///
/// Under the ledger's lock: takes every CSV in the inbox in arrival order
/// (modification time, then name), moves unreadable ones to `INBOX/rejected`
/// with an error report, decides the rest as one batch with the ledger, and
/// moves each processed file to the archive once its results and ledger rows
/// are written. A crash leaves the inbox as it was for every file not yet
/// archived; the ledger re-emits the results of files it already recorded.
public enum NightlyBatch {
    public struct Report: Sendable {
        public var summary: BatchSummary?
        public var archived: [String] = []
        /// File name and why it could not be read.
        public var rejected: [(file: String, reason: String)] = []
        /// Registrations closed as won tonight (the snapshot shows their deal won), with or without uploads.
        public var closedWon: [String] = []
    }

    /// - Parameter progress: sees the batch's phases as `run` does (for timestamped logs).
    /// - Parameter warning: told about problems that change no result (an identity cache ignored or not written).
    public static func run(inbox: String, archive: String, base: RunConfiguration,
                           progress: ((RunProgress) -> Void)? = nil, warning: ((String) -> Void)? = nil) throws -> Report {
        guard let ledgerPath = base.ledgerPath else { throw InputError(.invalid, "the nightly batch needs a ledger") }
        let lock = try takeBatchLock(ledgerPath: ledgerPath, timeout: base.lockTimeout)
        defer { withExtendedLifetime(lock) {} }
        let manager = FileManager.default
        var report = Report()
        var uploads: [String] = []
        var stems: [String: String] = [:]
        for path in try inboxFiles(inbox) {
            do {
                // Two names whose results would share a name (acme.csv, acme.CSV): the later waits, renamed by ops.
                let name = URL(fileURLWithPath: path).lastPathComponent
                if name.lowercased() == ".csv" {
                    throw InputError(.invalid, "a file named only '.csv' has no name to give its results; rename it (e.g. upload.csv) and put it back in the inbox")
                }
                let stem = BatchRunner.outputStem(name).lowercased()
                if let earlier = stems[stem] {
                    throw InputError(.invalid, "its result files would have the same names as those of \(LogText.path(earlier)), which arrived first; rename it and put it back in the inbox")
                }
                let reader = try TableReader(path: path, schema: Schemas.upload, encoding: base.encoding)
                guard !reader.header.isEmpty else { throw InputError(.invalid, "the file is empty") }
                guard reader.mapping.columnForField.contains(where: { $0 != nil }) else {
                    throw InputError(.invalid, "none of its columns is one dealreg knows; a header row such as partner_id, account_name, … is expected (found: \(LogText.columns(reader.header)))")
                }
                uploads.append(path)
                stems[stem] = name
            } catch {
                let reason = (error as? FileError)?.message ?? (error as? InputError)?.message ?? "\(error)"
                try reject(path, reason: reason, inbox: inbox)
                report.rejected.append((URL(fileURLWithPath: path).lastPathComponent, reason))
            }
        }
        var configuration = base
        configuration.uploads = uploads
        configuration.takesLock = false
        let runner = BatchRunner(configuration: configuration, progress: progress)
        runner.warning = warning
        guard !uploads.isEmpty else {
            // No uploads tonight: won deals are still closed, and their partners told.
            try runner.closeWonOnly()
            report.closedWon = runner.closedWon
            return report
        }
        report.summary = try runner.run()
        report.closedWon = runner.closedWon
        for path in uploads {
            let name = URL(fileURLWithPath: path).lastPathComponent
            do {
                try PrivateFiles.createFolder(archive)
                try manager.moveItem(atPath: path, toPath: freeName(name, in: archive))
            } catch {
                var isFolder: ObjCBool = false
                let inTheWay = manager.fileExists(atPath: archive, isDirectory: &isFolder) && !isFolder.boolValue
                let reason = inTheWay ? "it is a file, not a folder" : (error as? FileError)?.message ?? describeFileError(error)
                throw InputError(.cannotWrite, "\(LogText.path(archive)): cannot move \(LogText.path(name)) into the archive (\(reason)); "
                    + "its results are written and recorded, so the next batch re-emits them")
            }
            report.archived.append(name)
        }
        return report
    }

    /// The CSV files of the inbox, oldest first.
    static func inboxFiles(_ inbox: String) throws -> [String] {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: inbox)
        } catch {
            throw InputError(.unreadable, "\(inbox): cannot read the inbox folder")
        }
        // Hidden files are uploads still being written (editors, sync tools); ".csv" alone is reported.
        return try names.filter { $0.lowercased().hasSuffix(".csv") && (!$0.hasPrefix(".") || $0.lowercased() == ".csv") }
            .map { name -> (Date, String) in
                let path = URL(fileURLWithPath: inbox).appendingPathComponent(name).path
                let modified = try manager.attributesOfItem(atPath: path)[.modificationDate] as? Date ?? .distantPast
                return (modified, path)
            }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map(\.1)
    }

    private static func reject(_ path: String, reason: String, inbox: String) throws {
        let folder = URL(fileURLWithPath: inbox).appendingPathComponent("rejected").path
        try PrivateFiles.createFolder(folder)
        let name = URL(fileURLWithPath: path).lastPathComponent
        let target = freeName(name, in: folder)
        try FileManager.default.moveItem(atPath: path, toPath: target)
        // The report beside it; a name too long for ".error.txt" gets a shortened one.
        let reportName = (URL(fileURLWithPath: target).lastPathComponent + ".error.txt").utf8.count > 255
            ? BatchRunner.outputStem(URL(fileURLWithPath: target).lastPathComponent) + ".error.txt"
            : URL(fileURLWithPath: target).lastPathComponent + ".error.txt"
        try PrivateFiles.write(Array("\(LogText.path(name)) could not be read: \(reason)\nNothing in it was registered. Fix the file and drop it into the inbox again.\n".utf8),
                               to: folder + "/" + reportName)
    }

    /// `folder/name`, or `folder/name.1`, `.2`, ... when taken.
    static func freeName(_ name: String, in folder: String) -> String {
        let base = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        var candidate = base
        var counter = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(base).\(counter)"
            counter += 1
        }
        return candidate
    }
}
