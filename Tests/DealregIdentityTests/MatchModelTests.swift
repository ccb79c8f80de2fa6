@testable import DealregIdentity
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A snapshot-like world for the match model: `count` made-up companies with
/// addresses, cities and phones, so `u` is measured as on a real snapshot.
/// Names are pronounceable pseudo-words from a fixed seed; cities repeat (there are 12).
func backgroundIndex(_ count: Int = 1_500, builder: IdentityBuilder) -> AccountIndex {
    var index = AccountIndex()
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
    let consonants = Array("bdfgklmnprstvz"), vowels = Array("aeiou")
    func word() -> String {
        // Three or four syllables: names of different companies seldom collide, as in a real registry.
        String((0..<(3 + next(2))).flatMap { _ in [consonants[next(consonants.count)], vowels[next(vowels.count)]] })
    }
    let cities = ["Springfield", "Riverton", "Lakeside", "Fairview", "Milton", "Ashford", "Clayton", "Dover", "Easton",
                  "Franklin", "Georgetown", "Hudson"]
    let streets = ["Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St", "Park Blvd", "Lake Rd"]
    for _ in 0..<count {
        // A few common words, as in any registry.
        let common = next(10) == 0 ? " " + ["Information", "Electronic", "Systems"][next(3)] : ""
        index.add(builder.identity(AccountFields(
            name: "\(word().uppercased())\(common) \(["Inc", "LLC", "Corp", "Ltd", ""][next(5)])", country: "US",
            city: cities[next(cities.count)], phone: "+1 \(200 + next(700)) 555 \(1000 + next(9000))",
            address: "\(1 + next(9999)) \(streets[next(streets.count)])")))
    }
    return index
}

/// One row against one entry in the background world (`PairCase`: the band its score must fall in).
let modelCases: [PairCase] = [
    // 1. Evidence against: both rows have a phone and a street, and they differ.
    PairCase(a: AccountFields(name: "Lumo", country: "US", city: "Springfield", phone: "+1 217 555 0101", address: "12 Walnut St"),
              b: AccountFields(name: "Numo", country: "US", city: "Springfield", phone: "+1 217 555 0199", address: "400 Birch Ave"),
              band: 0...69, why: "one letter apart, same city, different street and phone"),
    PairCase(a: AccountFields(name: "Lumo Trading", country: "US", city: "Springfield", phone: "(217) 555-0101", address: "12 Walnut Street"),
              b: AccountFields(name: "LUMO TRADING CO", country: "US", city: "Springfield", phone: "+1 217 555 0101", address: "12 Walnut St."),
              band: 90...100, why: "same phone and street address, name written differently"),
    PairCase(a: AccountFields(name: "Kestrel Lumo Partners", country: "US", city: "Springfield", phone: "+1 217 555 0101", address: "12 Walnut St"),
              b: AccountFields(name: "Lumo", country: "US", city: "Springfield", phone: "+1 217 555 0101", address: "12 Walnut Street"),
              band: 90...100, why: "agreeing phone and address carry a looser name"),
    // 2. Short names one letter apart are different words, not typos.
    PairCase(a: AccountFields(name: "Rako"), b: AccountFields(name: "Tako"), band: 0...69, why: "short names one letter apart"),
    PairCase(a: AccountFields(name: "Bram"), b: AccountFields(name: "Bran"), band: 0...69, why: "short names one letter apart"),
    PairCase(a: AccountFields(name: "Rako GmbH"), b: AccountFields(name: "RAKO"), band: 70...100, why: "the same short name"),
    // 3. A family: a shared brand, each name with a qualifier of its own.
    PairCase(a: AccountFields(name: "Veyra Korea Semiconductor"), b: AccountFields(name: "Veyra Energy Semiconductor"),
             band: 0...69, why: "related companies, not the same account"),
    PairCase(a: AccountFields(name: "Veyra Semiconductor Inc."), b: AccountFields(name: "VEYRA SEMICONDUCTORS"),
             band: 90...100, why: "the same company, legal form and plural aside"),
    // 4. Same name, another site: both addresses present and clearly different.
    PairCase(a: AccountFields(name: "Harbor Grill", country: "US", city: "Riverton", phone: "+1 301 555 0142", address: "88 Front St"),
              b: AccountFields(name: "Harbor Grill", country: "US", city: "Lakeside", phone: "+1 302 555 0177", address: "5 Shore Rd"),
              band: 0...69, why: "a chain's other site: different city, street and phone"),
    PairCase(a: AccountFields(name: "Harbor Grill", country: "US", city: "Riverton", phone: "+1 301 555 0142", address: "88 Front St"),
              b: AccountFields(name: "Harbor Grill", country: "US", city: "Riverton", phone: "+1 301 555 0142", address: "88 Front Street"),
              band: 90...100, why: "the same site"),
    // Abbreviated common words are the same words (the background world holds "information" and
    // "electronic" in several names); a brand's prefix is not an abbreviation.
    PairCase(a: AccountFields(name: "Kolvex Info. Systems America, Inc."), b: AccountFields(name: "Kolvex Information Systems America"),
             band: 70...100, why: "info for information"),
    PairCase(a: AccountFields(name: "Dravo Elec. Components"), b: AccountFields(name: "Dravo Electronic Components"),
             band: 70...100, why: "elec for electronic"),
    PairCase(a: AccountFields(name: "Tek Systems"), b: AccountFields(name: "Tektronix Systems"),
             band: 0...69, why: "a rare brand is not the abbreviation of a longer one"),
    // 5. A free-mail provider's domain as the account's own website.
    PairCase(a: AccountFields(name: "Yandex", website: "yandex.ru", country: "RU"),
              b: AccountFields(name: "Яндекс", website: "https://yandex.ru", country: "RU"),
              band: 90...100, why: "the provider's own site, names agree"),
    PairCase(a: AccountFields(name: "Zelvo Plumbing", website: "gmail.com"),
              b: AccountFields(name: "Marek Electric", website: "gmail.com"),
              band: 0...69, why: "a mailbox host as website says nothing"),
]

