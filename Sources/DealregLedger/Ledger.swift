import DealregPolicy
import Foundation
import GRDB

/// A refused ledger operation, worded for the person who asked for it.
public struct LedgerError: Error, CustomStringConvertible, Equatable {
    public let message: String
    /// The file is not a ledger to open (missing where one must exist, or empty): nothing was changed.
    public let isUnusableFile: Bool
    /// Another batch holds the ledger.
    public let isBusy: Bool
    public init(_ message: String, isUnusableFile: Bool = false, isBusy: Bool = false) {
        self.message = message
        self.isUnusableFile = isUnusableFile
        self.isBusy = isBusy
    }

    public init(isBusy: Bool, _ message: String) {
        self.init(message, isBusy: isBusy)
    }
    public var description: String { message }
}

/// The persistent registrations of every batch: one SQLite file (WAL mode) or one
/// PostgreSQL database, behind the same operations.
///
/// Every change is one transaction and leaves an audit entry, so tonight's
/// approvals block tomorrow's duplicates and the history of every registration
/// can be told. The business rules live here once; a backend only runs statements.
public final class Ledger: Sendable {
    /// The ledger as messages name it: the file's path, or the PostgreSQL URL without its password.
    public let path: String
    /// Where the ledger lives.
    public let location: LedgerLocation
    let backend: any LedgerBackend

    /// Whether opening may make a new ledger.
    public enum Opening: Sendable {
        /// The ledger must exist (every ops command): a missing file is an error, never a new ledger.
        case existing
        /// A batch may start a ledger: a missing file is created, private (0600).
        case createIfMissing
        /// The ledger must exist and is only read (`dealreg replay`): nothing is created or
        /// migrated, the SQLite file is opened read-only, and every write is refused. A ledger
        /// whose schema is older than this dealreg's is refused (migrate it first).
        case readOnly
    }

    /// Opens the ledger at `path`, a file path (SQLite) or a `postgres://` URL (PostgreSQL),
    /// migrating it to the current schema. A file of zero bytes is never taken for a new ledger
    /// (a truncated ledger would otherwise approve everything again); a PostgreSQL database
    /// without a ledger is made one only with `.createIfMissing`.
    public init(path: String, opening: Opening = .existing) throws {
        location = try LedgerLocation(path)
        self.path = location.display
        switch location {
        case .sqlite(let file):
            backend = try SQLiteLedgerBackend(path: file, opening: opening)
        case .postgres(let database):
            backend = try PostgresLedgerBackend(location: database, opening: opening)
        }
    }

    var dialect: LedgerDialect { backend.dialect }

    // MARK: - Batches

    /// The earlier processing of a file with this content, if any.
    public func processedFile(sha256: String) throws -> ProcessedFile? {
        try backend.read { db in
            try db.fetchOne(ProcessedFile.self, sql: "SELECT * FROM processed_file WHERE sha256 = ?", arguments: [sha256])
                .map { try Self.whole($0, db) }
        }
    }

    /// The as-of day a recorded file's rows were decided on (nil for a file recorded without rows).
    public func decidedOn(fileSHA256: String) throws -> String? {
        try backend.read { db in
            try db.fetchRows(sql: "SELECT decided_on FROM registration WHERE file_sha256 = ? ORDER BY source_row LIMIT 1",
                             arguments: [fileSHA256]).first.map { $0["decided_on"] as String }
        }
    }

    /// Records one upload file: its results, every row and an audit entry per row, all or nothing.
    /// Fails without changing anything if the file was recorded meanwhile.
    /// What the file owes its partners (`owed`) is recorded in the same transaction.
    public func record(file: ProcessedFile, registrations: [LedgerRegistration], audits: [AuditEntry],
                       owed: [OwedItem] = []) throws {
        try recordStreaming(fileSHA256: file.sha256, name: file.name) { recording in
            for registration in registrations { try recording.add(registration) }
            for entry in audits { try recording.add(entry) }
            return FileRecord(file: file, owed: owed)
        }
    }

