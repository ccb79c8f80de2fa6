import Foundation
import DealregKit
import DealregTestSupport
import Testing

/// Runs the built `dealreg` executable and captures what a user sees.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `dealreg` executable.
func executable() throws -> URL {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dealreg")
    let candidates = [binary, repositoryRoot.appendingPathComponent(".build/debug/dealreg")]
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
}

func dealreg(_ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = try executable()
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
}

func freshFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

let sampleArguments = ["--snapshot", "samples/snapshot.csv", "--partners", "samples/partners.csv", "--policy", "samples/policy.yaml",
                       "--as-of", "2026-11-23"]
let sampleFiles = ["samples/northwind-2026-11-20.csv", "samples/alpine-2026-11-21.csv", "samples/sakura-2026-11-21.csv",
                   "samples/fieldforce-2026-11-22.csv"]

@Suite("Command line")
struct CLITests {
    @Test func versionNamesICU() throws {
        let result = try dealreg(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "dealreg 0.1.0 (ICU 72.1)\n")
    }

    @Test func runOnSamplesPrintsOneSummaryLine() throws {
        let out = try freshFolder()
        let result = try dealreg(["run"] + sampleArguments + ["--out", out] + sampleFiles)
        #expect(result.status == 0)
        #expect(result.stdout == "dealreg: 4 file(s), 51 row(s): 23 approved, 22 declined, 1 needs_review, 5 needs_info -> \(out)\n")
        #expect(result.stderr == "")
    }

    @Test func quietPrintsNothing() throws {
        let result = try dealreg(["run"] + sampleArguments + ["--quiet", "--out", try freshFolder()] + sampleFiles)
        #expect(result.status == 0 && result.stdout == "" && result.stderr == "")
    }

    @Test func missingSnapshotExits66WithOneLine() throws {
        let out = try freshFolder()
        let result = try dealreg(["run", "--snapshot", "nope.csv", "--partners", "samples/partners.csv", "--out", out] + sampleFiles)
        #expect(result.status == 66)
        #expect(result.stderr == "dealreg: nope.csv: cannot open: No such file or directory\n")
        #expect(result.stdout == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    @Test func invalidPolicyExits65() throws {
        let folder = try freshFolder()
        let policy = folder + "/policy.yaml"
        try "date_order: YMD\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let result = try dealreg(["run"] + sampleArguments + ["--policy", policy, "--out", folder + "/out"] + sampleFiles)
        #expect(result.status == 65)
        #expect(result.stderr == "dealreg: \(policy): line 1: date_order: expected one of MDY, DMY, got 'YMD'\n")
    }

