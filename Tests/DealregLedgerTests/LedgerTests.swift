import DealregLedger
import DealregPolicy
import Foundation
import GRDB
import Testing

func freshLedger() throws -> Ledger {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return try Ledger(path: folder.appendingPathComponent("ledger.sqlite").path, opening: .createIfMissing)
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
    private func seeded() throws -> Ledger {
        let ledger = try freshLedger()
        let rows = [registration("R1", .approved, row: 1), registration("R2", .underReview, row: 2),
                    registration("R3", .approved, expires: "2026-12-01", row: 3), registration("R4", .returned, row: 4)]
        try ledger.record(file: file(rows: 4), registrations: rows, audits: rows.map {
            AuditEntry(registrationID: $0.id, at: "t", actor: "batch", action: "decide", fromStatus: nil, toStatus: $0.status)
        })
        return ledger
    }

    @Test func recordsAFileAllOrNothing() throws {
        let ledger = try seeded()
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

    @Test func extendUpToTheLimit() throws {
        let ledger = try seeded()
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

    @Test func expireWithdrawAndReview() throws {
        let ledger = try seeded()
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

    @Test func auditLogIsAppendOnly() throws {
        let ledger = try seeded()
        let queue = try DatabaseQueue(path: ledger.path)
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE audit SET actor = 'x'") } }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM audit") } }
        #expect(throws: (any Error).self) {   // the schema refuses unknown statuses
            try queue.write { try $0.execute(sql: "UPDATE registration SET status = 'lost' WHERE id = 'R1'") }
        }
    }

    @Test func statusFilters() throws {
        let ledger = try seeded()
        #expect(try ledger.registrations(status: .approved).map(\.id) == ["R1", "R3"])
        #expect(try ledger.registrations(partner: "p-a", account: "r2").map(\.id) == ["R2"])
        #expect(try ledger.registrations(expiring: Day(iso: "2026-11-01")!...Day(iso: "2026-12-31")!).map(\.id) == ["R3"])
        // Issue 13: a registration already past its expiry is not "expiring within".
        #expect(try ledger.registrations(expiring: Day(iso: "2026-12-02")!...Day(iso: "2027-01-31")!).isEmpty)
    }

    @Test func batchLockExcludesASecondHolder() throws {
        let ledger = try freshLedger()
        let first = try BatchLock(ledgerPath: ledger.path, timeout: 0)
        #expect(throws: LedgerError.self) { _ = try BatchLock(ledgerPath: ledger.path, timeout: 0.2) }
        withExtendedLifetime(first) {}
    }
}
