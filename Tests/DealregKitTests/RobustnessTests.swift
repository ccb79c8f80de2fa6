import DealregKit
import DealregTestSupport
import Foundation
import Testing

@Suite("Robustness")
struct RobustnessTests {
    /// Property: whatever junk a row holds, it comes out exactly once, in order, with a decision and a reason.
    @Test func everyRowComesOut() throws {
        var rng = SeededGenerator(seed: 7)
        let junk = ["", "Acme", "=1+1", "ソニー", "Müller", "\u{1}", "12,5", "twelve", "2027-01-31", "31/31/2031", "P-NORTHWIND",
                    "p-sakura", "x@y", "\"quoted, with comma\"", "\"with \"\"quotes\"\"\"", "DE", "Atlantis", "€ 5", ";", "\t"]
        for iteration in 0..<25 {
            let folder = try temporaryDirectory()
            var lines = [intakeHeader]
            let rowCount = Int.random(in: 1...40, using: &rng)
            for _ in 0..<rowCount {
                let width = Int.random(in: 1...11, using: &rng)
                var fields = (0..<width).map { _ in junk.randomElement(using: &rng)! }
                // A row of nothing but blanks is a blank line, which readers skip by design.
                if fields.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { fields[0] = "x" }
                lines.append(fields.joined(separator: ","))
            }
            var bytes = Array((lines.joined(separator: ["\n", "\r\n"].randomElement(using: &rng)!) + "\n").utf8)
            if Bool.random(using: &rng) { bytes.insert(0xFF, at: bytes.count - 2) }   // an undecodable byte
            let upload = folder.appendingPathComponent("junk.csv")
            try Data(bytes).write(to: upload)
            let (summary, out) = try runBatch(uploads: [upload.path])
            let rows = try readResults(out.appendingPathComponent("junk.results.csv"))
            #expect(rows.count == rowCount, "iteration \(iteration)")
            #expect(summary.rows == rowCount)
            #expect(rows.map { $0["row_number"]! } == (1...rowCount).map(String.init), "iteration \(iteration)")
            for row in rows {
                #expect(Decision(rawValue: row["decision"]!) != nil)
                #expect(!row["reason"]!.isEmpty)
                #expect(!row["reason_codes"]!.isEmpty)
            }
        }
    }

