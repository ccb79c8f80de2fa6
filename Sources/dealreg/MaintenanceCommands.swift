import ArgumentParser
import DealregKit

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the ledger, or bring it to the current schema (a SQLite file or a PostgreSQL database).",
        discussion: "Exit status: 0 done, 66 no such database, 73 the ledger cannot be written, 75 the server cannot be reached (try again).")
    @Option(help: ledgerHelp) var ledger = defaultLedger

    func run() throws {
        print(try mapErrors { try LedgerMaintenance.migrate(path: ledger) })
    }
}

struct CopyLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-ledger",
        abstract: "Copy a ledger into an empty one, e.g. a SQLite file into PostgreSQL, and verify the copy.",
        discussion: """
        Every row is copied in one transaction of the target: registrations, files and results, the audit log \
        (with its ids), reminders and what is owed. The copy is verified before it is committed: the same number \
        of rows in every table, the same registrations and the same audit chain. Run it while no batch runs.
        """)
    @Argument(help: "The ledger to copy: a SQLite file or a postgres:// URL.") var from: String
    @Argument(help: "The empty ledger to copy into (made if missing): a SQLite file or a postgres:// URL.") var to: String

    func run() throws {
        for line in try mapErrors({ try LedgerMaintenance.copy(from: from, to: to) }) { print(line) }
    }
}
