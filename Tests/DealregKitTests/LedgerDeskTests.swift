@testable import DealregKit
import DealregLedger
import DealregPolicy
import Testing

/// The ops view's submission-date filter and order (`dealreg status --submitted-from/--submitted-to`).
@Suite("Registration desk: submission dates")
struct LedgerDeskTests {
    /// A registration submitted at `submittedAt` (seconds since 1970, as the ledger keeps it) or, without one, received on `decidedOn`.
    private func registration(_ id: String, submittedAt: Int?, decidedOn: String = "2026-11-23") -> LedgerRegistration {
        LedgerRegistration(id: id, partnerID: "P-A", accountName: "Account \(id)", accountDomain: nil, contactEmail: nil,
                           country: "US", city: nil, postalCode: nil, phone: nil, nameKey: "account\(id.lowercased())",
                           status: .approved, decision: "approved", reasonCodes: "registered", reason: "r", matchScore: nil,
                           matchedRecord: nil, dealValue: 1000, currency: "USD", submittedAt: submittedAt.map { String($0) },
                           decidedOn: decidedOn, expiresOn: "2027-02-21", sourceFile: "f.csv", sourceRow: 1, fileSHA256: "f1",
                           policyVersion: "v1")
    }

    // 2026-11-20T23:59:59Z, 2026-11-21T00:00:00Z, 2026-11-21T12:00:00Z; none (received 2026-11-22); 1969-12-31T23:00:00Z.
    private var rows: [LedgerRegistration] {
        [registration("REG-C", submittedAt: 1_795_219_200 + 43_200), registration("REG-A", submittedAt: 1_795_219_199),
         registration("REG-D", submittedAt: nil, decidedOn: "2026-11-22"), registration("REG-B", submittedAt: 1_795_219_200),
         registration("REG-E", submittedAt: -3_600)]
    }

    @Test(arguments: [
        ("2026-11-21", "2026-11-21", ["REG-B", "REG-C"]),          // both ends of one day, by the UTC day of the timestamp
        ("2026-11-20", nil, ["REG-A", "REG-B", "REG-C", "REG-D"]), // open end
        (nil, "2026-11-20", ["REG-E", "REG-A"]),                   // before 1970 counts by its own day
        ("2026-11-22", "2026-11-22", ["REG-D"]),                   // no submitted_at: the day it was received
        ("2026-11-24", nil, []),
    ] as [(String?, String?, [String])])
    func submittedWithin(_ from: String?, _ to: String?, _ expected: [String]) {
        let shown = LedgerDesk.submitted(rows, from: from.flatMap(Day.init(iso:)), to: to.flatMap(Day.init(iso:)))
        #expect(LedgerDesk.sorted(shown, by: .submitted).map(\.id) == expected)
    }

    @Test func submittedDayReadsTheLedgersSeconds() {
        #expect(LedgerDesk.submittedDay(registration("R", submittedAt: 1_795_219_199)) == "2026-11-20")
        #expect(LedgerDesk.submittedDay(registration("R", submittedAt: nil, decidedOn: "2026-11-22")) == "2026-11-22")
        #expect(LedgerDesk.submittedDay(registration("R", submittedAt: -1)) == "1969-12-31")
    }
}
