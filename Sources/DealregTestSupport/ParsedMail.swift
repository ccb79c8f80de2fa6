import Foundation

/// What Python's standard MIME parser (scripts/check-eml.py) sees in a message: what a mail
/// client would show.
public struct ParsedMail: Decodable {
    public struct Attachment: Decodable {
        public let filename: String
        public let content_type: String
        public let sha256: String
    }
    public let from: String, to: String, subject: String, date: String
    public let defects: [String]
    public let header_names: [String]
    public let text: String?
    public let html: String?
    public let attachments: [Attachment]
}

public struct MailParserFailed: Error, CustomStringConvertible {
    public let status: Int32
    public var description: String { "scripts/check-eml.py exited \(status)" }
}

/// Parses .eml files with scripts/check-eml.py.
public func parseMail(_ paths: [String]) throws -> [ParsedMail] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", root.appendingPathComponent("scripts/check-eml.py").path] + paths
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw MailParserFailed(status: process.terminationStatus) }
    return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(ParsedMail.self, from: Data($0)) }
}
