/// Everything identity compares about one account.
public struct AccountIdentity: Sendable {
    public var name: CompanyName
    /// Registrable domain of the company's website or, failing that, of a non-free-mail contact email.
    public var domain: String? {
        didSet { domainLabel = Self.label(of: domain) }
    }
    /// The first label of the registrable domain ("amazon" of amazon.de).
    public private(set) var domainLabel: String?
    /// Where `domain` came from: "website" or "email".
    public var domainSource: String?
    /// The domain is a free-mail provider's, given as the account's own website
    /// (yandex.ru for Yandex): evidence only where the names also agree.
    public var domainIsFreeMail = false
    public var country: String?
    public var city: String?
    public var postalCode: String?
    public var phone: String?
    /// House number, street and unit, when the row gives a street address.
    public var street: StreetAddress?

    public init(name: CompanyName, domain: String? = nil, domainSource: String? = nil, country: String? = nil,
                city: String? = nil, postalCode: String? = nil, phone: String? = nil, street: StreetAddress? = nil) {
        self.name = name
        self.domain = domain
        domainLabel = Self.label(of: domain)
        self.domainSource = domainSource
        self.country = country
        self.city = city
        self.postalCode = postalCode
        self.phone = phone
        self.street = street
    }

    /// Stored rather than computed: every candidate comparison reads it.
    private static func label(of domain: String?) -> String? { domain.map { String($0.prefix { $0 != "." }) } }

    /// True when the identity has something to match on.
    public var isUsable: Bool { !name.isEmpty || domain != nil }
}

/// The raw fields of an account as a row gives them.
public struct AccountFields: Sendable {
    public var name: String?
    public var website: String?
    public var email: String?
    public var country: String?
    public var city: String?
    public var postalCode: String?
    public var phone: String?
    /// The street address line ("492 Broome St., Suite 4").
    public var address: String?

    public init(name: String? = nil, website: String? = nil, email: String? = nil, country: String? = nil,
                city: String? = nil, postalCode: String? = nil, phone: String? = nil, address: String? = nil) {
        self.name = name
        self.website = website
        self.email = email
        self.country = country
        self.city = city
        self.postalCode = postalCode
        self.phone = phone
        self.address = address
    }
}

/// Builds `AccountIdentity` values from raw fields.
///
/// Not thread-safe (owns a name normalizer): one per thread.
public final class IdentityBuilder {
    public let names = CompanyNameNormalizer()
    private let suffixes = PublicSuffixList.shared
    private let freeMail = FreeMailDomains.shared

    public init() {}

    /// The identity, using only the values that parse; validation reports the rest.
    public func identity(_ fields: AccountFields) -> AccountIdentity {
        let name = names.normalize(fields.name ?? "")
        let country = fields.country.flatMap { CountryResolver.shared.resolve($0) }
        var identity = AccountIdentity(name: name, country: country)
        if let website = fields.website, let domain = companyDomain(website, name: name, keepFreeMail: true) {
            identity.domain = domain
            identity.domainSource = "website"
            identity.domainIsFreeMail = freeMail.contains(domain)
        } else if let email = fields.email, case .success(let address) = EmailAddress.parse(email),
                  let domain = companyDomain(address.domain, name: name) {
            identity.domain = domain
            identity.domainSource = "email"
        }
        identity.city = fields.city.flatMap(Self.cityKey)
        identity.postalCode = fields.postalCode.flatMap { ContactFields.postalCode($0, country: country) }
        identity.phone = fields.phone.flatMap { ContactFields.phone($0, country: country) }
        identity.street = fields.address.flatMap(StreetAddress.init)
        return identity
    }

    /// A city as compared: ASCII words joined, an aside in brackets dropped ("San Vito al
    /// Tagliamento (PN)"), and "city" after a name read as the name ("New York City" / "New York",
    /// "Mexico City" / "Mexico").
    public static func cityKey(_ raw: String) -> String? {
        var words = ASCIIFolding.words(CompanyNameNormalizer.withoutAsides(raw) ?? raw).split(separator: " ")
        if words.count > 1, words.last == "city" { words.removeLast() }
        let key = words.joined()
        return key.isEmpty ? nil : key
    }

    /// The registrable domain of a host or URL, unless it is a free-mail provider's
    /// (kept when the company is that provider: "WEB.DE GmbH" and web.de).
    ///
    /// - Parameter keepFreeMail: keep a free-mail provider's domain given as the account's own
    ///   website (the free-mail rule is for contact emails); it then counts only where names agree.
    public func companyDomain(_ raw: String, name: CompanyName, keepFreeMail: Bool = false) -> String? {
        guard case .success(let host) = WebDomain.parse(raw), let registrable = suffixes.registrableDomain(host) else {
            return nil
        }
        if freeMail.contains(registrable) && !keepFreeMail {
            let spelled = registrable.replacing(".", with: "")
            let label = String(registrable.prefix { $0 != "." })
            guard name.condensedKey == spelled || name.condensedKey == label else { return nil }
        }
        return registrable
    }
}