    /// Records one upload file while its rows are decided, all or nothing: `body` adds each
    /// registration with its first audit entry as it is decided (nothing of the file's rows is held
    /// here), then returns the file's record (its counts and result files) and what it owes its
    /// partners, which complete the same transaction. An error in `body` records nothing.
    /// Fails without changing anything if the file was recorded meanwhile.
    ///
    /// `body` runs inside the ledger's write transaction: it must not call the ledger itself.
    public func recordStreaming(fileSHA256: String, name: String, _ body: (FileRecording) throws -> FileRecord) throws {
        try backend.write { db in
            if try !db.fetchRows(sql: "SELECT 1 FROM processed_file WHERE sha256 = ?", arguments: [fileSHA256]).isEmpty {
                throw LedgerError("\(name) was already recorded (content \(fileSHA256.prefix(12)))")
            }
            // The file's row first (every registration refers to it), completed when its rows are in.
            try db.insert(ProcessedFile(sha256: fileSHA256, name: name, processedOn: Ledger.now(), rows: 0, approved: 0,
                                        declined: 0, needsReview: 0, needsInfo: 0, resultsName: "", resultsCSV: Data(),
                                        partnerCSV: Data()))
            let record = try body(FileRecording(session: db))
            let file = record.file
            guard file.sha256 == fileSHA256 else {
                throw LedgerError("\(name): the file's record names other content (\(file.sha256.prefix(12)))")
            }
            let columns = try file.databaseDictionary.filter { $0.key != "sha256" }.sorted { $0.key < $1.key }
            try db.execute(sql: "UPDATE processed_file SET \(columns.map { "\($0.key) = ?" }.joined(separator: ", ")) WHERE sha256 = ?",
                           arguments: columns.map(\.value) + [fileSHA256])
            for item in record.owed { try db.insert(item) }
            for (item, stretch) in record.stretches.sorted(by: { $0.key < $1.key }) {
                try Self.insertParts(db, file: fileSHA256, item: item, from: stretch)
            }
        }
    }

    /// One file being recorded (`recordStreaming`): its rows go into the open transaction as they come.
    public struct FileRecording {
        fileprivate let session: any LedgerSession

        /// Adds one decided row.
        public func add(_ registration: LedgerRegistration) throws { try session.insert(registration) }

        /// Adds an audit entry (of a registration added before).
        public func add(_ entry: AuditEntry) throws { try session.insert(entry) }
    }

    /// What completes a file's record once its rows are in: the file (counts, result files), what
    /// it owes its partners, and the values read from disk in parts instead of held whole: by
    /// `Ledger.resultsItem`, `Ledger.partnerItem` or `Ledger.owedItem(kind:name:)`, a stretch of a
    /// file whose bytes stand for that column (left empty in `file` or the owed item).
    public struct FileRecord {
        public var file: ProcessedFile
        public var owed: [OwedItem]
        public var stretches: [String: FileStretch]

        public init(file: ProcessedFile, owed: [OwedItem], stretches: [String: FileStretch] = [:]) {
            self.file = file
            self.owed = owed
            self.stretches = stretches
        }
    }

    /// Bytes of a file on disk: from `offset`, `length` of them (to the end when nil).
    public struct FileStretch: Sendable, Equatable {
        public let path: String
        public let offset: UInt64
        public let length: UInt64?

        public init(path: String, offset: UInt64 = 0, length: UInt64? = nil) {
            self.path = path
            self.offset = offset
            self.length = length
        }
    }

    /// The part names of a file record's large values.
    public static let resultsItem = "results_csv", partnerItem = "partner_csv"
    public static func owedItem(kind: OwedItem.Kind, name: String) -> String { "owed/\(kind.rawValue)/\(name)" }

    /// Large values are recorded in parts of this many bytes, read one at a time.
    public static let partSize = 1 << 20

    private static func insertParts(_ db: any LedgerSession, file: String, item: String, from stretch: FileStretch) throws {
        guard let handle = FileHandle(forReadingAtPath: stretch.path) else {
            throw LedgerError("\(stretch.path): cannot be read to record it in the ledger")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: stretch.offset)
            var left = stretch.length
            var seq = 0
            while left != 0 {
                let want = left.map { Int(min($0, UInt64(partSize))) } ?? partSize
                guard let part = try handle.read(upToCount: want), !part.isEmpty else {
                    if left == nil { break }
                    throw LedgerError("\(stretch.path): ended before the \(stretch.length ?? 0) bytes to record")
                }
                try db.execute(sql: "INSERT INTO blob_part (file_sha256, item, seq, bytes) VALUES (?, ?, ?, ?)",
                               arguments: [file, item, seq, part])
                seq += 1
                left = left.map { $0 - UInt64(part.count) }
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("\(stretch.path): cannot be read to record it in the ledger (\(error.localizedDescription))")
        }
    }

