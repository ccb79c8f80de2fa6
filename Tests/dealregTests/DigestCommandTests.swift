import Foundation
import Testing

/// Issue 14: `dealreg digest partners|team` as cron runs it.
@Suite("Digest command")
struct DigestCommandTests {
    @Test func digestsOncePerWeekWithIdsOnlyAndSpecificErrors() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite", outbox = folder + "/outbox"
        let batch = try dealreg(["run"] + sampleArguments + ["--ledger", ledger, "--out", folder + "/out", "--quiet", sampleFiles[0]])
        #expect(batch.status == 0, "\(batch.stderr)")
        let partners = ["digest", "partners", "--ledger", ledger, "--partners", "samples/partners.csv", "--policy", "samples/policy.yaml",
                        "--outbox", outbox, "--as-of", "2026-11-23"]
        let first = try dealreg(partners)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("dealreg: partner digest 2026-W48: 1 new digest(s), 1 email(s) -> \(outbox)\n"), "\(first.stdout)")
        // Logs name partners by id, never by name or address.
        #expect(!first.stdout.contains("Northwind Field Services") && !first.stdout.contains("@"), "\(first.stdout)")
        let again = try dealreg(partners)
        #expect(again.status == 0 && again.stdout.contains("already sent for 2026-W48: nothing new"), "\(again.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".eml") }.count == 1)

        let team = ["digest", "team", "--ledger", ledger, "--policy", "samples/policy.yaml", "--outbox", outbox, "--as-of", "2026-11-27"]
        let noAddress = try dealreg(team)
        #expect(noAddress.status == 64 && noAddress.stderr.contains("email.team"), "\(noAddress.stderr)")
        let sent = try dealreg(team + ["--to", "Channel Team <channel@example.com>"])
        #expect(sent.status == 0 && sent.stdout.contains("team digest 2026-W48:"), "\(sent.stdout) \(sent.stderr)")
        #expect(!sent.stdout.contains("channel@example.com"))
        let badPeriod = try dealreg(team + ["--to", "channel@example.com", "--period", "month"])
        #expect(badPeriod.status == 64, "\(badPeriod.stderr)")
        let typo = try dealreg(["digest", "team", "--ledger", folder + "/typo.sqlite", "--to", "channel@example.com", "--outbox", outbox])
        #expect(typo.status == 66 && !FileManager.default.fileExists(atPath: folder + "/typo.sqlite"), "\(typo.stderr)")
    }

    /// A partner_id that is no id (an address, a forged log line) reaches the ledger from an upload row;
    /// the digest counts it among partners not notified without printing it.
    @Test func unreadablePartnerIdsAreCountedNotPrinted() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        let upload = folder + "/odd.csv"
        try ("partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,contact_name,contact_email\n"
             + "\"pat@evil.example\rFORGED LINE\",Contoso Pharmaceuticals,contoso-pharma.example,5000,2027-03-31,US,Austin,Pat,pat@contoso-pharma.example\n"
             + "P-GHOST,Fabrikam Robotics,fabrikam-robotics.example,5000,2027-03-31,US,Austin,Pat,pat@fabrikam-robotics.example\n")
            .write(toFile: upload, atomically: true, encoding: .utf8)
        let batch = try dealreg(["run"] + sampleArguments + ["--ledger", ledger, "--out", folder + "/out", "--quiet", upload])
        #expect(batch.status == 0, "\(batch.stderr)")
        let digest = try dealreg(["digest", "partners", "--ledger", ledger, "--partners", "samples/partners.csv",
                                  "--policy", "samples/policy.yaml", "--outbox", folder + "/outbox", "--as-of", "2026-11-23"])
        #expect(digest.status == 0, "\(digest.stderr)")
        #expect(digest.stdout.contains("not notified (no email address): P-GHOST, (1 unreadable partner_id value)"), "\(digest.stdout)")
        #expect(!digest.stdout.contains("evil.example") && !digest.stdout.contains("FORGED") && !digest.stdout.contains("\r"))
    }
}
