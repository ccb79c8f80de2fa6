import DealregCSV
import DealregKit
import DealregReport
import Foundation
import Testing

/// Issue 15: every output folder carries a Frictionless datapackage.json that lists exactly the
/// table files the run wrote, each with the columns of its own header, its encoding and its
/// delimiter. (CI checks the same folder with `frictionless validate`; no Python here.)
@Suite("datapackage.json in the output folder")
struct DataPackageTests {
    struct Resource {
        var name: String
        var path: String
        var format: String
        var encoding: String?
        var delimiter: String?
        var fields: [String]
        var types: [String: String]
    }

    private func package(in folder: URL) throws -> (descriptor: [String: Any], resources: [Resource]) {
        let data = try Data(contentsOf: folder.appendingPathComponent("datapackage.json"))
        let descriptor = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let resources = try #require(descriptor["resources"] as? [[String: Any]]).map { resource in
            let schema = resource["schema"] as? [String: Any] ?? [:]
            let fields = schema["fields"] as? [[String: Any]] ?? []
            return Resource(name: resource["name"] as? String ?? "", path: resource["path"] as? String ?? "",
                            format: resource["format"] as? String ?? "", encoding: resource["encoding"] as? String,
                            delimiter: (resource["dialect"] as? [String: Any])?["delimiter"] as? String,
                            fields: fields.map { $0["name"] as? String ?? "" },
                            types: Dictionary(uniqueKeysWithValues: fields.map { ($0["name"] as? String ?? "", $0["type"] as? String ?? "") }))
        }
        return (descriptor, resources)
    }

    /// The header of a CSV as the package says to read it: its encoding and delimiter, not detected.
    private func header(of url: URL, encoding: String, delimiter: String) throws -> [String] {
        let bytes = Array(try Data(contentsOf: url).prefix(4))
        let detected = try EncodingDetector.override(encoding, firstBytes: bytes)
        let reader = try CSVFile.open(path: url.path, format: CSVFormat(encoding: detected, delimiter: delimiter.utf8.first!))
        return try #require(try reader.next()).fields
    }

    private func checkLists(_ folder: URL, extra: Set<String> = []) throws -> [Resource] {
        let (descriptor, resources) = try package(in: folder)
        #expect(descriptor["profile"] as? String == "tabular-data-package")
        let tables = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".csv") || $0.hasSuffix(".xlsx") })
        #expect(Set(resources.map(\.path)) == tables, "datapackage.json lists exactly the table files written")
        #expect(resources.count == tables.count, "each once")
        #expect(Set(resources.map(\.name)).count == resources.count, "resource names are unique")
        for resource in resources {
            #expect(resource.name.allSatisfy { $0.isLowercase || $0.isNumber || "-_.".contains($0) }, "\(resource.name)")
            guard resource.format == "csv" else { continue }
            let encoding = try #require(resource.encoding), delimiter = try #require(resource.delimiter)
            #expect(try header(of: folder.appendingPathComponent(resource.path), encoding: encoding, delimiter: delimiter)
                    == resource.fields, "\(resource.path): the fields are the header's columns, in order")
        }
        return resources
    }

    @Test func listsEveryCSVWithItsColumnsAndDialect() throws {
        let (_, folder) = try runBatch()
        let resources = try checkLists(folder)
        let byPath = Dictionary(uniqueKeysWithValues: resources.map { ($0.path, $0) })
        for name in ["approved.csv", "declined.csv", "review.csv"] {
            let resource = try #require(byPath[name])
            #expect(resource.fields == ["source_file"] + ResultRecord.columns + Schemas.upload.fields.map(\.name))
            #expect(resource.encoding == "utf-8" && resource.delimiter == ",")
            #expect(resource.types["row_number"] == "integer" && resource.types["account_name"] == "string")
        }
        let results = try #require(byPath["northwind-2026-11-20.results.csv"])
        #expect(Array(results.fields.suffix(ResultRecord.columns.count)) == ResultRecord.columns)
        #expect(results.types["expires_on"] == "date" && results.types["match_score"] == "integer")
        // The German partner's file in its own dialect, and the Japanese one's.
        let alpine = try #require(byPath["alpine-2026-11-21.partner.csv"])
        #expect(alpine.encoding == "windows-1252" && alpine.delimiter == ";")
        #expect(alpine.fields.prefix(2) == ["Partner", "Firma"] && alpine.fields.suffix(6) == ResultRecord.partnerColumns[...])
        #expect(alpine.types["Betrag"] == "string")
        #expect(byPath["sakura-2026-11-21.partner.csv"] != nil)
        // A file holding several partners' rows: the per-partner copies too.
        #expect(resources.contains { $0.path.contains(".partner-") }, "\(resources.map(\.path))")
    }

    /// An upload with a repeated and a blank column name still gives a valid package: those
    /// columns get names of their own, by position.
    @Test func repeatedAndBlankColumnsGetNamesOfTheirOwn() throws {
        let folder = try temporaryDirectory()
        let upload = folder.appendingPathComponent("dup.csv")
        try write("partner_id,account_name,deal_value,expected_close_date,notes,notes,\r\nP-NORTHWIND,Foo Inc,1000,2027-03-01,a,b,c\r\n",
                  to: upload)
        let (_, out) = try runBatch(uploads: [upload.path], out: folder.appendingPathComponent("out"))
        let (_, resources) = try package(in: out)
        let results = try #require(resources.first { $0.path == "dup.results.csv" })
        #expect(Array(results.fields.prefix(7)) == ["partner_id", "account_name", "deal_value", "expected_close_date", "notes",
                                                    "notes (6)", "column 7"])
        #expect(Set(results.fields).count == results.fields.count)
        #expect(Array(results.fields.suffix(ResultRecord.columns.count)) == ResultRecord.columns)
    }

    /// Files re-emitted from the ledger (byte for byte, not written by this run's writers) and
    /// result_format xlsx workbooks are described too.
    @Test func describesReemittedFilesAndWorkbooks() throws {
        let folder = try temporaryDirectory()
        let partners = "partner_id,name,tier,territories,email,max_active,result_format\r\n"
            + "P-ALPINE,Alpine Systemhaus GmbH,silver,DE;AT;CH,vertrieb@alpine-systemhaus.example,25,xlsx\r\n"
        try write(partners, to: folder.appendingPathComponent("partners.csv"))
        var configuration = RunConfiguration(
            snapshotPath: samplePath("snapshot.csv"), partnersPath: folder.appendingPathComponent("partners.csv").path,
            policyPath: samplePath("policy.yaml"), asOf: sampleAsOf, outputDirectory: folder.appendingPathComponent("out").path,
            uploads: [samplePath("alpine-2026-11-21.csv")], ledgerPath: folder.appendingPathComponent("ledger.sqlite").path)
        configuration.outbox = folder.appendingPathComponent("outbox").path
        _ = try BatchRunner(configuration: configuration).run()
        configuration.outputDirectory = folder.appendingPathComponent("again").path
        let summary = try BatchRunner(configuration: configuration).run()
        #expect(summary.files.first?.reemittedFrom != nil)
        for out in ["out", "again"] {
            let resources = try checkLists(folder.appendingPathComponent(out))
            let workbook = try #require(resources.first { $0.path == "alpine-2026-11-21.partner.xlsx" })
            #expect(workbook.format == "xlsx" && workbook.fields.suffix(6) == ResultRecord.partnerColumns[...])
            let csv = try #require(resources.first { $0.path == "alpine-2026-11-21.partner.csv" })
            #expect(csv.encoding == "windows-1252" && csv.delimiter == ";", "\(out)")
            #expect(workbook.fields == csv.fields)
        }
        #expect(try Data(contentsOf: folder.appendingPathComponent("out/datapackage.json"))
                == Data(contentsOf: folder.appendingPathComponent("again/datapackage.json")))
    }
}