    /// A value recorded in parts, whole; nil when none was.
    private static func parts(_ db: any LedgerSession, file: String, item: String) throws -> Data? {
        let rows = try db.fetchRows(sql: "SELECT bytes FROM blob_part WHERE file_sha256 = ? AND item = ? ORDER BY seq",
                                    arguments: [file, item])
        guard !rows.isEmpty else { return nil }
        var bytes = Data()
        for row in rows { bytes.append(row["bytes"] as Data) }
        return bytes
    }

    /// The file's record with its result files whole.
    private static func whole(_ file: ProcessedFile, _ db: any LedgerSession) throws -> ProcessedFile {
        var file = file
        if file.resultsCSV.isEmpty, let bytes = try parts(db, file: file.sha256, item: resultsItem) { file.resultsCSV = bytes }
        if file.partnerCSV.isEmpty, let bytes = try parts(db, file: file.sha256, item: partnerItem) { file.partnerCSV = bytes }
        return file
    }

    /// The owed item with its bytes whole.
    private static func whole(_ item: OwedItem, _ db: any LedgerSession) throws -> OwedItem {
        guard item.bytes.isEmpty, let bytes = try parts(db, file: item.fileSHA256, item: owedItem(kind: item.kind, name: item.name)) else {
            return item
        }
        var item = item
        item.bytes = bytes
        return item
    }

    /// What a recorded file owes (of one kind, or all), by kind and name.
    public func owed(fileSHA256: String, kind: OwedItem.Kind? = nil) throws -> [OwedItem] {
        try backend.read { db in
            let items = if let kind {
                try db.fetchAll(OwedItem.self, sql: "SELECT * FROM owed WHERE file_sha256 = ? AND kind = ? ORDER BY kind, name",
                                arguments: [fileSHA256, kind.rawValue])
            } else {
                try db.fetchAll(OwedItem.self, sql: "SELECT * FROM owed WHERE file_sha256 = ? ORDER BY kind, name", arguments: [fileSHA256])
            }
            return try items.map { try Self.whole($0, db) }
        }
    }

    /// Emails recorded but not yet written into the outbox, from any batch, oldest file first.
    public func undeliveredEmails() throws -> [OwedItem] {
        try backend.read { db in
            try db.fetchAll(OwedItem.self, sql: """
                SELECT owed.* FROM owed JOIN processed_file ON processed_file.sha256 = owed.file_sha256
                WHERE owed.kind = 'email' AND owed.delivered_on IS NULL
                ORDER BY processed_file.processed_on, owed.file_sha256, owed.name
                """).map { try Self.whole($0, db) }
        }
    }

    /// Marks an email as written into the outbox.
    public func markDelivered(_ item: OwedItem, on time: String = Ledger.now()) throws {
        try backend.write { db in
            try db.execute(sql: "UPDATE owed SET delivered_on = ? WHERE file_sha256 = ? AND kind = ? AND name = ?",
                           arguments: [time, item.fileSHA256, item.kind.rawValue, item.name])
        }
    }

    /// How many upload files the ledger has recorded.
    public func processedFileCount() throws -> Int {
        try backend.read { db in
            try db.fetchRows(sql: "SELECT COUNT(*) AS count FROM processed_file", arguments: []).first.map { $0["count"] as Int } ?? 0
        }
    }

    /// Approved and under-review registrations: what blocks new registrations.
    public func claimingRegistrations() throws -> [LedgerRegistration] {
        try backend.read { db in
            try db.fetchAll(LedgerRegistration.self,
                            sql: "SELECT * FROM registration WHERE status IN ('approved', 'under_review') ORDER BY decided_on, id")
        }
    }