    @Test func badAsOfIsAUsageError() throws {
        let result = try dealreg(["run", "--snapshot", "s", "--partners", "p", "--as-of", "23/11/2026", "--out", "o", "u.csv"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--as-of '23/11/2026' is not a date; use YYYY-MM-DD"))
    }

    @Test func inspectShowsWhatThePipelineReads() throws {
        let result = try dealreg(["inspect", "samples/alpine-2026-11-21.csv"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("encoding: windows-1252"))
        #expect(result.stderr.contains("delimiter: semicolon"))
        #expect(result.stderr.contains("column 2 'Firma' -> account_name"))
        #expect(result.stderr.contains("column 11 'Notizen' -> notes"))
        #expect(result.stderr.contains("column 6 'Ansprechpartner' -> contact_name"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 9)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["line"] as? Int == 2)
        let fields = try #require(first["fields"] as? [String: String])
        #expect(fields["account_name"] == "Müller Maschinenbau GmbH")
        #expect(fields["deal_value"] == "75.000,00 €")
    }

    @Test func inspectReportsBrokenRows() throws {
        let result = try dealreg(["inspect", "samples/fieldforce-2026-11-22.csv"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 15)
        #expect(lines[9].contains("\"problem\":\"a quoted value is never closed\""))
        #expect(lines[7].contains("\"extra_values\":[\"extra\",\"values\"]"))
    }

    @Test func inspectMissingFile() throws {
        let result = try dealreg(["inspect", "nope.csv"])
        #expect(result.status == 66)
        #expect(result.stderr == "dealreg: nope.csv: cannot open: No such file or directory\n")
    }

    @Test(arguments: ["upload", "snapshot", "partners", "accounts", "results", "policy"])
    func schemaCommandPrintsTheCheckedInFile(_ name: String) throws {
        let result = try dealreg(["schema", name])
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("schemas/\(name).schema.json"), encoding: .utf8)
        #expect(result.stdout == file)
    }
}

/// Issue 12, cases 5 and 10: a ledger is never made by accident nor started over, and what
/// holds partners' data is not world-readable.
@Suite("Private and never started over")
struct PrivateStateTests {
    private func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func ledgerCommandsNeverCreateALedger() throws {
        let folder = try freshFolder()
        let typo = folder + "/typo.sqlite"
        for arguments in [["status", "--ledger", typo], ["review", "list", "--ledger", typo], ["audit", "REG-1", "--ledger", typo],
                          ["export", "--ledger", typo, "--out", folder + "/x.csv"]] {
            let result = try dealreg(arguments)
            #expect(result.status == 66, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("no ledger at \(typo)"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: typo))
        }
    }

    @Test func anEmptyLedgerFileIsNotStartedOver() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        #expect(FileManager.default.createFile(atPath: ledger, contents: Data()))
        let run = try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles)
        #expect(run.status == 66, "\(run.stderr)")
        #expect(run.stderr.contains("is an empty file, not a ledger"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/northwind-2026-11-20.results.csv"))
        let status = try dealreg(["status", "--ledger", ledger])
        #expect(status.status == 66)
        #expect(try FileManager.default.attributesOfItem(atPath: ledger)[.size] as? Int == 0, "left as it was")
    }

    @Test func ledgerResultsAndMailArePrivate() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite", out = folder + "/out", outbox = folder + "/outbox"
        let run = try dealreg(["run"] + sampleArguments + ["--out", out, "--ledger", ledger, "--outbox", outbox] + sampleFiles)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try mode(ledger) == 0o600)
        #expect(try mode(out) & 0o007 == 0 && mode(out) & 0o700 == 0o700)
        #expect(try mode(out + "/northwind-2026-11-20.results.csv") & 0o007 == 0)
        let messages = try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".eml") }
        #expect(!messages.isEmpty)
        for message in messages { #expect(try mode(outbox + "/" + message) & 0o007 == 0, "\(message)") }
        #expect(try mode(outbox) & 0o007 == 0)
        // The ledger commands read it; nothing else was made.
        #expect(try dealreg(["status", "--ledger", ledger]).status == 0)
    }
}

