@testable import DealregIdentity
import Testing

/// (input, expected latin key, how many legal forms are found)
let nameCases: [(String, String, Int)] = [
    // English legal forms
    ("Fourth Coffee Inc.", "fourth coffee", 1),
    ("FOURTH COFFEE INC", "fourth coffee", 1),
    ("Fourth Coffee, Incorporated", "fourth coffee", 1),
    ("Contoso Ltd", "contoso", 1),
    ("Contoso Limited", "contoso", 1),
    ("Contoso Corp.", "contoso", 1),
    ("Contoso Corporation", "contoso", 1),
    ("Contoso LLC", "contoso", 1),
    ("Contoso L.L.C.", "contoso", 1),
    ("Contoso PLC", "contoso", 1),
    ("Contoso Public Limited Company", "contoso", 1),
    ("Contoso LLP", "contoso", 1),
    ("Procter & Gamble Co.", "procter and gamble", 1),
    ("Procter and Gamble Company", "procter and gamble", 1),
    ("The Coca-Cola Company", "coca cola", 1),
    ("Kangaroo Freight Pty Ltd", "kangaroo freight", 1),
    ("Infosys Pvt Ltd", "infosys", 1),
    ("Toyota Motor Co.,Ltd.", "toyota motor", 1),
    ("Toyota Motor Co. Ltd", "toyota motor", 1),
    ("The Limited, Inc.", "limited", 1),
    ("S.C.E. srl", "s c e", 1),                 // dotted initials before a form are the name (SCE is also a form)
    ("S.C.E. s.r.l.", "s c e", 1),              // a dotted form written apart from the initials before it
    ("S.C.E.S.R.L.", "s c e s r l", 0),         // run on, they are all initials
    ("LLC", "llc", 0),
    ("Limited", "limited", 0),
    // German-speaking
    ("Müller GmbH", "muller", 1),
    ("Müller GmbH & Co. KG", "muller", 1),
    ("Mueller GmbH & Co KG", "mueller", 1),
    ("Siemens AG", "siemens", 1),
    ("Siemens Aktiengesellschaft", "siemens", 1),
    ("Zürcher Präzision AG", "zurcher prazision", 1),
    ("Bäckerei Schäfer KG", "backerei schafer", 1),
    ("Straße Bau AG", "strasse bau", 1),
    ("Holzwerke Gesellschaft mit beschränkter Haftung", "holzwerke", 1),
    // French, Spanish, Italian, Portuguese
    ("Société Générale S.A.", "societe generale", 1),
    ("SOCIETE GENERALE SA", "societe generale", 1),
    ("S.A. Nestlé", "nestle", 1),
    ("Café Crème SARL", "cafe creme", 1),
    ("Lumière Intégration SAS", "lumiere integration", 1),
    ("Construcciones Peña S.L.", "construcciones pena", 1),
    ("Grupo Bimbo S.A.B. de C.V.", "grupo bimbo", 1),
    ("Ferrari S.p.A.", "ferrari", 1),
    ("Ferrari SpA", "ferrari", 1),
    ("Serenity Day Spa", "serenity day spa", 0),
    ("Barilla S.r.l.", "barilla", 1),
    ("Vinhos do Porto Lda", "vinhos do porto", 1),
    ("Petrobras Ltda.", "petrobras", 1),
    // Nordic, Dutch, Belgian
    ("Ørsted A/S", "orsted", 1),
    ("Orsted AS", "orsted", 1),
    ("Equinor ASA", "equinor", 1),
    ("Åkerlund Bygg AB", "akerlund bygg", 1),
    ("Nokia Oyj", "nokia", 1),
    ("Kone Oy", "kone", 1),
    ("Philips N.V.", "philips", 1),
    ("Heineken B.V.", "heineken", 1),
    ("Össur hf.", "ossur", 1),
    // Central and Eastern Europe, Turkey
    ("Łódź Tekstylia Sp. z o.o.", "lodz tekstylia", 1),
    ("Lodz Tekstylia Sp. z o. o.", "lodz tekstylia", 1),
    ("Škoda Auto a.s.", "skoda auto", 1),
    ("MOL Nyrt.", "mol", 1),
    ("İş Bankası A.Ş.", "is bankasi", 1),
    ("Is Bankasi AS", "is bankasi", 1),
    // Cyrillic
    ("ООО «Газпром нефть»", "gazprom neft", 1),
    ("Gazprom Neft LLC", "gazprom neft", 1),
    ("ПАО Сбербанк", "sberbank", 1),
    ("Sberbank PJSC", "sberbank", 1),
    ("Приватбанк", "privatbank", 0),
    ("ТОВ «Київстар»", "kyyivstar", 1),
    ("Яндекс", "yandeks", 0),
    ("ООО «Северсталь Сервис»", "severstal servis", 1),
    ("ОАО Уралтрансмаш", "uraltransmash", 1),
    // Greek
    ("Ελληνικά Πετρέλαια Α.Ε.", "ellinika petrelaia", 1),
    ("Κωτσόβολος", "kotsovolos", 0),
    // Japanese, Chinese, Korean, Thai
    ("ソニー株式会社", "soni", 1),
    ("㈱ソニー", "soni", 1),
    ("（株）ソニー", "soni", 1),
    ("株式会社日立製作所", "rilizhizuosuo", 1),
    ("ＫＤＤＩ株式会社", "kddi", 1),
    ("トヨタ自動車株式会社", "toyota zidongche", 1),
    ("ソニーグループ株式会社", "soni group", 1),
    ("阿里巴巴集团控股有限公司", "alibaba group holding", 1),
    ("Alibaba Group Holding Limited", "alibaba group holding", 1),
    ("腾讯控股有限公司", "tengxun holding", 1),
    ("台積電股份有限公司", "taijidian", 1),
    ("삼성전자 주식회사", "samseongjeonja", 1),
    ("(주)카카오", "kakao", 1),
    ("บริษัท ปตท. จำกัด (มหาชน)", "ptth", 3),
    // Confusables and width
    ("Сisco Systems", "cisco system", 0),
    ("раураl", "paypal", 0),
    ("ЅΙΕΜΕΝЅ", "slemens", 0),
    ("Ｓｏｎｙ Ｃｏｒｐｏｒａｔｉｏｎ", "sony", 1),
    ("ＡＴ＆Ｔ Inc.", "at and t", 1),
    // Punctuation, spacing, articles
    ("AT&T Inc.", "at and t", 1),
    ("O'Reilly Media, Inc.", "oreilly media", 1),
    ("Coca-Cola", "coca cola", 0),
    ("A.B.C. Engineering Ltd", "a b c engineering", 1),
    ("3M Company", "3m", 1),
    ("Les Échos SA", "echos", 1),
    ("Die Mobiliar AG", "mobiliar", 1),
    ("Deutsche Bank AG", "deutsche bank", 1),
    ("Deutsche Bahn AG", "deutsche bahn", 1),
    ("  Fourth   Coffee  ", "fourth coffee", 0),
    ("!!!", "", 0),
    // Abbreviated and plural generic words are written one way
    ("Contoso Intl", "contoso international", 0),
    ("Fabrikam Mfg. Co.", "fabrikam manufacturing", 1),
    ("Litware Technologies", "litware technology", 0),
    ("Northwind Svcs", "northwind service", 0),
    ("Müller und Söhne", "muller and sohne", 0),
    ("Dupont et Fils", "dupont and fils", 0),
]

