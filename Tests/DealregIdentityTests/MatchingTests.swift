@testable import DealregIdentity
import Testing

/// Two accounts and the band their score must fall in.
struct PairCase: CustomTestStringConvertible, Sendable {
    let a: AccountFields
    let b: AccountFields
    let band: ClosedRange<Int>
    let why: String
    var testDescription: String { "\(a.name ?? "") ~ \(b.name ?? ""): \(why)" }
}

let duplicate = 90...100, review = 70...89, distinct = 0...69

func pair(_ a: String, _ b: String, _ band: ClosedRange<Int>, _ why: String,
          countries: (String?, String?) = (nil, nil), domains: (String?, String?) = (nil, nil),
          emails: (String?, String?) = (nil, nil), cities: (String?, String?) = (nil, nil),
          postcodes: (String?, String?) = (nil, nil)) -> PairCase {
    PairCase(a: AccountFields(name: a, website: domains.0, email: emails.0, country: countries.0, city: cities.0, postalCode: postcodes.0),
             b: AccountFields(name: b, website: domains.1, email: emails.1, country: countries.1, city: cities.1, postalCode: postcodes.1),
             band: band, why: why)
}

let pairCases: [PairCase] = [
    pair("Fourth Coffee", "Fourth Coffee Inc.", duplicate, "legal form"),
    pair("FOURTH COFFEE INC", "Fourth Coffee, Incorporated", duplicate, "case and legal form"),
    pair("Fourth Cofee", "Fourth Coffee", 0...89, "a one-letter difference alone is never declined"),
    pair("Fourth Cofee", "Fourth Coffee", duplicate, "typo, same domain", domains: ("fourthcoffee.com", "https://www.fourthcoffee.com/contact")),
    pair("Müller GmbH", "MUELLER GMBH", duplicate, "umlaut spelled ue"),
    pair("Société Générale S.A.", "SOCIETE GENERALE SA", duplicate, "accents and dotted form"),
    pair("Siemens AG", "Siemens Aktiengesellschaft", duplicate, "legal form spelled out"),
    pair("Toyota Motor Co.,Ltd.", "TOYOTA MOTOR CORPORATION", duplicate, "stacked legal forms"),
    pair("ООО «Газпром нефть»", "Gazprom Neft LLC", duplicate, "transliteration and legal forms"),
    pair("ПАО Сбербанк", "Sberbank PJSC", duplicate, "Cyrillic legal form"),
    pair("Сisco Systems", "Cisco Systems, Inc.", duplicate, "Cyrillic look-alike letter"),
    pair("раураl", "PayPal, Inc.", duplicate, "mixed-script look-alikes"),
    pair("㈱ソニー", "ソニー株式会社", duplicate, "Japanese legal form before and after"),
    pair("ＫＤＤＩ株式会社", "KDDI Corporation", duplicate, "full width and Japanese legal form"),
    pair("阿里巴巴集团控股有限公司", "Alibaba Group Holding Limited", duplicate, "Han run joined, generic words translated"),
    pair("Ørsted A/S", "Orsted AS", duplicate, "Danish form"),
    pair("Łódź Tekstylia Sp. z o.o.", "Lodz Tekstylia Sp. z o. o.", duplicate, "Polish form"),
    pair("İş Bankası A.Ş.", "Is Bankasi AS", duplicate, "Turkish dotted I"),
    pair("The Coca-Cola Company", "Coca Cola Co", duplicate, "article, hyphen, legal form"),
    pair("Nestlé S.A.", "S.A. Nestlé", duplicate, "legal form before or after"),
    pair("AT&T Inc.", "AT and T", duplicate, "ampersand"),
    pair("A B C Engineering", "ABC Engineering", duplicate, "spaced initials"),
    pair("Procter & Gamble Co.", "Procter and Gamble Company", duplicate, "and, company"),
    pair("First International Computer, Inc.", "First International Computers", duplicate, "common words alone, one in the plural"),
    pair("S.C.E. s.r.l.", "S.C.E. srl", duplicate, "a dotted legal form after dotted initials"),
    pair("Contoso", "Contoso", duplicate, "'New York' and 'New York City' are one city", countries: ("US", "US"), cities: ("New York", "new york city")),
    pair("Contoso", "Totally Different Name", 70...100, "same registrable domain outweighs a different name (a brand)", domains: ("contoso.com", "shop.contoso.com")),
    pair("Yandex", "Яндекс", 0...89, "BGN gives yandeks: never declined on a transliteration alone", countries: ("RU", "RU")),
    pair("Müller GmbH", "Müller GmbH", distinct, "equal names in other countries: related, not the same account", countries: ("DE", "AT")),
    pair("Fourth Coffee", "Fourth Coffee Roasters", 0...89, "longer name: maybe a subsidiary, never declined"),
    // Hard negatives
    pair("Deutsche Bank AG", "Deutsche Bahn AG", distinct, "one letter in a rare token"),
    pair("Siemens Energy AG", "Siemens Healthineers AG", distinct, "sibling companies"),
    pair("American Airlines", "American Express", distinct, "shared generic word"),
    pair("Toyota Motor", "Toyota Industries", distinct, "different distinguishing words"),
    pair("Bank of the West", "Bank of the East", distinct, "generic words never match alone"),
    pair("Johnson & Johnson", "Johnson Controls International plc", distinct, "shared frequent surname"),
    pair("Global Solutions Inc", "Global Solutions Group", 0...50, "only generic words in common"),
    pair("Contoso", "Fabrikam", distinct, "same city and postcode", cities: ("Seattle", "Seattle"), postcodes: ("98101", "98101")),
    pair("Contoso", "Fabrikam", distinct, "same gmail contact domain", emails: ("a@gmail.com", "b@gmail.com")),
    pair("Acme Shop", "Other Shop", distinct, "different shops on one platform", domains: ("acme.myshopify.com", "other.myshopify.com")),
    pair("Acme Inc", "Acme Inc", review, "same name, different websites", domains: ("acme.com", "acme-tools.com")),
]

