import DealregKit
import DealregTestSupport
import Foundation
import Testing

/// Issue 17: batches on several machines share one PostgreSQL ledger. Real processes, a real server.
@Suite("Nightly batch processes on PostgreSQL", .serialized)
struct PostgresProcessTests {
    static let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,state,city,contact_name,contact_email\n"

    private func batch(_ folder: String, ledger: String, wait: Int = 60, snapshot: String = "samples/snapshot.csv",
                       partners: String = "samples/partners.csv") -> [String] {
        ["batch", "--inbox", folder + "/inbox", "--archive", folder + "/archive", "--out", folder + "/out",
         "--snapshot", snapshot, "--partners", partners, "--ledger", ledger,
         "--as-of", "2026-11-23", "--wait", String(wait), "--quiet"]
    }

    /// Two partners of the same territory without a cap, and a snapshot of two deals elsewhere:
    /// only the two batches' own claims decide (and each process starts fast).
    private func world() throws -> (snapshot: String, partners: String) {
        let folder = try freshFolder()
        let snapshot = try String(contentsOf: repositoryRoot.appendingPathComponent("samples/snapshot.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).prefix(3).joined(separator: "\n") + "\n"
        try snapshot.write(toFile: folder + "/snapshot.csv", atomically: true, encoding: .utf8)
        try """
            partner_id,name,tier,territories,email,max_active
            P-EAST,East Region Partners,gold,US,deals@east.example,
            P-WEST,West Region Partners,gold,US,deals@west.example,

            """.write(toFile: folder + "/partners.csv", atomically: true, encoding: .utf8)
        return (folder + "/snapshot.csv", folder + "/partners.csv")
    }

    private func inbox(_ folder: String, partner: String, accounts: Range<Int>) throws {
        try FileManager.default.createDirectory(atPath: folder + "/inbox", withIntermediateDirectories: true)
        var text = Self.header
        for account in accounts {
            text += "\(partner),Contested Account \(account) Robotics,contested\(account).example,5000,2027-03-31,US,WA,Seattle,Pat,pat@contested\(account).example\n"
        }
        try text.write(toFile: folder + "/inbox/claims.csv", atomically: true, encoding: .utf8)
    }

    private func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        return (process, errors)
    }

    /// Two batches at once, two inboxes with overlapping accounts, one PostgreSQL ledger, 20 times:
    /// every account is approved at most once, and the later claim is declined naming the earlier.
    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func twoBatchesOnOneDatabaseNeverApproveAnAccountTwice() throws {
        var firstWinners = 0
        let (snapshot, partners) = try world()
        for round in 1...20 {
            let ledger = try PostgresTestServer.freshDatabase()
            let first = try freshFolder(), second = try freshFolder()
            try inbox(first, partner: "P-EAST", accounts: 0..<8)
            try inbox(second, partner: "P-WEST", accounts: 4..<12)
            let a = try start(batch(first, ledger: ledger, snapshot: snapshot, partners: partners))
            let b = try start(batch(second, ledger: ledger, snapshot: snapshot, partners: partners))
            let errorsA = a.1.fileHandleForReading.readDataToEndOfFile(), errorsB = b.1.fileHandleForReading.readDataToEndOfFile()
            a.0.waitUntilExit()
            b.0.waitUntilExit()
            #expect(a.0.terminationStatus == 0 && b.0.terminationStatus == 0,
                    "round \(round): \(String(decoding: errorsA + errorsB, as: UTF8.self))")
            let registrations = try LedgerDesk(path: ledger, actor: "test").ledger.registrations()
            #expect(registrations.count == 16, "round \(round)")
            let approved = registrations.filter { $0.status == .approved }
            #expect(Set(approved.map(\.nameKey)).count == approved.count, "round \(round): an account approved twice")
            for account in 4..<8 {
                let claims = registrations.filter { $0.accountName == "Contested Account \(account) Robotics" }
                let winner = claims.filter { $0.status == .approved }
                #expect(claims.count == 2 && winner.count == 1, "round \(round), account \(account)")
                if let winner = winner.first, let loser = claims.first(where: { $0.id != winner.id }) {
                    #expect(loser.decision == "declined" && loser.matchedRecord == winner.id, "round \(round), account \(account): \(loser.reasonCodes)")
                    if account == 4, winner.partnerID == "P-EAST" { firstWinners += 1 }
                }
            }
        }
        print("PostgreSQL concurrency: 20 rounds, the first-started batch won \(firstWinners) of them, no account approved twice")
    }