@Suite("Match model")
struct MatchModelTests {
    @Test(arguments: modelCases)
    func scoresInBand(_ testCase: PairCase) {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(testCase.b))
        let model = index.estimateModel()
        let match = index.explain(builder.identity(testCase.a), entry: entry, model: model)
        #expect(testCase.band.contains(match.score), "\(testCase.testDescription): \(match.score) (\(match.evidence))")
    }

    /// A name that is the other's with the city both accounts are in added before or after it is
    /// the same name; in another city, or with only a generic word left, it is not.
    @Test(arguments: [
        (AccountFields(name: "SHENZHEN KOLVEX TECHNOLOGIES CO., LTD.", country: "CN", city: "Shenzhen"),
         AccountFields(name: "Kolvex Technology (SZ) Co., Ltd", country: "CN", city: "Shenzhen"), true, "the seat written first"),
        (AccountFields(name: "Kolvex Marivo Hamburg", country: "DE", city: "Hamburg"),
         AccountFields(name: "Kolvex Marivo GmbH", country: "DE", city: "Hamburg"), true, "the seat written last"),
        (AccountFields(name: "Kolvex Marivo GmbH", country: "DE", city: "Hamburg"),
         AccountFields(name: "Hamburg Kolvex Marivo", country: "DE", city: "Hamburg"), true, "the other way round"),
        (AccountFields(name: "Shenzhen Kolvex", country: "CN", city: "Shenzhen"),
         AccountFields(name: "Kolvex", country: "CN", city: "Dongguan"), false, "another city"),
        (AccountFields(name: "Shenzhen Kolvex", country: "CN"),
         AccountFields(name: "Kolvex", country: "CN"), false, "no city given"),
        (AccountFields(name: "Shenzhen Technology", country: "CN", city: "Shenzhen"),
         AccountFields(name: "Technology", country: "CN", city: "Shenzhen"), false, "only a generic word left"),
        (AccountFields(name: "Kolvex Shenzhen Marivo", country: "CN", city: "Shenzhen"),
         AccountFields(name: "Kolvex Marivo", country: "CN", city: "Shenzhen"), false, "the city inside the name is not its seat added"),
    ] as [(AccountFields, AccountFields, Bool, String)])
    func theCityBothAreInIsNotPartOfTheName(_ a: AccountFields, _ b: AccountFields, _ same: Bool, _ why: String) {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(b))
        let level = index.compare(builder.identity(a), entry: entry)[.name]
        #expect((level == MatchField.equalNameLevel) == same, "\(why): level \(level) (\(MatchField.name.levels[Int(level)]))")
        if same {
            let match = index.explain(builder.identity(a), entry: entry, model: index.estimateModel())
            #expect(match.evidence.contains("the same name (the name without the city both are in)"), "\(match.evidence)")
        }
    }

    /// The model measured on several threads is the one measured on one, to the last bit: each
    /// thread records its queries' pairs and the sums are taken in query order afterwards.
    @Test func theModelDoesNotDependOnTheThreads() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        for number in 0..<40 {
            index.add(builder.identity(AccountFields(name: "Kolvex \(number % 7 == 0 ? "Systems" : "Works \(number)")", country: "DE",
                                                     city: number % 3 == 0 ? "Berlin" : "Hamburg", postalCode: "1011\(number % 5)",
                                                     phone: "+49 30 5550\(number % 9)", address: "\(number % 4 + 1) Hauptstraße")))
        }
        let one = index.estimateModel(threads: 1)
        #expect(one.nameRarityMean.contains { $0 > 0 })
        for threads in [2, 3, 8] {
            let many = index.estimateModel(threads: threads)
            #expect(many == one, "\(threads) threads")
        }
    }

    @Test func disagreementNeverCountsForAndAgreementNeverAgainst() {
        let builder = IdentityBuilder()
        let model = backgroundIndex(builder: builder).estimateModel()
        for field in MatchField.allCases {
            #expect(model.weight(field, 0) == 0, "\(field): a missing value is no evidence")
            #expect(model.weight(field, 1) <= 0, "\(field): disagreement")
            #expect(model.weight(field, UInt8(field.levels.count - 1)) >= 0, "\(field): full agreement")
        }
        for level in 2..<7 { #expect(model.weight(.name, UInt8(level)) <= model.weight(.name, UInt8(level + 1))) }
    }

    @Test func anotherHouseNumberOnTheSameStreetCountsAgainst() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(AccountFields(name: "Harbor Grill", city: "Riverton", address: "120 Front St")))
        let model = index.estimateModel()
        #expect(model.weight(.address, 2) < 0)
        let same = index.explain(builder.identity(AccountFields(name: "Harbor Grill", city: "Riverton", address: "120 Front Street")),
                                 entry: entry, model: model)
        let other = index.explain(builder.identity(AccountFields(name: "Harbor Grill", city: "Riverton", address: "88 Front St")),
                                  entry: entry, model: model)
        #expect(other.evidence.contains("the same street, another house number (88 vs 120)"), "\(other.evidence)")
        func bits(_ address: String) -> Double {
            model.logOdds(index.compare(builder.identity(AccountFields(name: "Harbor Grill", city: "Riverton", address: address)),
                                        entry: entry))
        }
        #expect(bits("88 Front St") < bits("120 Front Street") - 10, "\(other.evidence) vs \(same.evidence)")
    }

    @Test func uIsMeasuredOnTheSnapshot() {
        let builder = IdentityBuilder()
        let model = backgroundIndex(builder: builder).estimateModel()
        // 12 cities: two random deals share one about 1 time in 12; phones almost never.
        let sameCity = model.u[MatchField.city.rawValue][2]
        #expect(sameCity > 0.06 && sameCity < 0.12, "u(same city) = \(sameCity)")
        #expect(model.u[MatchField.phone.rawValue][2] < 0.001)
        #expect(model.weight(.city, 2) < model.weight(.phone, 2))
    }

    /// `match.sites`: a chain's sites under one name, by the policy's rule.
    @Test(arguments: [
        // (row's address, row's phone, sites, band, capped)
        ("5 Shore Rd", "+1 302 555 0177", ScoreRules.Sites.separate, 0...69, true),      // another street, another phone
        ("120 Front St", "+1 302 555 0177", .separate, 0...69, true),                    // another house number
        ("5 Shore Rd", "+1 301 555 0142", .separate, 90...100, false),                   // a corner site: the same phone
        ("88 Front Street", "+1 301 555 0142", .separate, 90...100, false),              // the same site
        ("5 Shore Rd", "+1 302 555 0177", .same, 90...100, false),                       // sites are one account
        ("88 Front Street", "+1 302 555 0177", .same, 90...100, false),
    ])
    func sites(_ address: String, _ phone: String, _ sites: ScoreRules.Sites, _ band: ClosedRange<Int>, _ capped: Bool) {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(AccountFields(name: "Harbor Grill", country: "US", city: "Riverton",
                                                             phone: "+1 301 555 0142", address: "88 Front St")))
        let model = index.estimateModel()
        let rules = ScoreRules(duplicateScore: 90, reviewScore: 70, sites: sites)
        let match = index.explanation(builder.identity(AccountFields(name: "Harbor Grill", country: "US", city: "Riverton",
                                                                     phone: phone, address: address)),
                                      entry: entry, model: model, rules: rules)
        #expect(band.contains(match.score), "\(match.text)")
        #expect((match.cap != nil) == capped, "\(match.text)")
        if capped { #expect(match.text.hasSuffix("at most 69 %: another site (match.sites: separate)")) }
        if sites == .same { #expect(!match.text.contains("different phones") && !match.text.contains("different street")) }
    }

    /// An address many accounts share (an office tower) says less than a private one.
    /// Name levels the comparison assigns (the background world holds "Information", "Electronic"
    /// and "Systems" in about one name in thirty each: common words there, learned, not listed).
    @Test(arguments: [
        ("Kolvex Systems Inc", "Kolvex", MatchField.commonWordsLevel...6, "a brand and a generic word"),
        ("Kolvex Electronic Systems", "KOLVEX CORP", MatchField.commonWordsLevel...MatchField.commonWordsLevel, "two common words"),
        ("Zorvath Kolvex", "Kolvex", 0...4, "a rare word of its own makes another name"),
        ("T-Kolvex Systems", "Kolvex Systems", 0...4, "a lone letter is part of the name, not a descriptor"),
        ("Kolvex Energy Systems", "Kolvex Korea Systems", MatchField.sharedWordLevel...MatchField.sharedWordLevel,
         "each name has a word of its own: a family"),
        ("Telematika Information", "Telmatika Information", 3...6, "a long word one letter off: alike, not equal"),
        ("Ravel Information", "Rovel Information", 0...5, "a short word one letter off is not assumed a typo"),
        ("Kolvex Info. Systems", "Kolvex Information Systems", MatchField.equalNameLevel...MatchField.equalNameLevel,
         "a common word abbreviated beside a brand met whole: the same name"),
        ("Kolvex Information Systems", "Kolvex Info. Systems", MatchField.equalNameLevel...MatchField.equalNameLevel,
         "the same, the other way round"),
        ("Info. Systems", "Information Systems", 0...6, "common words alone, one abbreviated: not assumed the same name"),
        ("Kolvex Info. Systems", "Kolvex Information Systems America", 0...6, "a word of its own beside the abbreviation"),
        ("Kolvex GmbH Technology", "Zorvath GmbH Technology", 0...1,
         "a legal form left inside both names is no shared brand"),
        ("Kolvex GmbH Technology", "Kolvex Technology", MatchField.commonWordsLevel...MatchField.equalNameLevel,
         "a legal form inside one name is no word of its own"),
    ] as [(String, String, ClosedRange<UInt8>, String)])
    func nameLevels(_ a: String, _ b: String, _ levels: ClosedRange<UInt8>, _ why: String) {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(AccountFields(name: b)))
        let level = index.compare(builder.identity(AccountFields(name: a)), entry: entry)[.name]
        #expect(levels.contains(level), "\(why): '\(a)' vs '\(b)' at level \(level) (\(MatchField.name.levels[Int(level)]))")
    }

    /// Place names and words many different companies hold describe an account; they do not name it.
    @Test func placesAndLearnedDescriptorsAreNotBrands() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        // Sixty different vendors, each "Shenzhen X Electronic", in Shenzhen: one registry's shape.
        for number in 0..<60 {
            index.add(builder.identity(AccountFields(name: "Shenzhen Vendor\(number)x Electronic Co., Ltd", country: "CN",
                                                     city: "Shenzhen")))
        }
        let kolvex = index.add(builder.identity(AccountFields(name: "Kolvex Electronic", country: "US", city: "Riverton")))
        let catic = index.add(builder.identity(AccountFields(name: "Shenzhen Catic Bit Communications", country: "CN", city: "Shenzhen")))
        index.learnDescriptors()
        #expect(index.isDescriptor("electronic") && !index.isDescriptor("kolvex"))
        let other = index.compare(builder.identity(AccountFields(name: "Marbo Electronic", country: "US")), entry: kolvex)
        #expect(other[.name] == 1, "a learned descriptor alone: different names (level \(other[.name]))")
        let same = index.compare(builder.identity(AccountFields(name: "Kolvex Electronic Inc", country: "US")), entry: kolvex)
        #expect(same[.name] == MatchField.equalNameLevel)
        let neighbour = index.compare(builder.identity(AccountFields(name: "Shenzhen Juwangshi Tech", country: "CN", city: "Shenzhen")),
                                      entry: catic)
        #expect(neighbour[.name] == 1, "the city in both names is not a shared brand (level \(neighbour[.name]))")
        let model = index.estimateModel()
        #expect(model.u[MatchField.name.rawValue][Int(MatchField.sharedWordLevel)] > 1e-3,
                "sharing a word is as common as the words' frequencies say")
    }

    /// Nested location fields are counted once: the same street address says the same city.
    @Test(arguments: [
        (AccountFields(name: "Kolvex", city: "Riverton", postalCode: "11111", address: "12 Walnut St"),
         AccountFields(name: "Kolvex", city: "Riverton", postalCode: "11111", address: "12 Walnut Street"),
         SIMD4<UInt8>(3, 0, 0, 0), "the same street address alone"),
        (AccountFields(name: "Kolvex", city: "Riverton", postalCode: "11111", address: "12 Walnut St"),
         AccountFields(name: "Kolvex", city: "Riverton", postalCode: "11111", address: "400 Birch Ave"),
         SIMD4<UInt8>(1, 2, 0, 0), "another street, the same postal code"),
        (AccountFields(name: "Kolvex", city: "Riverton", postalCode: "11111", address: "12 Walnut St"),
         AccountFields(name: "Kolvex", city: "Lakeside", postalCode: "22222", address: "400 Birch Ave"),
         SIMD4<UInt8>(1, 0, 1, 0), "another city: its postal code differs by that alone"),
    ] as [(AccountFields, AccountFields, SIMD4<UInt8>, String)])
    func locationIsCountedOnce(_ a: AccountFields, _ b: AccountFields, _ levels: SIMD4<UInt8>, _ why: String) {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(b))
        let vector = index.compare(builder.identity(a), entry: entry)
        let got = SIMD4<UInt8>(vector[.address], vector[.postcode], vector[.city], 0)
        #expect(got == levels, "\(why): address, postcode, city = \(got)")
    }

    /// Another country caps a pair below review unless a website or phone ties the two; another
    /// site needs a different phone as well as a different street.
    @Test(arguments: [
        (AccountFields(name: "Kanto Electric US", country: "US"), AccountFields(name: "Kanto Electric Corporation", country: "JP"),
         0...69, "one brand's companies in two countries: related"),
        (AccountFields(name: "Kanto Electric", website: "kanto-electric.example", country: "US"),
         AccountFields(name: "Kanto Electric", website: "kanto-electric.example", country: "JP"), 70...89,
         "one website in two countries: a person decides"),
        (AccountFields(name: "Harbor Grill", country: "US", city: "Riverton", phone: "+1 301 555 0142", address: "88 Front St"),
         AccountFields(name: "Harbor Grill", country: "US", city: "Lakeside", phone: "+1 302 555 0177", address: "5 Shore Rd"),
         0...69, "another street and another phone: another site"),
    ] as [(AccountFields, AccountFields, ClosedRange<Int>, String)])
    func countriesAndSites(_ a: AccountFields, _ b: AccountFields, _ band: ClosedRange<Int>, _ why: String) {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(b))
        let match = index.explain(builder.identity(a), entry: entry, model: index.estimateModel(),
                                  rules: ScoreRules(duplicateScore: 90, reviewScore: 70, sites: .separate))
        #expect(band.contains(match.score), "\(why): \(match.score) (\(match.evidence))")
    }

    /// A chain the snapshot lists at several sites: a new street is a new site even without
    /// phones; the site that agrees on its address wins a tie of scores; and the chain's one
    /// website does not make a shared website weaker evidence for everyone else.
    @Test func chainsAreKnownFromTheSnapshot() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        var sites: [Int] = []
        for (number, street) in ["12 Walnut St", "400 Birch Ave", "7 Quarry Ln", "88 Front St"].enumerated() {
            sites.append(index.add(builder.identity(AccountFields(name: "Hikusa Burger", website: "hikusa-burger.example", country: "US",
                                                                  city: ["Riverton", "Lakeside", "Dover", "Milton"][number], address: street))))
        }
        var plain = backgroundIndex(builder: builder)
        plain.add(builder.identity(AccountFields(name: "Hikusa Burger", website: "hikusa-burger.example", country: "US")))
        for number in 0..<40 {   // enough websites for u to be measured, not assumed
            let company = AccountFields(name: "Websitecompany \(number)", website: "company\(number).example", country: "US")
            index.add(builder.identity(company))
            plain.add(builder.identity(company))
        }
        let model = index.estimateModel(), rules = ScoreRules(duplicateScore: 90, reviewScore: 70, sites: .separate)
        #expect(!model.multiSiteNames.isEmpty)
        let newSite = builder.identity(AccountFields(name: "Hikusa Burger", website: "hikusa-burger.example", country: "US",
                                                     city: "Hudson", address: "5 Shore Rd"))
        for site in sites {
            let match = index.explain(newSite, entry: site, model: model, rules: rules)
            #expect(match.score <= 69 && match.evidence.contains("another site"), "\(match.evidence)")
        }
        let sameSite = builder.identity(AccountFields(name: "Hikusa Burger", website: "hikusa-burger.example", country: "US",
                                                      city: "Dover", address: "7 Quarry Lane"))
        let best = AccountIndex.best(of: index.scores(for: sameSite, model: model, rules: rules))
        #expect(best?.entry == sites[2], "the site that agrees on the address, not the first at the same score")
        let domain = MatchField.domain.rawValue
        #expect(abs(log2(model.u[domain][3]) - log2(plain.estimateModel().u[domain][3])) < 0.5,
                "a chain's website counts once: \(model.u[domain][3]) vs \(plain.estimateModel().u[domain][3])")
    }

    @Test func aCompanyThatMovedIsNotCappedAsAnotherSite() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(AccountFields(name: "Fibrain", country: "PL", city: "Zaczernie", address: "Zaczernie 190F")))
        let match = index.explain(builder.identity(AccountFields(name: "Fibrain", country: "PL", city: "Rzeszow", address: "ul. Wspolna 4A")),
                                  entry: entry, model: index.estimateModel(), rules: ScoreRules(duplicateScore: 90, reviewScore: 70, sites: .separate))
        #expect(!match.evidence.contains("another site"), "no phones: the model weighs the other street (\(match.evidence))")
        #expect(match.evidence.contains("different street addresses"))
    }

    @Test func tonightsRowsCountTowardsASharedAddress() {
        // The snapshot holds one restaurant at a casino's address; tonight's rows name four more there.
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let court = index.add(builder.identity(AccountFields(name: "Palace Court", country: "US", city: "Riverton",
                                                             phone: "+1 301 555 7110", address: "3570 Grand Blvd S")))
        let tonight = ["Empress Court", "Cafe Roma", "The Bacchanal", "Bertolinis", "Palace Court"].map {
            builder.identity(AccountFields(name: $0, country: "US", city: "Riverton", address: "3570 Grand Boulevard South"))
        }
        let alone = index.estimateModel(), counted = index.estimateModel(alsoCounting: tonight)
        let vector = index.compare(tonight[0], entry: court)
        #expect(vector[.address] == 3)
        #expect(alone.accountsAtAddress(vector) == 1)
        #expect(counted.accountsAtAddress(vector) == 5, "Palace Court counted once: it is in the snapshot and tonight")
        #expect(counted.addressAdjustment(vector) < -3, "\(counted.addressAdjustment(vector))")
        #expect(alone.addressAdjustment(vector) == 0)
    }

    @Test func aSharedAddressWeighsLessThanAPrivateOne() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        for (number, name) in ["Quillon Partners", "Marvast Legal", "Tessaro Capital", "Brightwell Audit", "Ondrel Media",
                               "Caskell Design", "Veltran Advisory", "Norrow Labs"].enumerated() {
            index.add(builder.identity(AccountFields(name: name, country: "US", city: "Riverton", phone: "+1 301 555 \(2000 + number)",
                                                     address: "500 Tower Plaza")))
        }
        let tower = index.add(builder.identity(AccountFields(name: "Halvex Systems", country: "US", city: "Riverton",
                                                             phone: "+1 301 555 2100", address: "500 Tower Plaza, Suite 1200")))
        let house = index.add(builder.identity(AccountFields(name: "Halvex Systems", country: "US", city: "Lakeside",
                                                             phone: "+1 302 555 2100", address: "17 Quarry Lane")))
        let model = index.estimateModel()
        let atTower = index.compare(builder.identity(AccountFields(name: "Rondell Group", address: "500 Tower Plaza")), entry: tower)
        let atHouse = index.compare(builder.identity(AccountFields(name: "Rondell Group", address: "17 Quarry Ln")), entry: house)
        #expect(atTower[.address] == 3 && atHouse[.address] == 3)
        #expect(model.accountsAtAddress(atTower) == 9 && model.accountsAtAddress(atHouse) == 1)
        #expect(model.addressAdjustment(atHouse) == 0)
        #expect(model.addressAdjustment(atTower) < -3, "\(model.addressAdjustment(atTower))")
        #expect(model.weight(.address, 3) + model.addressAdjustment(atTower) >= 0, "agreement never counts against")
        let text = index.explain(builder.identity(AccountFields(name: "Rondell Group", address: "500 Tower Plaza")), entry: tower,
                                 model: model).evidence
        #expect(text.contains("the same street address '500 tower plaza' (9 accounts there)"), "\(text)")
    }

    @Test func anAccountListedSeveralTimesIsNotEvidenceThatDifferentAccountsAgree() {
        let builder = IdentityBuilder()
        // The same 60 accounts with three deals each, or 60 names each held by three companies
        // in other cities with other phones.
        var listedTwice = backgroundIndex(builder: builder), namesakes = backgroundIndex(builder: builder)
        for number in 0..<60 {
            for copy in 0..<3 {
                let name = "Zorvath \(number) Dynamics"
                listedTwice.add(builder.identity(AccountFields(name: name, country: "US", city: "Milton", phone: "+1 410 555 \(1000 + number)")))
                namesakes.add(builder.identity(AccountFields(name: name, country: "US", city: ["Milton", "Dover", "Hudson"][copy],
                                                             phone: "+1 410 555 \(1000 + 3 * number + copy)")))
            }
        }
        let one = listedTwice.estimateModel(), many = namesakes.estimateModel()
        let name = MatchField.name.rawValue, phone = MatchField.phone.rawValue, equal = Int(MatchField.equalNameLevel)
        #expect(one.u[name][equal] < many.u[name][equal] / 10, "\(one.u[name][equal]) vs \(many.u[name][equal])")
        #expect(one.weight(.name, MatchField.equalNameLevel) > many.weight(.name, MatchField.equalNameLevel) + 3)
        #expect(one.u[phone][2] < 0.001, "a phone listed with each deal of one account is still one account's")
    }

    @Test func expectationMaximisationIsBoundedAndDeterministic() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let base = index.estimateModel()
        var groups: [[ComparisonVector]] = []
        for number in 0..<40 {
            let fields = AccountFields(name: "Quorvant \(number) Systems", country: "US", city: "Milton", phone: "+1 410 555 \(1000 + number)",
                                       address: "\(number + 1) Harbor Way")
            let entry = index.add(builder.identity(fields))
            groups.append([index.compare(builder.identity(fields), entry: entry)])
        }
        let fitted = base.fitted(to: groups), again = base.fitted(to: groups)
        #expect(fitted == again)
        #expect(MatchModel.matchRateBounds.contains(fitted.matchRate))
        for row in fitted.m { for value in row.dropFirst() { #expect(value > 0 && value < 1) } }
        #expect(fitted.m[MatchField.phone.rawValue][2] > base.m[MatchField.phone.rawValue][2], "agreeing duplicates raise m")
    }

    @Test func evidenceIsAWaterfall() {
        let builder = IdentityBuilder()
        var index = backgroundIndex(builder: builder)
        let entry = index.add(builder.identity(AccountFields(name: "Lumo", country: "US", city: "Springfield",
                                                             phone: "+1 217 555 0199", address: "400 Birch Ave")))
        let match = index.explain(builder.identity(AccountFields(name: "Numo", country: "US", city: "Springfield",
                                                                 phone: "+1 217 555 0101", address: "12 Walnut St")),
                                  entry: entry, model: index.estimateModel())
        #expect(match.evidence.contains("different phones"), "\(match.evidence)")
        #expect(match.evidence.contains("different street addresses"))
        #expect(match.evidence.contains("name 'numo' vs 'lumo'"))
        #expect(match.evidence.contains("prior −"))
        #expect(match.evidence.hasPrefix("\(match.score) % = −"), "result, then the strongest evidence: \(match.evidence)")
    }
}

