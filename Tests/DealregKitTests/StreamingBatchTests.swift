@testable import DealregKit
import Foundation
import Testing

/// Issue 12: the batch streams each upload twice (match, then decide and write row by row) and
/// keeps no row between them beyond its comparison vectors. What it writes must be what deciding
/// the whole batch in memory gives, however the rows fall into chunks, with tonight's claims
/// (first valid claim wins) seen across chunks and files.
@Suite("Streamed batch")
struct StreamingBatchTests {
    /// Two uploads: Northwind's accounts (its last rows repeat its first), then Coastal's, which
    /// repeat some of Northwind's and one of the snapshot's deals.
    static func uploads(in folder: URL) throws -> [String] {
        let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,contact_email,city,region,country,address\n"
        var northwind = header
        for i in 1...24 {
            northwind += "P-NORTHWIND,Streamtest\(i) Analytics,streamtest\(i).example,\"$12,000\",2027-03-01,"
                + "buyer@streamtest\(i).example,Austin,TX,US,\(100 + i) Congress Avenue\n"
        }
        for i in 1...6 {
            northwind += "P-NORTHWIND,Streamtest\(i) Analytics Inc,streamtest\(i).example,\"$9,000\",2027-04-01,"
                + "other@streamtest\(i).example,Austin,TX,US,\(100 + i) Congress Ave\n"
        }
        var coastal = header
        for i in 7...12 {
            coastal += "P-COASTAL,Streamtest\(i) Analytics,www.streamtest\(i).example,\"$8,000\",2027-02-01,"
                + "cfo@streamtest\(i).example,San Francisco,CA,US,\n"
        }
        coastal += "P-COASTAL,Fourth Coffee,fourthcoffee.com,\"$5,000\",2027-02-01,ops@fourthcoffee.com,Seattle,WA,US,\n"
        coastal += "P-COASTAL,Harbor Kelp Farms,harborkelp.example,\"$5,000\",2027-02-01,,Monterey,CA,US,\n"
        let paths = [folder.appendingPathComponent("stream-a.csv"), folder.appendingPathComponent("stream-b.csv")]
        try write(northwind, to: paths[0])
        try write(coastal, to: paths[1])
        return paths.map(\.path)
    }

    static func run(_ uploads: [String], rowsPerChunk: Int, threads: Int) throws -> (BatchSummary, URL) {
        let folder = try temporaryDirectory()
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.path, uploads: uploads)
        configuration.threads = threads
        let runner = BatchRunner(configuration: configuration)
        runner.rowsPerChunk = rowsPerChunk
        return (try runner.run(), folder)
    }

    @Test func streamedResultsAreTheInMemoryDecisions() throws {
        let uploads = try Self.uploads(in: try temporaryDirectory())
        let (summary, folder) = try Self.run(uploads, rowsPerChunk: 4, threads: 2)

        // The same batch decided whole in memory, as the replay decides it.
        let policy = try EffectivePolicy.load(path: samplePath("policy.yaml"))
        let partners = try PartnerDirectory.load(path: samplePath("partners.csv"))
        let snapshot = try Snapshot.load(path: samplePath("snapshot.csv"), policy: policy.policy, asOf: sampleAsOf, threads: 1)
        let parser = SubmissionParser(policy: policy.policy, partners: partners, asOf: sampleAsOf)
        var files: [UploadFile] = []
        var submissions: [[Submission]] = []
        for (index, path) in uploads.enumerated() {
            let reader = try TableReader(path: path, schema: Schemas.upload)
            var rows: [Submission] = []
            while let row = try reader.next() { rows.append(parser.parse(row, charset: "UTF-8")) }
            submissions.append(rows)
            let name = URL(fileURLWithPath: path).lastPathComponent
            files.append(UploadFile(index: index, path: path, name: name, stem: BatchRunner.outputStem(name), format: reader.format,
                                    sha256: summary.files[index].sha256, occurrence: 0))
        }
        let expected = BatchDecider(snapshot: snapshot, policy: policy, asOf: sampleAsOf).decide(uploads: files, submissions: submissions)

        for (index, file) in files.enumerated() {
            let written = try readResults(folder.appendingPathComponent("\(file.stem).results.csv"))
            #expect(written.count == expected[index].count, "\(file.name)")
            for (row, result) in zip(written, expected[index]) {
                for (column, value) in zip(ResultRecord.columns, result.values) {
                    #expect(row[column] == value, "\(file.name) row \(result.rowNumber) \(column)")
                }
            }
        }
        // First valid claim wins, across chunks and files: Northwind's repeats and Coastal's rows
        // of Northwind's accounts name the row that claimed the account first.
        let northwind = try readResults(folder.appendingPathComponent("stream-a.results.csv"))
        let coastal = try readResults(folder.appendingPathComponent("stream-b.results.csv"))
        #expect(northwind.count == 30 && coastal.count == 8)
        for i in 1...24 { #expect(northwind[i - 1]["decision"] == "approved", "northwind row \(i)") }
        for i in 1...6 {
            #expect(northwind[24 + i - 1]["decision"] != "approved", "northwind row \(24 + i)")
            #expect(northwind[24 + i - 1]["matched_record"] == northwind[i - 1]["registration_id"], "northwind row \(24 + i)")
        }
        for i in 7...12 {
            #expect(coastal[i - 7]["decision"] == "declined", "coastal row \(i - 6)")
            #expect(coastal[i - 7]["matched_record"] == northwind[i - 1]["registration_id"], "coastal row \(i - 6)")
        }
        #expect(coastal[6]["matched_record"]?.isEmpty == false, "the snapshot's Fourth Coffee deal")
    }

    @Test func chunksAndThreadsChangeNoByte() throws {
        let uploads = try Self.uploads(in: try temporaryDirectory())
        let (_, whole) = try Self.run(uploads, rowsPerChunk: ParallelWork.rowsPerChunk, threads: 1)
        let (_, chunked) = try Self.run(uploads, rowsPerChunk: 3, threads: 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: whole.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: chunked.path).sorted()))
        #expect(names.contains("approved.csv") && names.contains("stream-b.partner.csv"))
        for name in names {
            let a = try String(contentsOf: whole.appendingPathComponent(name), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let b = try String(contentsOf: chunked.appendingPathComponent(name), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(a.count == b.count, "\(name)")
            for (line, (x, y)) in zip(a, b).enumerated() where x != y {
                Issue.record("\(name) line \(line + 1) differs")
                break
            }
        }
    }
}
