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
    /// The English templates' names; each language's are `NAME.LANG.EXT` (`results.de.txt`).
    public static let baseNames = ["results.txt", "results.html", "reminder.txt", "reminder.html",
                                   "digest-partners.txt", "digest-partners.html"]
        + statusEvents.flatMap { ["status-\($0).txt", "status-\($0).html"] }
    /// Templates of internal emails (the channel team's digest): English only, like every internal file.
    public static let internalNames = ["digest-team.txt", "digest-team.html"]
    /// The languages shipped besides English (BCP 47 primary subtags, as `PartnerLanguage`).
    public static let languages = ["de", "fr", "es", "ja"]
    /// Every template: the English ones, then each language's.
    public static let names = baseNames + internalNames + languages.flatMap { language in baseNames.map { localized($0, language) } }

    /// The name of `name`'s template in `language`: "results.txt" in "de" is "results.de.txt";
    /// English (and a language not shipped) keeps the name.
    public static func localized(_ name: String, _ language: String) -> String {
        guard languages.contains(language), let dot = name.lastIndex(of: ".") else { return name }
        return "\(name[..<dot]).\(language)\(name[dot...])"
    }
    private let library: MustacheLibrary

    /// Loads the shipped templates, then any `NAME.mustache` in `overrides`: `results.txt.mustache`
    /// replaces the English text, `results.de.txt.mustache` the German one; each language is
    /// overridden on its own (an English override does not change what German partners read).
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

    /// Renders the template `name` ("results.txt") in `language` ("de"; English by default).
    public func render(_ name: String, language: String = "en", _ values: [String: Any]) -> String {
        library.render(values, withTemplate: Self.localized(name, language)) ?? ""
    }
}

/// A mail problem worded for the operator.
public struct MailError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