@Suite("Matching")
struct MatchingTests {
    @Test(arguments: pairCases)
    func scoresInBand(_ testCase: PairCase) {
        let builder = IdentityBuilder()
        var index = AccountIndex()
        index.add(builder.identity(testCase.b))
        let match = index.bestMatch(for: builder.identity(testCase.a), minimumScore: 0)
        let score = match?.score ?? 0
        #expect(testCase.band.contains(score), "\(testCase.testDescription): score \(score) (\(match?.evidence ?? "no candidate"))")
    }

    @Test(arguments: [
        ("New York City", "newyork"), ("new york", "newyork"), ("Mexico City", "mexico"), ("City", "city"),
        ("San Vito al Tagliamento (PN)", "sanvitoaltagliamento"), ("Zürich", "zurich"), ("(PN)", "pn"), ("  ", nil),
    ])
    func cityKeys(_ raw: String, _ expected: String?) {
        #expect(IdentityBuilder.cityKey(raw) == expected)
    }

    @Test(arguments: [("house", "houes", 1), ("adatum", "adautm", 1), ("bank", "bahn", 2), ("kitten", "sitting", 3), ("", "abc", 3)])
    func editDistanceCountsSwapsAsOneEdit(_ a: String, _ b: String, _ expected: Int) {
        #expect(editDistance(a, b) == expected)
    }

    @Test func jaroWinklerKnownValues() {
        #expect(abs(jaroWinkler("martha", "marhta") - 0.961) < 0.001)
        #expect(jaroWinkler("same", "same") == 1)
        #expect(jaroWinkler("abc", "xyz") == 0)
    }

