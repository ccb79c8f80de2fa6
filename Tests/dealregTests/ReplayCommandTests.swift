import Foundation
import Testing

/// Issue 14: `dealreg replay` on a real ledger, as a user runs it.
@Suite("Command line: replay")
struct ReplayCommandTests {
    /// Two nights of two partners run into a ledger; P-ONE's third account is over a cap of 2.
    private func history() throws -> (folder: String, ledger: String, arguments: [String]) {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        let policy = try String(contentsOfFile: "samples/policy.yaml".inRepository, encoding: .utf8)
            .replacingOccurrences(of: "  accounts_file: direct_accounts.csv\n", with: "")
            .replacingOccurrences(of: "blocked_accounts_file: blocked.csv\n", with: "")
        try policy.write(toFile: folder + "/policy.yaml", atomically: true, encoding: .utf8)
        try policy.replacingOccurrences(of: "max_active_per_partner: 25", with: "max_active_per_partner: 2")
            .write(toFile: folder + "/draft.yaml", atomically: true, encoding: .utf8)
        try "partner_id,name,tier,territories,email,max_active\nP-ONE,One Partner,gold,US,,\n"
            .write(toFile: folder + "/partners.csv", atomically: true, encoding: .utf8)
        try ("deal_id,account_name,owner_type,status,account_domain,city,country,owner_id,expires_on\n"
             + "D-9,Blue Yonder Airlines,partner,registered,blueyonderairlines.com,Seattle,US,P-OTHER,2027-02-01\n")
            .write(toFile: folder + "/snapshot.csv", atomically: true, encoding: .utf8)
        let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,postal_code,contact_name,contact_email\n"
        func row(_ name: String, _ domain: String) -> String {
            "P-ONE,\(name),\(domain),20000,2027-03-31,US,Seattle,98101,Ann Lee,ann@\(domain)\n"
        }
        try (header + row("Adatum Corporation", "adatum.com") + row("Fabrikam Robotics", "fabrikam.com"))
            .write(toFile: folder + "/monday.csv", atomically: true, encoding: .utf8)
        try (header + row("Proseware Analytics", "proseware.com")).write(toFile: folder + "/tuesday.csv", atomically: true, encoding: .utf8)
        let reference = ["--snapshot", folder + "/snapshot.csv", "--partners", folder + "/partners.csv"]
        for (night, file) in [("2026-11-02", "monday.csv"), ("2026-11-03", "tuesday.csv")] {
            let run = try dealreg(["run"] + reference + ["--policy", folder + "/policy.yaml", "--as-of", night,
                                                         "--out", folder + "/out-" + night, "--ledger", ledger, folder + "/" + file])
            #expect(run.status == 0, "\(run.stderr)")
        }
        return (folder, ledger, reference)
    }

    @Test func listsTheFlipsAsJSONAndAsATable() throws {
        let (folder, ledger, reference) = try history()
        let before = try Data(contentsOf: URL(fileURLWithPath: ledger))
        let same = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/policy.yaml", "--format", "json"] + reference)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [Any] != nil, "\(same.stdout)")
        #expect((try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [Any])?.isEmpty == true)
        #expect(same.stderr.contains("3 row(s) of 2 file(s) in 2 batch(es) re-decided, 0 decision(s) flip"), "\(same.stderr)")

        let draft = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/draft.yaml", "--format", "json"] + reference)
        #expect(draft.status == 0, "\(draft.stderr)")
        let flips = try #require(try JSONSerialization.jsonObject(with: Data(draft.stdout.utf8)) as? [[String: Any]])
        #expect(flips.count == 1)
        let flip = try #require(flips.first)
        #expect(flip["account"] as? String == "Proseware Analytics" && flip["partner"] as? String == "P-ONE")
        #expect(flip["old_decision"] as? String == "approved" && flip["new_decision"] as? String == "declined")
        #expect(flip["old_reason_codes"] as? [String] == ["registered"] && flip["new_reason_codes"] as? [String] == ["partner_cap_reached"])
        #expect((flip["registration_id"] as? String)?.hasPrefix("REG-") == true)
        #expect(draft.stderr.contains("cap.partner") && draft.stderr.contains("rule"), "summary per rule on stderr: \(draft.stderr)")

        let table = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/draft.yaml", "--format", "table"] + reference)
        #expect(table.status == 0 && table.stdout.contains("Proseware Analytics") && table.stdout.contains("declined (cap.partner)"),
                "\(table.stdout)\(table.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger)) == before, "the ledger is byte-identical")
    }

    @Test func badInputIsAClearErrorWithANonzeroExit() throws {
        let (folder, ledger, reference) = try history()
        let missing = try dealreg(["replay", "--ledger", folder + "/typo.sqlite", "--policy", folder + "/policy.yaml",
                                   "--format", "json"] + reference)
        #expect(missing.status == 66 && missing.stderr.contains("no ledger at"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/typo.sqlite"), "a replay never creates a ledger")
        let policy = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/nope.yaml", "--format", "json"] + reference)
        #expect(policy.status == 66 && policy.stderr.contains("cannot read the policy file"), "\(policy.stderr)")
        let noSnapshot = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/policy.yaml", "--format", "json"])
        #expect(noSnapshot.status == 64 && noSnapshot.stderr.contains("replay needs --snapshot and --partners"), "\(noSnapshot.stderr)")
        let format = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/policy.yaml", "--format", "pdf"] + reference)
        #expect(format.status == 64, "\(format.stderr)")
        let day = try dealreg(["replay", "--ledger", ledger, "--policy", folder + "/policy.yaml", "--format", "json", "--from", "soon"] + reference)
        #expect(day.status == 64 && day.stderr.contains("--from 'soon' is not a date"), "\(day.stderr)")
    }
}

private extension String {
    /// A repository path as the tests' working directory sees it.
    var inRepository: String { repositoryRoot.appendingPathComponent(self).path }
}
