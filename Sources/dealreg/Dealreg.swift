import ArgumentParser
import DealregKit
import DealregIdentity
import Foundation

@main
struct Dealreg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg",
        abstract: "Partner deal registration: validate uploads, find duplicates, apply policy, write results.",
        version: "dealreg \(DealregVersion.current) (ICU \(icuVersion))",
        subcommands: [Run.self, Batch.self, Expire.self, Extend.self, Withdraw.self, Review.self, Status.self, Audit.self,
                      Export.self, Report.self, ReplayCommand.self, Send.self, Remind.self, DigestCommand.self, Inspect.self, Schema.self, Evaluate.self, Explain.self,
                      Migrate.self, CopyLedger.self])

    /// As ArgumentParser's, but an unknown option is reported before a missing one: `run --bogus`
    /// says "Unknown option '--bogus'", not that --snapshot is missing.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            if let (unknown, subcommand) = unknownOption(in: arguments) {
                printError("Error: Unknown option '\(unknown)'")
                printError("Usage: \(usageString(for: subcommand).trimmingCharacters(in: .whitespacesAndNewlines))")
                printError("  See 'dealreg \(subcommand._commandName == "dealreg" ? "" : subcommandPath(arguments) + " ")--help' for more information.")
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            exit(withError: error)
        }
    }

    /// The first `--name` in `arguments` that the named subcommand's help does not list.
    static func unknownOption(in arguments: [String]) -> (String, ParsableCommand.Type)? {
        var command: ParsableCommand.Type = Dealreg.self
        for argument in arguments where !argument.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            command = next
        }
        let help = helpMessage(for: command, includeHidden: true, columns: 10_000)
        var known: Set<String> = ["--help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        for word in help.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }) where word.hasPrefix("--") {
            known.insert(String(word))
        }
        for argument in arguments {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if !known.contains(name) { return (name, command) }
        }
        return nil
    }

    private static func subcommandPath(_ arguments: [String]) -> String {
        var command: ParsableCommand.Type = Dealreg.self
        var path: [String] = []
        for argument in arguments where !argument.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            command = next
            path.append(argument)
        }
        return path.joined(separator: " ")
    }
}