/// Issue 12, case 9: logs carry ids and positions, never values.
@Suite("Logs without values")
struct LogPrivacyTests {
    @Test func anUnreadablePartnerIdIsNamedByItsPlace() throws {
        let folder = try freshFolder()
        let upload = folder + "/mixed.csv"
        try ("partner_id,account_name,account_domain,deal_value,expected_close_date,country\r\n"
             + "\"ann.smith@example.com, Ann Smith \r\n\u{1B}[31mFAKE LOG LINE\",Lamna Healthcare,lamna.example,1000,2027-03-01,US\r\n"
             + "P-NOBODY,Trey Research,treyresearch.net,2000,2027-03-01,US\r\n").write(toFile: upload, atomically: true, encoding: .utf8)
        let result = try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--outbox", folder + "/outbox", upload])
        #expect(result.status == 0, "\(result.stderr)")
        let printed = result.stdout + result.stderr
        // Issue 15: ids not in the partner list are not described as lacking an email address.
        #expect(printed.contains("not notified (not in the partner list; rows declined as unknown_partner): "
            + "(an unreadable partner_id: mixed.csv row 1), P-NOBODY"), "\(printed)")
        #expect(!printed.contains("no email address"))
        // The first line names the outbox and counts the emails written there.
        #expect(result.stdout.hasPrefix("dealreg: 1 file(s), 2 row(s): 0 approved, 1 declined, 0 needs_review, 1 needs_info -> "
            + "\(folder)/out; 0 email(s) -> \(folder)/outbox\n"), "\(result.stdout)")
        #expect(!printed.contains("ann.smith") && !printed.contains("Ann Smith") && !printed.contains("\u{1B}") && !printed.contains("FAKE"))
    }

    @Test func aFileWithoutAHeaderIsRejectedWithoutPrintingItsFirstRow() throws {
        let folder = try freshFolder()
        try FileManager.default.createDirectory(atPath: folder + "/inbox", withIntermediateDirectories: true)
        try "P-NORTHWIND,Jane Roe,jane.roe@example.com,+1 206 555 0100,Lamna Healthcare\r\n"
            .write(toFile: folder + "/inbox/noheader.csv", atomically: true, encoding: .utf8)
        let result = try dealreg(["batch", "--inbox", folder + "/inbox", "--archive", folder + "/archive", "--out", folder + "/out",
                                  "--ledger", folder + "/ledger.sqlite"] + sampleArguments)
        let report = try String(contentsOfFile: folder + "/inbox/rejected/noheader.csv.error.txt", encoding: .utf8)
        for text in [result.stdout, result.stderr, report] {
            #expect(!text.contains("jane.roe") && !text.contains("Jane Roe") && !text.contains("555 0100"), "\(text)")
        }
        #expect(report.contains("5 columns, not shown"), "\(report)")
    }
}

/// Issue 12, case 4: a deal the reader cannot read never silently stops blocking its account.
@Suite("Unreadable snapshot rows")
struct UnreadableSnapshotTests {
    @Test func aBrokenSnapshotRowStopsTheBatchUnlessSkippedOnPurpose() throws {
        let folder = try freshFolder()
        let snapshot = folder + "/snapshot.csv"
        var lines = try String(contentsOfFile: repositoryRoot.appendingPathComponent("samples/snapshot.csv").path, encoding: .utf8)
            .components(separatedBy: "\r\n")
        lines.insert("D-77777,\"Tailspin Toys,partner,registered,tailspintoys.com,Austin,US,78701,P-COASTAL,2026-11-01,2027-01-30,45000,,,", at: 2)
        lines.insert("D-77778,Wingtip Toys,partner,registered,wingtiptoys.com,Austin,US,78701,P-COASTAL,2026-11-01,2027-01-30,45000,,,,,oops", at: 3)
        try lines.joined(separator: "\r\n").write(toFile: snapshot, atomically: true, encoding: .utf8)
        var arguments = sampleArguments
        arguments[1] = snapshot
        let stopped = try dealreg(["run"] + arguments + ["--out", folder + "/out"] + sampleFiles)
        #expect(stopped.status == 65, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("2 deal rows cannot be read, so they would block nothing: line 3 (a quoted value is never closed"),
                "\(stopped.stderr)")
        #expect(stopped.stderr.contains("line 4 ("), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("--skip-bad-snapshot-rows"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/northwind-2026-11-20.results.csv"))

        let skipped = try dealreg(["run"] + arguments + ["--out", folder + "/out", "--skip-bad-snapshot-rows"] + sampleFiles)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        let summary = try String(contentsOfFile: folder + "/out/summary.json", encoding: .utf8)
        #expect(summary.contains("line 3: a quoted value is never closed") && summary.contains("left out (--skip-bad-snapshot-rows)"),
                "\(summary)")
    }
}

