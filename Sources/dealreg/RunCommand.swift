import ArgumentParser
import DealregKit
import DealregPolicy
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide every row of one or more upload files and write the result files.",
        discussion: """
        Exit status: 0 when the batch ran (whatever the decisions), 64 usage error, \
        65 unusable input (missing required columns, invalid policy or partner list), \
        66 missing or unreadable file, 73 output or ledger cannot be written, 75 another batch holds the ledger.
        """)

    @Option(help: "CRM export of existing deals (CSV).") var snapshot: String
    @Option(help: "Partner list (CSV).") var partners: String
    @Option(help: "Policy file (YAML); documented defaults when absent.") var policy: String?
    @Option(help: ArgumentHelp("Ledger (a SQLite file, or a postgres:// URL; default: $DEALREG_LEDGER, else none): its registrations block duplicates, and this run's decisions are recorded in it.",
                               valueName: "ledger"))
    var ledger: String?
    @Option(help: "Who the audit log names for these decisions.") var actor = "batch"
    @Option(help: "Seconds to wait when another batch holds the ledger.") var wait: Double = 0
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today; default: today in UTC.")
    var asOf: String?
    @Option(help: "Output folder for result files.") var out: String
    @Option(help: "Character encoding of the uploads, overriding detection (e.g. windows-1252).") var encoding: String?
    @OptionGroup var mail: MailOptions
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Go on without snapshot rows that cannot be read (each listed in the summary); they block nothing.")
    var skipBadSnapshotRows = false
    @Flag(help: "Also list snapshot warnings and per-file details; when standard error is not a terminal, log each phase as it ends.")
    var verbose = false
    @Flag(help: "Print how long each phase took on standard error (for benchmarks).") var timings = false
    @Option(help: ArgumentHelp("Folder of the identity cache: snapshot rows unchanged since the last run with it are not normalized again; results are the same without it.",
                               valueName: "dir"))
    var cache: String?
    @Option(help: "Worker threads (default: DEALREG_THREADS or the number of cores); results do not depend on it.")
    var threads: Int?
    @Argument(help: "Upload files (CSV), in batch order.") var uploads: [String]

    func run() throws {
        let day = try parseAsOf(asOf)
        let progress = quiet ? nil : ProgressLine.ifTerminal()
        // Not on a terminal (a log): with --verbose, one timestamped line as each phase ends.
        let phases = verbose && !quiet && progress == nil ? PhaseLog { printError(LogWriter(format: .text).render(.info, $0)) } : nil
        let clock = PhaseClock()
        var configuration = RunConfiguration(snapshotPath: snapshot, partnersPath: partners, policyPath: policy, asOf: day,
                                             outputDirectory: out, uploads: uploads, encoding: encoding,
                                             ledgerPath: ledger ?? ProcessInfo.processInfo.environment["DEALREG_LEDGER"].flatMap { $0.isEmpty ? nil : $0 })
        configuration.actor = actor
        configuration.lockTimeout = wait
        configuration.skipBadSnapshotRows = skipBadSnapshotRows
        configuration.identityCachePath = cache.map(IdentityCache.path(inFolder:))
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
            configuration.threads = threads
        }
        mail.apply(to: &configuration)
        let runner = BatchRunner(configuration: configuration) { event in
            progress?.update(event)
            phases?.record(event)
            if timings { clock.record(event) }
        }
        runner.warning = { message in
            progress?.clear()
            printError("dealreg: warning: \(message)")
        }
        let summary: BatchSummary
        do {
            summary = try runner.run()
        } catch let error as InputError {
            progress?.clear()
            printError("dealreg: \(error.message)")
            throw ExitCode(error.exitCode)
        }
        progress?.clear()
        if timings { printError(clock.summary(rows: summary.rows)) }
        guard !quiet else { return }
        print(SummaryText.oneLine(summary, outputDirectory: out, outbox: mail.outbox))
        if !summary.snapshotWarnings.isEmpty {
            printError("dealreg: snapshot: \(summary.snapshotWarnings.count) row(s) could not be fully read; see snapshot_warnings in summary.json")
        }
        for line in SummaryText.notNotified(summary) { print(line) }
        if verbose {
            for line in SummaryText.details(summary) { printError(line) }
        }
    }
}

/// Today (UTC) or the `--as-of` day.
/// A day given to an option, or a usage error naming the option.
func parseDay(_ text: String, option: String) throws -> Day {
    guard let day = Day(iso: text) else { throw ValidationError("\(option) '\(text)' is not a date; use YYYY-MM-DD") }
    return day
}

func parseAsOf(_ text: String?) throws -> Day {
    guard let text else {
        let seconds = Int(Date().timeIntervalSince1970)
        return Day(ordinal: seconds / 86_400)
    }
    return try parseDay(text, option: "--as-of")
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
