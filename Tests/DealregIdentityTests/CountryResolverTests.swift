@testable import DealregIdentity
import Testing

@Suite("Countries")
struct CountryResolverTests {
    @Test(arguments: [
        ("DE", "DE"), ("de", "DE"), ("DEU", "DE"), ("276", "DE"), ("Deutschland", "DE"), ("Allemagne", "DE"),
        ("Germany", "DE"), ("Германия", "DE"), ("ドイツ", "DE"), ("Niemcy", "DE"), ("UK", "GB"), ("Great Britain", "GB"),
        ("United Kingdom", "GB"), ("England", "GB"), ("The Netherlands", "NL"), ("Holland", "NL"), ("Nederland", "NL"),
        ("USA", "US"), ("U.S.", "US"), ("United States", "US"), ("Vereinigte Staaten", "US"), ("Estados Unidos", "US"),
        ("日本", "JP"), ("Japan", "JP"), ("中国", "CN"), ("China", "CN"), ("中華人民共和国", "CN"), ("대한민국", "KR"),
        ("South Korea", "KR"), ("Россия", "RU"), ("Russian Federation", "RU"), ("Österreich", "AT"), ("Schweiz", "CH"),
        ("Frankreich", "FR"), ("Ελλάδα", "GR"), ("Côte d’Ivoire", "CI"), ("Ivory Coast", "CI"), ("Türkiye", "TR"),
        ("Turkey", "TR"), ("UAE", "AE"), ("الإمارات العربية المتحدة", "AE"), ("Czechia", "CZ"), ("Czech Republic", "CZ"),
        ("  france ", "FR"), ("España", "ES"), ("Brasil", "BR"), ("México", "MX"), ("Polska", "PL"), ("Sverige", "SE"),
    ])
    func resolves(_ input: String, _ expected: String) {
        #expect(CountryResolver.shared.resolve(input) == expected, "\(input)")
    }

    @Test(arguments: ["Korea", "Atlantis", "", "XX", "EL", "SU", "12345", "Europe"])
    func doesNotResolve(_ input: String) {
        #expect(CountryResolver.shared.resolve(input) == nil, "\(input)")
    }
}

@Suite("Regions")
struct RegionTests {
    @Test(arguments: [
        ("US-CA", nil as String?, "US-CA" as String?), ("ca", "US", "US-CA"), ("BY", "DE", "DE-BY"), (" us-wa ", "US", "US-WA"),
        ("California", "US", nil), ("US-CA", "DE", nil), ("13", "FR", "FR-13"), ("", "US", nil),
    ])
    func subdivision(_ raw: String, _ country: String?, _ expected: String?) {
        #expect(Region.subdivision(raw, country: country) == expected)
    }
}
