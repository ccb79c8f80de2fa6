import DealregCSV
import DealregIdentity
import DealregLedger
import DealregPolicy
import DealregReport
import Foundation

/// One recorded decision a draft policy would decide otherwise: the automatic decision the
/// ledger recorded (in shadow mode: the would-be one) beside the draft's.
public struct ReplayFlip: Sendable, Equatable, Encodable {
    public var registrationID: String
    public var account: String
    public var partner: String
    /// Where the row came from, and the night it was decided.
    public var sourceFile: String
    public var sourceRow: Int
    public var decidedOn: String
    public var oldDecision: String
    public var newDecision: String
    public var oldReasonCodes: [String]
    public var newReasonCodes: [String]
    /// The rule that decided the row, recorded and replayed.
    public var oldRule: String
    public var newRule: String

    enum CodingKeys: String, CodingKey {
        case account, partner
        case registrationID = "registration_id", sourceFile = "source_file", sourceRow = "source_row", decidedOn = "decided_on"
        case oldDecision = "old_decision", newDecision = "new_decision"
        case oldReasonCodes = "old_reason_codes", newReasonCodes = "new_reason_codes"
        case oldRule = "old_rule", newRule = "new_rule"
    }
}

/// What a replay found: every flipped decision, in receipt order, and how many rows each rule
/// decided as recorded and as replayed.
public struct ReplayOutcome: Sendable, Equatable {
    public var flips: [ReplayFlip] = []
    /// The draft policy's version.
    public var policyVersion = ""
    /// Upload files, batches (nights) and rows re-decided.
    public var files = 0
    public var batches = 0
    public var rows = 0
    /// Rows of nights before `--from`: not re-decided, kept as recorded.
    public var rowsBeforeFrom = 0
    /// Rows re-decided, by the rule that decided them: as recorded, and under the draft.
    public var recordedRules: [String: Int] = [:]
    public var replayedRules: [String: Int] = [:]
    /// Re-decided files whose night used another snapshot, or another partner list, than the one
    /// given (by the SHA-256 the ledger recorded): their flips may come from the CRM's or the
    /// partner list's changes, not the draft policy. Files recorded before the ledger kept these
    /// (schema v9) are counted apart.
    public var otherSnapshot: [String] = []
    public var otherPartners: [String] = []
    public var inputsNotRecorded = 0
}

/// `dealreg replay`: re-decides the ledger's recorded history under a draft policy, writing
/// nothing, and lists every automatic decision that would flip.
///
/// The ledger is opened read-only. Each recorded upload's rows are read back from the copy of
/// its results the ledger keeps (the upload's own columns, as received), in receipt order, and
/// decided night by night by the batch's own decider (``BatchDecider``, the ``RuleEngine``): the
/// files of one batch together, as the batch decided them. Before each batch the replay rebuilds
/// what the ledger held then: the earlier registrations with the status the audit log gives them
/// at that point — or, for a row the draft decides otherwise, the status the draft gives it (a
/// flip on one night changes what later nights see; what reviewers later did to a flipped row is
/// not carried over, since they acted on another decision).
///
/// The ledger keeps the SHA-256 of the snapshot and partner list each file was decided against,
/// not the files, so both are given: every night is replayed against the same `snapshot` and
/// `partners`, and the outcome lists the files whose night used other ones.
public struct Replay {
    public var ledgerPath: String
    public var policyPath: String
    public var snapshotPath: String
    public var partnersPath: String
    /// Nights before this day are not re-decided (their rows stay as recorded).
    public var from: Day?
    public var skipBadSnapshotRows = false
    public var threads = ParallelWork.defaultThreads

    public init(ledgerPath: String, policyPath: String, snapshotPath: String, partnersPath: String, from: Day? = nil) {
        self.ledgerPath = ledgerPath
        self.policyPath = policyPath
        self.snapshotPath = snapshotPath
        self.partnersPath = partnersPath
        self.from = from
    }

    /// A registration's status and expiry as the replay has it at some point of the history.
    private struct State {
        var status: RegistrationStatus
        var expiresOn: String?
    }

