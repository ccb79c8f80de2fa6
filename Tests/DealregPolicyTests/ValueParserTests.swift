import DealregPolicy
import Foundation
import Testing

@Suite("Dates")
struct DateTests {
    @Test(arguments: [
        ("2027-03-04", "MDY", "2027-03-04"),
        ("2027-03-04T10:00:00Z", "MDY", "2027-03-04"),
        ("2027-03-04 10:00", "DMY", "2027-03-04"),
        ("2027/03/04", "DMY", "2027-03-04"),
        ("20270304", "MDY", "2027-03-04"),
        ("03/04/2027", "MDY", "2027-03-04"),
        ("03/04/2027", "DMY", "2027-04-03"),
        ("3/4/27", "MDY", "2027-03-04"),
        ("03-04-2027", "DMY", "2027-04-03"),
        ("04.03.2027", "MDY", "2027-03-04"),
        ("4.3.2027", "DMY", "2027-03-04"),
        ("4 Mar 2027", "MDY", "2027-03-04"),
        ("4-Mar-27", "MDY", "2027-03-04"),
        ("March 4, 2027", "DMY", "2027-03-04"),
        ("Mar 4 2027", "MDY", "2027-03-04"),
        ("2027 March 4", "MDY", "2027-03-04"),
        ("46450", "MDY", "2027-03-04"),
        ("2028-02-29", "MDY", "2028-02-29"),
        ("03/04/2027 09:30", "MDY", "2027-03-04"),
    ])
    func parses(_ input: String, _ order: String, _ expected: String) {
        let parser = DateParser(order: DateOrder(rawValue: order)!)
        #expect((try? parser.parse(input).get())?.description == expected, "\(input) as \(order)")
    }

    @Test(arguments: [
        ("13/04/2027", "MDY", DateProblem.contradictsDateOrder(.monthDayYear)),
        ("04/13/2027", "DMY", DateProblem.contradictsDateOrder(.dayMonthYear)),
        ("13/31/2027", "MDY", DateProblem.noSuchDay),
        ("2027-02-29", "MDY", DateProblem.noSuchDay),
        ("2027-13-01", "DMY", DateProblem.noSuchDay),
        ("next tuesday", "MDY", DateProblem.unrecognized),
        ("Q1 2027", "MDY", DateProblem.unrecognized),
        ("12345", "MDY", DateProblem.unrecognized),
        ("", "MDY", DateProblem.unrecognized),
        ("1/2/3/4", "MDY", DateProblem.unrecognized),
    ])
    func rejects(_ input: String, _ order: String, _ problem: DateProblem) {
        let parser = DateParser(order: DateOrder(rawValue: order)!)
        #expect(parser.parse(input) == .failure(problem), "\(input) as \(order)")
    }

    @Test func dayArithmeticRoundTrips() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ordinal = Int.random(in: -30000...80000, using: &rng)
            let day = Day(ordinal: ordinal)
            let (y, m, d) = day.components
            #expect(Day(year: y, month: m, day: d) == day)
            #expect(Day(iso: day.description) == day)
        }
        #expect(Day(year: 1970, month: 1, day: 1)?.ordinal == 0)
        #expect(Day(iso: "2026-11-23")!.adding(days: 90).description == "2027-02-21")
        #expect(Day(year: 2027, month: 2, day: 29) == nil)
    }

    @Test(arguments: [
        ("2026-11-21T09:15:00+09:00", 1_795_220_100),
        ("2026-11-21T00:15:00Z", 1_795_220_100),
        ("2026-11-21 00:15", 1_795_220_100),
        ("2026-11-21", 1_795_219_200),
        ("2026-11-20T19:15:00-0500", 1_795_220_100),
    ])
    func timestamps(_ input: String, _ seconds: Int) {
        #expect(Timestamp.parse(input, order: .monthDayYear) == seconds, "\(input)")
    }

    @Test(arguments: ["2026-11-21T25:00", "yesterday", "2026-11-21Tnoon"])
    func badTimestamps(_ input: String) {
        #expect(Timestamp.parse(input, order: .monthDayYear) == nil)
    }
}

@Suite("Amounts")
struct AmountTests {
    @Test(arguments: [
        ("12000", 12000.0, nil as String?),
        ("$12,500.00", 12500.0, "USD"),
        ("12 500", 12500.0, nil),
        ("12\u{00A0}500", 12500.0, nil),
        ("12.500,00 €", 12500.0, "EUR"),
        ("€ 40.000,00", 40000.0, "EUR"),
        ("1.234.567,89", 1234567.89, nil),
        ("1,234,567.89", 1234567.89, nil),
        ("12,5", 12.5, nil),
        ("12.50", 12.5, nil),
        ("1.234", 1234.0, nil),
        ("1,234", 1234.0, nil),
        ("CHF 46'000", 46000.0, "CHF"),
        ("EUR 12500", 12500.0, "EUR"),
        ("12500 USD", 12500.0, "USD"),
        ("£14,200", 14200.0, "GBP"),
        ("¥4,800,000", 4800000.0, "JPY"),
        ("3 500 000 ₽", 3500000.0, "RUB"),
        ("+5000", 5000.0, nil),
        (".5", 0.5, nil),
    ])
    func parses(_ input: String, _ value: Double, _ currency: String?) {
        #expect(AmountParser.parse(input) == .success(Amount(value: value, currency: currency)), "\(input)")
    }

    @Test(arguments: [
        ("twelve thousand", AmountProblem.notANumber),
        ("12k", AmountProblem.notANumber),
        ("", AmountProblem.notANumber),
        ("1,5 Mio", AmountProblem.notANumber),
        ("1,23,4", AmountProblem.ambiguousSeparators),
        ("1.2345", AmountProblem.ambiguousSeparators),
        ("1,000.000,00", AmountProblem.ambiguousSeparators),
        ("-500", AmountProblem.notPositive),
        ("(500)", AmountProblem.notPositive),
        ("0", AmountProblem.notPositive),
        ("0,00", AmountProblem.notPositive),
    ])
    func rejects(_ input: String, _ problem: AmountProblem) {
        #expect(AmountParser.parse(input) == .failure(problem), "\(input)")
    }

    /// The schemas' deal_value pattern (what `frictionless validate` checks) takes every amount
    /// the parser reads as partners type them, and refuses words and negative amounts.
    @Test func schemaPatternFitsWhatTheParserReads() throws {
        let pattern = try NSRegularExpression(pattern: "^(?:" + AmountParser.pattern + ")$")
        func fits(_ text: String) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        for text in ["12000", "$12,500.00", "12 500", "12\u{00A0}500", "12.500,00 €", "€ 40.000,00", "1.234.567,89", "12,5",
                     "CHF 46'000", "EUR 12500", "12500 USD", "£14,200", "¥4,800,000", "3 500 000 ₽", "+5000", ".5",
                     "US$ 1,000", "Fr. 1'250'000", "1 000 zł", "kr 12 000", " 48000 "] {
            #expect(fits(text), "\(text)")
            #expect((try? AmountParser.parse(text).get()) != nil, "\(text)")
        }
        for text in ["twelve thousand", "12k", "1,5 Mio", "-500", "(500)", "12.500;00 €", "$", "EUR"] {
            #expect(!fits(text), "\(text)")
        }
    }
}