    /// Registrations whose protection ended on or after `since` and before `asOf`, with the day
    /// it ended: approved or expired ones past their expiry date, and withdrawn ones (the day of
    /// the withdrawal). What the re-registration waiting period is counted from.
    public func recentlyEnded(since: Day, asOf: Day) throws -> [(registration: LedgerRegistration, endedOn: String)] {
        try backend.read { db in
            var ended = try db.fetchAll(LedgerRegistration.self, sql: """
                SELECT * FROM registration WHERE status IN ('approved', 'expired') AND expires_on < ? AND expires_on >= ? ORDER BY id
                """, arguments: [asOf.description, since.description]).map { ($0, $0.expiresOn ?? "") }
            let withdrawals = try db.fetchRows(sql: """
                SELECT registration_id, substr(MAX(at), 1, 10) AS day FROM audit WHERE action = 'withdraw'
                GROUP BY registration_id HAVING substr(MAX(at), 1, 10) >= ? ORDER BY registration_id
                """, arguments: [since.description])
            for row in withdrawals {
                let id: String = row["registration_id"], day: String = row["day"]
                if let registration = try fetch(db, id), registration.status == .withdrawn {
                    ended.append((registration, day))
                }
            }
            return ended
        }
    }

    /// The recorded upload files in the order they were received (the order their rows were
    /// decided: the first audit entry of each), each with its rows by row number. Files
    /// without rows are left out. What `dealreg replay` re-decides.
    public func recordedUploads() throws -> [RecordedUpload] {
        try backend.read { db in
            let order = try db.fetchRows(sql: """
                SELECT registration.file_sha256 AS sha256, MIN(audit.id) AS first_audit FROM registration
                JOIN audit ON audit.registration_id = registration.id AND audit.action = 'decide'
                GROUP BY registration.file_sha256 ORDER BY first_audit
                """, arguments: [])
            return try order.compactMap { row -> RecordedUpload? in
                let sha256: String = row["sha256"], first: Int64 = row["first_audit"]
                guard let file = try db.fetchOne(ProcessedFile.self, sql: "SELECT * FROM processed_file WHERE sha256 = ?",
                                                 arguments: [sha256]).map({ try Self.whole($0, db) }) else { return nil }
                let registrations = try db.fetchAll(LedgerRegistration.self,
                                                    sql: "SELECT * FROM registration WHERE file_sha256 = ? ORDER BY source_row",
                                                    arguments: [sha256])
                return RecordedUpload(file: file, registrations: registrations, firstAuditID: first)
            }
        }
    }

    /// Every status change of every registration, oldest first (audit order): what each
    /// registration's status was at any point of the ledger's history.
    public func statusChanges() throws -> [StatusChange] {
        try backend.read { db in
            try db.fetchRows(sql: "SELECT id, registration_id, action, to_status, at FROM audit ORDER BY id", arguments: []).map { row in
                StatusChange(auditID: row["id"], registrationID: row["registration_id"], action: row["action"],
                             toStatus: row["to_status"], at: row["at"])
            }
        }
    }

    // MARK: - Lifecycle

    /// Approved registrations whose protection ended before `asOf` become expired.
    public func expire(asOf: Day, actor: String, notify: StatusNotifier? = nil) throws -> [LedgerRegistration] {
        try backend.write { db in
            let due = try db.fetchAll(LedgerRegistration.self,
                                      sql: "SELECT * FROM registration WHERE status = 'approved' AND expires_on < ? ORDER BY expires_on, id",
                                      arguments: [asOf.description])
            return try due.map { registration in
                try transition(db, registration, to: .expired, action: "expire", actor: actor,
                               note: "protection ended \(registration.expiresOn ?? "")", notify: notify)
            }
        }
    }

    /// Approved registrations whose deal a later snapshot shows won become closed_won.
    /// Each partner is told in the same transaction (`notify`), once: a registration already closed is skipped.
    public func closeWon(_ ids: [String: String], actor: String, notify: StatusNotifier? = nil) throws -> [LedgerRegistration] {
        try backend.write { db in
            try ids.keys.sorted().compactMap { id -> LedgerRegistration? in
                guard let registration = try fetch(db, id), registration.status == .approved else { return nil }
                return try transition(db, registration, to: .closedWon, action: "close_won", actor: actor, note: ids[id], notify: notify)
            }
        }
    }

