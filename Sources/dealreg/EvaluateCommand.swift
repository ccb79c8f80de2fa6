import ArgumentParser
import DealregKit
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure duplicate detection on labeled pairs (quality/pairs.csv) and print a Markdown table.",
        discussion: """
        Precision: of the pairs declined automatically as duplicates, the share that are the same company. \
        Recall: of the same-company pairs, the share not approved automatically (declined or sent to review).
        """)

    @Option(help: "Policy file whose match thresholds to use; defaults otherwise.") var policy: String?
    @Flag(help: "Also list the pairs decided wrongly, with their evidence.") var details = false
    @Argument(help: "Labeled pairs (CSV).") var pairs: String

    func run() throws {
        let thresholds: MatchThresholds
        do {
            thresholds = try EffectivePolicy.load(path: policy).policy.match
        } catch let error as InputError {
            printError("dealreg: \(error.message)")
            throw ExitCode(error.exitCode)
        }
        let outcomes = try QualityEvaluation.run(pairsPath: pairs, thresholds: thresholds)
        print("thresholds: duplicate \(thresholds.duplicateScore), review \(thresholds.reviewScore)\n")
        print(QualityEvaluation.table(QualityEvaluation.metrics(outcomes, thresholds: thresholds)))
        guard details else { return }
        print("\nWrong outcomes:")
        for outcome in outcomes {
            let wrong = outcome.same ? outcome.score < thresholds.reviewScore : outcome.score >= thresholds.duplicateScore
            let reviewed = !outcome.same && outcome.score >= thresholds.reviewScore && !wrong
            guard wrong || reviewed else { continue }
            let label = wrong ? (outcome.same ? "MISSED" : "WRONG DUPLICATE") : "reviewed"
            print("- \(label) [\(outcome.category)] '\(outcome.names.0)' ~ '\(outcome.names.1)': \(outcome.score)"
                + (outcome.foundByBlocking ? "" : " (not found by blocking)") + " — \(outcome.evidence)")
        }
    }
}
