// csv-bench: CSV read throughput of dealreg's reader and of CSV.swift, on one file.
//
//     swift run -c release csv-bench FILE.csv [--strings | --reference]
import CSV
import DealregCSV
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first(where: { !$0.hasPrefix("--") }) else {
    FileHandle.standardError.write(Data("usage: csv-bench FILE.csv [--strings | --reference]\n".utf8))
    exit(64)
}
let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
let start = Date()
var records = 0
var fields = 0
if arguments.contains("--reference") {
    let reader = try CSVReader(stream: InputStream(fileAtPath: path)!)
    while let row = reader.next() {
        records += 1
        fields += row.count
    }
} else if arguments.contains("--strings") {
    let reader = CSVRecordReader(source: try FileByteSource(path: path))
    while let record = try reader.next() {
        records += 1
        fields += record.fields.count
    }
} else {
    let reader = CSVRecordReader(source: try FileByteSource(path: path))
    while let count = try reader.nextFields({ $0.count }) {
        records += 1
        fields += count
    }
}
let seconds = Date().timeIntervalSince(start)
let name = arguments.contains("--reference") ? "CSV.swift 2.5.2"
    : arguments.contains("--strings") ? "dealreg CSVRecordReader.next (a String per field)" : "dealreg CSVRecordReader.nextFields (byte ranges)"
print(String(format: "%@: %d records, %d fields, %.1f MB in %.2f s = %.1f MB/s",
             name, records, fields, size / 1e6, seconds, size / 1e6 / seconds))
