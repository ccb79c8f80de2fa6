import Crypto
import DealregCSV
import DealregIdentity
import DealregLedger
import DealregMail
import DealregPolicy
import DealregReport
import Foundation

/// Runs one batch: reads every upload, decides every row first-come-first-served
/// against the snapshot and earlier rows, and writes the result files.
///
/// Each upload row is read and parsed once (pass 1) and matched against the snapshot (the match
/// model is fitted to the whole batch's candidate pairs before any row is decided), keeping in
/// memory only each row's comparison vectors; the parsed rows go to a private spill file
/// (`RowSpill`), which pass 2 reads back in the same order to decide each row, write it and, with
/// a ledger, record it in the file's transaction as it is decided. Memory holds a few bytes per
/// row, never a whole file's rows (with an outbox, one upload's lines of its partners' emails until
/// they are composed).
public final class BatchRunner {
    private let configuration: RunConfiguration
    private let progress: ((RunProgress) -> Void)?
    /// The registrations this run closed as won (the snapshot shows their deal won), by id.
    public private(set) var closedWon: [String] = []
    /// Told about problems that change no result (an identity cache ignored or not written), for standard error.
    public var warning: ((String) -> Void)?
    /// Rows read before they are parsed and matched (or decided) in parallel; the output does not depend on it.
    var rowsPerChunk = ParallelWork.rowsPerChunk

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
        let (ledger, lock) = try openLedger()
        defer { withExtendedLifetime(lock) {} }
        var uploads = try planUploads()
        if let ledger {
            for index in uploads.indices {
                uploads[index].processed = try ledgerCall { try ledger.processedFile(sha256: uploads[index].sha256) }
                // Recorded tonight by a run that stopped before its results were committed: decided again
                // with the batch, so every later row sees what a run without the stop would have seen.
                if uploads[index].processed != nil {
                    uploads[index].decidedTonight = try ledgerCall { try ledger.decidedOn(fileSHA256: uploads[index].sha256) }
                        == configuration.asOf.description
                }
            }
        }
        let redecided = Set(uploads.filter(\.decidedTonight).map(\.sha256))
        let snapshotBytes = fileSize(configuration.snapshotPath)
        report(.snapshot, files: 0, rows: 0, step: "checking encoding", done: 0, total: snapshotBytes)
        var snapshot = try Snapshot.load(path: configuration.snapshotPath, policy: policy.policy, asOf: configuration.asOf,
                                         skipBadRows: configuration.skipBadSnapshotRows,
                                         threads: configuration.threads, identityCache: configuration.identityCachePath,
                                         warn: warning) { checking, bytes, rows in
            self.report(.snapshot, files: 0, rows: rows, step: checking ? "checking encoding" : nil, done: bytes, total: snapshotBytes)
        }
        if let ledger {
            // Tonight's earlier claims are this batch's again (in-batch claims, counted and fitted as in one run).
            var claiming = try ledgerCall { try ledger.claimingRegistrations() }.filter { !redecided.contains($0.fileSHA256) }
            let won = try closeWon(claiming, snapshot: snapshot, policy: policy.policy, partners: partners, ledger: ledger)
            claiming.removeAll { won.contains($0.id) }
            snapshot.add(ledgerRegistrations: claiming, identities: IdentityBuilder())
        }

