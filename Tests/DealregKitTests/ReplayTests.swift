import DealregKit
import DealregLedger
import DealregPolicy
import DealregTestSupport
import Foundation
import Testing

/// Issue 14: `dealreg replay` re-decides a real ledger's history under a draft policy, writing nothing.
@Suite("Replay")
struct ReplayTests {
    /// A scripted history: three nights through the real pipeline into a SQLite ledger.
    struct History {
        let folder: URL
        /// A SQLite file in `folder`, or a PostgreSQL URL.
        let ledger: String
        var snapshot: String { folder.appendingPathComponent("snapshot.csv").path }
        var partners: String { folder.appendingPathComponent("partners.csv").path }
        var policy: String { folder.appendingPathComponent("policy.yaml").path }

        /// The sample policy with the partners' cap set to `cap`, written beside the history.
        func draft(cap: Int, name: String) throws -> String {
            let text = try String(contentsOfFile: policy, encoding: .utf8)
                .replacingOccurrences(of: "max_active_per_partner: 25", with: "max_active_per_partner: \(cap)")
            let path = folder.appendingPathComponent(name).path
            try write(text, to: URL(fileURLWithPath: path))
            return path
        }
    }

    static let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,postal_code,contact_name,contact_email\n"

    static func row(_ partner: String, _ name: String, _ domain: String) -> String {
        "\(partner),\(name),\(domain),20000,2027-03-31,US,Seattle,98101,Ann Lee,ann@\(domain)\n"
    }

