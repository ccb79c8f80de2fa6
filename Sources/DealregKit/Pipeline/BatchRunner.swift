import Crypto
import DealregCSV
import DealregIdentity
import DealregPolicy
import DealregReport
import Foundation

/// Runs one batch: reads every upload, decides every row first-come-first-served
/// against the snapshot and earlier rows, and writes the result files.
///
/// Uploads are streamed twice (once to decide, once to write), so memory holds
/// one small decision per row, never a whole file.
public final class BatchRunner {
    private let configuration: RunConfiguration
    private let progress: ((RunProgress) -> Void)?

    public init(configuration: RunConfiguration, progress: ((RunProgress) -> Void)? = nil) {
        self.configuration = configuration
        self.progress = progress
    }

    /// Runs the batch and returns its summary; result files exist only if this returns.
    ///
    /// - Throws: `InputError` when the batch cannot run at all.
    public func run() throws -> BatchSummary {
        let policy = try EffectivePolicy.load(path: configuration.policyPath)
        let partners = try PartnerDirectory.load(path: configuration.partnersPath)
        var uploads = try planUploads()
        report(.snapshot, files: 0, rows: 0)
        let snapshot = try Snapshot.load(path: configuration.snapshotPath, policy: policy.policy, asOf: configuration.asOf)

        let parser = SubmissionParser(policy: policy.policy, partners: partners, asOf: configuration.asOf)
        var pending: [[Submission]] = []
        var rowsRead = 0
        for index in uploads.indices {
            pending.append(try readSubmissions(&uploads[index], parser: parser, rowsBefore: &rowsRead))
        }
        report(.deciding, files: uploads.count, rows: rowsRead)
        let decider = BatchDecider(snapshot: snapshot, policy: policy, asOf: configuration.asOf)
        let results = decider.decide(uploads: uploads, submissions: pending)

        let staging: OutputStaging
        do {
            staging = try OutputStaging(outputDirectory: URL(fileURLWithPath: configuration.outputDirectory))
        } catch {
            throw InputError(.cannotWrite, "\(configuration.outputDirectory): cannot create the output folder (\(describeFileError(error)))")
        }
        do {
            var summary = BatchSummary(asOf: configuration.asOf.description, policyVersion: policy.version,
                                       dealregVersion: DealregVersion.current, icuVersion: icuVersion)
            summary.snapshotDeals = snapshot.deals.count
            summary.snapshotBlockingDeals = snapshot.deals.filter {
                $0.blocks(asOf: configuration.asOf, directActivityDays: policy.policy.directActivityDays)
            }.count
            summary.snapshotWarnings = snapshot.warnings
            let writer = try ResultWriter(staging: staging)
            for (index, upload) in uploads.enumerated() {
                report(.writing, files: index, rows: rowsRead)
                try writer.write(upload: upload, results: results[index], submissions: pending[index], summary: &summary)
            }
            try writer.finish()
            try staging.write("summary.json", bytes: try summary.jsonBytes())
            try staging.commit()
            report(.done, files: uploads.count, rows: rowsRead)
            return summary
        } catch {
            staging.discard()
            if let error = error as? InputError { throw error }
            throw InputError(.cannotWrite, "\(configuration.outputDirectory): cannot write results (\(describeFileError(error)))")
        }
    }

    private func report(_ phase: RunProgress.Phase, files: Int, rows: Int) {
        progress?(RunProgress(phase: phase, filesDone: files, filesTotal: configuration.uploads.count, rows: rows))
    }

    /// Checks that every upload is readable and that their result names do not collide,
    /// before any heavy work.
    private func planUploads() throws -> [UploadFile] {
        guard !configuration.uploads.isEmpty else { throw InputError(.invalid, "no upload files given") }
        var stems: [String: String] = [:]
        var hashesSeen: [String: Int] = [:]
        var uploads: [UploadFile] = []
        for (index, path) in configuration.uploads.enumerated() {
            let url = URL(fileURLWithPath: path)
            let stem = url.deletingPathExtension().lastPathComponent
            if let other = stems[stem] {
                throw InputError(.invalid, "\(path): would write \(stem).results.csv, as \(other) does; rename one of the files")
            }
            stems[stem] = path
            var hasher = SHA256()
            let format: CSVFormat
            do {
                format = try CSVFile.detectFormat(path: path, encoding: configuration.encoding) { hasher.update(bufferPointer: $0) }
            } catch let error as FileError {
                throw InputError(.unreadable, "\(error.path): \(error.message)")
            } catch let error as EncodingError {
                throw InputError(.invalid, "\(path): \(error)")
            }
            let sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            let occurrence = hashesSeen[sha256, default: 0]
            hashesSeen[sha256] = occurrence + 1
            uploads.append(UploadFile(index: index, path: path, name: url.lastPathComponent, stem: stem,
                                      format: format, sha256: sha256, occurrence: occurrence))
        }
        return uploads
    }

    /// Pass 1: validates every row of one upload.
    private func readSubmissions(_ upload: inout UploadFile, parser: SubmissionParser,
                                 rowsBefore rows: inout Int) throws -> [Submission] {
        let reader = try TableReader(path: upload.path, schema: Schemas.upload, format: upload.format)
        upload.header = reader.header
        upload.unmappedColumns = reader.mapping.unmappedColumns.map { reader.header[$0] }
        var submissions: [Submission] = []
        while let row = try readRow(reader, path: upload.path) {
            submissions.append(parser.parse(row, charset: upload.format.encoding.charset))
            rows += 1
            if rows % 5000 == 0 { report(.reading, files: upload.index, rows: rows) }
        }
        upload.blankLinesSkipped = reader.blankLinesSkipped
        upload.emptyRowsSkipped = reader.emptyRowsSkipped
        return submissions
    }
}

/// One upload file of the batch.
struct UploadFile: Sendable {
    let index: Int
    let path: String
    let name: String
    let stem: String
    let format: CSVFormat
    let sha256: String
    /// How many earlier uploads of this batch had identical content (keeps registration IDs unique).
    let occurrence: Int
    var header: [String] = []
    var unmappedColumns: [String] = []
    var blankLinesSkipped = 0
    var emptyRowsSkipped = 0
}
