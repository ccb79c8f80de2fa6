import DealregCSV
@_exported import DealregTestSupport
import Foundation

/// Reads every record from `bytes`, serving at most `chunk` bytes per read.
func records(_ bytes: [UInt8], delimiter: Character = ",", chunk: Int = .max,
             readSize: Int = 1 << 18, maxRecordBytes: Int = 1 << 20) throws -> [CSVRecord] {
    let reader = CSVRecordReader(source: MemoryByteSource(bytes, chunkLimit: chunk),
                                 delimiter: delimiter.asciiValue!, maxRecordBytes: maxRecordBytes, readSize: readSize)
    var out: [CSVRecord] = []
    while let record = try reader.next() { out.append(record) }
    return out
}

func records(_ text: String, delimiter: Character = ",", chunk: Int = .max) throws -> [CSVRecord] {
    try records(Array(text.utf8), delimiter: delimiter, chunk: chunk)
}

/// A fresh temporary directory, removed by the caller's `defer`.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `bytes` to a temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let url = try temporaryDirectory().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// Encodes `text` with Foundation's converter (a second implementation, not ICU).
func encode(_ text: String, _ encoding: String.Encoding) -> [UInt8] {
    Array(text.data(using: encoding)!)
}
