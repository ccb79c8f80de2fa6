@testable import DealregIdentity
import DealregTestSupport
import Testing

@Suite("Blocking structures")
struct BlockingTests {
    /// The linear one-edit test is the fast path of `editDistance(limit: 1) <= 1`; they must agree.
    @Test func withinOneEditAgreesWithEditDistance() {
        var random = SeededGenerator(seed: 11)
        let alphabet = Array("abcd")
        for _ in 0..<20_000 {
            let a = String((0..<Int.random(in: 0...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            var b = Array(a)
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                switch Int.random(in: 0...3, using: &random) {
                case 0 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &random))
                case 1: b.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...b.count, using: &random))
                case 2 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &random)] = alphabet.randomElement(using: &random)!
                case 3 where b.count > 1:
                    let i = Int.random(in: 0..<(b.count - 1), using: &random)
                    b.swapAt(i, i + 1)
                default: break
                }
            }
            let s = a.unicodeScalars.map(\.value), t = String(b).unicodeScalars.map(\.value)
            let fast = s.withUnsafeBufferPointer { s in t.withUnsafeBufferPointer { t in withinOneEdit(s, t) } }
            #expect(fast == (editDistance(a, String(b), limit: 1) <= 1), "\(a) / \(String(b))")
        }
    }

    /// A brand held by hundreds of deals (a family) yields a bounded number of candidates, the
    /// members sharing most of the query's words first, wherever they sit in the index.
    @Test func aLargeFamilyYieldsItsClosestMembers() {
        let builder = IdentityBuilder()
        var index = AccountIndex()
        for number in 0..<600 {
            index.add(builder.identity(AccountFields(name: "Veyra \(number % 2 == 0 ? "Energy" : "Korea") Unit\(number)")))
        }
        // Last in every posting list: a prefix of the list would not reach it.
        let target = index.add(builder.identity(AccountFields(name: "Veyra Energy Korea Sol GmbH")))
        // "Solar" is unknown to the index: the rarest known word is "energy", held by 301 deals.
        let found = index.candidates(for: builder.identity(AccountFields(name: "Veyra Energy Korea Solar")))
        #expect(found.contains(target), "the member sharing three words is among the ranked few")
        #expect(found.count <= AccountIndex.rankedPostingLength, "bounded: \(found.count) candidates")
    }

    /// Tokens one edit apart share a deletion key; tokens two substitutions apart do not.
    @Test(arguments: [("fabrikam", "fabrikham", true), ("adatum", "adautm", true), ("contoso", "contoso", true),
                      ("house", "houes", true), ("vadabu", "vaduba", false), ("contoso", "fabrikam", false)])
    func deletionKeysMeetOneEditAway(_ a: String, _ b: String, _ meet: Bool) {
        func keys(_ token: String) -> Set<UInt64> {
            Set(token.unicodeScalars.map(\.value).withUnsafeBufferPointer(TokenVocabulary.deletionKeys))
        }
        #expect(!keys(a).isDisjoint(with: keys(b)) == meet)
    }

    @Test(arguments: [("yandex", "yandeks", true), ("schultz", "shultz", true), ("mikhail", "mihail", true),
                      ("philips", "filips", true), ("yandex", "yahoo", false), ("fabrikam", "contoso", false)])
    func spellingKeysJoinTransliterationVariants(_ a: String, _ b: String, _ same: Bool) {
        #expect((TokenVocabulary.spellingKey(a) == TokenVocabulary.spellingKey(b)) == same)
    }

    /// The flat multimap against a dictionary of arrays, through several growths.
    @Test func keyMultimapAgreesWithDictionary() {
        var random = SeededGenerator(seed: 5)
        var map = KeyMultimap(capacity: 4)
        var reference: [UInt64: [Int32]] = [:]
        for value in 0..<50_000 {
            let key = UInt64.random(in: 1...3_000, using: &random)   // 0 is the empty mark, folded into 1
            map.insert(key, Int32(value))
            reference[key, default: []].append(Int32(value))
        }
        for key in UInt64(1)...3_100 {
            var values: [Int32] = []
            map.forEach(key) { values.append($0) }
            #expect(values.reversed() == (reference[key] ?? []))
            #expect(map.count(key) == (reference[key]?.count ?? 0))
        }
        var limited = 0
        map.forEach(reference.keys.first!, limit: 0) { _ in limited += 1 }
        #expect(limited == 0)
    }

    /// Skeletons are cached per word and joined; that must equal the skeleton of the whole name.
    @Test(arguments: ["Сisco Systems", "раураl Holdings", "ЅΙΕΜΕΝЅ AG", "Fourth Coffee", "ООО «Газпром нефть»",
                      "トヨタ自動車株式会社", "Müller & Söhne GmbH", "rnicrosoft corp", "阿里巴巴集团"])
    func confusableKeyPerWordEqualsWholeName(_ name: String) {
        let keys = CompanyNameNormalizer().normalize(name)
        #expect(keys.confusableKey == nfkcCasefold(confusableSkeleton(keys.nativeKey)))
    }

    /// Claims weighed by the snapshot's statistics score the same whatever else was claimed.
    @Test func borrowedStatisticsDoNotDependOnAdditions() {
        let builder = IdentityBuilder()
        var snapshot = AccountIndex()
        for name in ["Contoso Group", "Fabrikam Group", "Northwind Traders", "Adatum Group"] {
            snapshot.add(builder.identity(AccountFields(name: name)))
        }
        let query = builder.identity(AccountFields(name: "Contoso Traders Group"))
        var claims = AccountIndex(tokenStatisticsFrom: snapshot)
        claims.add(builder.identity(AccountFields(name: "Contoso Trading Group")))
        let model = snapshot.estimateModel()
        let before = claims.scores(for: query, model: model)
        for number in 0..<50 { claims.add(builder.identity(AccountFields(name: "Trading Group \(number)"))) }
        #expect(claims.scores(for: query, model: model).first == before.first)
    }
}