struct AddressCase: CustomTestStringConvertible, Sendable {
    let raw: String
    let number: String?
    let street: String?
    let unit: String?
    var testDescription: String { raw }
}

@Suite("Street addresses")
struct StreetAddressTests {
    @Test(arguments: [
        AddressCase(raw: "492 Broome St.  near W. Broadway", number: "492", street: "broome street", unit: nil),
        AddressCase(raw: "492 Broome Street, Suite 4", number: "492", street: "broome street", unit: "4"),
        AddressCase(raw: "601 S. Figueroa St.", number: "601", street: "south figueroa street", unit: nil),
        AddressCase(raw: "Hauptstraße 5a", number: "5a", street: "haupt strasse", unit: nil),
        AddressCase(raw: "Hauptstr.5", number: "5", street: "haupt strasse", unit: nil),
        AddressCase(raw: "12, rue de la Paix", number: "12", street: "rue paix", unit: nil),
        AddressCase(raw: "1 Infinite Loop #300", number: "1", street: "infinite loop", unit: "300"),
        AddressCase(raw: "3570 Las Vegas Blvd. S", number: "3570", street: "las vegas boulevard south", unit: nil),
        AddressCase(raw: "Calle Mayor 10, Piso 3", number: "10", street: "calle mayor", unit: "3"),
    ])
    func parses(_ testCase: AddressCase) {
        let address = StreetAddress(testCase.raw)
        #expect(address?.number == testCase.number)
        #expect(address?.street == testCase.street)
        #expect(address?.unit == testCase.unit)
    }

