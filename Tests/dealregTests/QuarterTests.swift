import DealregTestSupport
import Foundation
import Testing

/// The ledgers a scripted quarter runs on: SQLite always, PostgreSQL when a test server is given.
enum QuarterBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    static var available: [QuarterBackend] { PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }
    var testDescription: String { rawValue }

    func ledger(in folder: String) throws -> String {
        switch self {
        case .sqlite: return folder + "/ledger.sqlite"
        case .postgres: return try PostgresTestServer.freshDatabase()
        }
    }
}

/// Issue 13: a quarter of the registration desk as ops would script it — nightly batches, the
/// review queue (assign, reject, reopen, return, approve), extend, withdraw, a won deal on a
/// night without uploads, expiry — each status change one email in the outbox, none twice.
@Suite("A scripted quarter")
struct QuarterTests {
    private func emails(_ outbox: String) throws -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
    }

    private func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test(arguments: QuarterBackend.available) func everyStatusChangeIsOneEmailAndNoneTwice(_ backend: QuarterBackend) throws {
        let folder = try freshFolder()
        let ledger = try backend.ledger(in: folder), outbox = folder + "/outbox"
        let inbox = folder + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        for file in sampleFiles { try FileManager.default.copyItem(atPath: repositoryRoot.path + "/" + file, toPath: inbox + "/" + URL(fileURLWithPath: file).lastPathComponent) }
        func batch(_ asOf: String, snapshot: String = "samples/snapshot.csv") throws -> CommandResult {
            try dealreg(["batch", "--inbox", inbox, "--archive", folder + "/archive", "--out", folder + "/out-\(asOf)",
                         "--snapshot", snapshot, "--partners", "samples/partners.csv", "--policy", "samples/policy.yaml",
                         "--ledger", ledger, "--as-of", asOf, "--outbox", outbox])
        }
        let mail = ["--ledger", ledger, "--outbox", outbox, "--partners", "samples/partners.csv", "--policy", "samples/policy.yaml"]
        var expected: [String: Int] = [:]   // status emails by event, as the quarter goes

        // Week 1: the night's batch decides the samples; results emails only.
        let first = try batch("2026-11-23")
        #expect(first.status == 0, "\(first.stderr)")
        let resultsEmails = try emails(outbox)
        #expect(!resultsEmails.isEmpty)

        // The queue: one item, assigned to an owner, with the automatic decision beside it.
        let queue = csvRows(try dealreg(["review", "list", "--ledger", ledger, "--format", "csv", "--as-of", "2026-11-23"]).stdout)
        #expect(Array(queue[0].prefix(4)) == ["age_days", "overdue", "id", "owner"], "\(queue[0])")
        #expect(queue[0].contains("auto_decision") && queue[0].contains("auto_rule"))
        #expect(queue.count == 2, "\(queue)")
        let reviewed = queue[1][2]
        #expect(queue[1][queue[0].firstIndex(of: "auto_decision")!] == "needs_review")
        let assign = try dealreg(["review", "assign", reviewed, "--ledger", ledger, "--owner", "dana"])
        #expect(assign.status == 0 && assign.stdout.contains("owned by dana"), "\(assign.stderr)")
        let mine = csvRows(try dealreg(["review", "list", "--ledger", ledger, "--format", "csv", "--owner", "DANA"]).stdout)
        #expect(mine.count == 2 && mine[1][3] == "dana", "\(mine)")
        #expect(csvRows(try dealreg(["review", "list", "--ledger", ledger, "--format", "csv", "--owner", "lee"]).stdout).count == 1)
        #expect(try emails(outbox) == resultsEmails, "an assignment is not the partner's business")

        // Rejected, reopened on appeal, returned for information, reopened again, approved.
        func desk(_ arguments: [String]) throws {
            let result = try dealreg(arguments + mail)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        try desk(["review", "reject", reviewed, "--note", "We could not confirm the customer's website."])
        expected["rejected", default: 0] += 1
        let notRejectedTwice = try dealreg(["review", "reject", reviewed, "--note", "again"] + mail)
        #expect(notRejectedTwice.status == 1 && notRejectedTwice.stderr.contains("is rejected, not under review"), "\(notRejectedTwice.stderr)")
        try desk(["review", "reopen", reviewed, "--note", "The partner sent the website on appeal."])
        expected["reopened", default: 0] += 1
        try desk(["review", "return", reviewed, "--note", "Add the customer's postal code."])
        expected["returned", default: 0] += 1
        try desk(["review", "reopen", reviewed, "--note", "Postal code received by email."])
        expected["reopened", default: 0] += 1
        try desk(["review", "approve", reviewed, "--note", "Website and postal code confirmed.", "--as-of", "2026-11-25",
                  "--snapshot", "samples/snapshot.csv"])
        expected["approved", default: 0] += 1
        let audit = try dealreg(["audit", reviewed, "--ledger", ledger, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let decisions = try #require(document["registration"] as? [String: Any])
        #expect(decisions["auto_decision"] as? String == "needs_review" && decisions["human_decision"] as? String == "approved")
        #expect(decisions["override"] as? Bool == true && decisions["owner"] as? String == "dana", "\(decisions)")
        let history = try #require(document["history"] as? [[String: Any]]).compactMap { $0["action"] as? String }
        #expect(history == ["decide", "review.assign", "review.reject", "review.reopen", "review.return", "review.reopen", "review.approve"])

        // Extend one approval, withdraw another.
        let approved = csvRows(try dealreg(["status", "--ledger", ledger, "--status", "approved", "--format", "csv"]).stdout)
            .dropFirst().filter { $0[1] == "P-NORTHWIND" && $0[0] != reviewed }.map { $0[0] }
        #expect(approved.count >= 3, "\(approved)")
        try desk(["extend", approved[0], "--note", "deal slipped a month"])
        expected["extended", default: 0] += 1
        try desk(["withdraw", approved[1], "--note", "partner asked"])
        expected["withdrawn", default: 0] += 1

        // A night without uploads: the CRM shows approved[2]'s deal won by Northwind.
        let won = try #require(try JSONSerialization.jsonObject(with: Data(try dealreg(
            ["status", "--ledger", ledger, "--format", "json"]).stdout.utf8)) as? [[String: Any]]).first { $0["id"] as? String == approved[2] }
        let wonRow = "D-99999,\(won?["account_name"] as? String ?? ""),partner,won,\(won?["account_domain"] as? String ?? ""),"
            + "\(won?["city"] as? String ?? ""),\(won?["country"] as? String ?? ""),,P-NORTHWIND,2026-12-01,,40000,,,\n"
        let snapshot = folder + "/snapshot-december.csv"
        try (try String(contentsOfFile: repositoryRoot.path + "/samples/snapshot.csv", encoding: .utf8) + wonRow)
            .write(toFile: snapshot, atomically: true, encoding: .utf8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox).filter { $0.hasSuffix(".csv") }.isEmpty)
        let quiet = try batch("2026-12-15", snapshot: snapshot)
        #expect(quiet.status == 0 && quiet.stdout.contains("closed as won: 1 registration(s): \(approved[2])"), "\(quiet.stdout)\(quiet.stderr)")
        expected["closed-won", default: 0] += 1
        #expect(try dealreg(["status", "--ledger", ledger, "--status", "closed_won", "--format", "csv"]).stdout.contains(approved[2]))

        // The quarter ends: every approval past its expiry expires, the extended one later.
        let expire = try dealreg(["expire", "--as-of", "2027-03-01"] + mail)
        #expect(expire.status == 0, "\(expire.stderr)")
        let expiredCount = try #require(Int(expire.stdout.split(separator: " ")[1]))
        #expect(expiredCount >= 1)
        expected["expired", default: 0] += expiredCount

        // Exactly one email per change, each from its own template, none twice on rerun.
        let statusEmails = try emails(outbox).filter { !resultsEmails.contains($0) }
        var counted: [String: Int] = [:]
        for name in statusEmails {
            let event = try #require(["closed-won", "approved", "rejected", "returned", "reopened", "expired", "extended", "withdrawn"]
                .first { name.hasPrefix($0 + "-") }, "\(name)")
            counted[event, default: 0] += 1
        }
        #expect(counted == expected, "\(statusEmails)")
        let parsed = try parseMail(statusEmails.map { outbox + "/" + $0 })
        #expect(parsed.allSatisfy { $0.defects.isEmpty && $0.html != nil && $0.to.contains("@") })
        func text(_ event: String) -> [String] {
            zip(statusEmails, parsed).filter { $0.0.hasPrefix(event + "-") }.map { $0.1.text ?? "" }
        }
        #expect(text("rejected").first?.contains("The reviewer's reason: We could not confirm the customer's website.") == true)
        #expect(text("rejected").first?.contains("can reopen the registration on appeal") == true)
        #expect(text("returned").first?.contains("What we need: Add the customer's postal code.") == true)
        #expect(text("reopened").allSatisfy { $0.contains("is being reviewed again") } && text("reopened").count == 2)
        #expect(text("approved").first?.contains("has been reviewed and approved") == true)
        #expect(text("extended").first?.contains("extension 1 of 2") == true)
        #expect(text("extended").first?.contains("deal slipped") == false, "an audit note is not the partner's")
        #expect(text("withdrawn").first?.contains("no longer registered to you") == true)
        #expect(text("closed-won").first?.contains("recorded as won") == true)
        #expect(text("closed-won").first?.contains("D-99999") == false, "the CRM's deal id is internal")
        #expect(text("expired").allSatisfy { $0.contains("you can register the account again from") })
        #expect(Set(parsed.map(\.subject)).count >= 6, "each event has its own subject word")

        let before = try emails(outbox)
        #expect(try dealreg(["expire", "--as-of", "2027-03-02"] + mail).status == 0)
        #expect(try batch("2026-12-16", snapshot: snapshot).status == 0)
        #expect(try emails(outbox) == before, "nothing is owed twice")

        // Issue 14: the program report's numbers are the ledger's, counted straight from status.
        let all = try #require(try JSONSerialization.jsonObject(with: Data(try dealreg(
            ["status", "--ledger", ledger, "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        let report = try dealreg(["report", "--ledger", ledger, "--format", "json", "--as-of", "2027-03-02"])
        #expect(report.status == 0, "\(report.stderr)")
        let program = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let overall = try #require(program["overall"] as? [String: Any])
        #expect(overall["registrations"] as? Int == all.count)
        var byDecision: [String: Int] = [:]
        for row in all { byDecision[row["decision"] as? String ?? "", default: 0] += 1 }
        #expect(overall["by_decision"] as? [String: Int] == byDecision)
        #expect(overall["closed_won"] as? Int == all.count { $0["status"] as? String == "closed_won" })
        #expect(overall["reviewed"] as? Int == all.count { $0["human_decision"] is String })
        #expect((program["queue"] as? [String: Any])?["open"] as? Int == all.count { $0["status"] as? String == "under_review" })
        #expect(overall["overridden"] as? Int == 0, "the reviewed row was sent to review, not decided: no override")
        let partners = try #require(program["partners"] as? [[String: Any]])
        #expect(partners.compactMap { $0["partner_id"] as? String } == Set(all.compactMap { $0["partner_id"] as? String }).sorted())
        let week = try dealreg(["report", "--ledger", ledger, "--format", "json", "--from", "2026-11-23", "--to", "2026-11-23"])
        let firstNight = try #require(try JSONSerialization.jsonObject(with: Data(week.stdout.utf8)) as? [String: Any])
        #expect((firstNight["overall"] as? [String: Any])?["registrations"] as? Int
                == all.count { $0["decided_on"] as? String == "2026-11-23" })
    }
}