    /// Adds `policy.extensionDays` to an approved registration, at most `policy.maxExtensions` times.
    /// `refusal`, asked inside the transaction, says why the rules no longer allow the
    /// registration (an account now on the blocked list); nil lets it be extended.
    public func extend(id: String, policy: Policy, actor: String, note: String?, notify: StatusNotifier? = nil,
                       refusal: ((LedgerRegistration) throws -> String?)? = nil) throws -> LedgerRegistration {
        try backend.write { db in
            var registration = try existing(db, id)
            guard registration.status == .approved else {
                throw LedgerError("\(id) is \(registration.status.rawValue); only approved registrations can be extended")
            }
            guard registration.extensionsUsed < policy.maxExtensions else {
                throw LedgerError("\(id) has used all \(policy.maxExtensions) extensions the policy allows; it expires on \(registration.expiresOn ?? "?")")
            }
            if let refusal, let reason = try refusal(registration) {
                throw LedgerError("\(id) cannot be extended: \(reason)")
            }
            let current = registration.expiresOn.flatMap(Day.init(iso:)) ?? Day(ordinal: 0)
            registration.expiresOn = current.adding(days: policy.extensionDays).description
            registration.extensionsUsed += 1
            try db.update(registration)
            let entry = AuditEntry(registrationID: id, at: Self.now(), actor: actor, action: "extend", fromStatus: .approved,
                                   toStatus: .approved,
                                   rationale: "extension \(registration.extensionsUsed) of \(policy.maxExtensions): expires on \(registration.expiresOn!)",
                                   note: note)
            try db.insert(entry)
            if let notify, let (name, bytes) = try notify(registration, "extend", note, try historyLength(db, id)) {
                try db.insert(Notice(name: name, registrationID: id, action: "extend", bytes: bytes, createdAt: Self.now()))
            }
            return registration
        }
    }

    /// An approved or under-review registration is withdrawn; the account is free again.
    public func withdraw(id: String, actor: String, note: String?, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        try backend.write { db in
            let registration = try existing(db, id)
            guard registration.status == .approved || registration.status == .underReview else {
                throw LedgerError("\(id) is \(registration.status.rawValue); only approved or under-review registrations can be withdrawn")
            }
            return try transition(db, registration, to: .withdrawn, action: "withdraw", actor: actor, note: note, notify: notify)
        }
    }

    /// Approves or rejects a registration under review. Approval first asks `conflict`, at
    /// that moment and inside the write transaction, whether another claim on the account exists.
    /// - Parameter duplicateOf: with a rejection, the deal or registration the reviewer found the row
    ///   to duplicate (kept in `duplicate_of` for threshold calibration).
    public func resolveReview(id: String, approve: Bool, note: String, actor: String, asOf: Day, validityDays: Int,
                              duplicateOf: String? = nil, notify: StatusNotifier? = nil,
                              conflict: (LedgerRegistration, [LedgerRegistration]) throws -> String?) throws -> LedgerRegistration {
        try backend.write { db in
            var registration = try existing(db, id)
            guard registration.status == .underReview else {
                throw LedgerError("\(id) is \(registration.status.rawValue), not under review")
            }
            registration.humanDecision = approve ? "approved" : "declined"
            registration.reviewedBy = actor
            registration.reviewedOn = asOf.description
            guard approve else {
                registration.reason = note
                registration.decision = "declined"
                registration.duplicateOf = duplicateOf
                try db.update(registration)
                return try transition(db, registration, to: .rejected, action: "review.reject", actor: actor, note: note, notify: notify)
            }
            let others = try db.fetchAll(LedgerRegistration.self,
                                         sql: "SELECT * FROM registration WHERE status IN ('approved', 'under_review') AND id != ?",
                                         arguments: [id])
            if let reason = try conflict(registration, others) {
                throw LedgerError("\(id) cannot be approved: \(reason)")
            }
            registration.expiresOn = asOf.adding(days: validityDays).description
            registration.decision = "approved"
            registration.reason = "Approved: the account is registered to you until \(registration.expiresOn!)."
            try db.update(registration)
            return try transition(db, registration, to: .approved, action: "review.approve", actor: actor, note: note, notify: notify)
        }
    }

