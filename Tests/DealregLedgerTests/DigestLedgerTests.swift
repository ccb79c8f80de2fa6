@testable import DealregLedger
import DealregPolicy
import Foundation
import Testing

/// Issue 14: the ledger's digest table and queries, on every backend.
@Suite("Ledger digests")
struct DigestLedgerTests {
    @Test(arguments: Backend.available) func oncePerAudienceRecipientAndPeriod(_ backend: Backend) throws {
        let ledger = try freshLedger(backend)
        var reviewed = registration("R2", .rejected, row: 2)
        reviewed.decidedOn = "2026-11-02"
        reviewed.reviewedOn = "2026-11-20"
        var old = registration("R3", .approved, expires: "2026-11-22", row: 3)
        old.decidedOn = "2026-08-01"
        let rows = [registration("R1", .approved, row: 1), reviewed, old, registration("R4", .approved, partner: "P-B", row: 4)]
        try ledger.record(file: file(rows: rows.count), registrations: rows, audits: [])

        let asOf = Day(iso: "2026-11-23")!
        #expect(try ledger.activeRegistrations(asOf: asOf).map(\.id) == ["R1", "R4"])            // R3 expired the day before
        #expect(try ledger.decisions(in: asOf.adding(days: -6)...asOf).map(\.id) == ["R2", "R1", "R4"])   // R2: reviewed that week
        #expect(try ledger.decisions(in: asOf.adding(days: -6)...asOf, partner: "P-B").map(\.id) == ["R4"])

        let digest = DigestRecord(audience: .partners, recipient: "P-A", period: "2026-W48", name: "digest-P-A.eml",
                                  bytes: Data("message".utf8), createdAt: "2026-11-23T07:00:00Z")
        #expect(try ledger.recordDigest(digest))
        #expect(try !ledger.recordDigest(digest))                                                   // once per period
        var other = digest
        other.audience = .team
        other.name = "digest-team.eml"
        #expect(try ledger.recordDigest(other))                                                     // another audience
        #expect(try ledger.digestRecipients(audience: .partners, period: "2026-W48") == ["P-A"])
        #expect(try ledger.digestRecipients(audience: .partners, period: "2026-W49").isEmpty)
        #expect(try ledger.undeliveredDigests().map(\.name) == ["digest-P-A.eml", "digest-team.eml"])
        try ledger.markDelivered(digest)
        #expect(try ledger.undeliveredDigests().map(\.name) == ["digest-team.eml"])
        #expect(try ledger.rowCounts()["digest"] == 2)
    }
}
