/// The Public Suffix List (ICANN and private sections), for reducing a host to
/// its registrable domain: `shop.example.co.uk` → `example.co.uk`,
/// `acme.myshopify.com` stays itself (myshopify.com is a private suffix).
public struct PublicSuffixList: Sendable {
    /// The list embedded from Debian's publicsuffix package (2023-02-09).
    public static let shared = PublicSuffixList(rules: PublicSuffixData.text)

    private var exact = Set<String>()
    private var wildcards = Set<String>()
    private var exceptions = Set<String>()

    /// Parses PSL rules, one per line; `#` lines are markers and skipped.
    public init(rules: String) {
        for line in rules.split(separator: "\n") where !line.hasPrefix("#") {
            var rule = String(line)
            var isException = false
            if rule.hasPrefix("!") { isException = true; rule.removeFirst() }
            var isWildcard = false
            if rule.hasPrefix("*.") { isWildcard = true; rule.removeFirst(2) }
            if !rule.utf8.allSatisfy({ $0 < 0x80 }), case .success(let ascii) = WebDomain.toASCII(rule) { rule = ascii }
            if isException { exceptions.insert(rule) } else if isWildcard { wildcards.insert(rule) } else { exact.insert(rule) }
        }
    }

    /// The registrable domain of an ASCII host, or nil when the host is itself a public suffix.
    public func registrableDomain(_ host: String) -> String? {
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return nil }
        // Find the longest public suffix; unlisted TLDs count as one-label suffixes ("*" rule).
        var suffixLength = 1
        for start in 0..<labels.count {
            let candidate = labels[start...].joined(separator: ".")
            if exceptions.contains(candidate) { suffixLength = labels.count - start - 1; break }
            if exact.contains(candidate) { suffixLength = labels.count - start; break }
            if start > 0, wildcards.contains(candidate) { suffixLength = labels.count - start + 1; break }
        }
        guard labels.count > suffixLength else { return nil }
        return labels[(labels.count - suffixLength - 1)...].joined(separator: ".")
    }
}

/// Free and ISP mail domains (gmail.com, web.de, qq.com, ...): an address there says nothing about the company.
public struct FreeMailDomains: Sendable {
    public static let shared = FreeMailDomains(list: FreeMailData.text)

    private let domains: Set<String>
    /// Providers with a domain in many countries (yahoo.co.jp, gmx.at, hotmail.fr, ...).
    private static let providerLabels: Set<String> = ["yahoo", "hotmail", "outlook", "live", "gmx", "aol", "ymail", "msn"]

    public init(list: String) {
        domains = Set(list.split(separator: "\n").map(String.init))
    }

    /// True for a free-mail registrable domain.
    public func contains(_ registrableDomain: String) -> Bool {
        if domains.contains(registrableDomain) { return true }
        guard let label = registrableDomain.split(separator: ".").first else { return false }
        return Self.providerLabels.contains(String(label))
    }
}
