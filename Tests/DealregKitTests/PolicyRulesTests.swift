import DealregKit
import Foundation
import Testing

/// A small world for one rule: policy, snapshot, partners, lists and upload rows.
struct RuleScenario: CustomTestStringConvertible, Sendable {
    let name: String
    var policy = ""
    var snapshot: [String] = []
    var partners: [String] = ["P-A,Partner A,silver,,a@a.example,", "P-B,Partner B,gold,,b@b.example,"]
    var blocked: [String] = []
    var direct: [String] = []
    let upload: [String]
    /// decision, reason codes, deciding rule — one per upload row.
    let expected: [(String, String, String)]
    var testDescription: String { name }
}

let uploadHeader = "partner_id,account_name,account_domain,deal_value,currency,expected_close_date,country,region,city,contact_name,contact_email,consent"
/// A complete, confident row for partner `p`.
func row(_ p: String = "P-A", _ name: String = "Fabrikam Robotics", domain: String = "fabrikam-robotics.example",
         value: String = "50000", currency: String = "", country: String = "US", region: String = "", consent: String = "") -> String {
    "\(p),\(name),\(domain),\(value),\(currency),2027-03-31,\(country),\(region),Seattle,Dana Ruiz,dana@\(domain.isEmpty ? "x.example" : domain),\(consent)"
}
let snapshotHeader = "deal_id,account_name,owner_type,status,account_domain,country,owner_id,expires_on,last_activity_on"

