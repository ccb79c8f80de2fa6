import ArgumentParser
import DealregKit
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Policy what-if: re-decide the ledger's history under a draft policy and list every decision that would flip.",
        discussion: """
        Writes nothing: the ledger is opened read-only. Each recorded upload's rows (the ledger keeps them with the \
        upload's results) are decided again in the order they were received, night by night, by the batch's own rules \
        under the draft policy; a flip on one night changes what later nights see. Lists every row whose automatic \
        decision (in shadow mode: the would-be decision) would change, with both decisions, rules and reason codes: \
        json (an array, one object per flip) or table. Counts per rule go to standard error. \
        The ledger does not record which snapshot or partner list each night used, so --snapshot and --partners are \
        required; every night is replayed against them.
        """)
    @Option(help: ledgerHelp) var ledger = defaultLedger
    @Option(help: "The draft policy (YAML).") var policy: String
    @Option(help: "CRM export of existing deals (CSV), used for every night replayed.") var snapshot: String?
    @Option(help: "Partner list (CSV), used for every night replayed.") var partners: String?
    @Option(help: "First night (YYYY-MM-DD) to re-decide; earlier nights stay as recorded.") var from: String?
    @Option(help: "json or table.") var format: ReplayRenderer.Format
    @Flag(name: .customLong("skip-bad-snapshot-rows"), help: "Leave out snapshot rows that cannot be read.")
    var skipBadSnapshotRows = false

    func run() throws {
        let first = try from.map { try parseDay($0, option: "--from") }
        let missing = [("--snapshot", snapshot), ("--partners", partners)].filter { $0.1 == nil }.map(\.0)
        if !missing.isEmpty {
            throw ValidationError("replay needs \(missing.joined(separator: " and ")): the ledger does not record which "
                + "snapshot or partner list each night used, so give the ones to replay against")
        }
        var replay = Replay(ledgerPath: ledger, policyPath: policy, snapshotPath: snapshot!, partnersPath: partners!,
                                       from: first)
        replay.skipBadSnapshotRows = skipBadSnapshotRows
        let outcome = try mapErrors { try replay.run() }
        printError(ReplayRenderer.summary(outcome).trimmingCharacters(in: .newlines))
        print(try ReplayRenderer.render(outcome, format: format), terminator: "")
    }
}

extension ReplayRenderer.Format: ExpressibleByArgument {}