    @Test(arguments: [
        ("10 Main St", "10 Main Street", StreetAddress.Agreement.sameStreetAndNumber),
        ("10 Main St Suite 5", "10 Main Street", .sameStreetAndNumber),
        ("10 Main St", "12 Main St", .sameStreetOtherNumber),
        ("10 Main St", "10 Oak Ave", .differentStreet),
        ("Hauptstr. 5", "Hauptstraße 5", .sameStreetAndNumber),
        ("3570 Las Vegas Blvd. S", "3570 Las Vegas Blvd South", .sameStreetAndNumber),
        ("570 4th St.", "570 Fourth Street", .sameStreetAndNumber),
        ("102 5th Ave.  between 15th and 16th Sts.", "102 Fifth Ave.", .sameStreetAndNumber),
        ("2290 Peachtree Rd.  Peachtree Square Shopping Center", "2290 Peachtree Rd. NE", .sameStreetAndNumber),
        ("435 S. La Cienega Blv.", "435 S. La Cienega Blvd.", .sameStreetAndNumber),
        ("43 W. 65th St.", "155 E. 55th St.", .differentStreet),
        ("5 3rd St", "5 4th St", .differentStreet),
    ])
    func compares(_ a: String, _ b: String, _ expected: StreetAddress.Agreement) {
        #expect(StreetAddress(a)?.agreement(with: StreetAddress(b)!) == expected)
    }

    @Test func aNumberAloneSaysNothing() {
        #expect(StreetAddress("10")?.agreement(with: StreetAddress("10 Main St")!) == nil)
        #expect(StreetAddress("  ") == nil)
    }
}