    /// The server down: exit 75 with a retry hint, the password never printed.
    @Test func serverDownExitsWithTryAgain() throws {
        let folder = try freshFolder()
        try inbox(folder, partner: "P-NORTHWIND", accounts: 0..<2)
        let result = try dealreg(batch(folder, ledger: "postgres://ops:hunter2@127.0.0.1:1/registry", wait: 0))
        #expect(result.status == 75, "\(result.stderr)")
        // batch's log lines begin with a timestamp and a level (issue 15).
        #expect(result.stderr.contains(" error dealreg: postgres://ops@127.0.0.1:1/registry: cannot reach the PostgreSQL server ("), "\(result.stderr)")
        #expect(result.stderr.contains("try again") && !result.stderr.contains("hunter2"))
        let status = try dealreg(["status", "--ledger", "postgres://ops:hunter2@127.0.0.1:1/registry"])
        #expect(status.status == 75 && !status.stderr.contains("hunter2"), "\(status.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/inbox") == ["claims.csv"])
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func aHeldLedgerIsReportedWithItsHolder() throws {
        let ledger = try PostgresTestServer.freshDatabase()
        let folder = try freshFolder()
        try inbox(folder, partner: "P-NORTHWIND", accounts: 0..<2)
        let lock = try BatchLock(ledgerPath: ledger, timeout: 0)
        let result = try dealreg(batch(folder, ledger: ledger, wait: 0))
        #expect(result.status == 75)
        #expect(result.stderr.contains(": another batch is running on this ledger (dealreg batch, pid \(getpid()) on "), "\(result.stderr)")
        withExtendedLifetime(lock) {}
        // migrate, then status on the same database; status on a database without a ledger exits 66.
        #expect(try dealreg(["migrate", "--ledger", ledger]).stdout.contains("schema at v10 (10 migrations applied)"))
        let empty = try PostgresTestServer.freshDatabase()
        let status = try dealreg(["status", "--ledger", empty])
        #expect(status.status == 66 && status.stderr.contains("no ledger in postgres://"), "\(status.stderr)")
    }

    /// Faults on PostgreSQL: a batch killed with -9 mid-way, then one whose connections the server
    /// drops mid-way (exit 75, "try again"); the rerun decides every row once and delivers every email once.
    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func killedAndDisconnectedBatchesDecideEveryRowOnce() throws {
        let ledger = try PostgresTestServer.freshDatabase()
        let folder = try freshFolder()
        let total = try BatchProcessTests().makeInbox(folder, files: 8, rows: 150, seed: 17)
        let arguments = batch(folder, ledger: ledger) + ["--outbox", folder + "/outbox"]
        let watcher = try Ledger(path: ledger, opening: .createIfMissing)
        func committed() -> Int { (try? watcher.processedFileCount()) ?? 0 }
        func waitFor(_ files: Int, _ process: Process) { while process.isRunning && committed() < files { usleep(20_000) } }

        let killed = try start(arguments)
        waitFor(1, killed.0)
        kill(killed.0.processIdentifier, SIGKILL)
        killed.0.waitUntilExit()

        let dropped = try start(arguments)
        waitFor(committed() + 2, dropped.0)
        try PostgresTestServer.psql(ledger, """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name LIKE 'dealreg%' AND application_name <> 'dealreg pid \(getpid())'
            """)
        let stderr = String(decoding: dropped.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        dropped.0.waitUntilExit()
        print("PostgreSQL faults: the batch whose connections were dropped exited \(dropped.0.terminationStatus): \(stderr)")
        if dropped.0.terminationStatus != 0 {   // (0 only if it had just finished)
            #expect(dropped.0.terminationStatus == 75, "\(stderr)")
            #expect(stderr.contains("try again") || stderr.contains("run the batch again"), "\(stderr)")
        }
        #expect(committed() < 8, "some files were still to do")

        let final = try dealreg(arguments)
        #expect(final.status == 0, "\(final.stderr)")
        let desk = try LedgerDesk(path: ledger, actor: "test")
        let registrations = try desk.ledger.registrations()
        #expect(registrations.count == total && Set(registrations.map(\.id)).count == total)
        #expect(try desk.ledger.processedFileCount() == 8)
        let approved = registrations.filter { $0.status == .approved }
        #expect(Set(approved.map(\.nameKey)).count == approved.count)
        let emails = try FileManager.default.contentsOfDirectory(atPath: folder + "/outbox").filter { $0.hasSuffix(".eml") }
        #expect(emails.count == 32, "\(emails.count) emails")
        #expect(try desk.ledger.undeliveredEmails().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/archive").count == 8)
    }
}