/// Issue 12, case 7: huge values are row errors, each row reported once, quickly.
@Suite("Limits on values and lines")
struct SizeLimitTests {
    @Test func hugeValuesAreRowErrorsNotExtraRows() throws {
        let folder = try freshFolder()
        let upload = folder + "/huge.csv"
        var text = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,contact_email\r\n"
        text += "P-NORTHWIND,\"" + String(repeating: "Lamna Healthcare, Inc. ", count: 140_000) + "\",lamna.example,1000,2027-03-01,US,a@lamna.example\r\n"
        text += "P-NORTHWIND," + String(repeating: "Trey", count: 20_000) + ",trey.example,1000,2027-03-01,US,b@trey.example\r\n"
        text += "P-NORTHWIND,Proseware Inc,proseware.com,30000,2027-03-31,US,cy@proseware.com\r\n"
        try text.write(toFile: upload, atomically: true, encoding: .utf8)
        let started = Date()
        let result = try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", upload])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        let rows = try String(contentsOfFile: folder + "/out/huge.results.csv", encoding: .utf8)
        let lines = rows.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.count == 4, "header and three rows, not \(lines.count)")
        #expect(rows.contains("Line 2 is longer than 1 MiB"))
        #expect(rows.contains("longer than 64 KiB"))
        #expect(lines.last?.contains("Proseware Inc") == true && lines.last?.contains(",approved,") == true)
        #expect(rows.utf8.count < 200_000, "the huge value is not copied into the results")
    }
}

/// Issue 12, case 12: the smaller ways a night went wrong without saying why.
@Suite("Inbox odds and ends")
struct InboxOddsTests {
    @Test func oddFilesAreReportedAndAnUnusableArchiveIsNamed() throws {
        let folder = try freshFolder()
        let inbox = folder + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country\r\n"
        try (header + "P-NORTHWIND,Proseware Inc,proseware.com,30000,2027-03-31,US\r\n").write(toFile: inbox + "/.csv", atomically: true, encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: inbox + "/empty.csv", contents: Data()))
        try (header + "P-NORTHWIND,Trey Research,treyresearch.net,20000,2027-03-31,US\r\n").write(toFile: inbox + "/good.csv", atomically: true, encoding: .utf8)
        // Something in the archive's way that no one, not even root, can write into.
        #expect(FileManager.default.createFile(atPath: folder + "/archive", contents: Data("in the way".utf8)))
        let result = try dealreg(["batch", "--inbox", inbox, "--archive", folder + "/archive", "--out", folder + "/out",
                                  "--ledger", folder + "/ledger.sqlite"] + sampleArguments)
        #expect(result.status == 73, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("\(folder)/archive: cannot move good.csv into the archive ("), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"))
        let empty = try String(contentsOfFile: inbox + "/rejected/empty.csv.error.txt", encoding: .utf8)
        #expect(empty.contains("the file is empty"), "\(empty)")
        let dot = try String(contentsOfFile: inbox + "/rejected/.csv.error.txt", encoding: .utf8)
        #expect(dot.contains("a file named only '.csv'"), "\(dot)")
        // Decided and recorded: tomorrow's batch re-emits it and archives it.
        try FileManager.default.removeItem(atPath: folder + "/archive")
        let again = try dealreg(["batch", "--inbox", inbox, "--archive", folder + "/archive", "--out", folder + "/out2",
                                 "--ledger", folder + "/ledger.sqlite"] + sampleArguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/archive/good.csv"))
    }
}

/// Issue 15: batch logs for cron — a timestamp and level on every line, JSON Lines on request,
/// and --strict's exit 2 for a night that rejected files.
@Suite("Batch logs and exit status")
struct BatchLogTests {
    static func isTimestamped(_ line: String) -> Bool {
        line.firstMatch(of: #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (info|warning|error) /#) != nil
    }

    private func inbox(_ folder: String) throws -> String {
        let inbox = folder + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try ("partner_id,account_name,account_domain,deal_value,expected_close_date,country\r\n"
             + "P-NORTHWIND,Trey Research,treyresearch.net,20000,2027-03-31,US\r\n").write(toFile: inbox + "/good.csv", atomically: true, encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: inbox + "/empty.csv", contents: Data()))
        return inbox
    }

