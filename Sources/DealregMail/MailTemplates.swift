import Foundation
import Mustache

/// The Mustache templates of result and reminder emails: the ones shipped with
/// dealreg, each replaceable by a file of the same name in a templates folder.
///
/// The shipped ones are compiled into the binary (`EmbeddedTemplates.swift`, generated from
/// `Templates/` by scripts/embed-templates.py), so a copied binary needs no resource bundle.
public struct MailTemplates: Sendable {
    /// The status-change events, each with a template of its own (`status-EVENT.txt`, `.html`).
    public static let statusEvents = ["approved", "rejected", "returned", "reopened", "expired", "extended", "withdrawn", "closed-won"]
    public static let names = ["results.txt", "results.html", "reminder.txt", "reminder.html"]
        + statusEvents.flatMap { ["status-\($0).txt", "status-\($0).html"] }
    private let library: MustacheLibrary

    /// Loads the shipped templates, then any `NAME.mustache` in `overrides`.
    /// - Throws: `MailError` naming the template that does not parse.
    public init(overrides: String? = nil) throws {
        var library = MustacheLibrary()
        for name in Self.names {
            let override = overrides.map { URL(fileURLWithPath: $0).appendingPathComponent("\(name).mustache").path }
            let path: String, text: String
            if let override, FileManager.default.fileExists(atPath: override) {
                guard let contents = try? String(contentsOfFile: override, encoding: .utf8) else {
                    throw MailError("\(override): cannot read the template (not UTF-8 text?)")
                }
                (path, text) = (override, contents)
            } else {
                guard let shipped = Self.shipped[name] else { throw MailError("template \(name).mustache not found") }
                (path, text) = ("the shipped \(name).mustache", shipped)
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
