import DealregPolicy
import DealregIdentity
import Testing

@Suite("Policy file")
struct PolicyLoaderTests {
    @Test func emptyFileGivesDefaults() throws {
        #expect(try PolicyLoader.parse(yaml: "", source: "p.yaml") == Policy())
        let defaults = Policy()
        #expect(defaults.currency == "USD" && defaults.dateOrder == .monthDayYear && defaults.validityDays == 90)
        #expect(defaults.match == MatchThresholds(duplicateScore: 90, reviewScore: 50))
    }

    @Test func readsEveryKey() throws {
        let policy = try PolicyLoader.parse(yaml: """
            currency: EUR
            date_order: DMY
            validity_days: 60
            match: { duplicate_score: 95, review_score: 60, sites: same }
            """, source: "p.yaml")
        #expect(policy.currency == "EUR")
        #expect(policy.dateOrder == .dayMonthYear)
        #expect(policy.validityDays == 60)
        #expect(policy.match == MatchThresholds(duplicateScore: 95, reviewScore: 60, sites: .same))
        #expect(policy.canonicalText.contains("match.sites: same\n"))
        #expect(policy.match.scoreRules == ScoreRules(countryConflictCap: 94, sites: .same, otherSiteCap: 59, otherCountryCap: 59))
        #expect(throws: PolicyError.self) { try PolicyLoader.parse(yaml: "match: {sites: merged}", source: "p.yaml") }
    }

    @Test func reportsEveryProblemWithKeyAndLine() {
        let yaml = """
            currency: euro
            date_order: YMD
            validity_days: ninety
            match:
              duplicate_score: 150
              reviw_score: 60
            colour: blue
            """
        #expect(throws: PolicyError(source: "p.yaml", problems: [
            "line 1: currency: expected a three-letter ISO 4217 code such as USD, got 'euro'",
            "line 2: date_order: expected one of MDY, DMY, got 'YMD'",
            "line 3: validity_days: expected a whole number from 1 to 3650, got 'ninety'",
            "line 5: match.duplicate_score: expected a whole number from 1 to 100, got '150'",
            "line 6: unknown key 'match.reviw_score'",
            "line 7: unknown key 'colour'",
        ])) {
            try PolicyLoader.parse(yaml: yaml, source: "p.yaml")
        }
    }

    @Test func reviewScoreMustNotExceedDuplicateScore() {
        #expect(throws: PolicyError.self) {
            try PolicyLoader.parse(yaml: "match: {duplicate_score: 80, review_score: 85}", source: "p.yaml")
        }
    }

    @Test func notAMappingOrNotYAML() {
        #expect(throws: PolicyError.self) { try PolicyLoader.parse(yaml: "- a\n- b", source: "p.yaml") }
        #expect(throws: PolicyError.self) { try PolicyLoader.parse(yaml: "a: [1,", source: "p.yaml") }
    }

    @Test func canonicalTextChangesWithEverySetting() {
        var a = Policy(), b = Policy()
        b.validityDays = 91
        #expect(a.canonicalText != b.canonicalText)
        a.validityDays = 91
        #expect(a.canonicalText == b.canonicalText)
    }
}

@Suite("Decisions")
struct DecisionTests {
    @Test(arguments: [
        ([ReasonCode](), Decision.approved),
        ([.possibleDuplicate], .needsReview),
        ([.invalidValue, .possibleDuplicate], .needsInfo),
        ([.missingRequiredField, .unknownPartner], .declined),
        ([.duplicateExistingDeal, .invalidValue], .declined),
        ([.existingCustomer], .needsReview),
        ([.registered], .approved),
    ])
    func strongestReasonDecides(_ codes: [ReasonCode], _ expected: Decision) {
        #expect(Decision(strongestOf: codes.map { Finding(code: $0, message: "") }) == expected)
    }
}
