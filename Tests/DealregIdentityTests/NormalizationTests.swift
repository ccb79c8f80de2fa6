@testable import DealregIdentity
import Testing

@Suite("Name keys, domains and emails")
struct NormalizationTests {
    @Test(arguments: [
        ("Fourth Coffee, Inc.", "fourth coffee inc"),
        ("FOURTH  COFFEE INC", "fourth coffee inc"),
        ("Café Crème SARL", "cafe creme sarl"),
        ("Müller GmbH", "muller gmbh"),
        ("Straße Bau AG", "strasse bau ag"),
        ("Ｓｏｎｙ Ｃｏｒｐｏｒａｔｉｏｎ", "sony corporation"),
        ("AT&T Inc.", "at and t inc"),
        ("Procter & Gamble", "procter and gamble"),
        ("O'Reilly Media", "oreilly media"),
        ("Ørsted A/S", "orsted a s"),
        ("Łódź Sp. z o.o.", "lodz sp z o o"),
        ("İş Bankası A.Ş.", "is bankasi a s"),
        ("ООО «Газпром нефть»", "ooo gazprom neft"),
        ("Ελληνικά Πετρέλαια", "ellenika petrelaia"),
        ("ソニー株式会社", "soni zhu shi hui she"),
        ("삼성전자", "samseongjeonja"),
        ("!!!", ""),
    ])
    func companyNameKey(_ input: String, _ expected: String) throws {
        #expect(try CompanyNameKeyer().key(input) == expected)
    }

    @Test(arguments: [
        ("https://www.Bücher.de/shop?x=1", "xn--bcher-kva.de"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("WWW.EXAMPLE.CO.UK.", "example.co.uk"),
        ("http://user:pw@fourthcoffee.com:8080/contact", "fourthcoffee.com"),
        ("ＥＸＡＭＰＬＥ．ＣＯＭ", "example.com"),
        ("münchen。de", "xn--mnchen-3ya.de"),
        ("faß.de", "xn--fa-hia.de"),
        ("  contoso.com  ", "contoso.com"),
        ("www.com", "www.com"),
        ("shop.example.com#top", "shop.example.com"),
    ])
    func webDomain(_ input: String, _ expected: String) throws {
        #expect(try WebDomain.parse(input).get() == expected)
    }

    @Test(arguments: ["", "localhost", "exa_mple.com", "-bad-.com", "sub..example.com", "http://"])
    func invalidWebDomain(_ input: String) {
        #expect((try? WebDomain.parse(input).get()) == nil, "\(input)")
    }

    @Test(arguments: [
        ("john.smith@contoso.com", "contoso.com"),
        ("John Smith <john@Contoso.COM>", "contoso.com"),
        ("mailto:anna@müller-gmbh.de", "xn--mller-gmbh-9db.de"),
        ("\"odd@local\"@example.org", "example.org"),
    ])
    func email(_ input: String, _ domain: String) throws {
        #expect(try EmailAddress.parse(input).get().domain == domain)
    }

    @Test(arguments: ["hello@relecloud", "no-at-sign.com", "@example.com", "a b@example.com", "x@exa_mple.com"])
    func invalidEmail(_ input: String) {
        #expect((try? EmailAddress.parse(input).get()) == nil, "\(input)")
    }

    @Test func nfkcCasefoldMatchesICU() {
        #expect(nfkcCasefold("ＫＤＤＩ株式会社") == "kddi株式会社")
        #expect(nfkcCasefold("Straße") == "strasse")
        #expect(nfkcCasefold("㈱ソニー") == "(株)ソニー")
        #expect(nfkcCasefold("plain ascii") == "plain ascii")
    }

    @Test func icuVersionIsReported() {
        #expect(icuVersion.hasPrefix("72."))
    }

    @Test func matcherFindsByDomainOrNameAndRespectsCountry() {
        var matcher = AccountMatcher()
        matcher.add(AccountIdentity(nameKey: "fourth coffee inc", domain: "fourthcoffee.com", country: "US"))
        matcher.add(AccountIdentity(nameKey: "grunwald logistik ag", domain: nil, country: "AT"))
        let byDomain = matcher.bestMatch(for: AccountIdentity(nameKey: "4th coffee", domain: "fourthcoffee.com", country: nil))
        #expect(byDomain == AccountMatch(entry: 0, score: 100, evidence: "same web domain fourthcoffee.com"))
        let byName = matcher.bestMatch(for: AccountIdentity(nameKey: "fourth coffee inc", domain: nil, country: "US"))
        #expect(byName?.score == 100)
        let otherCountry = matcher.bestMatch(for: AccountIdentity(nameKey: "grunwald logistik ag", domain: nil, country: "DE"))
        #expect(otherCountry?.score == 75)
        #expect(matcher.bestMatch(for: AccountIdentity(nameKey: "contoso", domain: "contoso.com", country: nil)) == nil)
        #expect(matcher.bestMatch(for: AccountIdentity(nameKey: "fourth coffee inc", domain: nil, country: nil), where: { $0 != 0 }) == nil)
    }
}
