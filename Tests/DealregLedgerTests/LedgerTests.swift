@testable import DealregLedger
import DealregPolicy
import DealregTestSupport
import Foundation
import GRDB
import Testing

/// The backends every ledger test runs on: SQLite always, PostgreSQL when a test server is given
/// (`DEALREG_TEST_POSTGRES_URL`; the "PostgreSQL test server" test says when it is not).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    static var available: [Backend] { PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }
    var testDescription: String { rawValue }
}

/// A new, empty ledger on `backend`.
func freshLedger(_ backend: Backend = .sqlite) throws -> Ledger {
    switch backend {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Ledger(path: folder.appendingPathComponent("ledger.sqlite").path, opening: .createIfMissing)
    case .postgres:
        return try Ledger(path: try PostgresTestServer.freshDatabase(), opening: .createIfMissing)
    }
}

func registration(_ id: String, _ status: RegistrationStatus, partner: String = "P-A", expires: String? = "2027-02-21",
                  row: Int, sha: String = "f1") -> LedgerRegistration {
    LedgerRegistration(id: id, partnerID: partner, accountName: "Account \(id)", accountDomain: nil, contactEmail: nil,
                       country: "US", city: nil, postalCode: nil, phone: nil, nameKey: "account\(id.lowercased())",
                       status: status, decision: status == .approved ? "approved" : "needs_review", reasonCodes: "registered",
                       reason: "r", matchScore: nil, matchedRecord: nil, dealValue: 1000, currency: "USD", submittedAt: nil,
                       decidedOn: "2026-11-23", expiresOn: status == .approved ? expires : nil, sourceFile: "f.csv",
                       sourceRow: row, fileSHA256: sha, policyVersion: "v1")
}

func file(_ sha: String = "f1", rows: Int) -> ProcessedFile {
    ProcessedFile(sha256: sha, name: "\(sha).csv", processedOn: "2026-11-23T00:00:00Z", rows: rows, approved: 0, declined: 0,
                  needsReview: 0, needsInfo: 0, resultsName: "r.csv", resultsCSV: Data([1, 2]), partnerCSV: Data([3]))
}

@Suite("Ledger")
struct LedgerTests {
    private func seeded(_ backend: Backend) throws -> Ledger {
        let ledger = try freshLedger(backend)
        let rows = [registration("R1", .approved, row: 1), registration("R2", .underReview, row: 2),
                    registration("R3", .approved, expires: "2026-12-01", row: 3), registration("R4", .returned, row: 4)]
        try ledger.record(file: file(rows: 4), registrations: rows, audits: rows.map {
            AuditEntry(registrationID: $0.id, at: "t", actor: "batch", action: "decide", fromStatus: nil, toStatus: $0.status)
        })
        return ledger
    }