    @Test func everyLineIsTimestampedAndARejectedFileIsAWarning() throws {
        let folder = try freshFolder()
        let result = try dealreg(["batch", "--inbox", try inbox(folder), "--archive", folder + "/archive", "--out", folder + "/out",
                                  "--ledger", folder + "/ledger.sqlite", "--verbose", "--threads", "1",
                                  "--outbox", folder + "/outbox"] + sampleArguments)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = (result.stdout + result.stderr).split(separator: "\n").map(String.init)
        #expect(lines.count >= 5)
        for line in lines { #expect(Self.isTimestamped(line), "\(line)") }
        #expect(result.stdout.contains(" info dealreg: 1 file(s), 1 row(s): 1 approved, 0 declined, "
            + "0 needs_review, 0 needs_info -> \(folder)/out; 1 email(s) -> \(folder)/outbox\n"), "\(result.stdout)")
        #expect(result.stdout.contains(" info dealreg: deciding: "), "one line per phase with --verbose")
        #expect(result.stderr.contains(" warning rejected: empty.csv: the file is empty"), "\(result.stderr)")
    }

    @Test func strictExitsTwoAndJSONLinesParse() throws {
        let folder = try freshFolder()
        let result = try dealreg(["batch", "--inbox", try inbox(folder), "--archive", folder + "/archive", "--out", folder + "/out",
                                  "--ledger", folder + "/ledger.sqlite", "--strict", "--log-format", "json"] + sampleArguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/archive/good.csv"), "the rest of the night ran")
        for line in (result.stdout + result.stderr).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["time"]?.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/#) != nil, "\(line)")
            #expect(["info", "warning"].contains(object?["level"] ?? ""), "\(line)")
            #expect(object?["message"]?.isEmpty == false && object?["message"]?.hasPrefix(" ") == false, "\(line)")
        }
        let first = try JSONSerialization.jsonObject(with: Data(result.stdout.split(separator: "\n")[0].utf8)) as? [String: String]
        #expect(first?["message"]?.hasPrefix("dealreg: 1 file(s), 1 row(s): ") == true, "the summary comes first: \(result.stdout)")
        // Without --strict the same night exits 0 (tested above); a usage error stays 64.
        let unknown = try dealreg(["batch", "--bogus"])
        #expect(unknown.status == 64 && unknown.stderr.contains("Unknown option '--bogus'"), "\(unknown.stderr)")
    }
}

/// Issue 15, item 7: the words of the command line.
@Suite("Command line words")
struct CommandWordsTests {
    @Test func anUnknownOptionIsReportedBeforeAMissingOne() throws {
        let result = try dealreg(["run", "--bogus"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: Unknown option '--bogus'\nUsage: dealreg run "), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing expected argument"))
        let valid = try dealreg(["status", "--ledger", "/nonexistent/ledger.sqlite"])
        #expect(valid.status == 66, "a known option is not reported as unknown: \(valid.stderr)")
    }

    @Test func actorHelpSaysItsDefaultOnceAndReadOnlyCommandsHaveNone() throws {
        let extend = try dealreg(["extend", "--help"]).stdout
        #expect(extend.contains("--actor <name>          Who the audit log names; default: $USER, else ops.\n"), "\(extend)")
        #expect(!extend.contains("ops. (default"), "\(extend)")
        for command in [["status"], ["audit"], ["export"], ["review", "list"]] {
            #expect(!(try dealreg(command + ["--help"]).stdout.contains("--actor")), "\(command)")
        }
        let batch = try dealreg(["batch", "--help"]).stdout
        for option in ["--threads <threads>", "--verbose", "--strict", "--log-format <log-format>"] {
            #expect(batch.contains(option), "\(option)")
        }
    }
}

extension LogPrivacyTests {
    @Test func runRefusesAFileWithoutAHeaderInsteadOfLosingItsFirstRow() throws {
        let folder = try freshFolder()
        try "P-NORTHWIND,Jane Roe,jane.roe@example.com,+1 206 555 0100,Lamna Healthcare\r\n"
            .write(toFile: folder + "/noheader.csv", atomically: true, encoding: .utf8)
        let result = try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", folder + "/noheader.csv"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("none of its columns is one dealreg knows") && result.stderr.contains("5 columns, not shown"))
        #expect(!result.stderr.contains("Jane") && !result.stderr.contains("jane.roe"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/noheader.results.csv"))
    }
}

