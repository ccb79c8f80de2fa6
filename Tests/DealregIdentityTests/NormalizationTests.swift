@testable import DealregIdentity
import Testing

@Suite("Name keys, domains and emails")
struct NormalizationTests {
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

    /// The ASCII fast path (visible ASCII at both ends: returned as it is) and the Unicode path
    /// agree: white space of any kind at either end goes, inner white space and other text stay.
    @Test(arguments: [
        ("", ""), ("   ", ""), ("\t\r\n", ""), ("abc", "abc"), ("a b", "a b"), (" abc ", "abc"),
        ("\tabc\n", "abc"), ("\u{00A0}Müller\u{3000}", "Müller"), ("é ", "é"), (" é", "é"),
        ("a\u{00A0}", "a"), ("\u{2003}x", "x"), ("x\u{0085}", "x"), ("~", "~"), ("!a b~", "!a b~"),
        ("\u{7F}", "\u{7F}"), ("\u{200B}x", "\u{200B}x"),
    ])
    func trimmingWhitespace(_ input: String, _ expected: String) {
        #expect(input.trimmingWhitespace() == expected, "\(input.unicodeScalars.map { String($0.value, radix: 16) })")
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
}