    @Test(arguments: Backend.available) func recordsAFileAllOrNothing(_ backend: Backend) throws {
        let ledger = try seeded(backend)
        #expect(try ledger.processedFile(sha256: "f1")?.rows == 4)
        #expect(try ledger.claimingRegistrations().map(\.id) == ["R1", "R2", "R3"])
        // The same content again is refused, and nothing of the second attempt is kept.
        #expect(throws: LedgerError.self) {
            try ledger.record(file: file(rows: 1), registrations: [registration("R9", .approved, row: 9)], audits: [])
        }
        #expect(try ledger.registration(id: "R9") == nil)
        // A failing row rolls back its whole file.
        #expect(throws: (any Error).self) {
            try ledger.record(file: file("f2", rows: 2), registrations: [registration("R5", .approved, row: 1, sha: "f2"),
                                                                         registration("R1", .approved, row: 2, sha: "f2")], audits: [])
        }
        #expect(try ledger.processedFile(sha256: "f2") == nil)
        #expect(try ledger.registration(id: "R5") == nil)
    }

    /// The batch records a file's rows as they are decided, in one transaction the file's record
    /// and what it owes complete: all of it or, when anything fails on the way, none of it.
    @Test(arguments: Backend.available) func recordsAFileWhileItsRowsAreDecided(_ backend: Backend) throws {
        let ledger = try seeded(backend)
        let rows = [registration("R5", .approved, row: 1, sha: "f2"), registration("R6", .underReview, row: 2, sha: "f2")]
        var finished = file("f2", rows: 2)
        finished.approved = 1
        finished.needsReview = 1
        let owed = [OwedItem(fileSHA256: "f2", kind: .email, name: "P-A-f2.eml", bytes: Data("mail".utf8))]
        try ledger.recordStreaming(fileSHA256: "f2", name: "f2.csv") { recording in
            for row in rows {
                try recording.add(row)
                try recording.add(AuditEntry(registrationID: row.id, at: "t", actor: "batch", action: "decide",
                                             fromStatus: .submitted, toStatus: row.status))
            }
            return Ledger.FileRecord(file: finished, owed: owed)
        }
        #expect(try ledger.processedFile(sha256: "f2") == finished)
        #expect(try ledger.owed(fileSHA256: "f2") == owed)
        #expect(try ledger.registration(id: "R6")?.status == .underReview)
        #expect(try ledger.audit(id: "R5").map(\.action) == ["decide"])

        // A failure after some rows were added (a result file that cannot be written) records nothing.
        struct DiskFull: Error {}
        #expect(throws: DiskFull.self) {
            try ledger.recordStreaming(fileSHA256: "f3", name: "f3.csv") { recording in
                try recording.add(registration("R7", .approved, row: 1, sha: "f3"))
                throw DiskFull()
            }
        }
        #expect(try ledger.processedFile(sha256: "f3") == nil)
        #expect(try ledger.registration(id: "R7") == nil)
        // A file's record must be of the content being recorded.
        #expect(throws: LedgerError.self) {
            try ledger.recordStreaming(fileSHA256: "f4", name: "f4.csv") { _ in Ledger.FileRecord(file: file("f5", rows: 0), owed: []) }
        }
        #expect(try ledger.processedFile(sha256: "f4") == nil)
        // The same content twice: refused before anything is added.
        #expect(throws: LedgerError.self) {
            try ledger.recordStreaming(fileSHA256: "f2", name: "f2.csv") { _ in
                Issue.record("the body of an already recorded file ran")
                return Ledger.FileRecord(file: finished, owed: [])
            }
        }
    }

    /// A file's result files are recorded in parts as the ledger reads them from disk (a stretch of
    /// a file for its rows of a batch file), and read back whole, byte for byte.
    @Test(arguments: Backend.available) func recordsLargeValuesInPartsFromDisk(_ backend: Backend) throws {
        let ledger = try freshLedger(backend)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-parts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()
        func bytes(_ count: Int) -> Data { Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        // Over two parts and a half, exactly one part, and empty.
        let results = bytes(Ledger.partSize * 2 + Ledger.partSize / 2), partner = bytes(Ledger.partSize), copy = Data()
        let batch = bytes(5_000)
        for (name, data) in [("results.csv", results), ("partner.csv", partner), ("copy.csv", copy), ("approved.csv", batch)] {
            try data.write(to: folder.appendingPathComponent(name))
        }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        var record = Ledger.FileRecord(file: file("f1", rows: 0), owed: [
            OwedItem(fileSHA256: "f1", kind: .output, name: "copy.csv", bytes: Data()),
            OwedItem(fileSHA256: "f1", kind: .batchRows, name: "approved.csv", bytes: Data()),
            OwedItem(fileSHA256: "f1", kind: .email, name: "P-A.eml", bytes: Data("mail".utf8)),
        ])
        record.file.resultsCSV = Data()
        record.file.partnerCSV = Data()
        record.stretches = [
            Ledger.resultsItem: Ledger.FileStretch(path: path("results.csv")),
            Ledger.partnerItem: Ledger.FileStretch(path: path("partner.csv")),
            Ledger.owedItem(kind: .output, name: "copy.csv"): Ledger.FileStretch(path: path("copy.csv")),
            Ledger.owedItem(kind: .batchRows, name: "approved.csv"): Ledger.FileStretch(path: path("approved.csv"), offset: 1_000, length: 3_000),
        ]
        try ledger.recordStreaming(fileSHA256: "f1", name: "f1.csv") { _ in record }
        let recorded = try #require(try ledger.processedFile(sha256: "f1"))
        #expect(recorded.resultsCSV == results)
        #expect(recorded.partnerCSV == partner)
        let owed = try ledger.owed(fileSHA256: "f1")
        #expect(owed.first { $0.name == "approved.csv" }?.bytes == batch[1_000..<4_000])
        #expect(owed.first { $0.name == "copy.csv" }?.bytes == Data())
        #expect(owed.first { $0.name == "P-A.eml" }?.bytes == Data("mail".utf8))
        #expect(try ledger.recordedUploads().isEmpty)   // no registrations: nothing to replay

        // A file gone, or shorter than its stretch: nothing of the file is recorded.
        for stretch in [Ledger.FileStretch(path: path("missing.csv")), Ledger.FileStretch(path: path("approved.csv"), offset: 4_000, length: 2_000)] {
            #expect(throws: LedgerError.self) {
                try ledger.recordStreaming(fileSHA256: "f2", name: "f2.csv") { recording in
                    try recording.add(registration("R1", .approved, row: 1, sha: "f2"))
                    return Ledger.FileRecord(file: file("f2", rows: 1), owed: [], stretches: [Ledger.resultsItem: stretch])
                }
            }
            #expect(try ledger.processedFile(sha256: "f2") == nil)
            #expect(try ledger.registration(id: "R1") == nil)
        }
    }

    @Test(arguments: Backend.available) func extendUpToTheLimit(_ backend: Backend) throws {
        let ledger = try seeded(backend)
        var policy = Policy()
        policy.extensionDays = 30
        policy.maxExtensions = 2
        #expect(try ledger.extend(id: "R1", policy: policy, actor: "ana", note: "slipped").expiresOn == "2027-03-23")
        #expect(try ledger.extend(id: "R1", policy: policy, actor: "ana", note: nil).expiresOn == "2027-04-22")
        #expect(throws: LedgerError("R1 has used all 2 extensions the policy allows; it expires on 2027-04-22")) {
            try ledger.extend(id: "R1", policy: policy, actor: "ana", note: nil)
        }
        #expect(throws: LedgerError("R2 is under_review; only approved registrations can be extended")) {
            try ledger.extend(id: "R2", policy: policy, actor: "ana", note: nil)
        }
        #expect(throws: LedgerError.self) { try ledger.extend(id: "NOPE", policy: policy, actor: "ana", note: nil) }
    }

    @Test(arguments: Backend.available) func expireWithdrawAndReview(_ backend: Backend) throws {
        let ledger = try seeded(backend)
        #expect(try ledger.expire(asOf: Day(iso: "2026-12-02")!, actor: "batch").map(\.id) == ["R3"])
        #expect(try ledger.expire(asOf: Day(iso: "2026-12-02")!, actor: "batch").isEmpty)   // idempotent
        #expect(try ledger.withdraw(id: "R1", actor: "ana", note: "partner lost interest").status == .withdrawn)
        #expect(throws: LedgerError.self) { try ledger.withdraw(id: "R1", actor: "ana", note: nil) }
        let refused = #expect(throws: LedgerError.self) {
            try ledger.resolveReview(id: "R2", approve: true, note: "ok", actor: "ana", asOf: Day(iso: "2026-11-24")!,
                                     validityDays: 90) { _, _ in "R7 already holds it" }
        }
        #expect(refused?.message == "R2 cannot be approved: R7 already holds it")
        #expect(try ledger.registration(id: "R2")?.status == .underReview)
        let approved = try ledger.resolveReview(id: "R2", approve: true, note: "checked", actor: "ana",
                                                asOf: Day(iso: "2026-11-24")!, validityDays: 90) { _, _ in nil }
        #expect(approved.status == .approved && approved.expiresOn == "2027-02-22")
        #expect(throws: LedgerError("R2 is approved, not under review")) {
            try ledger.resolveReview(id: "R2", approve: false, note: "no", actor: "ana", asOf: Day(iso: "2026-11-24")!,
                                     validityDays: 90) { _, _ in nil }
        }
        let history = try ledger.audit(id: "R2")
        #expect(history.map(\.action) == ["decide", "review.approve"])
        #expect(history.last?.actor == "ana" && history.last?.note == "checked")
    }

    @Test(arguments: Backend.available) func auditLogIsAppendOnly(_ backend: Backend) throws {
        let ledger = try seeded(backend)
        // Refused by the database itself, whoever asks (SQLite and PostgreSQL triggers).
        #expect(throws: (any Error).self) { try ledger.execute(sql: "UPDATE audit SET actor = 'x'") }
        #expect(throws: (any Error).self) { try ledger.execute(sql: "DELETE FROM audit") }
        if backend == .postgres {
            #expect(throws: (any Error).self) { try ledger.execute(sql: "TRUNCATE audit CASCADE") }
        }
        #expect(try ledger.audit(id: "R1").count == 1)
        #expect(throws: (any Error).self) {   // the schema refuses unknown statuses
            try ledger.execute(sql: "UPDATE registration SET status = 'lost' WHERE id = 'R1'")
        }
    }

    @Test(arguments: Backend.available) func statusFilters(_ backend: Backend) throws {
        let ledger = try seeded(backend)
        #expect(try ledger.registrations(status: .approved).map(\.id) == ["R1", "R3"])
        #expect(try ledger.registrations(partner: "p-a", account: "r2").map(\.id) == ["R2"])
        #expect(try ledger.registrations(expiring: Day(iso: "2026-11-01")!...Day(iso: "2026-12-31")!).map(\.id) == ["R3"])
        // Issue 13: a registration already past its expiry is not "expiring within".
        #expect(try ledger.registrations(expiring: Day(iso: "2026-12-02")!...Day(iso: "2027-01-31")!).isEmpty)
    }

    @Test(arguments: Backend.available) func batchLockExcludesASecondHolder(_ backend: Backend) throws {
        let ledger = try freshLedger(backend)
        do {
            let first = try BatchLock(ledgerPath: ledger.path, timeout: 0)
            let refused = #expect(throws: LedgerError.self) { _ = try BatchLock(ledgerPath: ledger.path, timeout: 0.2) }
            #expect(refused?.isBusy == true)
            #expect(refused?.message.contains("another batch is running on this ledger") == true, "\(refused?.message ?? "")")
            withExtendedLifetime(first) {}
        }
        // Released with its holder: the next batch takes it at once.
        _ = try BatchLock(ledgerPath: ledger.path, timeout: 0)
    }

    /// Issue 13: the automatic decision stays beside the reviewer's; return, reopen and assign.
    @Test(arguments: Backend.available) func theReviewersDecisionBesideTheAutomaticOne(_ backend: Backend) throws {
        let ledger = try freshLedger(backend)
        var rows = [registration("R1", .underReview, row: 1), registration("R2", .underReview, row: 2),
                    registration("R3", .approved, row: 3)]
        for index in rows.indices {
            rows[index].autoDecision = index == 2 ? "approved" : "needs_review"
            rows[index].autoRule = index == 2 ? "approve.auto" : "triage.confidence"
        }
        try ledger.record(file: file(rows: 3), registrations: rows, audits: rows.map {
            AuditEntry(registrationID: $0.id, at: "t", actor: "batch", action: "decide", fromStatus: .submitted, toStatus: $0.status)
        })
        let day = Day(iso: "2026-11-25")!
        var sent: [(String, String, Int)] = []
        let notify: StatusNotifier = { changed, action, _, sequence in
            sent.append((changed.id, action, sequence))
            return ("\(action)-\(changed.id)-\(sequence).eml", Data(action.utf8))
        }
        // Assign: an owner, audited, no email; only items under review.
        #expect(try ledger.assign(id: "R1", owner: "dana", actor: "lee").owner == "dana")
        #expect(try ledger.registrations(status: .underReview, owner: "DANA").map(\.id) == ["R1"])
        #expect(throws: LedgerError("R3 is approved; only registrations under review are assigned")) {
            try ledger.assign(id: "R3", owner: "dana", actor: "lee")
        }
        // Reject, then reopen on appeal: the reviewer's decision is cleared, the automatic one kept.
        let rejected = try ledger.resolveReview(id: "R1", approve: false, note: "no website", actor: "dana", asOf: day,
                                                validityDays: 90, duplicateOf: "D-7", notify: notify) { _, _ in nil }
        #expect(rejected.status == .rejected && rejected.humanDecision == "declined" && rejected.reviewedBy == "dana")
        #expect(try rejected.duplicateOf == "D-7" && ledger.registration(id: "R1")?.duplicateOf == "D-7")
        #expect(rejected.reviewedOn == "2026-11-25" && rejected.autoDecision == "needs_review" && rejected.isOverride)
        let reopened = try ledger.reopen(id: "R1", note: "appeal", actor: "dana", notify: notify)
        #expect(reopened.status == .underReview && reopened.decision == "needs_review" && reopened.humanDecision == nil)
        #expect(reopened.duplicateOf == nil, "the reviewer's finding goes with the reviewer's decision")
        #expect(reopened.autoDecision == "needs_review" && reopened.autoRule == "triage.confidence" && reopened.owner == "dana")
        #expect(throws: LedgerError("R3 is approved; only rejected or returned registrations can be reopened")) {
            try ledger.reopen(id: "R3", note: "x", actor: "dana")
        }
        // Returned for information: needs_info, the note the partner's; then reopened and approved.
        let returned = try ledger.returnForInfo(id: "R1", note: "add the postal code", actor: "dana", asOf: day, notify: notify)
        #expect(returned.status == .returned && returned.decision == "needs_info" && returned.humanDecision == "needs_info")
        #expect(throws: LedgerError("R1 is returned, not under review; only registrations under review can be returned for information")) {
            try ledger.returnForInfo(id: "R1", note: "x", actor: "dana", asOf: day)
        }
        _ = try ledger.reopen(id: "R1", note: "postal code received", actor: "dana", notify: notify)
        let approved = try ledger.resolveReview(id: "R1", approve: true, note: "ok", actor: "dana", asOf: day, validityDays: 90,
                                                notify: notify) { _, _ in nil }
        #expect(approved.humanDecision == "approved" && approved.autoDecision == "needs_review" && approved.isOverride)
        #expect(try ledger.registration(id: "R1") == approved)
        // Each change told once, each with its place in the history (a second reopen is its own message).
        #expect(sent.map(\.1) == ["review.reject", "review.reopen", "review.return", "review.reopen", "review.approve"])
        #expect(sent.map(\.2) == [3, 4, 5, 6, 7])
        #expect(try ledger.undeliveredNotices().count == 5)
        #expect(try ledger.audit(id: "R1").map(\.action)
                == ["decide", "review.assign", "review.reject", "review.reopen", "review.return", "review.reopen", "review.approve"])
        // Closed as won, told in the same transaction, once.
        #expect(try ledger.closeWon(["R3": "won deal D-1"], actor: "batch", notify: notify).map(\.id) == ["R3"])
        #expect(try ledger.closeWon(["R3": "won deal D-1"], actor: "batch", notify: notify).isEmpty)
        #expect(sent.last?.1 == "close_won" && sent.count == 6)
        // The schema refuses a decision it does not know.
        #expect(throws: (any Error).self) { try ledger.execute(sql: "UPDATE registration SET human_decision = 'maybe'") }
    }

    /// Issue 13: a ledger from before v7 learns each registration's automatic decision from its
    /// audit log (the shadow-mode would-be decision where there was one) and the reviewer's.
    @Test(arguments: Backend.available) func migrationSevenFillsInTheAutomaticDecision(_ backend: Backend) throws {
        let blob = backend == .sqlite ? "X'01'" : "'\\x01'::bytea"
        let rows = """
            INSERT INTO processed_file (sha256, name, processed_on, rows, approved, declined, needs_review, needs_info, results_name, results_csv, partner_csv)
                VALUES ('f1', 'f1.csv', 't', 3, 1, 0, 2, 0, 'r.csv', \(blob), \(blob));
            INSERT INTO registration (id, partner_id, account_name, name_key, status, decision, reason_codes, reason, decided_on, source_file, source_row, file_sha256, policy_version)
                VALUES ('R1', 'P-A', 'A', 'a', 'approved', 'approved', 'registered', 'r', '2026-11-23', 'f1.csv', 1, 'f1', 'v1'),
                       ('R2', 'P-A', 'B', 'b', 'under_review', 'needs_review', 'shadow_mode', 'r', '2026-11-23', 'f1.csv', 2, 'f1', 'v1'),
                       ('R3', 'P-A', 'C', 'c', 'approved', 'approved', 'possible_duplicate', 'r', '2026-11-23', 'f1.csv', 3, 'f1', 'v1');
            INSERT INTO audit (registration_id, at, actor, action, from_status, to_status, rationale) VALUES
                ('R1', '2026-11-23T01:00:00Z', 'batch', 'decide', 'submitted', 'approved', 'approve.auto | Approved | confidence 90'),
                ('R2', '2026-11-23T01:00:00Z', 'batch', 'decide', 'submitted', 'under_review', 'shadow_mode | Being reviewed | shadow_mode: would have been declined by duplicate.snapshot: taken'),
                ('R3', '2026-11-23T01:00:00Z', 'batch', 'decide', 'submitted', 'under_review', 'duplicate.snapshot.possible | May be registered'),
                ('R3', '2026-11-24T09:00:00Z', 'dana', 'review.approve', 'under_review', 'approved', NULL);
            """
        let path: String
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-v6-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent("ledger.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(queue, upTo: "v6: close date and the partner's reference")
            try queue.write { try $0.execute(sql: rows) }
        case .postgres:
            path = try PostgresTestServer.freshDatabase()
            var sql = "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, identifier TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL);\n"
            for (index, migration) in PostgresMigrations.migrations.prefix(6).enumerated() {
                sql += migration.sql + "\nINSERT INTO schema_version VALUES (\(index + 1), '\(migration.identifier.replacingOccurrences(of: "'", with: "''"))', 't');\n"
            }
            try PostgresTestServer.psql(path, sql + rows)
        }
        let ledger = try Ledger(path: path, opening: .existing)
        let r1 = try #require(try ledger.registration(id: "R1")), r2 = try #require(try ledger.registration(id: "R2"))
        let r3 = try #require(try ledger.registration(id: "R3"))
        #expect(r1.autoDecision == "approved" && r1.autoRule == "approve.auto" && r1.humanDecision == nil)
        #expect(r2.autoDecision == "declined" && r2.autoRule == "shadow_mode" && r2.humanDecision == nil)
        #expect(r3.autoDecision == "needs_review" && r3.autoRule == "duplicate.snapshot.possible")
        #expect(r3.humanDecision == "approved" && r3.reviewedBy == "dana" && r3.reviewedOn == "2026-11-24" && r3.isOverride)
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func postgresTestServer() throws {
        // Present so a run without the server says so: every PostgreSQL case above is left out then.
        #expect(try !PostgresTestServer.psql(PostgresTestServer.url!, "SELECT 1").isEmpty)
    }
}