@Suite("Company names")
struct CompanyNameTests {
    @Test func atLeastOneHundredCases() { #expect(nameCases.count >= 100) }

    @Test(arguments: nameCases.indices)
    func normalizes(_ index: Int) {
        let (input, latin, forms) = nameCases[index]
        let name = CompanyNameNormalizer().normalize(input)
        #expect(name.latinKey == latin, "\(input)")
        #expect(name.legalForms.count == forms, "\(input): \(name.legalForms.map(\.display))")
    }

    @Test func keysForMatching() {
        let normalizer = CompanyNameNormalizer()
        #expect(normalizer.normalize("Müller GmbH").germanKey == normalizer.normalize("MUELLER GMBH").condensedKey)
        #expect(normalizer.normalize("A B C Engineering").condensedKey == normalizer.normalize("ABC Engineering").condensedKey)
        #expect(normalizer.normalize("Carolina, North University of").sortedKey == normalizer.normalize("University of North Carolina").sortedKey)
        #expect(normalizer.normalize("㈱ソニー").nativeKey == normalizer.normalize("ソニー株式会社").nativeKey)
        #expect(normalizer.normalize("microsoft").confusableKey == normalizer.normalize("MICROSOFT").confusableKey)
    }

    @Test func normalizationIsIdempotentOnItsOutput() {
        let normalizer = CompanyNameNormalizer()
        for (input, _, _) in nameCases {
            let once = normalizer.normalize(input).latinKey
            #expect(normalizer.normalize(once).latinKey == once, "\(input) → \(once)")
        }
    }
}

/// A name with a bracketed aside or a " / " alternative also carries the key of its own part:
/// another registry may write only that, and two different asides never make two names equal.
@Suite("Name asides and alternatives")
struct NameAsideTests {
    @Test(arguments: [
        ("Conexant Systems (Rockwell), Inc.", "conexantsystem"),
        ("Microchip Technology / SMSC", "microchiptechnology"),
        ("JMicron Technology Corp. / JMicron USA Technology Corp.", "jmicrontechnology"),
        ("Smith (UK) Holdings", "smithholding"),
        ("Contoso Ltd", nil),
        ("Acer Incorporated [ALI]", nil),        // a trailing aside is dropped from the name itself
        ("AC/DC Ltd", nil),                      // a slash inside a word is no alternative
        ("(Unknown) / Foo", nil),
    ] as [(String, String?)])
    func primaryKey(_ name: String, _ key: String?) {
        #expect(CompanyNameNormalizer().normalize(name).primaryKey == key, "\(name)")
    }

    @Test(arguments: [
        ("Conexant Systems (Rockwell), Inc.", "Conexant Systems, Inc.", true),
        ("Microchip Technology / SMSC", "MICROCHIP TECHNOLOGY INC", true),
        ("Kontron (Beijing) Technology Co., Ltd", "Kontron (Shanghai) Technology Co., Ltd", false),
        ("Foo / Bar", "Bar", false),
    ])
    func equalWithoutTheAside(_ a: String, _ b: String, _ equal: Bool) {
        let normalizer = CompanyNameNormalizer()
        #expect((AccountIndex.equalKey(normalizer.normalize(a), normalizer.normalize(b)) != nil) == equal, "\(a) / \(b)")
    }
}
