/// A contact email address, checked for shape and with its domain in IDNA form.
public struct EmailAddress: Equatable, Sendable {
    /// The part before the last `@`, as written.
    public var localPart: String
    /// The domain after the last `@`, as `WebDomain` normalizes it.
    public var domain: String

    /// Why a value is not an email address.
    public enum Problem: Error, Equatable, Sendable {
        case missingAt
        case emptyLocalPart
        case whitespace
        case badDomain
    }

    public static func parse(_ raw: String) -> Result<EmailAddress, Problem> {
        var text = raw.trimmingWhitespace()
        if text.hasPrefix("mailto:") { text.removeFirst(7) }
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {   // "Name <a@b.com>"
            text = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
        guard let at = text.lastIndex(of: "@") else { return .failure(.missingAt) }
        let local = String(text[..<at])
        let domainText = String(text[text.index(after: at)...])
        guard !local.isEmpty else { return .failure(.emptyLocalPart) }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else { return .failure(.whitespace) }
        guard !domainText.contains("/"), !domainText.contains(":"),
              case .success(let domain) = WebDomain.parse(domainText) else { return .failure(.badDomain) }
        return .success(EmailAddress(localPart: local, domain: domain))
    }
}
