import CICU

/// A web host reduced to the form identity compares: ASCII (IDNA UTS #46,
/// non-transitional), lower case, without scheme, credentials, port, path,
/// trailing dot or leading `www.`.
///
///     WebDomain.parse("https://www.Bücher.de/shop?x=1") == .success("xn--bcher-kva.de")
public enum WebDomain {
    /// Why a value is not a usable web domain.
    public enum Problem: Error, Equatable, Sendable {
        case empty
        case noDot
        case invalid(idnaErrors: UInt32)
    }

    public static func parse(_ raw: String) -> Result<String, Problem> {
        var text = Substring(raw.trimmingWhitespace())
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        if let cut = text.firstIndex(where: { "/?#".contains($0) }) { text = text[..<cut] }
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) {
            text = text[..<colon]
        }
        while text.hasSuffix(".") || text.hasSuffix("。") { text = text.dropLast() }
        guard !text.isEmpty else { return .failure(.empty) }
        let converted = toASCII(String(text))
        guard case .success(var host) = converted else { return converted }
        if host.hasPrefix("www.") && host.dropFirst(4).contains(".") { host.removeFirst(4) }
        guard host.contains(".") else { return .failure(.noDot) }
        return .success(host)
    }

    /// IDNA UTS #46 ToASCII (non-transitional, STD3 rules, CheckBidi, CheckContextJ) of a host name.
    public static func toASCII(_ text: String) -> Result<String, Problem> {
        let utf8 = Array(text.utf8)
        var output = [CChar](repeating: 0, count: 512)
        var idnaErrors: UInt32 = 0
        var err: Int32 = 0
        let length = Int(dr_idna_to_ascii(utf8.map { CChar(bitPattern: $0) }, Int32(utf8.count),
                                          &output, 512, &idnaErrors, &err))
        guard err <= 0, idnaErrors == 0, length > 0, length <= 512 else {
            return .failure(.invalid(idnaErrors: idnaErrors == 0 ? 1 : idnaErrors))
        }
        return .success(String(decoding: output[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}

extension String {
    /// The text without leading and trailing white space (including NBSP and ideographic space).
    public func trimmingWhitespace() -> String {
        // Most values begin and end with visible ASCII, which is never white space: nothing to
        // trim, and no Unicode property looked up (4 % of a warm run's samples did that).
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
