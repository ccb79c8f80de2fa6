import DealregKit
import Foundation
import Testing

/// Issue 16: `run --cache DIR` and the nightly batch's cache beside its ledger.
@Suite("Identity cache on the command line")
struct IdentityCacheCLITests {
    private func outputs(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    @Test func runWithACacheFolderWarnsOnceAboutADamagedFile() throws {
        let folder = try freshFolder()
        let plain = try dealreg(["run"] + sampleArguments + ["--quiet", "--out", folder + "/plain"] + sampleFiles)
        #expect(plain.status == 0)
        let cold = try dealreg(["run"] + sampleArguments + ["--quiet", "--cache", folder + "/cache", "--out", folder + "/cold"] + sampleFiles)
        #expect(cold.status == 0 && cold.stderr == "", "\(cold.stderr)")
        let file = folder + "/cache/" + IdentityCache.fileName
        #expect(FileManager.default.fileExists(atPath: file))
        let warm = try dealreg(["run"] + sampleArguments + ["--quiet", "--cache", folder + "/cache", "--out", folder + "/warm"] + sampleFiles)
        #expect(warm.status == 0 && warm.stderr == "", "\(warm.stderr)")
        // Truncated: one warning naming the file, never a row; the same results.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: file))
        let damaged = try dealreg(["run"] + sampleArguments + ["--quiet", "--cache", folder + "/cache", "--out", folder + "/damaged"] + sampleFiles)
        #expect(damaged.status == 0)
        let lines = damaged.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("dealreg: warning: identity cache \(file): truncated"), "\(damaged.stderr)")
        #expect(!damaged.stderr.contains("Contoso") && !damaged.stderr.contains("Fourth Coffee"))
        let expected = try outputs(folder + "/plain")
        for run in ["cold", "warm", "damaged"] {
            #expect(try outputs(folder + "/" + run) == expected, "\(run)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == bytes, "rebuilt as it was")
    }

    @Test func batchKeepsItsCacheBesideTheLedger() throws {
        let folder = try freshFolder()
        func night(_ name: String, _ extra: [String] = []) throws -> CommandResult {
            let inbox = folder + "/inbox"
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            try ("partner_id,account_name,account_domain,deal_value,expected_close_date,country\r\n"
                 + "P-NORTHWIND,Trey Research,treyresearch.net,20000,2027-03-31,US\r\n").write(toFile: inbox + "/\(name).csv", atomically: true, encoding: .utf8)
            return try dealreg(["batch", "--inbox", inbox, "--archive", folder + "/archive", "--out", folder + "/out-\(name)",
                                "--ledger", folder + "/ledger.sqlite", "--quiet"] + sampleArguments + extra)
        }
        let first = try night("one")
        #expect(first.status == 0, "\(first.stderr)")
        let beside = folder + "/ledger.sqlite.identity-cache"
        #expect(FileManager.default.fileExists(atPath: beside))
        let written = try FileManager.default.attributesOfItem(atPath: beside)[.modificationDate] as? Date
        let second = try night("two")
        #expect(second.status == 0 && second.stderr == "", "\(second.stderr)")
        // Warm and unchanged: not rewritten.
        #expect(try FileManager.default.attributesOfItem(atPath: beside)[.modificationDate] as? Date == written)
        let elsewhere = try night("three", ["--cache", folder + "/elsewhere"])
        #expect(elsewhere.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/elsewhere/" + IdentityCache.fileName))
        try FileManager.default.removeItem(atPath: beside)
        let none = try night("four", ["--no-cache"])
        #expect(none.status == 0)
        #expect(!FileManager.default.fileExists(atPath: beside))
    }
}