        // Reading and writing both stream the uploads not processed before: their bytes are the measure.
        let uploadBytes = uploads.map { $0.isDecided ? fileSize($0.path) : 0 }
        let totalUploadBytes = uploadBytes.reduce(0, +)
        report(.reading, files: 0, rows: 0, done: 0, total: totalUploadBytes)
        // One parser per thread, made afresh for each chunk of rows: a parser's name normalizer caches
        // every distinct word it meets, which would grow with an upload of distinct accounts.
        let parsers = { [configuration] in
            (0..<configuration.threads).map { _ in SubmissionParser(policy: policy.policy, partners: partners, asOf: configuration.asOf) }
        }
        var decider = BatchDecider(snapshot: snapshot, policy: policy, asOf: configuration.asOf)
        if let ledger {
            decider.waiting = try ledgerCall {
                try WaitingPeriod(ledger: ledger, policy: policy.policy, asOf: configuration.asOf, statistics: snapshot.index)
            }
        }
        decider.threads = configuration.threads
        // Pass 1: every row read, parsed and matched against the snapshot; kept of it in memory, what
        // the fit needs; the parsed row itself goes to the spill, for pass 2.
        let spill = try RowSpill()
        var matched = MatchedRows()
        var rowsRead = 0
        var bytesBefore: Int64 = 0
        for index in uploads.indices {
            if uploads[index].isDecided {
                try matchRows(&uploads[index], parsers: parsers, decider: decider, into: &matched, spill: spill,
                              rowsBefore: &rowsRead, bytesBefore: bytesBefore, totalBytes: totalUploadBytes)
            }
            bytesBefore += uploadBytes[index]
        }
        report(.deciding, files: uploads.count, rows: rowsRead, step: "matching", done: Int64(rowsRead), total: Int64(rowsRead), unit: .rows)
        report(.deciding, files: uploads.count, rows: rowsRead, step: "fitting the model")
        var deciding = decider.fitted(to: matched)
        try spill.rewind()

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
            let writer = try ResultWriter(staging: staging, keepsForLedger: ledger != nil)
            let composer = try configuration.outbox.map { _ in
                try PartnerMail(templatesFolder: configuration.templatesFolder, settings: policy.policy.email, asOf: configuration.asOf)
            }
            var mail: [(name: String, bytes: Data)] = []
            var notNotified = Set<String>(), unknownPartners = Set<String>()
            var bytesWritten: Int64 = 0
            var position = 0
            for (index, upload) in uploads.enumerated() {
                report(.writing, files: index, rows: rowsRead, done: bytesWritten, total: totalUploadBytes)
                defer { bytesWritten += uploadBytes[index] }
                if let processed = upload.processed {
                    // Recorded by tonight's interrupted run: decided again (later rows see its claims), its recorded results kept.
                    if upload.decidedTonight {
                        try decideRows(of: upload, spill: spill, partners: partners, deciding: &deciding,
                                       matched: matched, position: &position) { _, _ in }
                    }
                    let owed = try ledger.map { ledger in try ledgerCall { try ledger.owed(fileSHA256: upload.sha256) } } ?? []
                    try writer.reemit(processed, upload: upload, owed: owed, summary: &summary)
                    continue
                }
                let results = try writer.start(upload: upload, header: upload.header, partners: upload.partners)
                let fileBytes = uploadBytes[index]
                // One pass over the file: each row written as it is decided and, with a ledger, recorded in the
                // file's open transaction; of the rows, only what the partners' emails say is kept.
                func decideAndWrite(_ recording: Ledger.FileRecording?) throws -> (ResultWriter.Written, [String: Int], [(name: String, bytes: Data)]) {
                    var mailLines = MailLines(uploadName: upload.name)
                    var counts: [Decision: Int] = [:]
                    let now = Ledger.now()
                    try decideRows(of: upload, spill: spill, partners: partners, deciding: &deciding, matched: matched, position: &position,
                                   progress: { [bytesWritten, rowsRead] rowsDone in
                                       // The upload's bytes in the share of its rows decided.
                                       let done = upload.rows == 0 ? fileBytes : fileBytes * Int64(rowsDone) / Int64(upload.rows)
                                       self.report(.writing, files: index, rows: rowsRead, done: bytesWritten + done, total: totalUploadBytes)
                                   }) { row, decidedRow in
                        try results.write(row, decidedRow, summary: &summary)
                        counts[decidedRow.result.decision, default: 0] += 1
                        if let recording {
                            let (registration, audit) = LedgerRows.make(upload: upload, row: decidedRow, digest: ResultWriter.digest(row),
                                                                        now: now, asOf: configuration.asOf, actor: configuration.actor)
                            try recording.add(registration)
                            try recording.add(audit)
                        }
                        if composer != nil { mailLines.add(decidedRow) }
                    }
                    let written = try results.finish(summary: &summary)
                    // Each upload's emails are composed now, so the ledger records them with its decisions.
                    let messages = try composer.map {
                        try composeMail(for: upload, lines: mailLines, staging: staging,
                                        charsets: written.charsets, composer: $0, notNotified: &notNotified,
                                        unknownPartners: &unknownPartners)
                    } ?? []
                    return (written, Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }), messages)
                }
                if let ledger {
                    do {
                        try ledgerCall {
                            try ledger.recordStreaming(fileSHA256: upload.sha256, name: upload.name) { recording in
                                // The file's own failures (a result file that cannot be written) roll the
                                // transaction back and are reported as themselves, not as the ledger's.
                                let (written, counts, messages) = try FileWork.run { try decideAndWrite(recording) }
                                mail += messages
                                return fileRecord(upload, counts: counts, written: written, messages: messages, staging: staging,
                                                  inputs: (snapshot: snapshot.sha256, partners: partners.sha256))
                            }
                        }
                    } catch let failure as FileWork {
                        throw failure.error
                    }
                } else {
                    mail += try decideAndWrite(nil).2
                }
            }
            try writer.finish()
            summary.notNotified = notNotified.sorted()
            summary.unknownPartners = unknownPartners.sorted()
            // Emails before results: one that cannot be written stops the batch with no result
            // committed, and stays owed in the ledger for the next run.
            if let outbox = configuration.outbox { summary.messages = try deliver(mail, to: outbox, ledger: ledger) }
            try staging.write("datapackage.json", bytes: try DataPackage.json(for: staging))
            try staging.write("summary.json", bytes: try summary.jsonBytes())
            try staging.commit()
            if let outbox = configuration.outbox, configuration.send {
                _ = try Outbox(folder: outbox).send(command: policy.policy.email.sendmail)
            }
            report(.done, files: uploads.count, rows: rowsRead, done: totalUploadBytes, total: totalUploadBytes)
            return summary
        } catch {
            staging.discard()
            if let error = error as? InputError { throw error }
            if let error = error as? LedgerError { throw ledgerFailure(error) }
            throw InputError(.cannotWrite, "\(configuration.outputDirectory): cannot write results (\(describeFileError(error)))")
        }
    }

    /// A night without uploads: registrations whose deal the snapshot shows won are closed as won
    /// (each partner told through the outbox, recorded with the change), and whatever the ledger
    /// still owes is written into the outbox (and sent with `send`). No result files.
    public func closeWonOnly() throws {
        let policy = try EffectivePolicy.load(path: configuration.policyPath)
        let partners = try PartnerDirectory.load(path: configuration.partnersPath)
        guard let path = configuration.ledgerPath else { throw InputError(.invalid, "closing won deals needs a ledger") }
        let lock = configuration.takesLock ? try takeBatchLock(ledgerPath: path, timeout: configuration.lockTimeout) : nil
        defer { withExtendedLifetime(lock) {} }
        // No ledger yet: nothing was ever registered, so nothing can be won (and none is made tonight).
        if !LedgerLocation.isPostgres(path) && !FileManager.default.fileExists(atPath: path) { return }
        let ledger = try ledgerCall { try Ledger(path: path, opening: .createIfMissing) }
        report(.snapshot, files: 0, rows: 0)
        let snapshot = try Snapshot.load(path: configuration.snapshotPath, policy: policy.policy, asOf: configuration.asOf,
                                         skipBadRows: configuration.skipBadSnapshotRows, threads: configuration.threads,
                                         identityCache: configuration.identityCachePath, warn: warning)
        let claiming = try ledgerCall { try ledger.claimingRegistrations() }
        _ = try closeWon(claiming, snapshot: snapshot, policy: policy.policy, partners: partners, ledger: ledger)
        if let outbox = configuration.outbox {
            _ = try deliver([], to: outbox, ledger: ledger)
            if configuration.send { _ = try Outbox(folder: outbox).send(command: policy.policy.email.sendmail) }
        }
        report(.done, files: 0, rows: 0)
    }

    /// Closes as won the approved registrations whose deal the snapshot shows won by their partner;
    /// with an outbox, each change owes its partner one email, recorded in the change's transaction.
    private func closeWon(_ claiming: [LedgerRegistration], snapshot: Snapshot, policy: Policy, partners: PartnerDirectory,
                          ledger: Ledger) throws -> Set<String> {
        let won = Self.wonInSnapshot(claiming, snapshot: snapshot, thresholds: policy.match)
        guard !won.isEmpty else { return [] }
        let notify = try configuration.outbox.map { _ in
            StatusNotices.notifier(partners: partners, policy: policy, composer: try PartnerMail(
                templatesFolder: configuration.templatesFolder, settings: policy.email, asOf: configuration.asOf))
        }
        let closed = try ledgerCall { try ledger.closeWon(won, actor: configuration.actor, notify: notify) }
        closedWon += closed.map(\.id)
        return Set(won.keys)
    }

    /// Opens the ledger and takes the batch lock, so two batches never interleave on one ledger.
    private func openLedger() throws -> (Ledger?, BatchLock?) {
        guard let path = configuration.ledgerPath else { return (nil, nil) }
        let lock = configuration.takesLock ? try takeBatchLock(ledgerPath: path, timeout: configuration.lockTimeout) : nil
        return (try ledgerCall { try Ledger(path: path, opening: .createIfMissing) }, lock)
    }

    private func ledgerCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InputError {
            throw error
        } catch let error as FileWork {
            throw error
        } catch let error as LedgerError {
            throw ledgerFailure(error)
        } catch {
            throw InputError(.cannotWrite, "\(ledgerName): the ledger failed: \(error)")
        }
    }

    /// The ledger as messages name it (a PostgreSQL URL without its password).
    private var ledgerName: String { LedgerLocation.display(configuration.ledgerPath ?? "") }

    /// A ledger failure as the batch-stopping error: 66 for a ledger that is not there, 75 when
    /// the ledger's server cannot be reached (try again), 73 otherwise.
    private func ledgerFailure(_ error: LedgerError) -> InputError {
        if error.isUnusableFile { return InputError(.unreadable, error.message) }
        if error.isBusy { return InputError(.busy, error.message) }
        // PostgreSQL's messages start with the ledger's (redacted) URL already.
        if error.message.hasPrefix(ledgerName + ":") { return InputError(.cannotWrite, error.message) }
        return InputError(.cannotWrite, "\(ledgerName): \(error.message)")
    }

    /// Writes into the outbox every email still owed: with a ledger, all it records as owed (this
    /// run's, any a crashed run left, and status-change notices a failed outbox left), each
    /// marked delivered once written; without one, this run's. Returns the names written.
    private func deliver(_ mail: [(name: String, bytes: Data)], to folder: String, ledger: Ledger?) throws -> [String] {
        let outbox = Outbox(folder: folder)
        if let ledger { return try ledgerCall { try outbox.deliverOwed(from: ledger) } }
        for (name, bytes) in mail { try outbox.writeOrExplain(name, bytes: bytes) }
        return mail.map(\.name)
    }

    /// One message per partner of a newly decided upload (re-emitted files were mailed when first decided).
    private func composeMail(for upload: UploadFile, lines: MailLines, staging: OutputStaging,
                             charsets: [String: String], composer: PartnerMail, notNotified: inout Set<String>,
                             unknownPartners: inout Set<String>) throws -> [(name: String, bytes: Data)] {
        var messages: [(name: String, bytes: Data)] = []
        unknownPartners.formUnion(lines.unknownPartners)
        let partnersInUpload = lines.byPartner.count
        for (id, mine) in lines.byPartner.sorted(by: { $0.key < $1.key }) {
            let partner = mine.partner
            guard let email = partner.email else {
                notNotified.insert(partner.id)
                continue
            }
            // The partner's file as it asked for it: a workbook for result_format xlsx, else the CSV in its dialect.
            let workbook = partner.resultFormat == .xlsx
            let fileName = workbook
                ? ResultWriter.partnerWorkbookName(upload: upload, partner: id, partnersInUpload: partnersInUpload)
                : ResultWriter.partnerFileName(upload: upload, partner: id, partnersInUpload: partnersInUpload)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: staging.path(for: fileName)))
            let (name, message) = try composer.results(
                partner: partner, email: email, upload: upload, lines: mine,
                attachment: MailAttachment(filename: "results-\(upload.stem).\(workbook ? "xlsx" : "csv")",
                                           contentType: workbook ? XLSXWriter.contentType : "text/csv; charset=\(charsets[fileName] ?? "UTF-8")",
                                           data: bytes))
            messages.append((name, message.rendered()))
        }
        return messages
    }

    /// Approved registrations whose account the snapshot now shows as a deal the same partner won,
    /// with the deal that shows it.
    static func wonInSnapshot(_ registrations: [LedgerRegistration], snapshot: Snapshot,
                              thresholds: MatchThresholds) -> [String: String] {
        let builder = IdentityBuilder()
        var won: [String: String] = [:]
        let approved = registrations.filter { $0.status == .approved }
        guard !approved.isEmpty else { return won }
        let model = snapshot.index.estimateModel(threads: ParallelWork.defaultThreads)
        for registration in approved {
            let identity = builder.identity(LedgerDesk.fields(registration))
            let hit = snapshot.index.bestMatch(for: identity, model: model, minimumScore: thresholds.duplicateScore) { entry in
                let deal = snapshot.deals[entry]
                return deal.status == .won && deal.ownerType == .partner
                    && deal.ownerID.map { PartnerDirectory.key($0) == PartnerDirectory.key(registration.partnerID) } == true
            }
            if let hit { won[registration.id] = "won deal \(snapshot.deals[hit.entry].dealID) in the snapshot" }
        }
        return won
    }

    /// One file's record for the ledger once its rows are recorded: its counts, the exact result
    /// files, and what it owes its partners (emails, their own copies, its rows of the batch files),
    /// completing the transaction that holds its rows. The files are recorded as the ledger reads
    /// them from the staging folder, a part at a time: never held whole here.
    private func fileRecord(_ upload: UploadFile, counts: [String: Int], written: ResultWriter.Written,
                            messages: [(name: String, bytes: Data)], staging: OutputStaging,
                            inputs: (snapshot: String, partners: String?)) -> Ledger.FileRecord {
        let resultsName = "\(upload.stem).results.csv", partnerName = "\(upload.stem).partner.csv"
        var file = ProcessedFile(
            sha256: upload.sha256, name: upload.name, processedOn: Ledger.now(), rows: upload.rows,
            approved: counts[Decision.approved.rawValue] ?? 0, declined: counts[Decision.declined.rawValue] ?? 0,
            needsReview: counts[Decision.needsReview.rawValue] ?? 0, needsInfo: counts[Decision.needsInfo.rawValue] ?? 0,
            resultsName: resultsName, resultsCSV: Data(), partnerCSV: Data())
        file.snapshotSHA256 = inputs.snapshot
        file.partnersSHA256 = inputs.partners
        var record = Ledger.FileRecord(file: file, owed: messages.map {
            OwedItem(fileSHA256: upload.sha256, kind: .email, name: $0.name, bytes: $0.bytes)
        })
        record.stretches[Ledger.resultsItem] = Ledger.FileStretch(path: staging.path(for: resultsName))
        record.stretches[Ledger.partnerItem] = Ledger.FileStretch(path: staging.path(for: partnerName))
        for name in written.partnerCopies {
            record.owed.append(OwedItem(fileSHA256: upload.sha256, kind: .output, name: name, bytes: Data()))
            record.stretches[Ledger.owedItem(kind: .output, name: name)] = Ledger.FileStretch(path: staging.path(for: name))
        }
        for (name, stretch) in written.batchRows.sorted(by: { $0.key < $1.key }) {
            record.owed.append(OwedItem(fileSHA256: upload.sha256, kind: .batchRows, name: name, bytes: Data()))
            record.stretches[Ledger.owedItem(kind: .batchRows, name: name)] =
                Ledger.FileStretch(path: staging.path(for: name), offset: stretch.offset, length: stretch.length)
        }
        return record
    }

    private func report(_ phase: RunProgress.Phase, files: Int, rows: Int, step: String? = nil,
                        done: Int64 = 0, total: Int64 = 0, unit: RunProgress.Unit = .bytes) {
        progress?(RunProgress(phase: phase, filesDone: files, filesTotal: configuration.uploads.count, rows: rows,
                              step: step, done: done, total: total, unit: unit))
    }

    /// The stem of an upload's output files: its name without the extension, shortened to
    /// 100 bytes with a hash of the full name when longer (derived names such as
    /// `STEM.partner-P-….csv` and the email's file name stay under the 255-byte limit).
    static func outputStem(_ fileName: String) -> String {
        let stem = URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent
        guard stem.utf8.count > 100 else { return stem }
        var short = ""
        for character in stem {
            if short.utf8.count + String(character).utf8.count > 90 { break }
            short.append(character)
        }
        return short + "~" + hex(SHA256.hash(data: Data(stem.utf8))).prefix(8)
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
            let stem = Self.outputStem(url.lastPathComponent)
            // Case-insensitively: on many file systems acme.results.csv and ACME.results.csv are one file.
            if let other = stems[stem.lowercased()] {
                throw InputError(.invalid, "\(LogText.path(path)): would write \(LogText.path(stem)).results.csv, as \(LogText.path(other)) does; rename one of the files")
            }
            stems[stem.lowercased()] = path
            var hasher = SHA256()
            let format: CSVFormat
            do {
                format = try CSVFile.detectFormat(path: path, encoding: configuration.encoding) { hasher.update(bufferPointer: $0) }
            } catch let error as FileError {
                throw InputError(.unreadable, "\(error.path): \(error.message)")
            } catch let error as EncodingError {
                throw InputError(.invalid, "\(path): \(error)")
            }
            let sha256 = hex(hasher.finalize())
            // A file without a header row would lose its first row into the header: stop and say so.
            let header: TableReader
            do {
                header = try TableReader(path: path, schema: Schemas.upload, format: format)
            } catch let error as FileError {
                throw InputError(.unreadable, "\(LogText.path(error.path)): \(error.message)")
            } catch {
                throw InputError(.unreadable, "\(LogText.path(path)): cannot read the header (\(describeFileError(error)))")
            }
            guard !header.header.isEmpty else { throw InputError(.invalid, "\(LogText.path(path)): the file is empty") }
            guard header.mapping.columnForField.contains(where: { $0 != nil }) else {
                throw InputError(.invalid, "\(LogText.path(path)): none of its columns is one dealreg knows; a header row such as "
                    + "partner_id, account_name, … is expected (found: \(LogText.columns(header.header)))")
            }
            let occurrence = hashesSeen[sha256, default: 0]
            hashesSeen[sha256] = occurrence + 1
            uploads.append(UploadFile(index: index, path: path, name: url.lastPathComponent, stem: stem,
                                      format: format, sha256: sha256, occurrence: occurrence))
        }
        return uploads
    }

    /// Pass 1: validates every row of one upload and matches it against the snapshot (rows read
    /// in order, parsed, matched and encoded in parallel), keeping what the model's fit needs and,
    /// of the upload, its partners, its row count and a hash of its spilled rows; each parsed row
    /// goes to `spill` in order, for pass 2.
    private func matchRows(_ upload: inout UploadFile, parsers: () -> [SubmissionParser], decider: BatchDecider,
                           into matched: inout MatchedRows, spill: RowSpill, rowsBefore rows: inout Int,
                           bytesBefore: Int64, totalBytes: Int64) throws {
        let reader = try TableReader(path: upload.path, schema: Schemas.upload, format: upload.format)
        upload.header = reader.header
        upload.unmappedColumns = reader.mapping.unmappedColumns.map { reader.header[$0] }
        var chunk: [MappedRow] = []
        var hasher = StableHasher128()
        let charset = upload.format.encoding.charset
        func matchChunk(_ upload: inout UploadFile) throws {
            let found = ParallelWork.map(chunk, workers: parsers()) { parser, row in
                let submission = parser.parse(row, charset: charset)
                return (submission.partner, decider.matching(submission), RowSpillCodec.encode(row, submission))
            }
            for (partner, row, record) in found {
                if let partner { upload.partners[partner.id] = partner }
                matched.append(row)
                record.withUnsafeBytes { hasher.combine($0) }
                try spill.append(record)
            }
            rows += chunk.count
            upload.rows += chunk.count
            report(.reading, files: upload.index, rows: rows, done: bytesBefore + reader.bytesRead, total: totalBytes)
            chunk.removeAll(keepingCapacity: true)
        }
        while let row = try readRow(reader, path: upload.path) {
            chunk.append(row)
            if chunk.count == rowsPerChunk { try matchChunk(&upload) }
        }
        try matchChunk(&upload)
        upload.rowsHash = hasher.finalize()
        upload.blankLinesSkipped = reader.blankLinesSkipped
        upload.emptyRowsSkipped = reader.emptyRowsSkipped
    }

    /// Pass 2: reads one upload's parsed rows back from the spill (where pass 1 wrote them, in
    /// batch order) and decides each in order, handing each to `body` as it is decided.
    ///
    /// - Parameters:
    ///   - partners: the directory pass 1 parsed the rows with.
    ///   - position: the upload's first row in batch order (what `matched` holds); moved past its last.
    ///   - progress: called with the upload's rows decided so far, every 1,024 rows.
    /// - Throws: `InputError(.unreadable)` when the spill does not give back exactly the rows pass 1 wrote.
    private func decideRows(of upload: UploadFile, spill: RowSpill, partners: PartnerDirectory,
                            deciding: inout BatchDecider.Deciding, matched: MatchedRows, position: inout Int,
                            progress: (Int) -> Void = { _ in }, _ body: (MappedRow, DecidedRow) throws -> Void) throws {
        let mapping = HeaderMapping(header: upload.header, schema: Schemas.upload)
        var hasher = StableHasher128()
        for count in 0..<upload.rows {
            let decoded = try spill.next { bytes -> (MappedRow, Submission)? in
                hasher.combine(bytes)
                return RowSpillCodec.decode(bytes, mapping: mapping, partners: partners)
            }
            guard case .some(.some(let (row, submission))) = decoded, row.rowNumber == count + 1 else {
                throw RowSpill.damaged(spill.folder)
            }
            let result = deciding.decide(submission, upload: upload, rowNumber: row.rowNumber,
                                         comparisons: matched.comparisons(row: position))
            position += 1
            try body(row, DecidedRow(submission: submission, result: result))
            if (count + 1) % 1024 == 0 { progress(count + 1) }
        }
        guard hasher.finalize() == upload.rowsHash else { throw RowSpill.damaged(spill.folder) }
    }
}

