import ArgumentParser
import DealregCSV
import DealregKit
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a CSV file's records as dealreg reads them, as JSON Lines.",
        discussion: "The detected encoding, delimiter and column mapping go to standard error.")

    @Option(help: "Which kind of file: upload, snapshot or partners.") var schema = "upload"
    @Option(help: "Character encoding, overriding detection.") var encoding: String?
    @Argument(help: "The CSV file.") var file: String

    func run() throws {
        guard let tableSchema = Schemas.named(schema), schema != "results" else {
            throw ValidationError("--schema must be upload, snapshot, partners or accounts")
        }
        let reader: TableReader
        do {
            reader = try TableReader(path: file, schema: tableSchema, encoding: encoding)
        } catch let error as FileError {
            printError("dealreg: \(error)")
            throw ExitCode(66)
        } catch {
            printError("dealreg: \(file): \(error)")
            throw ExitCode(65)
        }
        for line in Inspector.describe(reader) { printError(line) }
        let output = StandardOutput()
        while let row = try reader.next() {
            output.write(Inspector.jsonLine(row, reader: reader))
        }
        output.flush()
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Frictionless Table Schema of a file dealreg reads or writes.")

    @Argument(help: "upload, snapshot, partners, accounts, results or policy.") var name: String

    func run() throws {
        if name == "policy" {
            print(try PolicySchema.jsonText(), terminator: "")
            return
        }
        guard let schema = Schemas.named(name) else {
            throw ValidationError("unknown schema '\(name)'; choose upload, snapshot, partners, accounts, results or policy")
        }
        print(try schema.jsonText(), terminator: "")
    }
}