/// Issue 13: every status change made after the batch reaches the partner, exactly once, through
/// the outbox (recorded in the change's own transaction).
@Suite("Status changes reach the partner")
struct StatusNoticeTests {
    private func emails(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") }.sorted()
    }

    @Test func everyStatusChangeWritesOneEmail() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite", outbox = folder + "/notices"
        let mail = ["--outbox", outbox, "--partners", "samples/partners.csv", "--policy", "samples/policy.yaml"]
        #expect(try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles).status == 0)
        let queue = try dealreg(["review", "list", "--ledger", ledger, "--format", "csv"]).stdout
        let underReview = queue.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[2]) }
        #expect(underReview.count == 1, "\(queue)")
        let approved = try dealreg(["status", "--ledger", ledger, "--status", "approved", "--format", "csv"]).stdout
            .split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(approved.count >= 3)

        // Without --partners the outbox cannot be addressed: refused before anything changes.
        let refused = try dealreg(["review", "reject", underReview[0], "--ledger", ledger, "--note", "x", "--outbox", outbox])
        #expect(refused.status == 64 && refused.stderr.contains("--outbox needs --partners"))

        let junk = try dealreg(["review", "reject", underReview[0], "--ledger", ledger, "--note", "x", "--duplicate-of", "D-1\nforged"] + mail)
        #expect(junk.status == 64 && junk.stderr.contains("--duplicate-of takes a deal or registration id"), "\(junk.stderr)")
        let reject = try dealreg(["review", "reject", underReview[0], "--ledger", ledger, "--note", "Please add the website",
                                  "--duplicate-of", "D-1001"] + mail)
        #expect(reject.status == 0, "\(reject.stderr)")
        #expect(try Ledger(path: ledger).registration(id: underReview[0])?.duplicateOf == "D-1001")
        let extend = try dealreg(["extend", approved[0], "--ledger", ledger, "--note", "deal slipped"] + mail)
        #expect(extend.status == 0, "\(extend.stderr)")
        let withdraw = try dealreg(["withdraw", approved[1], "--ledger", ledger, "--note", "partner withdrew"] + mail)
        #expect(withdraw.status == 0, "\(withdraw.stderr)")
        let expire = try dealreg(["expire", "--ledger", ledger, "--as-of", "2027-06-01"] + mail)
        #expect(expire.status == 0, "\(expire.stderr)")
        let expiredCount = try #require(Int(expire.stdout.split(separator: " ")[1]))

        let written = try emails(outbox)
        #expect(written.count == 3 + expiredCount, "\(written)")
        #expect(written.filter { $0.hasPrefix("rejected-") }.count == 1 && written.filter { $0.hasPrefix("extended-") }.count == 1)
        #expect(written.filter { $0.hasPrefix("withdrawn-") }.count == 1 && written.filter { $0.hasPrefix("expired-") }.count == expiredCount)
        let parsed = try parseMail(written.map { outbox + "/" + $0 })
        #expect(parsed.allSatisfy { $0.defects.isEmpty })
        let rejection = try #require(zip(written, parsed).first { $0.0.hasPrefix("rejected-") }?.1)
        #expect(rejection.subject.hasSuffix(": not approved"), "\(rejection.subject)")
        #expect(rejection.text?.contains("The reviewer's reason: Please add the website") == true, "\(rejection.text ?? "")")
        let extension_ = try #require(zip(written, parsed).first { $0.0.hasPrefix("extended-") }?.1)
        #expect(extension_.text?.contains("has been extended: it is now registered to you until") == true)
        #expect(extension_.text?.contains("deal slipped") == false, "an audit note is not the partner's")
        // Nothing is owed twice: another expire writes nothing new.
        _ = try dealreg(["expire", "--ledger", ledger, "--as-of", "2027-06-02"] + mail)
        #expect(try emails(outbox) == written)
    }
}