    /// Returns a registration under review to its partner for what is missing (needs_info): the
    /// note is the partner's to read; the account is no longer claimed until the row comes again.
    public func returnForInfo(id: String, note: String, actor: String, asOf: Day,
                              notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        try backend.write { db in
            var registration = try existing(db, id)
            guard registration.status == .underReview else {
                throw LedgerError("\(id) is \(registration.status.rawValue), not under review; only registrations under review can be returned for information")
            }
            registration.decision = "needs_info"
            registration.reason = note
            registration.humanDecision = "needs_info"
            registration.reviewedBy = actor
            registration.reviewedOn = asOf.description
            try db.update(registration)
            return try transition(db, registration, to: .returned, action: "review.return", actor: actor, note: note, notify: notify)
        }
    }

    /// Reopens a rejected (or returned) registration on appeal: it is under review again, claims
    /// its account again, and waits for a reviewer, whose approval re-checks every rule then.
    /// The reviewer's earlier decision is cleared from the row (the audit log keeps it).
    public func reopen(id: String, note: String, actor: String, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        try backend.write { db in
            var registration = try existing(db, id)
            guard registration.status == .rejected || registration.status == .returned else {
                throw LedgerError("\(id) is \(registration.status.rawValue); only rejected or returned registrations can be reopened")
            }
            registration.decision = "needs_review"
            registration.reason = "Reopened: a channel manager will review your registration again and let you know."
            registration.expiresOn = nil
            registration.humanDecision = nil
            registration.reviewedBy = nil
            registration.reviewedOn = nil
            registration.duplicateOf = nil
            try db.update(registration)
            return try transition(db, registration, to: .underReview, action: "review.reopen", actor: actor, note: note, notify: notify)
        }
    }

    /// Gives a registration under review an owner (who works it), or none with `owner` nil; audited.
    public func assign(id: String, owner: String?, actor: String, note: String? = nil) throws -> LedgerRegistration {
        try backend.write { db in
            var registration = try existing(db, id)
            guard registration.status == .underReview else {
                throw LedgerError("\(id) is \(registration.status.rawValue); only registrations under review are assigned")
            }
            let previous = registration.owner
            registration.owner = owner
            try db.update(registration)
            try db.insert(AuditEntry(registrationID: id, at: Self.now(), actor: actor, action: "review.assign",
                                     fromStatus: registration.status, toStatus: registration.status,
                                     rationale: "owner: \(previous ?? "(none)") -> \(owner ?? "(none)")", note: note))
            return registration
        }
    }

    // MARK: - Reminders

    /// Approved registrations expiring between `asOf` and `asOf + days` that have not been
    /// reminded of this expiry date (an extension opens a new window).
    public func dueReminders(asOf: Day, days: Int) throws -> [LedgerRegistration] {
        try backend.read { db in
            try db.fetchAll(LedgerRegistration.self, sql: """
                SELECT * FROM registration WHERE status = 'approved' AND expires_on >= ? AND expires_on <= ?
                AND NOT EXISTS (SELECT 1 FROM reminder WHERE reminder.registration_id = registration.id
                                AND reminder.expires_on = registration.expires_on)
                ORDER BY partner_id, expires_on, id
                """, arguments: [asOf.description, asOf.adding(days: days).description])
        }
    }

    /// Notes that these registrations were reminded of their current expiry date.
    public func markReminded(_ registrations: [LedgerRegistration], actor: String) throws {
        try backend.write { db in
            for registration in registrations {
                try db.execute(sql: """
                    INSERT INTO reminder (registration_id, expires_on, written_on) VALUES (?, ?, ?)
                    ON CONFLICT (registration_id, expires_on) DO NOTHING
                    """, arguments: [registration.id, registration.expiresOn ?? "", Self.now()])
                try db.insert(AuditEntry(registrationID: registration.id, at: Self.now(), actor: actor, action: "remind",
                                         fromStatus: registration.status, toStatus: registration.status,
                                         note: "expiry reminder for \(registration.expiresOn ?? "")"))
            }
        }
    }