let ruleScenarios: [RuleScenario] = [
    RuleScenario(name: "clean row is approved", upload: [row()], expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "blocked by name", blocked: ["Fabrikam Robotics,,US,sanctions"], upload: [row()],
                 expected: [("declined", "blocked_account", "blocked.list")]),
    RuleScenario(name: "blocked by domain alone", blocked: [",fabrikam-robotics.example,,"],
                 upload: [row("P-A", "Totally Other Name")], expected: [("declined", "blocked_account", "blocked.list")]),
    RuleScenario(name: "named direct account", direct: ["Fabrikam Robotics Inc.,,,"], upload: [row()],
                 expected: [("declined", "direct_account", "direct.named_account")]),
    RuleScenario(name: "value at the direct threshold", upload: [row(value: "100000")],
                 expected: [("declined", "direct_account", "direct.min_deal_value")]),
    RuleScenario(name: "value just below the threshold", upload: [row(value: "99999.99")],
                 expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "value converted by exchange rate", policy: "exchange_rates: {EUR: 1.1}\n",
                 upload: [row(value: "95000", currency: "EUR"), row("P-A", "Other Co", domain: "other.example", value: "90000", currency: "EUR")],
                 expected: [("declined", "direct_account", "direct.min_deal_value"), ("approved", "registered", "approve.auto")]),
    RuleScenario(name: "no exchange rate sends to review", upload: [row(value: "50000", currency: "JPY")],
                 expected: [("needs_review", "direct_account", "direct.min_deal_value.unknown_rate")]),
    RuleScenario(name: "value threshold switched off", policy: "direct_reserved: {min_deal_value: null}\n",
                 upload: [row(value: "5000000")], expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "recently active direct deal blocks",
                 snapshot: ["D-1,Fabrikam Robotics,direct,open,,US,rep-1,,2026-11-13"], upload: [row()],
                 expected: [("declined", "direct_account", "direct.recent_activity")]),
    RuleScenario(name: "idle direct deal does not block",
                 snapshot: ["D-1,Fabrikam Robotics,direct,open,,US,rep-1,,2026-05-01"], upload: [row()],
                 expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "another partner's registration",
                 snapshot: ["D-1,Fabrikam Robotics,partner,registered,,US,P-B,2027-01-31,"], upload: [row()],
                 expected: [("declined", "duplicate_existing_deal", "duplicate.snapshot")]),
    RuleScenario(name: "own registration", snapshot: ["D-1,Fabrikam Robotics,partner,registered,,US,P-A,2027-01-31,"],
                 upload: [row()], expected: [("declined", "already_registered", "duplicate.own")]),
    RuleScenario(name: "expired registration is free",
                 snapshot: ["D-1,Fabrikam Robotics,partner,registered,,US,P-B,2026-11-22,"], upload: [row()],
                 expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "first claim in the batch wins",
                 upload: [row("P-B"), row("P-A"), row("P-B", "Fabrikam Robotics LLC")],
                 expected: [("approved", "registered", "approve.auto"), ("declined", "duplicate_in_batch", "duplicate.batch"),
                            ("declined", "already_registered", "duplicate.own")]),
    RuleScenario(name: "existing customer reviewed by default",
                 snapshot: ["D-1,Fabrikam Robotics,direct,won,,US,rep-1,,"], upload: [row()],
                 expected: [("needs_review", "existing_customer", "customer.won_deal")]),
    RuleScenario(name: "existing customer declined", policy: "existing_customers: decline\n",
                 snapshot: ["D-1,Fabrikam Robotics,direct,won,,US,rep-1,,"], upload: [row()],
                 expected: [("declined", "existing_customer", "customer.won_deal")]),
    RuleScenario(name: "existing customer allowed", policy: "existing_customers: allow\n",
                 snapshot: ["D-1,Fabrikam Robotics,direct,won,,US,rep-1,,"], upload: [row()],
                 expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "outside territory, enforced", partners: ["P-A,Partner A,silver,DE;AT,,"], upload: [row()],
                 expected: [("declined", "outside_territory", "territory.outside")]),
    RuleScenario(name: "outside territory, review", policy: "territory: review\n", partners: ["P-A,Partner A,silver,DE,,"],
                 upload: [row()], expected: [("needs_review", "outside_territory", "territory.outside")]),
    RuleScenario(name: "outside territory, ignored", policy: "territory: ignore\n", partners: ["P-A,Partner A,silver,DE,,"],
                 upload: [row()], expected: [("approved", "registered", "approve.auto")]),
    RuleScenario(name: "subdivision territory", partners: ["P-A,Partner A,silver,US-CA;US-OR,,"],
                 upload: [row(region: "CA"), row("P-A", "Other Co", domain: "other.example", region: "TX"),
                          row("P-A", "Third Co", domain: "third.example")],
                 expected: [("approved", "registered", "approve.auto"), ("declined", "outside_territory", "territory.outside"),
                            ("needs_info", "missing_required_field", "territory.region_missing")]),
    RuleScenario(name: "territory needs a country", partners: ["P-A,Partner A,silver,US,,"], upload: [row(country: "")],
                 expected: [("needs_info", "missing_required_field", "territory.country_missing")]),
    RuleScenario(name: "cap counts snapshot registrations",
                 snapshot: ["D-1,Old Account,partner,registered,,US,P-A,2027-01-31,"], partners: ["P-A,Partner A,silver,,,1"], upload: [row()],
                 expected: [("declined", "partner_cap_reached", "cap.partner")]),
    RuleScenario(name: "cap counts approvals earlier in the batch", partners: ["P-A,Partner A,silver,,,1"],
                 upload: [row(), row("P-A", "Other Co", domain: "other.example")],
                 expected: [("approved", "registered", "approve.auto"), ("declined", "partner_cap_reached", "cap.partner")]),
    RuleScenario(name: "policy cap applies when the partner has none", policy: "max_active_per_partner: 0\n", upload: [row()],
                 expected: [("declined", "partner_cap_reached", "cap.partner")]),
    RuleScenario(name: "outside territory and over the cap: both reasons", partners: ["P-A,Partner A,silver,DE,,0"], upload: [row()],
                 expected: [("declined", "outside_territory;partner_cap_reached", "territory.outside")]),
    RuleScenario(name: "duplicate, outside territory and invalid value: every reason",
                 snapshot: ["D-1,Fabrikam Robotics,partner,registered,,US,P-B,2027-01-31,"], partners: ["P-A,Partner A,silver,DE,,"],
                 upload: [row(value: "lots")],
                 expected: [("declined", "invalid_value;duplicate_existing_deal;outside_territory", "duplicate.snapshot")]),
    RuleScenario(name: "consent required", policy: "require_consent: true\n",
                 upload: [row(consent: "yes"), row("P-A", "Other Co", domain: "other.example", consent: "no"),
                          row("P-A", "Third Co", domain: "third.example")],
                 expected: [("approved", "registered", "approve.auto"), ("needs_info", "invalid_value", "intake.consent"),
                            ("needs_info", "missing_required_field", "intake.consent")]),
    RuleScenario(name: "confidence below the tier's level", policy: "auto_approve: {default: 70, silver: 100}\n",
                 upload: [row(), row("P-B", "Other Co", domain: "other.example")],
                 expected: [("needs_review", "low_confidence", "triage.confidence"), ("approved", "registered", "approve.auto")]),
    RuleScenario(name: "shadow mode reviews everything", policy: "shadow_mode: true\n",
                 snapshot: ["D-1,Fabrikam Robotics,partner,registered,,US,P-B,2027-01-31,"],
                 upload: [row(), row("P-A", "Other Co", domain: "other.example")],
                 expected: [("needs_review", "duplicate_existing_deal", "shadow_mode"), ("needs_review", "registered", "shadow_mode")]),
]

