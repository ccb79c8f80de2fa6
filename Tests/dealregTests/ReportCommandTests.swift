import Foundation
import Testing

/// Issue 14: `dealreg report` on a real ledger, as a user runs it.
@Suite("Command line: report")
struct ReportCommandTests {
    @Test func reportsTheSamplesNightInEveryFormat() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        let run = try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles)
        #expect(run.status == 0, "\(run.stderr)")
        let report = ["report", "--ledger", ledger, "--as-of", "2026-11-30"]

        let csv = try dealreg(report + ["--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "scope,partner_id,metric,value")
        let registrations = try #require(lines.first { $0.hasPrefix("overall,,registrations,") })
        #expect(Int(registrations.split(separator: ",").last ?? "") ?? 0 > 0, "\(registrations)")
        #expect(lines.contains("overall,,as_of,2026-11-30"))

        let out = folder + "/report.html"
        let html = try dealreg(report + ["--format", "html", "--out", out, "--from", "2026-11-01", "--to", "2026-11-30"])
        #expect(html.status == 0 && html.stdout.hasPrefix("dealreg: report of "), "\(html.stderr)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg") && page.contains("P-NORTHWIND"))
        #expect(page.contains("Partner leaderboard") && page.contains("Review queue ageing"))

        let empty = try dealreg(report + ["--format", "json", "--from", "2027-01-01"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(empty.stdout.utf8)) as? [String: Any])
        #expect((object["overall"] as? [String: Any])?["registrations"] as? Int == 0)
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let backwards = try dealreg(["report", "--ledger", "x.sqlite", "--format", "json", "--from", "2026-12-01", "--to", "2026-11-01"])
        #expect(backwards.status == 64 && backwards.stderr.contains("--from 2026-12-01 is after --to 2026-11-01"), "\(backwards.stderr)")
        let notADay = try dealreg(["report", "--ledger", "x.sqlite", "--format", "json", "--from", "yesterday"])
        #expect(notADay.status == 64 && notADay.stderr.contains("--from 'yesterday' is not a date; use YYYY-MM-DD"), "\(notADay.stderr)")
        let format = try dealreg(["report", "--ledger", "x.sqlite", "--format", "pdf"])
        #expect(format.status == 64, "\(format.stderr)")
        let folder = try freshFolder()
        let missing = try dealreg(["report", "--ledger", folder + "/typo.sqlite", "--format", "csv"])
        #expect(missing.status == 66 && missing.stderr.contains("no ledger at"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/typo.sqlite"), "a report never creates a ledger")
    }
}