@Suite("PostgreSQL ledger")
struct PostgresLedgerTests {
    @Test func urlsSelectTheBackendAndNeverShowThePassword() throws {
        let environment = ["USER": "ops"]
        #expect(try LedgerLocation("ledger.sqlite", environment: environment) == .sqlite(path: "ledger.sqlite"))
        let location = try PostgresLocation(url: "postgres://deal%40ops:s3cr%3At@db.example:6543/registry?sslmode=require",
                                            environment: environment)
        #expect(location.user == "deal@ops" && location.password == "s3cr:t" && location.host == "db.example")
        #expect(location.port == 6543 && location.database == "registry" && location.sslMode == .require)
        #expect(location.display == "postgres://deal@ops@db.example:6543/registry")
        #expect(!LedgerLocation.display("postgres://u:hunter2@h/db").contains("hunter2"))
        #expect(!LedgerLocation.display("postgresql://u:hunter2@h:notaport/db").contains("hunter2"))
        let defaults = try PostgresLocation(url: "postgresql:///", environment: ["USER": "ops", "PGPASSWORD": "pw"])
        #expect(defaults.display == "postgres://ops@localhost:5432/ops" && defaults.password == "pw")
        let refused = #expect(throws: LedgerError.self) {
            _ = try PostgresLocation(url: "postgres://u:hunter2@h/db?sslmode=sometimes", environment: environment)
        }
        #expect(refused?.message == "the ledger URL postgres://u@h/db cannot be used: sslmode=sometimes is not one of disable, allow, prefer, require, verify-ca, verify-full")
        #expect(throws: LedgerError.self) { _ = try PostgresLocation(url: "postgres://h/db?search_path=x", environment: environment) }
    }

    @Test func passwordFromAPassFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try "# comment\nother:5432:*:*:nope\ndb.example:*:registry:ops:pa\\:ss\n".write(to: file, atomically: true, encoding: .utf8)
        let location = try PostgresLocation(url: "postgres://ops@db.example/registry", environment: ["PGPASSFILE": file.path])
        #expect(location.password == "pa:ss")
    }

    /// The server down: a clear error that says to try again (exit 75 in the CLI), never the password.
    @Test func serverDownIsATemporaryFailure() throws {
        let refused = #expect(throws: LedgerError.self) {
            _ = try Ledger(path: "postgres://ops:hunter2@127.0.0.1:1/registry?connect_timeout=5", opening: .createIfMissing)
        }
        #expect(refused?.isBusy == true)
        #expect(refused?.message.hasPrefix("postgres://ops@127.0.0.1:1/registry: cannot reach the PostgreSQL server") == true, "\(refused?.message ?? "")")
        #expect(refused?.message.contains("try again") == true)
        #expect(refused?.message.contains("hunter2") == false)
        let lock = #expect(throws: LedgerError.self) { _ = try BatchLock(ledgerPath: "postgres://ops:hunter2@127.0.0.1:1/registry", timeout: 0) }
        #expect(lock?.isBusy == true && lock?.message.contains("hunter2") == false)
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func opsCommandsNeverMakeALedgerAndMigrationsAreRecorded() throws {
        let url = try PostgresTestServer.freshDatabase()
        let missing = #expect(throws: LedgerError.self) { _ = try Ledger(path: url, opening: .existing) }
        #expect(missing?.isUnusableFile == true)
        #expect(missing?.message.hasPrefix("no ledger in postgres://") == true)
        _ = try Ledger(path: url, opening: .createIfMissing)
        _ = try Ledger(path: url, opening: .existing)   // migrating again changes nothing
        let versions = try PostgresTestServer.psql(url, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version")
        #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "1,2,3,4,5,6,7,8,9,10")
        #expect(PostgresMigrations.migrations.map(\.identifier) == Migrations.migrator.migrations)
    }

    /// What the server refuses, said in words: TLS it does not offer, a database that is not there, a login.
    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func refusalsSayWhy() throws {
        let url = try #require(PostgresTestServer.url)
        let tls = #expect(throws: LedgerError.self) { _ = try Ledger(path: url + "?sslmode=require") }
        #expect(tls?.message.hasSuffix(": the server does not offer TLS, but sslmode=require requires it") == true, "\(tls?.message ?? "")")
        let missing = #expect(throws: LedgerError.self) { _ = try Ledger(path: url.replacingOccurrences(of: "/dealreg_test", with: "/no_such_db")) }
        #expect(missing?.isUnusableFile == true && missing?.message.contains("there is no database no_such_db") == true)
        let login = #expect(throws: LedgerError.self) {
            _ = try Ledger(path: url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://nobody:hunter2@"))
        }
        #expect(login?.message.contains("PostgreSQL refused the login of user nobody") == true, "\(login?.message ?? "")")
        #expect(login?.message.contains("hunter2") == false)
    }
}
