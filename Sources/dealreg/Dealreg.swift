import ArgumentParser
import DealregKit
import DealregIdentity

@main
struct Dealreg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg",
        abstract: "Partner deal registration: validate uploads, find duplicates, apply policy, write results.",
        version: "dealreg \(DealregVersion.current) (ICU \(icuVersion))",
        subcommands: [Run.self, Batch.self, Expire.self, Extend.self, Withdraw.self, Review.self, Status.self, Audit.self,
                      Export.self, Send.self, Remind.self, Inspect.self, Schema.self, Evaluate.self, Explain.self,
                      Migrate.self, CopyLedger.self])
}