    /// Hostile input: binary garbage must give row decisions (or a clear file error), never a crash.
    /// Fuzz (issue 12): the sample uploads with seeded byte mutations — quotes, CR, LF, NUL,
    /// invalid UTF-8, byte-order marks mid-file, repeated chunks, a value over the record
    /// limit — through the whole pipeline. Invariants: no crash, every row the reader sees
    /// comes out once and in order, and a rerun writes byte-identical files.
    @Test func mutatedUploadsKeepEveryRowAndRerunIdentically() throws {
        var rng = SeededGenerator(seed: 20261201)
        let sources = try sampleUploads.map { try Array(Data(contentsOf: URL(fileURLWithPath: $0))) }
        let inserts: [[UInt8]] = [[0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0x2C], [0x3B],
                                  [0x22, 0x22], [0xE2, 0x80, 0xA8], [0x09]]
        for iteration in 0..<24 {
            var bytes = sources[iteration % sources.count]
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0...bytes.count, using: &rng)
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<6: bytes.insert(contentsOf: inserts.randomElement(using: &rng)!, at: at)
                case 6, 7: if at < bytes.count { bytes.remove(at: at) }
                case 8:
                    let length = Int.random(in: 1...80, using: &rng)
                    let chunk = Array(bytes[at..<min(bytes.count, at + length)])
                    bytes.insert(contentsOf: chunk, at: at)
                default:
                    if iteration % 8 == 3 { bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "x"), count: (1 << 20) + 10), at: at) }
                }
            }
            let folder = try temporaryDirectory()
            let upload = folder.appendingPathComponent("fuzz-\(iteration).csv")
            try Data(bytes).write(to: upload)
            // The oracle: how many rows dealreg's own reader finds in the mutated file.
            let reader = try TableReader(path: upload.path, schema: Schemas.upload)
            var expected = 0
            while try reader.next() != nil { expected += 1 }
            guard expected > 0 else { continue }
            let (summary, first) = try runBatch(uploads: [upload.path], out: folder.appendingPathComponent("a"))
            let (_, second) = try runBatch(uploads: [upload.path], out: folder.appendingPathComponent("b"))
            let rows = try readResults(first.appendingPathComponent("fuzz-\(iteration).results.csv"))
            #expect(rows.count == expected && summary.rows == expected, "iteration \(iteration): \(rows.count) of \(expected)")
            #expect(rows.map { $0["row_number"]! } == (1...max(expected, 1)).prefix(rows.count).map(String.init), "iteration \(iteration)")
            #expect(rows.allSatisfy { Decision(rawValue: $0["decision"] ?? "") != nil && !($0["reason"] ?? "").isEmpty })
            for name in try FileManager.default.contentsOfDirectory(atPath: first.path) where !name.hasPrefix(".") {
                #expect(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)),
                        "iteration \(iteration): \(name) differs on a rerun")
            }
        }
    }

    @Test func binaryGarbageNeverCrashes() throws {
        var rng = SeededGenerator(seed: 99)
        for iteration in 0..<20 {
            let folder = try temporaryDirectory()
            let upload = folder.appendingPathComponent("garbage.csv")
            let size = Int.random(in: 0...20_000, using: &rng)
            try Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: upload)
            let reader = try TableReader(path: upload.path, schema: Schemas.upload)
            var expected = 0
            while try reader.next() != nil { expected += 1 }
            // Garbage is either refused whole, with the file named (no header row dealreg knows), or read row by row.
            let summary: BatchSummary, out: URL
            do {
                (summary, out) = try runBatch(uploads: [upload.path])
            } catch let error as InputError {
                #expect(error.exitCode == 65 && error.message.hasPrefix(upload.path + ": "), "iteration \(iteration): \(error.message)")
                continue
            }
            let rows = try readResults(out.appendingPathComponent("garbage.results.csv"))
            #expect(rows.count == expected && summary.rows == expected, "iteration \(iteration)")
            #expect(rows.allSatisfy { $0["decision"] == "needs_info" || $0["decision"] == "declined" }, "iteration \(iteration)")
        }
    }

    @Test func identicalUploadsGetDistinctRegistrationIDs() throws {
        let folder = try temporaryDirectory()
        let copy = folder.appendingPathComponent("copy-of-northwind.csv")
        try FileManager.default.copyItem(atPath: samplePath("northwind-2026-11-20.csv"), toPath: copy.path)
        let (_, out) = try runBatch(uploads: [samplePath("northwind-2026-11-20.csv"), copy.path])
        let first = try readResults(out.appendingPathComponent("northwind-2026-11-20.results.csv"))
        let second = try readResults(out.appendingPathComponent("copy-of-northwind.results.csv"))
        let ids = (first + second).compactMap { $0["registration_id"] }.filter { !$0.isEmpty }
        #expect(Set(ids).count == ids.count)
        #expect(second.allSatisfy { $0["decision"] != "approved" })   // a re-dropped file approves nothing twice
    }

    @Test func missingSnapshotStopsTheBatchAndWritesNothing() throws {
        let out = try temporaryDirectory()
        #expect(throws: InputError(.unreadable, "/nonexistent/snapshot.csv: cannot open: No such file or directory")) {
            try runBatch(snapshot: "/nonexistent/snapshot.csv", out: out)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test func snapshotWithoutRequiredColumns() throws {
        let folder = try temporaryDirectory()
        let snapshot = folder.appendingPathComponent("snapshot.csv")
        try write("id,company\nD-1,Acme\n", to: snapshot)
        #expect(throws: InputError(.invalid, "\(snapshot.path): the snapshot lacks required columns owner_type, status (found: id, company)")) {
            try runBatch(snapshot: snapshot.path, out: folder.appendingPathComponent("out"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func invalidPolicyNamesTheKey() throws {
        let folder = try temporaryDirectory()
        let policy = folder.appendingPathComponent("policy.yaml")
        try write("validity_dayz: 90\n", to: policy)
        #expect(throws: InputError(.invalid, "\(policy.path): line 1: unknown key 'validity_dayz'")) {
            try runBatch(policy: policy.path)
        }
    }

    @Test func invalidPartnerListIsReportedWhole() throws {
        let folder = try temporaryDirectory()
        let partners = folder.appendingPathComponent("partners.csv")
        try write("partner_id,name,territories,max_active,result_format\nP-1,One,DE;Narnia,5,excel\nP-1,Again,,x,csv\n", to: partners)
        #expect(throws: InputError(.invalid, """
            \(partners.path): 4 problems:
              \(partners.path): line 2, column territories: 'Narnia' is not an ISO 3166-1 country or ISO 3166-2 subdivision code (e.g. DE, US-CA)
              \(partners.path): line 2, column result_format: 'excel' is not one of upload, csv, csv-semicolon, csv-tab, xlsx
              \(partners.path): line 3: partner_id 'P-1' is listed twice (first on line 2)
              \(partners.path): line 3, column max_active: 'x' is not a whole number ≥ 0
            """)) {
            try runBatch(partners: partners.path)
        }
    }

    @Test func missingUploadAndCollidingNames() throws {
        #expect(throws: InputError(.unreadable, "/nonexistent/upload.csv: cannot open: No such file or directory")) {
            try runBatch(uploads: ["/nonexistent/upload.csv"])
        }
        let folder = try temporaryDirectory()
        let other = folder.appendingPathComponent("northwind-2026-11-20.csv")
        try FileManager.default.copyItem(atPath: samplePath("northwind-2026-11-20.csv"), toPath: other.path)
        #expect(throws: InputError.self) { try runBatch(uploads: [samplePath("northwind-2026-11-20.csv"), other.path]) }
    }

    @Test func unwritableOutput() throws {
        let folder = try temporaryDirectory()
        let blocker = folder.appendingPathComponent("file")
        try write("x", to: blocker)
        #expect(throws: InputError.self) { try runBatch(out: blocker.appendingPathComponent("out")) }
    }

    @Test func snapshotRowsThatCannotBeReadStillBlock() throws {
        let folder = try temporaryDirectory()
        let snapshot = folder.appendingPathComponent("snapshot.csv")
        try write("deal_id,account_name,owner_type,status,account_domain\nD-1,Acme,partner,in progress,acme.com\n", to: snapshot)
        let upload = folder.appendingPathComponent("up.csv")
        try write("\(intakeHeader)\nP-NORTHWIND,Acme,acme.com,100,2027-01-31,,US,,\n", to: upload)
        let (summary, out) = try runBatch(uploads: [upload.path], snapshot: snapshot.path)
        #expect(summary.snapshotWarnings == ["\(snapshot.path): line 2, column status: 'in progress' is not one of open, won, lost, registered, expired; treated as open"])
        #expect(try readResults(out.appendingPathComponent("up.results.csv"))[0]["decision"] == "declined")
    }
}