    /// P-ONE registers Adatum and Fabrikam on night 1, Proseware on night 2, Woodgrove on night 3;
    /// P-TWO (one active deal in the snapshot) registers Litware on night 1, then Northwind Traders
    /// and (a duplicate of P-ONE's) Adatum on night 2. Partners have no cap of their own.
    /// - Parameter withdrawal: after night 1 P-ONE withdraws Fabrikam, and P-TWO registers it on night 3.
    static func history(ledger: String? = nil, withdrawal: Bool = false) throws -> History {
        let folder = try temporaryDirectory()
        let history = History(folder: folder, ledger: ledger ?? folder.appendingPathComponent("ledger.sqlite").path)
        let policy = try String(contentsOfFile: samplePath("policy.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  accounts_file: direct_accounts.csv\n", with: "")
            .replacingOccurrences(of: "blocked_accounts_file: blocked.csv\n", with: "")
        #expect(policy.contains("max_active_per_partner: 25"))
        try write(policy, to: URL(fileURLWithPath: history.policy))
        try write("partner_id,name,tier,territories,email,max_active\nP-ONE,One Partner,gold,US,,\nP-TWO,Two Partner,gold,US,,\n",
                  to: URL(fileURLWithPath: history.partners))
        try write("deal_id,account_name,owner_type,status,account_domain,city,country,postal_code,owner_id,created_on,expires_on,deal_value,last_activity_on,address,phone\n"
                  + "D-1,Blue Yonder Airlines,partner,registered,blueyonderairlines.com,Seattle,US,98101,P-TWO,2026-10-01,2027-02-01,10000,,,\n",
                  to: URL(fileURLWithPath: history.snapshot))
        let nights: [(String, [(String, String)])] = [
            ("2026-11-02", [("one-1.csv", row("P-ONE", "Adatum Corporation", "adatum.com") + row("P-ONE", "Fabrikam Robotics", "fabrikam.com")),
                            ("two-1.csv", row("P-TWO", "Litware Systems", "litwaresystems.com"))]),
            ("2026-11-03", [("one-2.csv", row("P-ONE", "Proseware Analytics", "proseware.com")),
                            ("two-2.csv", row("P-TWO", "Northwind Traders", "northwindtraders.com") + row("P-TWO", "Adatum Corporation", "adatum.com"))]),
            ("2026-11-04", [("one-3.csv", row("P-ONE", "Woodgrove Bank", "woodgrovebank.com")
                                + (withdrawal ? row("P-TWO", "Fabrikam Robotics", "fabrikam.com") : ""))]),
        ]
        for (night, files) in nights {
            var uploads: [String] = []
            for (name, rows) in files {
                let url = folder.appendingPathComponent("in-\(night)").appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try write(header + rows, to: url)
                uploads.append(url.path)
            }
            var configuration = RunConfiguration(snapshotPath: history.snapshot, partnersPath: history.partners, policyPath: history.policy,
                                                 asOf: Day(iso: night)!, outputDirectory: folder.appendingPathComponent("out-\(night)").path,
                                                 uploads: uploads, ledgerPath: history.ledger)
            configuration.actor = "test"
            _ = try BatchRunner(configuration: configuration).run()
            if withdrawal && night == "2026-11-02" {
                let ledger = try Ledger(path: history.ledger)
                let fabrikam = try #require(try ledger.registrations(account: "Fabrikam").first)
                _ = try ledger.withdraw(id: fabrikam.id, actor: "test", note: "lost")
            }
        }
        return history
    }

    /// The ledger's files, byte for byte: the database, the batch lock and any write-ahead log
    /// with content. A read-only SQLite connection to a WAL database makes an empty -wal and the
    /// -shm index beside it when none is there (its coordination with writers, never content);
    /// those are left out.
    static func ledgerFiles(_ history: History) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: history.folder.path)
        where name.hasPrefix("ledger.sqlite") && !name.hasSuffix("-shm") {
            let data = try Data(contentsOf: history.folder.appendingPathComponent(name))
            if name.hasSuffix("-wal") && data.isEmpty { continue }
            files[name] = data
        }
        return files
    }

    @Test func theCurrentPolicyFlipsNothingAndWritesNothing() throws {
        let history = try Self.history()
        let before = try Self.ledgerFiles(history)
        #expect(before["ledger.sqlite"] != nil)
        let outcome = try Replay(ledgerPath: history.ledger, policyPath: history.policy, snapshotPath: history.snapshot,
                                 partnersPath: history.partners).run()
        #expect(outcome.flips.isEmpty, "\(outcome.flips)")
        #expect(outcome.rows == 7 && outcome.files == 5 && outcome.batches == 3, "\(outcome)")
        #expect(outcome.recordedRules == outcome.replayedRules)
        #expect(outcome.recordedRules["approve.auto"] == 6 && outcome.recordedRules["duplicate.snapshot"] == 1, "\(outcome.recordedRules)")
        let after = try Self.ledgerFiles(history)
        #expect(after == before, "the ledger is byte-identical after a replay: \(before.mapValues(\.count)) then \(after.mapValues(\.count))")
        // Deterministic: the same replay renders the same bytes.
        let again = try Replay(ledgerPath: history.ledger, policyPath: history.policy, snapshotPath: history.snapshot,
                               partnersPath: history.partners).run()
        #expect(again == outcome)
        #expect(try ReplayRenderer.render(outcome, format: .json) == "[\n\n]\n" || ReplayRenderer.render(outcome, format: .json) == "[]\n")
        #expect(try ReplayRenderer.render(outcome, format: .table) == "No decision flips.\n")
    }

    /// Each file is recorded with the SHA-256 of the snapshot and partner list it was decided
    /// against; a replay given others says which files it re-decided against other inputs.
    @Test func theReplayNamesFilesWhoseNightUsedAnotherSnapshot() throws {
        let history = try Self.history()
        let snapshotBytes = try Data(contentsOf: URL(fileURLWithPath: history.snapshot))
        // The digest as coreutils computes it.
        let sha256sum = Process()
        sha256sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sha256sum.arguments = [history.snapshot]
        let pipe = Pipe()
        sha256sum.standardOutput = pipe
        try sha256sum.run()
        let digest = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        sha256sum.waitUntilExit()
        let files = try Ledger(path: history.ledger).recordedUploads().map(\.file)
        #expect(files.count == 5 && digest.count == 64)
        #expect(files.allSatisfy { $0.snapshotSHA256 == String(digest) }, "\(files.map(\.snapshotSHA256)) vs \(digest)")
        let same = try Replay(ledgerPath: history.ledger, policyPath: history.policy, snapshotPath: history.snapshot,
                              partnersPath: history.partners).run()
        #expect(same.otherSnapshot.isEmpty && same.otherPartners.isEmpty && same.inputsNotRecorded == 0)
        #expect(!ReplayRenderer.summary(same).contains("another"))

        // Tonight's CRM export: one deal more. The same partner list with a partner added.
        let newer = history.folder.appendingPathComponent("snapshot-newer.csv")
        try write(String(decoding: snapshotBytes, as: UTF8.self)
                  + "D-2,Tailspin Toys,direct,open,tailspintoys.com,Austin,US,73301,,2026-11-20,2027-05-01,5000,,,\n", to: newer)
        let partners = history.folder.appendingPathComponent("partners-newer.csv")
        try write(try String(contentsOfFile: history.partners, encoding: .utf8) + "P-THREE,Three Partner,gold,US,,\n", to: partners)
        let other = try Replay(ledgerPath: history.ledger, policyPath: history.policy, snapshotPath: newer.path,
                               partnersPath: partners.path).run()
        #expect(other.otherSnapshot == ["one-1.csv", "two-1.csv", "one-2.csv", "two-2.csv", "one-3.csv"], "\(other.otherSnapshot)")
        #expect(other.otherPartners.count == 5)
        let summary = ReplayRenderer.summary(other)
        #expect(summary.contains("5 of 5 file(s) were decided against another snapshot than the one given"), "\(summary)")
        #expect(summary.contains("one-1.csv, two-1.csv, one-2.csv, two-2.csv, one-3.csv\n"), "\(summary)")
    }

    /// What people did between nights is the ledger's history too: an account withdrawn after
    /// night 1 is free on night 3 in the replay as it was in the batch.
    @Test func theReplaySeesWhatReviewersDidBetweenNights() throws {
        let history = try Self.history(withdrawal: true)
        let ledger = try Ledger(path: history.ledger, opening: .readOnly)
        let taken = try #require(try ledger.registrations(partner: "P-TWO", account: "Fabrikam").first)
        #expect(taken.decision == "approved", "\(taken.reason)")
        let outcome = try Replay(ledgerPath: history.ledger, policyPath: history.policy, snapshotPath: history.snapshot,
                                 partnersPath: history.partners).run()
        #expect(outcome.flips.isEmpty && outcome.rows == 8, "\(outcome.flips)")
    }

    @Test func aStricterCapFlipsExactlyTheRowsOverIt() throws {
        let history = try Self.history()
        let before = try Self.ledgerFiles(history)
        let draft = try history.draft(cap: 2, name: "draft.yaml")
        let outcome = try Replay(ledgerPath: history.ledger, policyPath: draft, snapshotPath: history.snapshot,
                                 partnersPath: history.partners).run()
        #expect(try Self.ledgerFiles(history) == before)
        // P-ONE: its third and fourth (the third declined, so still two active on night 3); P-TWO: its
        // second approval (one snapshot deal + Litware). P-TWO's duplicate of Adatum was declined already.
        #expect(outcome.flips.map(\.account) == ["Proseware Analytics", "Northwind Traders", "Woodgrove Bank"], "\(outcome.flips)")
        for flip in outcome.flips {
            #expect(flip.oldDecision == "approved" && flip.newDecision == "declined")
            #expect(flip.oldReasonCodes == ["registered"] && flip.newReasonCodes == ["partner_cap_reached"], "\(flip)")
            #expect(flip.oldRule == "approve.auto" && flip.newRule == "cap.partner")
            #expect(flip.registrationID.hasPrefix("REG-"))
        }
        #expect(outcome.flips.map(\.partner) == ["P-ONE", "P-TWO", "P-ONE"])
        #expect(outcome.flips.map(\.decidedOn) == ["2026-11-03", "2026-11-03", "2026-11-04"])
        // The recorded ids are the ledger's.
        let desk = try LedgerDesk(path: history.ledger, actor: "test")
        for flip in outcome.flips {
            let stored = try #require(try desk.ledger.registration(id: flip.registrationID))
            #expect(stored.accountName == flip.account && stored.decision == "approved")
        }
        #expect(outcome.replayedRules["cap.partner"] == 3 && outcome.replayedRules["approve.auto"] == 3, "\(outcome.replayedRules)")
        let summary = ReplayRenderer.summary(outcome)
        #expect(summary.contains("7 row(s) of 5 file(s) in 3 batch(es) re-decided, 3 decision(s) flip"), "\(summary)")
        #expect(summary.contains("cap.partner"), "\(summary)")

        // JSON: one object per flip with the required keys.
        let json = try ReplayRenderer.render(outcome, format: .json)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(array.count == 3)
        for object in array {
            for key in ["registration_id", "account", "partner", "old_decision", "new_decision", "old_reason_codes", "new_reason_codes"] {
                #expect(object[key] != nil, "missing \(key)")
            }
        }
        #expect(array[0]["new_reason_codes"] as? [String] == ["partner_cap_reached"])
        let table = try ReplayRenderer.render(outcome, format: .table)
        #expect(table.split(separator: "\n").count == 4 && table.contains("approved (approve.auto)") && table.contains("declined (cap.partner)"))

        // --from: earlier nights stay as recorded (Woodgrove still flips: Proseware counts as recorded, approved).
        let later = try Replay(ledgerPath: history.ledger, policyPath: draft, snapshotPath: history.snapshot,
                               partnersPath: history.partners, from: Day(iso: "2026-11-04")).run()
        #expect(later.flips.map(\.account) == ["Woodgrove Bank"] && later.rowsBeforeFrom == 6 && later.rows == 1, "\(later)")
    }

    @Test func badInputIsAClearError() throws {
        let history = try Self.history()
        let missing = history.folder.appendingPathComponent("typo.sqlite").path
        #expect {
            try Replay(ledgerPath: missing, policyPath: history.policy, snapshotPath: history.snapshot, partnersPath: history.partners).run()
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.exitCode == 66 && error.message.contains("no ledger at")
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "a replay never creates a ledger")
        let noPolicy = history.folder.appendingPathComponent("nope.yaml").path
        #expect {
            try Replay(ledgerPath: history.ledger, policyPath: noPolicy, snapshotPath: history.snapshot, partnersPath: history.partners).run()
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.exitCode == 66 && error.message.contains("cannot read the policy file")
        }
        let broken = history.folder.appendingPathComponent("broken.yaml")
        try write("max_active_per_partner: [\n", to: broken)
        #expect {
            try Replay(ledgerPath: history.ledger, policyPath: broken.path, snapshotPath: history.snapshot, partnersPath: history.partners).run()
        } throws: { error in (error as? InputError)?.exitCode == 65 }
    }

    /// Read-only: the ledger refuses writes when opened for a replay.
    @Test func aReadOnlyLedgerRefusesWrites() throws {
        let history = try Self.history()
        let before = try Self.ledgerFiles(history)
        let ledger = try Ledger(path: history.ledger, opening: .readOnly)
        #expect(try ledger.recordedUploads().map(\.file.name) == ["one-1.csv", "two-1.csv", "one-2.csv", "two-2.csv", "one-3.csv"])
        let id = try #require(try ledger.registrations(status: .approved).first?.id)
        #expect(throws: LedgerError.self) { try ledger.withdraw(id: id, actor: "test", note: nil) }
        #expect(try Self.ledgerFiles(history) == before)
    }

    /// The same history on PostgreSQL: the same flips, through the same ledger interface.
    @Test(.enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
    func postgresReplaysAsSQLiteDoes() throws {
        let history = try Self.history(ledger: try PostgresTestServer.freshDatabase())
        let same = try Replay(ledgerPath: history.ledger, policyPath: history.policy, snapshotPath: history.snapshot,
                              partnersPath: history.partners).run()
        #expect(same.flips.isEmpty && same.rows == 7, "\(same)")
        let draft = try history.draft(cap: 2, name: "draft.yaml")
        let stricter = try Replay(ledgerPath: history.ledger, policyPath: draft, snapshotPath: history.snapshot,
                                  partnersPath: history.partners).run()
        #expect(stricter.flips.map(\.account) == ["Proseware Analytics", "Northwind Traders", "Woodgrove Bank"], "\(stricter.flips)")
        let ledger = try Ledger(path: history.ledger, opening: .readOnly)
        let id = try #require(try ledger.registrations(status: .approved).first?.id)
        #expect(throws: LedgerError.self) { try ledger.withdraw(id: id, actor: "test", note: nil) }
    }
}
