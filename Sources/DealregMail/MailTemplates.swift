import Foundation
import Mustache

/// The Mustache templates of result and reminder emails: the ones shipped with
/// dealreg, each replaceable by a file of the same name in a templates folder.
public struct MailTemplates: Sendable {
    public static let names = ["results.txt", "results.html", "reminder.txt", "reminder.html", "status.txt", "status.html"]
    private let library: MustacheLibrary

    /// Loads the shipped templates, then any `NAME.mustache` in `overrides`.
    /// - Throws: `MailError` naming the template that does not parse.
    public init(overrides: String? = nil) throws {
        var library = MustacheLibrary()
        for name in Self.names {
            let override = overrides.map { URL(fileURLWithPath: $0).appendingPathComponent("\(name).mustache").path }
            let path = override.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
                ?? Bundle.module.url(forResource: name, withExtension: "mustache", subdirectory: "Templates")?.path
            guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw MailError("template \(name).mustache not found")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw MailError("\(path): not a valid Mustache template: \(error)")
            }
        }
        self.library = library
    }

    public func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }
}

/// A mail problem worded for the operator.
public struct MailError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
