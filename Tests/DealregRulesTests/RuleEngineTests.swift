import DealregIdentity
import DealregPolicy
import DealregRules
import Testing

/// The rule engine decided from values: no files, no ledger, no snapshot — each rule's table.
@Suite("Rule engine")
struct RuleEngineTests {
    private func engine(_ edit: (inout Policy) -> Void = { _ in }) -> RuleEngine {
        var policy = Policy()
        edit(&policy)
        return RuleEngine(policy: policy)
    }

    struct TerritoryCase: CustomTestStringConvertible, Sendable {
        let label: String, mode: TerritoryMode, territories: [String], country: String?, region: String?
        let rule: String?, decision: Decision?
        var testDescription: String { label }
    }

    static let territoryCases: [TerritoryCase] = [
        .init(label: "inside a country", mode: .enforce, territories: ["US", "CA"], country: "CA", region: nil, rule: nil, decision: nil),
        .init(label: "inside a subdivision", mode: .enforce, territories: ["US-CA"], country: "US", region: "US-CA", rule: nil, decision: nil),
        .init(label: "another subdivision", mode: .enforce, territories: ["US-CA"], country: "US", region: "US-NY",
              rule: "territory.outside", decision: .declined),
        .init(label: "subdivision unknown", mode: .enforce, territories: ["US-CA"], country: "US", region: nil,
              rule: "territory.region_missing", decision: .needsInfo),
        .init(label: "country unknown", mode: .enforce, territories: ["US"], country: nil, region: nil,
              rule: "territory.country_missing", decision: .needsInfo),
        .init(label: "outside, enforce", mode: .enforce, territories: ["DE", "AT"], country: "FR", region: nil,
              rule: "territory.outside", decision: .declined),
        .init(label: "outside, review", mode: .review, territories: ["DE"], country: "FR", region: nil,
              rule: "territory.outside", decision: .needsReview),
        .init(label: "outside, ignore", mode: .ignore, territories: ["DE"], country: "FR", region: nil, rule: nil, decision: nil),
        .init(label: "unrestricted partner", mode: .enforce, territories: [], country: "FR", region: nil, rule: nil, decision: nil),
    ]

    @Test(arguments: territoryCases) func territory(_ row: TerritoryCase) {
        let outcome = engine { $0.territory = row.mode }
            .territory(country: row.country, region: row.region, partner: PartnerTerms(id: "P-A", territories: row.territories))
        #expect(outcome?.finding.rule == row.rule)
        #expect(outcome?.finding.decision == row.decision)
        if row.rule == "territory.outside" {
            #expect(outcome?.rationale == "territory.outside: \(row.region ?? row.country!) not in \(row.territories.joined(separator: ";"))")
        }
    }

    @Test(arguments: [(24, nil, nil), (25, nil, "cap.partner"), (3, 3, "cap.partner"), (2, 3, nil)] as [(Int, Int?, String?)])
    func cap(_ active: Int, _ partnerCap: Int?, _ rule: String?) {
        let outcome = engine { $0.maxActivePerPartner = 25 }.cap(partner: PartnerTerms(id: "P-A", maxActive: partnerCap), active: active)
        #expect(outcome?.finding.rule == rule)
        if rule != nil {
            #expect(outcome?.finding.decision == .declined && outcome?.finding.code == .partnerCapReached)
            #expect(outcome?.finding.message.contains("the most your program allows (\(partnerCap ?? 25))") == true)
        }
    }

    @Test(arguments: [
        (Amount(value: 99_999, currency: nil), nil),
        (Amount(value: 100_000, currency: "USD"), "direct.min_deal_value"),
        (Amount(value: 95_000, currency: "EUR"), "direct.min_deal_value"),   // 102,600 USD
        (Amount(value: 90_000, currency: "EUR"), nil),                       // 97,200 USD
        (Amount(value: 1, currency: "XYZ"), "direct.min_deal_value.unknown_rate"),
    ] as [(Amount, String?)])
    func dealValue(_ amount: Amount, _ rule: String?) {
        let engine = engine {
            $0.directReserved.minDealValue = 100_000
            $0.exchangeRates = ["EUR": 1.08]
        }
        #expect(engine.dealValue(amount)?.finding.rule == rule)
        #expect(engine.dealValue(nil) == nil)
    }

    struct DuplicateCase: CustomTestStringConvertible, Sendable {
        let label: String, held: HeldAccount, score: Int, rule: String, decision: Decision
        var testDescription: String { label }
    }

    static let expiry = Day(iso: "2027-03-02")
    static let duplicateCases: [DuplicateCase] = [
        .init(label: "another partner's deal", held: HeldAccount(holder: .partnerDeal(partnerID: "P-B"), expiresOn: expiry, underReview: false),
              score: 95, rule: "duplicate.snapshot", decision: .declined),
        .init(label: "own deal", held: HeldAccount(holder: .partnerDeal(partnerID: " p-a "), expiresOn: expiry, underReview: false),
              score: 95, rule: "duplicate.own", decision: .declined),
        .init(label: "deal in the review band", held: HeldAccount(holder: .partnerDeal(partnerID: "P-B"), expiresOn: nil, underReview: false),
              score: 80, rule: "duplicate.snapshot.possible", decision: .needsReview),
        .init(label: "deal under review", held: HeldAccount(holder: .partnerDeal(partnerID: "P-B"), expiresOn: nil, underReview: true),
              score: 99, rule: "duplicate.snapshot.possible", decision: .needsReview),
        .init(label: "direct deal", held: HeldAccount(holder: .directDeal, expiresOn: nil, underReview: false),
              score: 92, rule: "direct.recent_activity", decision: .declined),
        .init(label: "earlier claim, another partner", held: HeldAccount(holder: .claim(partnerID: "P-B", file: "b.csv", row: 3), expiresOn: expiry, underReview: false),
              score: 95, rule: "duplicate.batch", decision: .declined),
        .init(label: "earlier claim, own", held: HeldAccount(holder: .claim(partnerID: "P-A", file: "a.csv", row: 7), expiresOn: expiry, underReview: false),
              score: 95, rule: "duplicate.own", decision: .declined),
        .init(label: "earlier claim under review", held: HeldAccount(holder: .claim(partnerID: "P-B", file: "b.csv", row: 3), expiresOn: nil, underReview: true),
              score: 95, rule: "duplicate.batch.possible", decision: .needsReview),
    ]