    // MARK: - Digests

    /// The recipients that already have a digest of `audience` for `period` (owed or written).
    public func digestRecipients(audience: DigestRecord.Audience, period: String) throws -> Set<String> {
        try backend.read { db in
            Set(try db.fetchRows(sql: "SELECT recipient FROM digest WHERE audience = ? AND period = ?",
                                 arguments: [audience.rawValue, period]).map { $0["recipient"] as String })
        }
    }

    /// Records a digest as owed, once per audience, recipient and period: false (and nothing
    /// changed) when that recipient already has one for the period, e.g. from a concurrent run.
    @discardableResult
    public func recordDigest(_ digest: DigestRecord) throws -> Bool {
        try backend.write { db in
            let existing = try db.fetchRows(sql: "SELECT 1 FROM digest WHERE audience = ? AND recipient = ? AND period = ?",
                                            arguments: [digest.audience.rawValue, digest.recipient, digest.period])
            guard existing.isEmpty else { return false }
            try db.insert(digest)
            return true
        }
    }

    /// Digests recorded but not yet written into the outbox, oldest first.
    public func undeliveredDigests() throws -> [DigestRecord] {
        try backend.read {
            try $0.fetchAll(DigestRecord.self, sql: "SELECT * FROM digest WHERE delivered_on IS NULL ORDER BY created_at, name")
        }
    }

    /// Marks a digest as written into the outbox.
    public func markDelivered(_ digest: DigestRecord, on time: String = Ledger.now()) throws {
        try backend.write { db in
            try db.execute(sql: "UPDATE digest SET delivered_on = ? WHERE audience = ? AND recipient = ? AND period = ?",
                           arguments: [time, digest.audience.rawValue, digest.recipient, digest.period])
        }
    }

    /// Approved registrations still protected on `asOf` (expiring on it or later), by partner,
    /// then expiry date, then id: each partner's active registrations.
    public func activeRegistrations(asOf: Day) throws -> [LedgerRegistration] {
        try backend.read { db in
            try db.fetchAll(LedgerRegistration.self, sql: """
                SELECT * FROM registration WHERE status = 'approved' AND expires_on >= ? ORDER BY partner_id, expires_on, id
                """, arguments: [asOf.description])
        }
    }

    /// Registrations decided in `days` (both ends included): received and decided by the rules
    /// (`decided_on`), or decided by a reviewer (`reviewed_on`), by partner, then day, then id.
    public func decisions(in days: ClosedRange<Day>, partner: String? = nil) throws -> [LedgerRegistration] {
        var sql = """
            SELECT * FROM registration WHERE ((substr(decided_on, 1, 10) >= ? AND substr(decided_on, 1, 10) <= ?)
                OR (reviewed_on IS NOT NULL AND substr(reviewed_on, 1, 10) >= ? AND substr(reviewed_on, 1, 10) <= ?))
            """
        let (from, to) = (days.lowerBound.description, days.upperBound.description)
        var arguments: [(any DatabaseValueConvertible)?] = [from, to, from, to]
        if let partner { sql += " AND partner_id = ?"; arguments.append(partner) }
        sql += " ORDER BY partner_id, decided_on, id"
        return try backend.read { try $0.fetchAll(LedgerRegistration.self, sql: sql, arguments: arguments) }
    }

    // MARK: - Queries

    public func registration(id: String) throws -> LedgerRegistration? {
        try backend.read { try fetch($0, id) }
    }