@Suite("Policy rules")
struct PolicyRulesTests {
    private func run(_ scenario: RuleScenario) throws -> ([[String: String]], BatchSummary) {
        let folder = try temporaryDirectory()
        func file(_ name: String, _ lines: [String]) throws -> String {
            let url = folder.appendingPathComponent(name)
            try write(lines.joined(separator: "\n") + "\n", to: url)
            return url.path
        }
        var policy = scenario.policy
        if !scenario.blocked.isEmpty {
            _ = try file("blocked.csv", ["account_name,account_domain,country,note"] + scenario.blocked)
            policy += "blocked_accounts_file: blocked.csv\n"
        }
        if !scenario.direct.isEmpty {
            _ = try file("direct.csv", ["account_name,account_domain,country,note"] + scenario.direct)
            policy += policy.contains("direct_reserved") ? "" : "direct_reserved: {accounts_file: direct.csv}\n"
        }
        let (summary, out) = try runBatch(
            uploads: [try file("upload.csv", [uploadHeader] + scenario.upload)],
            snapshot: try file("snapshot.csv", [snapshotHeader] + scenario.snapshot),
            partners: try file("partners.csv", ["partner_id,name,tier,territories,email,max_active"] + scenario.partners),
            policy: try file("policy.yaml", [policy]), out: folder.appendingPathComponent("out"))
        return (try readResults(out.appendingPathComponent("upload.results.csv")), summary)
    }

    @Test(arguments: ruleScenarios)
    func rule(_ scenario: RuleScenario) throws {
        let (rows, summary) = try run(scenario)
        #expect(rows.count == scenario.expected.count)
        for (index, (decision, codes, rule)) in scenario.expected.enumerated() where index < rows.count {
            let actual = rows[index]
            #expect(actual["decision"] == decision, "row \(index + 1): \(actual["reason"] ?? "") [\(actual["rationale"] ?? "")]")
            #expect(actual["reason_codes"] == codes, "row \(index + 1)")
            #expect(actual["decided_by"] == rule, "row \(index + 1)")
            #expect(actual["policy_version"]?.hasPrefix(summary.policyVersion + ".m") == true, "policy and match model")
            #expect(!(actual["confidence"] ?? "").isEmpty)
        }
    }

    @Test func shadowModeRecordsTheWouldBeDecisionAndTellsPartnersNothingMore() throws {
        let scenario = ruleScenarios.first { $0.name == "shadow mode reviews everything" }!
        let (rows, _) = try run(scenario)
        #expect(rows.map { $0["would_be_decision"] } == ["declined", "approved"])
        #expect(rows.allSatisfy { $0["reason"] == "Your registration is being reviewed by a channel manager, who will let you know." })
        #expect(rows.allSatisfy { $0["expires_on"] == "" })
        #expect(rows[0]["rationale"]?.hasPrefix("shadow_mode: would have been declined by duplicate.snapshot") == true)
        #expect(rows.allSatisfy { $0["registration_id"]?.hasPrefix("REG-") == true })
    }

    /// In shadow mode later rows still meet the batch as the policy would have decided it.
    @Test func shadowModeKeepsFirstComeFirstServed() throws {
        let scenario = RuleScenario(name: "shadow batch", policy: "shadow_mode: true\n",
                                    snapshot: ["D-1,Fabrikam Robotics,partner,registered,,US,P-B,2027-01-31,"],
                                    upload: [row("P-A"), row("P-A", "Other Co", domain: "other.example"), row("P-B", "Other Co", domain: "other.example")],
                                    expected: [])
        let (rows, _) = try run(scenario)
        #expect(rows.map { $0["would_be_decision"] } == ["declined", "approved", "declined"])
        #expect(rows[2]["reason_codes"] == "duplicate_in_batch")
    }

    @Test func listsAreMatchedWithTheIdentityEngine() throws {
        var scenario = ruleScenarios.first { $0.name == "blocked by name" }!
        scenario = RuleScenario(name: "fuzzy", blocked: ["ФАБРИКАМ РОБОТИКС,,,"], upload: [row("P-A", "Fabrikam Robotiks GmbH")],
                                expected: [])
        let (rows, _) = try run(scenario)
        #expect(rows[0]["reason_codes"] == "blocked_account")
    }

    @Test func accountListProblemsStopTheBatch() throws {
        let folder = try temporaryDirectory()
        let policy = folder.appendingPathComponent("policy.yaml")
        try write("blocked_accounts_file: missing.csv\n", to: policy)
        #expect(throws: InputError(.unreadable, "\(folder.appendingPathComponent("missing.csv").path): cannot read the blocked account list named by \(policy.path)")) {
            _ = try EffectivePolicy.load(path: policy.path)
        }
        try write("note\nsomething\n", to: folder.appendingPathComponent("missing.csv"))
        #expect(throws: InputError.self) { _ = try EffectivePolicy.load(path: policy.path) }
    }
}