/// An error of a file's own work (deciding, writing its results) inside its ledger transaction:
/// it rolls the transaction back and is then reported as itself.
private struct FileWork: Error {
    let error: any Error

    static func run<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw FileWork(error: error) }
    }
}

/// The ledger's batch lock, as a batch-stopping error when another batch holds it.
func takeBatchLock(ledgerPath: String, timeout: Double) throws -> BatchLock {
    do {
        return try BatchLock(ledgerPath: ledgerPath, timeout: timeout)
    } catch let error as LedgerError {
        let name = LedgerLocation.display(ledgerPath)
        let message = error.isBusy && !error.message.hasPrefix(name + ":") ? "\(name): \(error.message)" : error.message
        throw InputError(error.isBusy ? .busy : .cannotWrite, message)
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
    /// Data rows read (pass 1).
    var rows = 0
    /// A hash of the rows as pass 1 parsed and spilled them: pass 2 must read back the same.
    var rowsHash = IdentityKey(high: 0, low: 0)
    /// The partners whose rows the upload holds, by id (pass 1).
    var partners: [String: Partner] = [:]
    /// The ledger's record of an earlier processing of the same content: its results are re-emitted.
    var processed: ProcessedFile?
    /// Recorded by an earlier run of tonight's batch (same as-of day) that stopped before committing
    /// its results: decided again with the rest (its recorded results still re-emitted), so the rows
    /// after it are decided as one uninterrupted run would decide them.
    var decidedTonight = false
    /// Read and decided in this run: new, or recorded by tonight's interrupted run.
    var isDecided: Bool { processed == nil || decidedTonight }
}

/// One upload row as decided: the row's values as validated and its result. Written, recorded
/// and reduced to its email line (`MailRow`) as soon as it is decided; never kept.
struct DecidedRow {
    let submission: Submission
    let result: ResultRecord
}
