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

/// The persistent registrations of every batch: one SQLite file (WAL mode).
///
/// Every change is one transaction and leaves an audit entry, so tonight's
/// approvals block tomorrow's duplicates and the history of every registration
/// can be told.
public final class Ledger: Sendable {
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating and migrating if needed) the ledger at `path`.
    /// Whether opening may make a new ledger.
    public enum Opening: Sendable {
        /// The ledger must exist (every ops command): a missing file is an error, never a new ledger.
        case existing
        /// A batch may start a ledger: a missing file is created, private (0600).
        case createIfMissing
    }

    /// Opens the ledger at `path`. A file of zero bytes is never taken for a new ledger (a
    /// truncated ledger would otherwise approve everything again).
    public init(path: String, opening: Opening = .existing) throws {
        self.path = path
        var status = stat()
        if stat(path, &status) != 0 {
            guard opening == .createIfMissing else {
                throw LedgerError("no ledger at \(path): give an existing ledger file (a new one is made only by run or batch with --ledger)",
                                  isUnusableFile: true)
            }
            // Private: the ledger holds partners' contacts (SQLite gives its -wal and -shm files the same mode).
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 || errno == EEXIST else {
                throw LedgerError("cannot create the ledger \(path): \(String(cString: strerror(errno)))")
            }
            if descriptor >= 0 { close(descriptor) }
        } else if status.st_size == 0 {
            var wal = stat()
            let walHoldsData = stat(path + "-wal", &wal) == 0 && wal.st_size > 0
            if !walHoldsData {
                throw LedgerError("\(path) is an empty file, not a ledger (truncated?): restore it from a backup, or remove it to start a new ledger",
                                  isUnusableFile: true)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
    }

    // MARK: - Batches

    /// The earlier processing of a file with this content, if any.
    public func processedFile(sha256: String) throws -> ProcessedFile? {
        try pool.read { try ProcessedFile.fetchOne($0, key: sha256) }
    }

    /// Records one upload file: its results, every row and an audit entry per row, all or nothing.
    /// Fails without changing anything if the file was recorded meanwhile.
    /// What the file owes its partners (`owed`) is recorded in the same transaction.
    public func record(file: ProcessedFile, registrations: [LedgerRegistration], audits: [AuditEntry],
                       owed: [OwedItem] = []) throws {
        try pool.write { db in
            if try ProcessedFile.exists(db, key: file.sha256) {
                throw LedgerError("\(file.name) was already recorded (content \(file.sha256.prefix(12)))")
            }
            try file.insert(db)
            for registration in registrations { try registration.insert(db) }
            for entry in audits { try entry.insert(db) }
            for item in owed { try item.insert(db) }
        }
    }

    /// What a recorded file owes (of one kind, or all), by kind and name.
    public func owed(fileSHA256: String, kind: OwedItem.Kind? = nil) throws -> [OwedItem] {
        try pool.read { db in
            var request = OwedItem.filter(Column("file_sha256") == fileSHA256)
            if let kind { request = request.filter(Column("kind") == kind.rawValue) }
            return try request.order(Column("kind"), Column("name")).fetchAll(db)
        }
    }

    /// Emails recorded but not yet written into the outbox, from any batch, oldest file first.
    public func undeliveredEmails() throws -> [OwedItem] {
        try pool.read { db in
            try OwedItem.fetchAll(db, sql: """
                SELECT owed.* FROM owed JOIN processed_file ON processed_file.sha256 = owed.file_sha256
                WHERE owed.kind = 'email' AND owed.delivered_on IS NULL
                ORDER BY processed_file.processed_on, owed.file_sha256, owed.name
                """)
        }
    }

    /// Marks an email as written into the outbox.
    public func markDelivered(_ item: OwedItem, on time: String = Ledger.now()) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE owed SET delivered_on = ? WHERE file_sha256 = ? AND kind = ? AND name = ?",
                           arguments: [time, item.fileSHA256, item.kind.rawValue, item.name])
        }
    }

    /// How many upload files the ledger has recorded.
    public func processedFileCount() throws -> Int {
        try pool.read { try ProcessedFile.fetchCount($0) }
    }

    /// Approved and under-review registrations: what blocks new registrations.
    public func claimingRegistrations() throws -> [LedgerRegistration] {
        try pool.read { db in
            try LedgerRegistration.filter(sql: "status IN ('approved', 'under_review')").order(sql: "decided_on, id").fetchAll(db)
        }
    }

    /// Registrations whose protection ended on or after `since` and before `asOf`, with the day
    /// it ended: approved or expired ones past their expiry date, and withdrawn ones (the day of
    /// the withdrawal). What the re-registration waiting period is counted from.
    public func recentlyEnded(since: Day, asOf: Day) throws -> [(registration: LedgerRegistration, endedOn: String)] {
        try pool.read { db in
            var ended = try LedgerRegistration.filter(sql: "status IN ('approved', 'expired') AND expires_on < ? AND expires_on >= ?",
                                                      arguments: [asOf.description, since.description])
                .order(sql: "id").fetchAll(db).map { ($0, $0.expiresOn ?? "") }
            let withdrawals = try Row.fetchAll(db, sql: """
                SELECT registration_id, substr(MAX(at), 1, 10) AS day FROM audit WHERE action = 'withdraw'
                GROUP BY registration_id HAVING day >= ? ORDER BY registration_id
                """, arguments: [since.description])
            for row in withdrawals {
                let id: String = row["registration_id"], day: String = row["day"]
                if let registration = try LedgerRegistration.fetchOne(db, key: id), registration.status == .withdrawn {
                    ended.append((registration, day))
                }
            }
            return ended
        }
    }

    // MARK: - Lifecycle

    /// Approved registrations whose protection ended before `asOf` become expired.
    public func expire(asOf: Day, actor: String, notify: StatusNotifier? = nil) throws -> [LedgerRegistration] {
        try pool.write { db in
            let due = try LedgerRegistration.filter(sql: "status = 'approved' AND expires_on < ?", arguments: [asOf.description])
                .order(sql: "expires_on, id").fetchAll(db)
            return try due.map { registration in
                try transition(db, registration, to: .expired, action: "expire", actor: actor,
                               note: "protection ended \(registration.expiresOn ?? "")", notify: notify)
            }
        }
    }

    /// Approved registrations whose deal a later snapshot shows won become closed_won.
    public func closeWon(_ ids: [String: String], actor: String) throws -> [LedgerRegistration] {
        try pool.write { db in
            try ids.keys.sorted().compactMap { id -> LedgerRegistration? in
                guard let registration = try LedgerRegistration.fetchOne(db, key: id), registration.status == .approved else { return nil }
                return try transition(db, registration, to: .closedWon, action: "close_won", actor: actor, note: ids[id])
            }
        }
    }

    /// Adds `policy.extensionDays` to an approved registration, at most `policy.maxExtensions` times.
    public func extend(id: String, policy: Policy, actor: String, note: String?, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        try pool.write { db in
            var registration = try existing(db, id)
            guard registration.status == .approved else {
                throw LedgerError("\(id) is \(registration.status.rawValue); only approved registrations can be extended")
            }
            guard registration.extensionsUsed < policy.maxExtensions else {
                throw LedgerError("\(id) has used all \(policy.maxExtensions) extensions the policy allows; it expires on \(registration.expiresOn ?? "?")")
            }
            let current = registration.expiresOn.flatMap(Day.init(iso:)) ?? Day(ordinal: 0)
            registration.expiresOn = current.adding(days: policy.extensionDays).description
            registration.extensionsUsed += 1
            try registration.update(db)
            let entry = AuditEntry(registrationID: id, at: Self.now(), actor: actor, action: "extend", fromStatus: .approved,
                                   toStatus: .approved,
                                   rationale: "extension \(registration.extensionsUsed) of \(policy.maxExtensions): expires on \(registration.expiresOn!)",
                                   note: note)
            try entry.insert(db)
            if let notify, let (name, bytes) = try notify(registration, "extend", note) {
                try Notice(name: name, registrationID: id, action: "extend", bytes: bytes, createdAt: Self.now()).insert(db)
            }
            return registration
        }
    }

    /// An approved or under-review registration is withdrawn; the account is free again.
    public func withdraw(id: String, actor: String, note: String?, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        try pool.write { db in
            let registration = try existing(db, id)
            guard registration.status == .approved || registration.status == .underReview else {
                throw LedgerError("\(id) is \(registration.status.rawValue); only approved or under-review registrations can be withdrawn")
            }
            return try transition(db, registration, to: .withdrawn, action: "withdraw", actor: actor, note: note, notify: notify)
        }
    }

    /// Approves or rejects a registration under review. Approval first asks `conflict`, at
    /// that moment and inside the write transaction, whether another claim on the account exists.
    public func resolveReview(id: String, approve: Bool, note: String, actor: String, asOf: Day, validityDays: Int,
                              notify: StatusNotifier? = nil,
                              conflict: (LedgerRegistration, [LedgerRegistration]) throws -> String?) throws -> LedgerRegistration {
        try pool.write { db in
            var registration = try existing(db, id)
            guard registration.status == .underReview else {
                throw LedgerError("\(id) is \(registration.status.rawValue), not under review")
            }
            guard approve else {
                registration.reason = note
                registration.decision = "declined"
                try registration.update(db)
                return try transition(db, registration, to: .rejected, action: "review.reject", actor: actor, note: note, notify: notify)
            }
            let others = try LedgerRegistration.filter(sql: "status IN ('approved', 'under_review') AND id != ?", arguments: [id]).fetchAll(db)
            if let reason = try conflict(registration, others) {
                throw LedgerError("\(id) cannot be approved: \(reason)")
            }
            registration.expiresOn = asOf.adding(days: validityDays).description
            registration.decision = "approved"
            registration.reason = "Approved: the account is registered to you until \(registration.expiresOn!)."
            try registration.update(db)
            return try transition(db, registration, to: .approved, action: "review.approve", actor: actor, note: note, notify: notify)
        }
    }

    // MARK: - Reminders

    /// Approved registrations expiring between `asOf` and `asOf + days` that have not been
    /// reminded of this expiry date (an extension opens a new window).
    public func dueReminders(asOf: Day, days: Int) throws -> [LedgerRegistration] {
        try pool.read { db in
            try LedgerRegistration.filter(sql: """
                status = 'approved' AND expires_on >= ? AND expires_on <= ?
                AND NOT EXISTS (SELECT 1 FROM reminder WHERE reminder.registration_id = registration.id
                                AND reminder.expires_on = registration.expires_on)
                """, arguments: [asOf.description, asOf.adding(days: days).description])
                .order(sql: "partner_id, expires_on, id").fetchAll(db)
        }
    }

    /// Notes that these registrations were reminded of their current expiry date.
    public func markReminded(_ registrations: [LedgerRegistration], actor: String) throws {
        try pool.write { db in
            for registration in registrations {
                try db.execute(sql: "INSERT OR IGNORE INTO reminder (registration_id, expires_on, written_on) VALUES (?, ?, ?)",
                               arguments: [registration.id, registration.expiresOn ?? "", Self.now()])
                try AuditEntry(registrationID: registration.id, at: Self.now(), actor: actor, action: "remind",
                               fromStatus: registration.status, toStatus: registration.status,
                               note: "expiry reminder for \(registration.expiresOn ?? "")").insert(db)
            }
        }
    }

    // MARK: - Queries

    public func registration(id: String) throws -> LedgerRegistration? {
        try pool.read { try LedgerRegistration.fetchOne($0, key: id) }
    }

    /// Registrations matching every given filter. `account` matches the name as written or,
    /// given `accountKey` (the matcher's condensed key of the search), the stored name key with
    /// German ae/oe/ue read as a/o/u on both sides ("muller" finds "MUELLER MASCHINENBAU GMBH").
    /// `expiring` keeps approved registrations whose expiry falls in the range (none already past).
    public func registrations(partner: String? = nil, status: RegistrationStatus? = nil, account: String? = nil,
                              accountKey: String? = nil, expiring: ClosedRange<Day>? = nil) throws -> [LedgerRegistration] {
        try pool.read { db in
            var request = LedgerRegistration.all()
            if let partner { request = request.filter(sql: "upper(partner_id) = upper(?)", arguments: [partner]) }
            if let status { request = request.filter(sql: "status = ?", arguments: [status.rawValue]) }
            if let account {
                let loose = "replace(replace(replace(name_key, 'ae', 'a'), 'oe', 'o'), 'ue', 'u')"
                let key = Self.looseKey(accountKey ?? account)
                request = request.filter(sql: "(account_name LIKE ? OR name_key LIKE ? OR (? <> '' AND \(loose) LIKE ?))",
                                         arguments: ["%\(account)%", "%\(account)%", key, "%\(key)%"])
            }
            if let expiring {
                request = request.filter(sql: "status = 'approved' AND expires_on >= ? AND expires_on <= ?",
                                         arguments: [expiring.lowerBound.description, expiring.upperBound.description])
            }
            return try request.order(sql: "decided_on, id").fetchAll(db)
        }
    }

    /// The full history of one registration, oldest first.
    public func audit(id: String) throws -> [AuditEntry] {
        try pool.read { db in
            _ = try existing(db, id)
            return try AuditEntry.filter(sql: "registration_id = ?", arguments: [id]).order(sql: "id").fetchAll(db)
        }
    }

    // MARK: - Helpers

    static func looseKey(_ key: String) -> String {
        key.replacingOccurrences(of: "ae", with: "a").replacingOccurrences(of: "oe", with: "o").replacingOccurrences(of: "ue", with: "u")
    }

    private func existing(_ db: Database, _ id: String) throws -> LedgerRegistration {
        guard let registration = try LedgerRegistration.fetchOne(db, key: id) else {
            throw LedgerError("no registration \(id) in \(path)")
        }
        return registration
    }

    private func transition(_ db: Database, _ registration: LedgerRegistration, to status: RegistrationStatus,
                            action: String, actor: String, note: String?, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        var changed = registration
        changed.status = status
        try changed.update(db)
        let entry = AuditEntry(registrationID: registration.id, at: Self.now(), actor: actor, action: action,
                               fromStatus: registration.status, toStatus: status, note: note)
        try entry.insert(db)
        // The partner's email is owed in the same transaction: recorded with the change, or neither.
        if let notify, let (name, bytes) = try notify(changed, action, note) {
            try Notice(name: name, registrationID: changed.id, action: action, bytes: bytes, createdAt: Self.now()).insert(db)
        }
        return changed
    }

    /// Status-change emails recorded but not yet written into the outbox, oldest first.
    public func undeliveredNotices() throws -> [Notice] {
        try pool.read { try Notice.filter(sql: "delivered_on IS NULL").order(sql: "created_at, name").fetchAll($0) }
    }

    /// Marks a status-change email as written into the outbox.
    public func markDelivered(_ notice: Notice, on time: String = Ledger.now()) throws {
        try pool.write { db in
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