    @Test(arguments: duplicateCases) func duplicate(_ row: DuplicateCase) {
        let finding = engine().duplicate(of: row.held, score: row.score, partner: PartnerTerms(id: "P-A"))
        #expect(finding.rule == row.rule && finding.decision == row.decision)
        // Never another partner's id or a deal's id in the partner's sentence.
        #expect(!finding.message.contains("P-B"))
        if row.rule == "duplicate.batch" { #expect(finding.message.hasSuffix("protected for them until 2027-03-02.")) }
        if row.label == "earlier claim, own" { #expect(finding.message.contains("row 7 of a.csv")) }
    }

    @Test(arguments: [(ExistingCustomers.allow, nil), (.review, Decision.needsReview), (.decline, .declined)] as [(ExistingCustomers, Decision?)])
    func existingCustomer(_ mode: ExistingCustomers, _ decision: Decision?) {
        #expect(engine { $0.existingCustomers = mode }.existingCustomer()?.decision == decision)
    }

    @Test(arguments: [
        (100, 0, "gold", 100, nil), (60, 0, nil, 76, nil), (40, 0, nil, 64, "triage.confidence"),
        (60, 65, "silver", 69, "triage.confidence"), (60, 69, nil, 61, "triage.confidence"),
    ] as [(Int, Int, String?, Int, String?)])
    func confidenceAndTriage(_ completeness: Int, _ nearest: Int, _ tier: String?, _ expected: Int, _ rule: String?) {
        let engine = engine()
        let confidence = engine.confidence(completeness: completeness, nearestScore: nearest, tier: tier)
        #expect(confidence.value == expected, "\(confidence.explanation)")
        let (finding, rationale) = engine.triage(confidence: confidence, tier: tier)
        #expect(finding?.rule == rule)
        #expect(rationale.hasPrefix("confidence \(expected) = 0.6 × completeness \(completeness)"))
    }

    @Test func accountListsDeclineCertainMatchesAndReviewPossibleOnes() {
        let builder = IdentityBuilder()
        var blocked = ListedAccounts(path: "blocked.csv")
        blocked.add(builder.identity(AccountFields(name: "Woodgrove Bank", website: "woodgrovebank.com", country: "US")), line: 2,
                    note: "screening hit")
        let engine = RuleEngine(policy: Policy(), blocked: blocked)
        let certain = engine.accountLists(builder.identity(AccountFields(name: "Woodgrove Bank Inc", website: "woodgrovebank.com", country: "US")))
        #expect(certain.map(\.finding.rule) == ["blocked.list"] && certain.first?.finding.decision == .declined)
        #expect(certain.first?.rationale?.hasPrefix("blocked.list: blocked.csv line 2 scored") == true)
        #expect(certain.first?.rationale?.hasSuffix("; note: screening hit") == true)
        #expect(engine.accountLists(builder.identity(AccountFields(name: "Fabrikam Foods", website: "fabrikam.com", country: "US"))).isEmpty)
        // The review desk refuses the certain match, naming the list and its line.
        let refusal = engine.approvalRefusal(builder.identity(AccountFields(name: "Woodgrove Bank", website: "woodgrovebank.com", country: "US")),
                                             country: "US", region: nil, partner: nil, active: 0)
        #expect(refusal?.hasPrefix("it matches the blocked accounts list (blocked.csv line 2)") == true, "\(refusal ?? "")")
    }

    @Test func approvalRefusesOutsideTerritoryOnlyWhenEnforcedAndAtTheCap() {
        let identity = IdentityBuilder().identity(AccountFields(name: "Tailspin Toys", website: "tailspintoys.com", country: "US"))
        let partner = PartnerTerms(id: "P-A", territories: ["CA"], maxActive: 2)
        #expect(engine().approvalRefusal(identity, country: "US", region: nil, partner: partner, active: 0)
                == "the prospect (US) is outside P-A's territory (CA)")
        #expect(engine { $0.territory = .review }.approvalRefusal(identity, country: "US", region: nil, partner: partner, active: 0) == nil)
        let home = PartnerTerms(id: "P-A", territories: ["US"], maxActive: 2)
        #expect(engine().approvalRefusal(identity, country: "US", region: nil, partner: home, active: 2)
                == "P-A already holds 2 active registrations, the most its program allows (2)")
        #expect(engine().approvalRefusal(identity, country: "US", region: nil, partner: home, active: 1) == nil)
        // A subdivision territory with no subdivision known is not refused (the ledger keeps countries).
        let state = PartnerTerms(id: "P-A", territories: ["US-WA"])
        #expect(engine().approvalRefusal(identity, country: "US", region: nil, partner: state, active: 0) == nil)
    }
}