    /// Runs the replay. - Throws: `InputError` (a missing ledger, an unreadable policy, snapshot or partner list).
    public func run() throws -> ReplayOutcome {
        let ledger = try Self.open(ledgerPath)
        let policy = try EffectivePolicy.load(path: policyPath)
        let partners = try PartnerDirectory.load(path: partnersPath)
        let (uploads, changes) = try Self.ledgerCall(ledgerPath) { (try ledger.recordedUploads(), try ledger.statusChanges()) }
        var outcome = ReplayOutcome(policyVersion: policy.version)
        var history: [String: [StatusChange]] = [:]
        for change in changes { history[change.registrationID, default: []].append(change) }
        // Rows the draft decides otherwise (or leaves in another status): their replayed state.
        var replayed: [String: State] = [:]
        var start = 0
        while start < uploads.count {
            // One batch: consecutive files decided the same night under the same policy and match model.
            func batchKey(_ upload: RecordedUpload) -> [String] {
                upload.registrations.first.map { [$0.decidedOn, $0.policyVersion] } ?? []
            }
            let key = batchKey(uploads[start])
            var end = start + 1
            while end < uploads.count, batchKey(uploads[end]) == key { end += 1 }
            let batch = Array(uploads[start..<end])
            let earlier = uploads[..<start].flatMap(\.registrations)
            start = end
            guard let night = key.first.flatMap(Day.init(iso:)) else {
                throw InputError(.invalid, "\(ledger.path): \(batch[0].file.name) was recorded without a readable decision day")
            }
            if let from, night < from {
                outcome.rowsBeforeFrom += batch.reduce(0) { $0 + $1.registrations.count }
                continue
            }
            let firstAudit = batch.map(\.firstAuditID).min()!
            // What the ledger held when the batch ran.
            let state = earlier.map { registration -> (LedgerRegistration, State, [StatusChange]) in
                let before = (history[registration.id] ?? []).filter { $0.auditID < firstAudit }
                let state = replayed[registration.id]
                    ?? State(status: before.last?.toStatus ?? registration.status, expiresOn: registration.expiresOn)
                return (registration, state, before)
            }
            var claiming = state.filter { $0.1.status == .approved || $0.1.status == .underReview }.map { registration, state, _ in
                var claim = registration
                claim.status = state.status
                claim.expiresOn = state.expiresOn
                return claim
            }
            claiming.sort { ($0.decidedOn, $0.id) < ($1.decidedOn, $1.id) }
            // Loaded for each batch, as each night loaded its own (the load depends on the day).
            var snapshot = try Snapshot.load(path: snapshotPath, policy: policy.policy, asOf: night,
                                             skipBadRows: skipBadSnapshotRows, threads: threads)
            snapshot.add(ledgerRegistrations: claiming, identities: IdentityBuilder())

            var decider = BatchDecider(snapshot: snapshot, policy: policy, asOf: night)
            decider.threads = threads
            decider.waiting = WaitingPeriod(ended: Self.recentlyEnded(state, policy: policy.policy, asOf: night),
                                            policy: policy.policy, statistics: snapshot.index)
            let files = batch.map { Self.uploadFile($0) }
            let parser = SubmissionParser(policy: policy.policy, partners: partners, asOf: night)
            let submissions = try batch.map { upload in
                let rows = try Self.storedRows(upload.file, ledger: ledger.path)
                guard rows.count == upload.registrations.count,
                      upload.registrations.enumerated().allSatisfy({ $0.element.sourceRow == $0.offset + 1 }) else {
                    throw InputError(.invalid, "\(ledger.path): the recorded copy of \(upload.file.name) holds \(rows.count) rows, "
                        + "but the ledger has \(upload.registrations.count) registrations of it; it cannot be replayed")
                }
                return rows.map { parser.parse($0, charset: "UTF-8") }
            }
            let results = decider.decide(uploads: files, submissions: submissions)
            outcome.batches += 1
            outcome.files += batch.count
            for upload in batch {
                guard let recorded = upload.file.snapshotSHA256 else { outcome.inputsNotRecorded += 1; continue }
                if recorded != snapshot.sha256 { outcome.otherSnapshot.append(upload.file.name) }
                if let recorded = upload.file.partnersSHA256, recorded != partners.sha256 { outcome.otherPartners.append(upload.file.name) }
            }
            for (upload, decided) in zip(batch, results) {
                for (registration, result) in zip(upload.registrations, decided) {
                    outcome.rows += 1
                    let oldDecision = registration.autoDecision ?? registration.decision
                    let newDecision = (result.wouldBeDecision ?? result.decision).rawValue
                    let oldRule = registration.autoRule ?? "?"
                    let newRule = result.automaticRule ?? result.decidedBy
                    outcome.recordedRules[oldRule, default: 0] += 1
                    outcome.replayedRules[newRule, default: 0] += 1
                    // The status the row was given when decided (its first audit entry), against the draft's.
                    let recordedStatus = history[registration.id]?.first { $0.action == "decide" }?.toStatus ?? registration.status
                    let newStatus = LedgerRows.status(result.decision)
                    if oldDecision != newDecision || recordedStatus != newStatus {
                        replayed[registration.id] = State(status: newStatus, expiresOn: result.expiresOn?.description)
                    }
                    guard oldDecision != newDecision else { continue }
                    outcome.flips.append(ReplayFlip(
                        registrationID: registration.id, account: registration.accountName, partner: registration.partnerID,
                        sourceFile: registration.sourceFile, sourceRow: registration.sourceRow, decidedOn: registration.decidedOn,
                        oldDecision: oldDecision, newDecision: newDecision,
                        oldReasonCodes: registration.reasonCodes.split(separator: ";").map(String.init),
                        newReasonCodes: result.reasonCodes.map(\.rawValue), oldRule: oldRule, newRule: newRule))
                }
            }
        }
        return outcome
    }

