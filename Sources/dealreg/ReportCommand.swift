import ArgumentParser
import DealregKit
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The program view: what was decided in a date range, overall and per partner.",
        discussion: """
        Counts the registrations received (decided_on) from --from to --to, both included: by decision and reason code, \
        approval rate, overrides (a reviewer deciding otherwise than the rules did, or would have in shadow mode; \
        each listed), days from receipt to the reviewer's decision (median, 90th percentile), closed won and win rate; \
        and, as of --as-of, the review queue's size and ageing and the approved registrations expiring within \
        --expiring-within days; and the threshold calibration: how the policy's match thresholds would have done on \
        the registrations people judged (approved by a reviewer: a different account; declined as a duplicate: a \
        duplicate), at every threshold, with the thresholds that meet --target. csv and json are for machines; html \
        is one self-contained page with charts.
        """)
    @OptionGroup var options: LedgerReadOptions
    @Option(help: "First day received (YYYY-MM-DD), included; default: the first.") var from: String?
    @Option(help: "Last day received (YYYY-MM-DD), included; default: the last.") var to: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @Option(name: .customLong("expiring-within"), help: "Days ahead that count as expiring soon.") var expiringWithin = 30
    @Option(help: "Policy file (YAML): the match thresholds to calibrate; default: the built-in policy.") var policy: String?
    @Option(help: "Calibration target: the most duplicates approved, and different accounts declined, to allow (percent).")
    var target = 1.0
    @Option(help: "csv, json or html.") var format: ProgramReportRenderer.Format
    @Option(help: "File to write; default: standard output.") var out: String?

    func run() throws {
        let day = try parseAsOf(asOf)
        let first = try from.map { try parseDay($0, option: "--from") }
        let last = try to.map { try parseDay($0, option: "--to") }
        if let first, let last, first > last { throw ValidationError("--from \(first) is after --to \(last)") }
        guard expiringWithin >= 0 else { throw ValidationError("--expiring-within must be 0 or more, got \(expiringWithin)") }
        guard target >= 0, target < 100 else { throw ValidationError("--target is a percentage from 0 to 100, got \(target)") }
        let inForce = try mapErrors { try EffectivePolicy.load(path: policy).policy }
        let rows = try mapErrors { try options.desk().ledger.registrations() }
        let report = ProgramReport(registrations: rows, from: first, to: last, asOf: day, expiringWithinDays: expiringWithin,
                                   thresholds: inForce.match, autoApproveLevel: inForce.autoApproveLevel(tier: nil), target: target / 100)
        let text = try ProgramReportRenderer.render(report, format: format)
        guard let out else { return print(text, terminator: "") }
        try mapErrors {
            do { try PrivateFiles.write(Array(text.utf8), to: out) } catch let error as FileError {
                throw InputError(.cannotWrite, error.description)
            }
        }
        print("dealreg: report of \(report.overall.registrations) registration(s) -> \(out)")
    }
}

extension ProgramReportRenderer.Format: ExpressibleByArgument {}