extension StatusNoticeTests {
    /// Issue 13: `status --account` finds a name however it is written (the matcher's normalization).
    @Test func statusFindsAnAccountHoweverWritten() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        #expect(try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles).status == 0)
        for search in ["muller", "Müller", "MUELLER maschinenbau"] {
            let found = try dealreg(["status", "--ledger", ledger, "--account", search, "--format", "csv"]).stdout
            let rows = found.split(separator: "\r\n").dropFirst()
            #expect(rows.count == 2, "\(search): \(found)")
        }
    }
}

/// Issue 13: a review approval re-checks every rule a reviewer cannot wave through.
@Suite("The review queue")
struct ReviewQueueTests {
    /// Oldest first, each item's age, and overdue past the policy's review_sla_days.
    @Test func theQueueShowsAgeAndOverdue() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        #expect(try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles).status == 0)
        let header = ["age_days", "overdue", "id", "owner"]
        let today = try dealreg(["review", "list", "--ledger", ledger, "--format", "csv", "--as-of", "2026-11-23"]).stdout
        let rows = today.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(Array(rows[0].prefix(4)) == header)
        #expect(rows.count == 2 && rows[1][0] == "0" && rows[1][1] == "", "\(today)")
        let later = try dealreg(["review", "list", "--ledger", ledger, "--format", "csv", "--as-of", "2026-11-27"]).stdout
        #expect(later.contains("\r\n4,overdue,"), "four days waited, three allowed: \(later)")
        let policy = folder + "/policy.yaml"
        try "review_sla_days: 5\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let patient = try dealreg(["review", "list", "--ledger", ledger, "--format", "csv", "--as-of", "2026-11-27", "--policy", policy]).stdout
        #expect(patient.contains("\r\n4,,"), "\(patient)")
        let json = try dealreg(["review", "list", "--ledger", ledger, "--format", "json", "--as-of", "2026-11-27"]).stdout
        #expect(json.contains("\"age_days\" : 4") && json.contains("\"overdue\" : true"), "\(json)")
    }
}

@Suite("Review approval re-checks the rules")
struct ReviewApprovalTests {
    @Test func approvalIsRefusedOnAnyRuleAndNeedsItsInputs() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        #expect(try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles).status == 0)
        let queue = try dealreg(["review", "list", "--ledger", ledger, "--format", "csv"]).stdout
        let id = try #require(queue.split(separator: "\r\n").dropFirst().first.map { String($0.split(separator: ",")[2]) })
        let base = ["review", "approve", id, "--ledger", ledger, "--note", "checked", "--as-of", "2026-11-24"]

        let bare = try dealreg(base)
        #expect(bare.status == 64 && bare.stderr.contains("give --snapshot, --partners and --policy"), "\(bare.stderr)")

        // A policy whose blocked list now names the account (copied with its lists).
        for name in ["policy.yaml", "direct_accounts.csv"] {
            try FileManager.default.copyItem(atPath: "\(repositoryRoot.path)/samples/\(name)", toPath: "\(folder)/\(name)")
        }
        try "account_name,account_domain,country,note\r\nWoodgrove Bank,woodgrovebank.com,US,screening hit\r\n"
            .write(toFile: folder + "/blocked.csv", atomically: true, encoding: .utf8)
        let blocked = try dealreg(base + ["--snapshot", "samples/snapshot.csv", "--partners", "samples/partners.csv",
                                          "--policy", folder + "/policy.yaml"])
        #expect(blocked.status == 1 && blocked.stderr.contains("it matches the blocked accounts list"), "\(blocked.stderr)")

        // The partner's territory and cap, from the partner list.
        let partners = try String(contentsOfFile: "\(repositoryRoot.path)/samples/partners.csv", encoding: .utf8)
        try partners.replacingOccurrences(of: "gold,US;CA,", with: "gold,CA,").write(toFile: folder + "/territory.csv", atomically: true, encoding: .utf8)
        let outside = try dealreg(base + ["--snapshot", "samples/snapshot.csv", "--partners", folder + "/territory.csv",
                                          "--policy", "samples/policy.yaml"])
        #expect(outside.status == 1 && outside.stderr.contains("is outside P-NORTHWIND's territory"), "\(outside.stderr)")
        try partners.replacingOccurrences(of: "deals@northwind-fs.example,40", with: "deals@northwind-fs.example,2")
            .write(toFile: folder + "/cap.csv", atomically: true, encoding: .utf8)
        let capped = try dealreg(base + ["--snapshot", "samples/snapshot.csv", "--partners", folder + "/cap.csv",
                                         "--policy", "samples/policy.yaml"])
        #expect(capped.status == 1 && capped.stderr.contains("the most its program allows (2)"), "\(capped.stderr)")