    @Test func evidenceIsReadable() {
        let builder = IdentityBuilder()
        var index = AccountIndex()
        index.add(builder.identity(AccountFields(name: "Fourth Coffee Inc.", website: "fourthcoffee.com", country: "US")))
        let match = index.bestMatch(for: builder.identity(AccountFields(name: "FOURTH COFFEE", website: "https://www.fourthcoffee.com/contact", country: "USA")))
        #expect(match.map { $0.score >= 90 } == true)
        let evidence = match?.evidence ?? ""
        #expect(evidence.contains("name 'fourth coffee' vs 'fourth coffee': the same name (name key)"), "\(evidence)")
        #expect(evidence.contains("the same registrable domain fourthcoffee.com"))
        #expect(evidence.hasPrefix("\(match?.score ?? 0) % = +") && evidence.contains("; prior −"))
    }

    @Test func blockingNeverScansEverything() {
        let builder = IdentityBuilder()
        var index = AccountIndex()
        for number in 0..<3000 { index.add(builder.identity(AccountFields(name: "Generic Holding \(number) Group"))) }
        index.add(builder.identity(AccountFields(name: "Fabrikam Robotics")))
        let candidates = index.candidates(for: builder.identity(AccountFields(name: "Fabrikam Robotic GmbH")))
        #expect(candidates.count < 50)
        #expect(candidates.contains(3000))
    }

    @Test func freeMailIsNotCompanyIdentity() {
        let builder = IdentityBuilder()
        #expect(builder.identity(AccountFields(name: "Contoso", email: "john.smith+deals@Gmail.com")).domain == nil)
        #expect(builder.identity(AccountFields(name: "Contoso", email: "anna@yahoo.co.jp")).domain == nil)
        #expect(builder.identity(AccountFields(name: "WEB.DE GmbH", email: "info@web.de")).domain == "web.de")
        #expect(builder.identity(AccountFields(name: "Acme", email: "j.doe@sales.acme.co.uk")).domain == "acme.co.uk")
        #expect(builder.identity(AccountFields(name: "Acme", website: "acme.com", email: "x@other.com")).domainSource == "website")
    }

    @Test(arguments: [
        ("shop.example.co.uk", "example.co.uk"), ("www.example.com", "example.com"), ("acme.myshopify.com", "acme.myshopify.com"),
        ("a.b.c.example.de", "example.de"), ("xn--bcher-kva.de", "xn--bcher-kva.de"), ("city.kawasaki.jp", "city.kawasaki.jp"),
        ("foo.bar.kawasaki.jp", "foo.bar.kawasaki.jp"), ("example.unknowntld", "example.unknowntld"),
    ])
    func registrableDomain(_ host: String, _ expected: String) {
        #expect(PublicSuffixList.shared.registrableDomain(host) == expected)
    }

    @Test(arguments: ["co.uk", "com", "s3.amazonaws.com", "myshopify.com"])
    func publicSuffixHasNoRegistrableDomain(_ host: String) {
        #expect(PublicSuffixList.shared.registrableDomain(host) == nil)
    }

    @Test(arguments: [
        ("+49 (0)30 1234567", "DE", "+49301234567"), ("030 1234567", "DE", "+49301234567"),
        ("＋８１ ３-１２３４-５６７８", "JP", "+81312345678"), ("03-1234-5678", "JP", "+81312345678"),
        ("(206) 555-0100 ext. 12", "US", "+12065550100"), ("0049 30 1234567", nil, "+49301234567"),
        ("8 (495) 123-45-67", "RU", "+74951234567"),
    ])
    func phones(_ raw: String, _ country: String?, _ expected: String) {
        #expect(ContactFields.phone(raw, country: country) == expected)
    }

    @Test(arguments: [
        ("1067", "DE", "01067"), ("SW1A 1AA", "GB", "SW1A1AA"), ("02139-4307", "US", "02139"), ("〒100-0005", "JP", "1000005"),
        ("v0n 1b4", "CA", "V0N1B4"), ("D-68766", "DE", "68766"), ("CH-8001", "CH", "8001"), ("F 75008", "FR", "75008"),
        ("NL-1234", "GB", "NL1234"),
    ])
    func postcodes(_ raw: String, _ country: String, _ expected: String) {
        #expect(ContactFields.postalCode(raw, country: country) == expected)
    }
}
