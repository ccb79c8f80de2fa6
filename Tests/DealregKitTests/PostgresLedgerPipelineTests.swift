import DealregKit
import DealregTestSupport
import Foundation
import Testing

/// Issue 17: the same inputs give the same result files, summary, emails and ledger on
/// PostgreSQL as on SQLite.
@Suite("PostgreSQL ledger in the pipeline",
       .enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
struct PostgresLedgerPipelineTests {
    private static let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,contact_name,contact_email\n"

    /// Every file under `folder`, by relative path, with its bytes.
    private func files(_ folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return found }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            found[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
        }
        return found
    }

    /// Runs `uploads` on `asOf` with the ledger, into `folder/name` (results and outbox).
    private func run(_ uploads: [String], ledger: String, folder: URL, name: String, asOf: String) throws -> BatchSummary {
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: Day(iso: asOf)!,
                                             outputDirectory: folder.appendingPathComponent(name + "/out").path,
                                             uploads: uploads, ledgerPath: ledger)
        configuration.actor = "test"
        configuration.outbox = folder.appendingPathComponent(name + "/outbox").path
        return try BatchRunner(configuration: configuration).run()
    }

    /// A result file's text, but for what depends on the wall clock on either backend: re-emitted
    /// files name the second they were first processed, and the summary lists the emails delivered
    /// oldest file first, by that second (files processed in one second: by content).
    private func canonical(_ name: String, _ data: Data?) -> String {
        guard let data else { return "" }
        // An email is dated when it is written (issue 15): the moment differs between the two runs.
        let text = String(decoding: data, as: UTF8.self).replacing(/processed [0-9T:-]+Z/, with: "processed …")
            .replacing(/(?m)^Date: [^\r\n]*/, with: "Date: …")
        guard name.hasSuffix("summary.json"),
              var summary = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return text }
        if let messages = summary["messages"] as? [String] { summary["messages"] = messages.sorted() }
        guard let sorted = try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted]) else { return text }
        return String(decoding: sorted, as: UTF8.self)
    }

    @Test func sameResultsAsSQLite() throws {
        let folder = try temporaryDirectory()
        let tuesday = folder.appendingPathComponent("tuesday.csv")
        try write(Self.header
            + "P-COASTAL,Lamna Healthcare,lamnahealthcare.com,45000,2027-04-30,US,Seattle,Bo,bo@lamnahealthcare.com\n"
            + "P-NORTHWIND,Brand New Analytics,brandnew.example,9000,2027-04-30,US,Denver,Cy,cy@brandnew.example\n", to: tuesday)
        let ledgers = ["sqlite": folder.appendingPathComponent("ledger.sqlite").path,
                       "postgres": try PostgresTestServer.freshDatabase()]
        for (backend, ledger) in ledgers {
            _ = try run(sampleUploads, ledger: ledger, folder: folder, name: "\(backend)-1", asOf: "2026-11-23")
            // The same files again: re-emitted from the ledger, not decided again.
            _ = try run(sampleUploads, ledger: ledger, folder: folder, name: "\(backend)-2", asOf: "2026-11-23")
            // The next day: the ledger's approvals block duplicates.
            _ = try run([tuesday.path], ledger: ledger, folder: folder, name: "\(backend)-3", asOf: "2026-11-24")
        }
        for step in 1...3 {
            let sqlite = try files(folder.appendingPathComponent("sqlite-\(step)"))
            let postgres = try files(folder.appendingPathComponent("postgres-\(step)"))
            #expect(sqlite.count > 3, "step \(step) wrote \(sqlite.count) files")
            #expect(sqlite.keys.sorted() == postgres.keys.sorted(), "step \(step)")
            for (name, bytes) in sqlite {
                let (left, right) = (canonical(name, bytes), canonical(name, postgres[name]))
                let firstDifference = zip(left.split(separator: "\n"), right.split(separator: "\n")).first { $0 != $1 }
                #expect(left == right, "step \(step): \(name) differs: \(firstDifference.map { "\($0) | \($1)" } ?? "in length")")
            }
        }
        let third = try readResults(folder.appendingPathComponent("postgres-3/out/tuesday.results.csv"))
        #expect(third.count == 2 && third[0]["decision"] == "declined", "\(third)")

        // The ledgers hold the same registrations and the same history (but for the moment written).
        let sqlite = try LedgerDesk(path: ledgers["sqlite"]!, actor: "test").ledger
        let postgres = try LedgerDesk(path: ledgers["postgres"]!, actor: "test").ledger
        let registrations = try sqlite.registrations()
        #expect(registrations.count > 10)
        #expect(try postgres.registrations() == registrations)
        for registration in registrations {
            let strip = { (entries: [AuditEntry]) in entries.map { entry -> AuditEntry in var copy = entry; copy.at = ""; return copy } }
            #expect(strip(try postgres.audit(id: registration.id)) == strip(try sqlite.audit(id: registration.id)))
        }
        #expect(try postgres.processedFileCount() == sqlite.processedFileCount())
        #expect(try postgres.undeliveredEmails().isEmpty && sqlite.undeliveredEmails().isEmpty)
    }

    /// copy-ledger moves a SQLite ledger into PostgreSQL without loss, and the copy goes on where the original left off.
    @Test func copyLedgerMovesTheSampleLedger() throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("ledger.sqlite").path
        _ = try run(sampleUploads, ledger: file, folder: folder, name: "first", asOf: "2026-11-23")
        let target = try PostgresTestServer.freshDatabase()
        let lines = try LedgerMaintenance.copy(from: file, to: target)
        #expect(lines.first?.hasPrefix("copied \(file) into postgres://") == true)
        let source = try LedgerDesk(path: file, actor: "test").ledger, copy = try LedgerDesk(path: target, actor: "test").ledger
        #expect(try copy.rowCounts() == source.rowCounts())
        #expect(try copy.registrations() == source.registrations())
        // A second copy into the same ledger is refused: it is not empty.
        #expect(throws: InputError.self) { _ = try LedgerMaintenance.copy(from: file, to: target) }
        // The copy re-emits the sample files byte for byte, and numbers new audit entries on.
        _ = try run(sampleUploads, ledger: file, folder: folder, name: "again-sqlite", asOf: "2026-11-23")
        _ = try run(sampleUploads, ledger: target, folder: folder, name: "again-postgres", asOf: "2026-11-23")
        let again = try files(folder.appendingPathComponent("again-sqlite")), againCopy = try files(folder.appendingPathComponent("again-postgres"))
        #expect(again.keys.sorted() == againCopy.keys.sorted())
        for (name, bytes) in again where !name.hasSuffix("summary.json") {   // the summary names the moment of processing
            #expect(againCopy[name] == bytes, "\(name) differs")
        }
        let approved = try #require(try copy.registrations(status: .approved).first)
        _ = try copy.withdraw(id: approved.id, actor: "test", note: nil)
        #expect(try copy.audit(id: approved.id).last?.action == "withdraw")
    }
}
