import DealregKit
import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func samplePath(_ name: String) -> String { repositoryRoot.appendingPathComponent("samples/\(name)").path }

let sampleUploads = ["northwind-2026-11-20.csv", "alpine-2026-11-21.csv", "sakura-2026-11-21.csv", "fieldforce-2026-11-22.csv"]
    .map(samplePath)

let sampleAsOf = Day(iso: "2026-11-23")!

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-kit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs the samples (or other uploads) into a fresh folder.
func runBatch(uploads: [String] = sampleUploads, snapshot: String = samplePath("snapshot.csv"),
              partners: String = samplePath("partners.csv"), policy: String? = samplePath("policy.yaml"),
              out: URL? = nil, threads: Int? = nil) throws -> (BatchSummary, URL) {
    let folder = try out ?? temporaryDirectory()
    var configuration = RunConfiguration(snapshotPath: snapshot, partnersPath: partners, policyPath: policy, asOf: sampleAsOf,
                                         outputDirectory: folder.path, uploads: uploads)
    if let threads { configuration.threads = threads }
    return (try BatchRunner(configuration: configuration).run(), folder)
}

/// The northwind sample decided by a batch into a fresh SQLite ledger in `folder`; the ledger's path.
func northwindLedger(in folder: URL, name: String = "ledger.sqlite") throws -> String {
    let ledger = folder.appendingPathComponent(name).path
    var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                         policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                         outputDirectory: folder.appendingPathComponent("out").path,
                                         uploads: [samplePath("northwind-2026-11-20.csv")], ledgerPath: ledger)
    configuration.actor = "batch"
    _ = try BatchRunner(configuration: configuration).run()
    return ledger
}

/// A result CSV as dictionaries keyed by header, read with dealreg's own reader (which skips the BOM).
func readResults(_ url: URL) throws -> [[String: String]] {
    let format = try CSVFile.detectFormat(path: url.path, delimiter: UInt8(ascii: ","))
    #expect(format.encoding.charset == "UTF-8" && format.encoding.signatureLength == 3, "\(url.lastPathComponent) has a UTF-8 BOM")
    let reader = try CSVFile.open(path: url.path, format: format)
    guard let header = try reader.next()?.fields else { return [] }
    var rows: [[String: String]] = []
    while let record = try reader.next() {
        rows.append(Dictionary(zip(header, record.fields), uniquingKeysWith: { first, _ in first }))
    }
    return rows
}

func write(_ text: String, to url: URL, encoding: String.Encoding = .utf8) throws {
    try text.data(using: encoding)!.write(to: url)
}
