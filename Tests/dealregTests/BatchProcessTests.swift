import DealregKit
import DealregTestSupport
import Foundation
import Testing

/// The nightly batch as real processes on a real SQLite file: killed mid-way, and run twice at once.
@Suite("Nightly batch processes", .serialized)
struct BatchProcessTests {
    static let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,contact_name,contact_email\n"

    /// `files` upload files of `rows` rows each; accounts repeat across files so decisions depend on order.
    func makeInbox(_ folder: String, files: Int, rows: Int, seed: UInt64) throws -> Int {
        var rng = SeededGenerator(seed: seed)
        let inbox = folder + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let partners = ["P-NORTHWIND", "P-COASTAL", "P-SAKURA", "P-ALPINE"]
        for file in 0..<files {
            var text = Self.header
            for row in 0..<rows {
                let account = Int.random(in: 0..<(files * rows / 3), using: &rng)
                text += "\(partners.randomElement(using: &rng)!),Account \(account) Systems,account\(account).example,"
                    + "\(1000 + row),2027-03-31,US,Seattle,Pat,pat@account\(account).example\n"
            }
            let path = "\(inbox)/upload-\(String(format: "%02d", file)).csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            // Arrival order follows the file number.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_790_000_000 + Double(file))],
                                                  ofItemAtPath: path)
        }
        return files * rows
    }

    func batchArguments(_ folder: String, wait: Int = 60) -> [String] {
        ["batch", "--inbox", folder + "/inbox", "--archive", folder + "/archive", "--out", folder + "/out",
         "--snapshot", "samples/snapshot.csv", "--partners", "samples/partners.csv", "--ledger", folder + "/ledger.sqlite",
         "--as-of", "2026-11-23", "--wait", String(wait), "--quiet", "--outbox", folder + "/outbox"]
    }

    @Test func killedBatchesLoseNothingAndDecideEveryRowOnce() throws {
        let folder = try freshFolder()
        let total = try makeInbox(folder, files: 12, rows: 300, seed: 11)
        // Kill once before anything is committed, then each time right after more files are.
        for committedFiles in [0, 1, 4, 8] {
            let process = try start(batchArguments(folder))
            if committedFiles == 0 {
                usleep(100_000)
            } else {
                while process.isRunning, (try? Ledger(path: folder + "/ledger.sqlite").processedFileCount()) ?? 0 < committedFiles {
                    usleep(5_000)
                }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(try Ledger(path: folder + "/ledger.sqlite").processedFileCount() < 12, "some files were still to do")
        let final = try dealreg(batchArguments(folder))
        #expect(final.status == 0, "\(final.stderr)")

        let desk = try LedgerDesk(path: folder + "/ledger.sqlite", actor: "test")
        let registrations = try desk.ledger.registrations()
        #expect(registrations.count == total)
        #expect(Set(registrations.map(\.id)).count == total)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/inbox").filter { $0.hasSuffix(".csv") }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/archive").count == 12)
        // The ledger matches the result files, row for row.
        let byFile = Dictionary(grouping: registrations, by: \.sourceFile)
        for number in 0..<12 {
            let stem = "upload-\(String(format: "%02d", number))"
            let rows = try resultRows(folder + "/out/\(stem).results.csv")
            let recorded = (byFile["\(stem).csv"] ?? []).sorted { $0.sourceRow < $1.sourceRow }
            #expect(rows.count == 300 && recorded.count == 300, "\(stem)")
            for (row, registration) in zip(rows, recorded) {
                #expect(row["decision"] == registration.decision && Int(row["row_number"]!) == registration.sourceRow)
            }
        }
        // No account is approved twice.
        let approved = registrations.filter { $0.status == .approved }
        #expect(Set(approved.map(\.nameKey)).count == approved.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out").filter { $0.hasPrefix(".") }.isEmpty)
        // Every email owed is in the outbox once: four partners in each of the 12 files, whenever the kills came.
        let emails = try FileManager.default.contentsOfDirectory(atPath: folder + "/outbox").filter { $0.hasSuffix(".eml") }
        #expect(emails.count == 48, "\(emails.count) emails")
        #expect(try desk.ledger.undeliveredEmails().isEmpty)
        for number in 0..<12 {
            #expect(emails.filter { $0.contains("-upload-\(String(format: "%02d", number))-") }.count == 4)
        }
        // Issue 12: the result files are those of one uninterrupted batch, byte for byte (the rows
        // after a stop are matched, fitted and counted as a run without the stop would do them).
        let clean = try freshFolder()
        _ = try makeInbox(clean, files: 12, rows: 300, seed: 11)
        let uninterrupted = try dealreg(batchArguments(clean))
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: clean + "/out").filter { $0.hasSuffix(".csv") }.sorted()
        #expect(written.count >= 12 * 2 + 3, "\(written)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out").filter { $0.hasSuffix(".csv") }.sorted() == written)
        for name in written {
            let resumed = try String(contentsOfFile: folder + "/out/" + name, encoding: .utf8).split(whereSeparator: \.isNewline)
            let once = try String(contentsOfFile: clean + "/out/" + name, encoding: .utf8).split(whereSeparator: \.isNewline)
            // The first line that differs, not the whole files (a collection diff of them takes minutes).
            let first = zip(resumed, once).first { $0 != $1 }.map { "\($0.0)\n  vs \($0.1)" }
            #expect(resumed.count == once.count && first == nil, "\(name) differs from an uninterrupted batch's: \(first ?? "row count")")
        }
    }

    @Test func twoBatchesAtOnceNeverApproveAnAccountTwice() throws {
        let first = try freshFolder(), second = try freshFolder()
        let ledger = first + "/shared.sqlite"
        for (folder, partner) in [(first, "P-NORTHWIND"), (second, "P-COASTAL")] {
            try FileManager.default.createDirectory(atPath: folder + "/inbox", withIntermediateDirectories: true)
            try (Self.header + "\(partner),Contested Robotics,contested.example,5000,2027-03-31,US,Seattle,Pat,pat@contested.example\n")
                .write(toFile: folder + "/inbox/claim.csv", atomically: true, encoding: .utf8)
        }
        func arguments(_ folder: String) -> [String] {
            var arguments = batchArguments(folder)
            arguments[arguments.firstIndex(of: "--ledger")! + 1] = ledger
            return arguments
        }
        let a = try start(arguments(first)), b = try start(arguments(second))
        a.waitUntilExit()
        b.waitUntilExit()
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
        let registrations = try LedgerDesk(path: ledger, actor: "test").ledger.registrations()
        #expect(registrations.count == 2)
        #expect(registrations.filter { $0.status == .approved }.count == 1)
    }

    @Test func aHeldLedgerIsReportedNotWaitedOnForever() throws {
        let folder = try freshFolder()
        _ = try makeInbox(folder, files: 1, rows: 3, seed: 1)
        let lock = try BatchLock(ledgerPath: folder + "/ledger.sqlite", timeout: 0)
        let result = try dealreg(batchArguments(folder, wait: 0))
        #expect(result.status == 75)
        // Issue 15: batch's lines carry an ISO-8601 timestamp and a level.
        #expect(result.stderr.firstMatch(of: #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ error dealreg: /#) != nil, "\(result.stderr)")
        #expect(result.stderr.contains(" error dealreg: \(folder)/ledger.sqlite: another batch is running on this ledger (pid \(getpid())"))
        withExtendedLifetime(lock) {}
    }

    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func resultRows(_ path: String) throws -> [[String: String]] {
        let reader = try TableReader(path: path, schema: Schemas.upload)
        var rows: [[String: String]] = []
        while let row = try reader.next() { rows.append(Dictionary(zip(reader.header, row.fields), uniquingKeysWith: { a, _ in a })) }
        return rows
    }
}