    // MARK: - The recorded history

    /// The earlier registrations whose protection had ended within the waiting period before
    /// `asOf`, as the ledger's `recentlyEnded` gives them: expired ones by id, then withdrawals.
    private static func recentlyEnded(_ state: [(LedgerRegistration, State, [StatusChange])], policy: Policy,
                                      asOf: Day) -> [(registration: LedgerRegistration, endedOn: String)] {
        guard policy.reregisterAfterDays > 0 else { return [] }
        let since = asOf.adding(days: -policy.reregisterAfterDays).description
        let expired = state.filter { _, state, _ in
            (state.status == .approved || state.status == .expired)
                && state.expiresOn.map { $0 < asOf.description && $0 >= since } == true
        }.sorted { $0.0.id < $1.0.id }.map { ($0.0, $0.1.expiresOn ?? "") }
        let withdrawn = state.compactMap { registration, state, before -> (LedgerRegistration, String)? in
            guard state.status == .withdrawn, let last = before.last(where: { $0.action == "withdraw" }) else { return nil }
            let day = String(last.at.prefix(10))
            return day >= since ? (registration, day) : nil
        }.sorted { $0.0.id < $1.0.id }
        return expired + withdrawn
    }

    /// A recorded upload as the decider knows uploads (its rows are read from the ledger, not a file).
    private static func uploadFile(_ upload: RecordedUpload) -> UploadFile {
        UploadFile(index: 0, path: upload.file.name, name: upload.file.name,
                   stem: BatchRunner.outputStem(upload.file.name),
                   format: CSVFormat(encoding: DetectedEncoding(charset: "UTF-8", signatureLength: 3, evidence: "the ledger's copy"),
                                     delimiter: UInt8(ascii: ",")),
                   sha256: upload.file.sha256, occurrence: 0)
    }

    /// The upload's rows as received, from the results file the ledger keeps: the upload's own
    /// columns (every column the results add after them dropped), formula guards removed.
    static func storedRows(_ file: ProcessedFile, ledger: String) throws -> [MappedRow] {
        var bytes = Array(file.resultsCSV)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let reader = CSVRecordReader(source: MemoryByteSource(bytes))
        guard let headerRecord = try reader.next(), headerRecord.fields.count >= ResultRecord.columns.count,
              Array(headerRecord.fields.suffix(ResultRecord.columns.count)) == ResultRecord.columns else {
            throw InputError(.invalid, "\(ledger): the recorded results of \(file.name) are not in the form this dealreg writes; they cannot be replayed")
        }
        let width = headerRecord.fields.count - ResultRecord.columns.count
        let header = headerRecord.fields.prefix(width).map { unguard($0).trimmingWhitespace() }
        let mapping = HeaderMapping(header: header, schema: Schemas.upload)
        var rows: [MappedRow] = []
        while let record = try reader.next() {
            let fields = Array(record.fields.prefix(width).map(unguard))
            let padded = fields + Array(repeating: "", count: max(0, width - fields.count))
            rows.append(MappedRow(line: record.line, rowNumber: rows.count + 1, sheetRow: rows.count + 2, fields: padded,
                                  extraValues: [], problem: nil, mapping: mapping, schema: Schemas.upload))
        }
        return rows
    }