    /// Registrations matching every given filter. `account` matches the name as written or,
    /// given `accountKey` (the matcher's condensed key of the search), the stored name key with
    /// German ae/oe/ue read as a/o/u on both sides ("muller" finds "MUELLER MASCHINENBAU GMBH").
    /// `expiring` keeps approved registrations whose expiry falls in the range (none already past).
    /// `owner` keeps the registrations of one owner (ASCII case-insensitive).
    public func registrations(partner: String? = nil, status: RegistrationStatus? = nil, account: String? = nil,
                              accountKey: String? = nil, expiring: ClosedRange<Day>? = nil,
                              owner: String? = nil) throws -> [LedgerRegistration] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let partner { conditions.append("upper(partner_id) = upper(?)"); arguments.append(partner) }
        if let owner { conditions.append("upper(owner) = upper(?)"); arguments.append(owner) }
        if let status { conditions.append("status = ?"); arguments.append(status.rawValue) }
        if let account {
            let loose = "replace(replace(replace(name_key, 'ae', 'a'), 'oe', 'o'), 'ue', 'u')"
            let key = Self.looseKey(accountKey ?? account)
            conditions.append("(\(dialect.like("account_name", "?")) OR \(dialect.like("name_key", "?")) OR (? <> '' AND \(dialect.like(loose, "?"))))")
            arguments += ["%\(account)%", "%\(account)%", key, "%\(key)%"]
        }
        if let expiring {
            conditions.append("status = 'approved' AND expires_on >= ? AND expires_on <= ?")
            arguments += [expiring.lowerBound.description, expiring.upperBound.description]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.map { "(\($0))" }.joined(separator: " AND ")
        return try backend.read { db in
            try db.fetchAll(LedgerRegistration.self, sql: "SELECT * FROM registration\(filter) ORDER BY decided_on, id", arguments: arguments)
        }
    }

    /// The full history of one registration, oldest first.
    public func audit(id: String) throws -> [AuditEntry] {
        try backend.read { db in
            _ = try existing(db, id)
            return try db.fetchAll(AuditEntry.self, sql: "SELECT * FROM audit WHERE registration_id = ? ORDER BY id", arguments: [id])
        }
    }

    // MARK: - Helpers

    /// Runs one statement as a write transaction; for tests of what the schema refuses.
    func execute(sql: String) throws {
        try backend.write { try $0.execute(sql: sql, arguments: []) }
    }

    static func looseKey(_ key: String) -> String {
        key.replacingOccurrences(of: "ae", with: "a").replacingOccurrences(of: "oe", with: "o").replacingOccurrences(of: "ue", with: "u")
    }

    private func fetch(_ db: any LedgerSession, _ id: String) throws -> LedgerRegistration? {
        try db.fetchOne(LedgerRegistration.self, sql: "SELECT * FROM registration WHERE id = ?", arguments: [id])
    }

    /// How many audit entries a registration has.
    private func historyLength(_ db: any LedgerSession, _ id: String) throws -> Int {
        try db.fetchRows(sql: "SELECT COUNT(*) AS count FROM audit WHERE registration_id = ?", arguments: [id]).first
            .map { $0["count"] as Int } ?? 0
    }

    private func existing(_ db: any LedgerSession, _ id: String) throws -> LedgerRegistration {
        guard let registration = try fetch(db, id) else {
            throw LedgerError("no registration \(id) in \(path)")
        }
        return registration
    }

    private func transition(_ db: any LedgerSession, _ registration: LedgerRegistration, to status: RegistrationStatus,
                            action: String, actor: String, note: String?, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        var changed = registration
        changed.status = status
        try db.update(changed)
        let entry = AuditEntry(registrationID: registration.id, at: Self.now(), actor: actor, action: action,
                               fromStatus: registration.status, toStatus: status, note: note)
        try db.insert(entry)
        // The partner's email is owed in the same transaction: recorded with the change, or neither.
        if let notify, let (name, bytes) = try notify(changed, action, note, try historyLength(db, changed.id)) {
            try db.insert(Notice(name: name, registrationID: changed.id, action: action, bytes: bytes, createdAt: Self.now()))
        }
        return changed
    }

    /// Status-change emails recorded but not yet written into the outbox, oldest first.
    public func undeliveredNotices() throws -> [Notice] {
        try backend.read { try $0.fetchAll(Notice.self, sql: "SELECT * FROM notice WHERE delivered_on IS NULL ORDER BY created_at, name") }
    }

    /// Marks a status-change email as written into the outbox.
    public func markDelivered(_ notice: Notice, on time: String = Ledger.now()) throws {
        try backend.write { db in
            try db.execute(sql: "UPDATE notice SET delivered_on = ? WHERE name = ?", arguments: [time, notice.name])
        }
    }

    /// The current time, UTC, ISO 8601: audit entries record when things happened.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