        let approved = try dealreg(base + ["--snapshot", "samples/snapshot.csv", "--partners", "samples/partners.csv",
                                           "--policy", "samples/policy.yaml"])
        #expect(approved.status == 0, "\(approved.stderr)")

        // Extending asks the same rules: an account the blocked list now names is not extended.
        let woodgrove = try dealreg(["status", "--ledger", ledger, "--status", "approved", "--account", "Woodgrove", "--format", "csv"]).stdout
        let held = try #require(woodgrove.split(separator: "\r\n").dropFirst().first.map { String($0.split(separator: ",")[0]) },
                                "\(woodgrove)")
        let refused = try dealreg(["extend", held, "--ledger", ledger, "--policy", folder + "/policy.yaml"])
        #expect(refused.status == 1 && refused.stderr.contains("\(held) cannot be extended: it matches the blocked accounts list"),
                "\(refused.stderr)")
        #expect(try dealreg(["extend", held, "--ledger", ledger, "--policy", "samples/policy.yaml"]).status == 0)
    }
}

extension ReviewApprovalTests {
    /// Issue 13: the audit shows the rationale in full, as a table or JSON.
    @Test func auditShowsTheFullRationale() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        #expect(try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles).status == 0)
        let approved = try dealreg(["status", "--ledger", ledger, "--status", "approved", "--format", "csv"]).stdout
        let id = try #require(approved.split(separator: "\r\n").dropFirst().first.map { String($0.split(separator: ",")[0]) })
        let json = try dealreg(["audit", id, "--ledger", ledger, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(document["history"] as? [[String: Any]])
        // The automatic decision beside the reviewer's (none yet).
        let decisions = try #require(document["registration"] as? [String: Any])
        #expect(decisions["auto_decision"] as? String == "approved" && decisions["auto_rule"] as? String == "approve.auto", "\(decisions)")
        #expect(decisions["human_decision"] is NSNull && decisions["override"] as? Bool == false)
        let rationale = try #require(entries.first?["rationale"] as? String)
        #expect(entries.first?["action"] as? String == "decide" && rationale.count > 48, "\(rationale)")
        let table = try dealreg(["audit", id, "--ledger", ledger]).stdout
        #expect(table.contains(rationale), "the table's last column is not cut")
        #expect(table.hasPrefix("automatic: approved by approve.auto; reviewer: (none)\n"), "\(table)")
    }
}

extension ReviewApprovalTests {
    /// Issue 13: the export carries the expected close date and the partner's own reference.
    @Test func exportCarriesCloseDateAndReference() throws {
        let folder = try freshFolder()
        let ledger = folder + "/ledger.sqlite"
        #expect(try dealreg(["run"] + sampleArguments + ["--out", folder + "/out", "--ledger", ledger] + sampleFiles).status == 0)
        #expect(try dealreg(["export", "--ledger", ledger, "--out", folder + "/export.csv"]).status == 0)
        let text = try String(contentsOfFile: folder + "/export.csv", encoding: .utf8)
        let header = try #require(text.split(separator: "\r\n").first).split(separator: ",").map(String.init)
        #expect(header.contains("expected_close_date") && header.contains("partner_reference"))
        let tailspin = try #require(text.split(separator: "\r\n").first { $0.contains("Tailspin Toys") && $0.contains("P-NORTHWIND") })
        #expect(tailspin.contains("NW-2201") && tailspin.contains("2027-02-15"), "\(tailspin)")
    }
}