    /// A value as received: without the apostrophe the writer put before a value a spreadsheet would evaluate.
    static func unguard(_ value: String) -> String {
        guard value.hasPrefix("'") else { return value }
        let rest = String(value.dropFirst())
        return CSVWriter.startsLikeFormula(rest) ? rest : value
    }

    // MARK: - Opening

    /// Opens the ledger read-only; a missing or unusable one is an input error (66).
    static func open(_ path: String) throws -> Ledger {
        do {
            return try Ledger(path: path, opening: .readOnly)
        } catch let error as LedgerError where error.isBusy {
            throw InputError(.busy, error.message)
        } catch let error as LedgerError {
            throw InputError(.unreadable, error.message)
        } catch {
            throw InputError(.unreadable, "\(LedgerLocation.display(path)): cannot open the ledger: \(error)")
        }
    }

    private static func ledgerCall<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw InputError(.unreadable, error.message)
        } catch {
            throw InputError(.unreadable, "\(LedgerLocation.display(path)): cannot read the ledger: \(error)")
        }
    }
}

/// A replay's flips for machines (JSON) or people (a table), and its summary per rule.
public enum ReplayRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case json, table
    }

    public static func render(_ outcome: ReplayOutcome, format: Format) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(outcome.flips), as: UTF8.self) + "\n"
        case .table:
            guard !outcome.flips.isEmpty else { return "No decision flips.\n" }
            let header = ["registration", "partner", "account", "decided_on", "old", "new", "old reasons", "new reasons"]
            let rows = outcome.flips.map { flip in
                [flip.registrationID, flip.partner, flip.account, flip.decidedOn,
                 "\(flip.oldDecision) (\(flip.oldRule))", "\(flip.newDecision) (\(flip.newRule))",
                 flip.oldReasonCodes.joined(separator: ";"), flip.newReasonCodes.joined(separator: ";")]
            }
            return table([header] + rows)
        }
    }

    /// Rows re-decided per rule, as recorded and as replayed, and the flips: for standard error.
    public static func summary(_ outcome: ReplayOutcome) -> String {
        var text = "replay under policy \(outcome.policyVersion): \(outcome.rows) row(s) of \(outcome.files) file(s) "
            + "in \(outcome.batches) batch(es) re-decided, \(outcome.flips.count) decision(s) flip"
        if outcome.rowsBeforeFrom > 0 { text += "; \(outcome.rowsBeforeFrom) row(s) before --from kept as recorded" }
        text += "\n"
        if !outcome.otherSnapshot.isEmpty {
            text += "\(outcome.otherSnapshot.count) of \(outcome.files) file(s) were decided against another snapshot than the one given "
                + "(their flips may come from the CRM's changes, not the policy): \(names(outcome.otherSnapshot))\n"
        }
        if !outcome.otherPartners.isEmpty {
            text += "\(outcome.otherPartners.count) of \(outcome.files) file(s) were decided against another partner list than the one given: "
                + "\(names(outcome.otherPartners))\n"
        }
        if outcome.inputsNotRecorded > 0 {
            text += "\(outcome.inputsNotRecorded) file(s) were recorded before the ledger kept which snapshot and partner list they used\n"
        }
        let rules = Set(outcome.recordedRules.keys).union(outcome.replayedRules.keys).sorted()
        guard !rules.isEmpty else { return text }
        let rows = rules.map { rule in
            [rule, String(outcome.recordedRules[rule] ?? 0), String(outcome.replayedRules[rule] ?? 0),
             String(outcome.flips.count { $0.oldRule == rule }), String(outcome.flips.count { $0.newRule == rule })]
        }
        return text + table([["rule", "recorded", "replayed", "flipped from", "flipped to"]] + rows)
    }

    /// File names for a log line: the first five, then how many more.
    private static func names(_ files: [String]) -> String {
        let shown = files.prefix(5).map(LogText.path).joined(separator: ", ")
        return files.count > 5 ? "\(shown) and \(files.count - 5) more" : shown
    }

    /// Columns padded to their widest cell, two spaces apart.
    private static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
