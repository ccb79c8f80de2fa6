import DealregIdentity
import DealregPolicy

/// One rule's verdict on a claim: the finding (reason code, the partner's sentence, the rule's
/// id, the decision it asks for) and how the rule reasoned (for the rationale and for a
/// reviewer's refusal message).
public struct RuleOutcome: Sendable, Equatable {
    public var finding: Finding
    public var rationale: String?

    public init(_ finding: Finding, rationale: String? = nil) {
        self.finding = finding
        self.rationale = rationale
    }
}

/// The rules of POLICY.md, decided from values only — a claim's identity and fields, the
/// reference set (account lists, held accounts, active counts) and the policy — with no files
/// and no ledger. The nightly batch and the review desk (`review approve`) ask the same engine.
///
/// Which candidate an account matches (blocking and scoring against the snapshot and the
/// claims) is the caller's; what a match, a value, a place or a count means is decided here.
public struct RuleEngine: Sendable {
    public let policy: Policy
    /// Sanctioned or do-not-sell accounts (`blocked_accounts_file`).
    public let blocked: ListedAccounts?
    /// Accounts reserved for direct sales (`direct_reserved.accounts_file`).
    public let direct: ListedAccounts?

    public init(policy: Policy, blocked: ListedAccounts? = nil, direct: ListedAccounts? = nil) {
        self.policy = policy
        self.blocked = blocked
        self.direct = direct
    }

    // MARK: - Rules, in the order of POLICY.md

    /// Blocked accounts, then accounts named for direct sales (rules blocked.list,
    /// direct.named_account): a match at the duplicate score declines, one in the review band
    /// (`.possible`) sends the claim to review.
    /// - Parameter model: the batch's fitted match model; nil scores with the index's own.
    public func accountLists(_ identity: AccountIdentity, model: MatchModel? = nil) -> [RuleOutcome] {
        let thresholds = policy.match
        var outcomes: [RuleOutcome] = []
        for (list, code, rule, key) in [
            (blocked, ReasonCode.blockedAccount, "blocked.list", "blocked_account"),
            (direct, ReasonCode.directAccount, "direct.named_account", "direct_account.named"),
        ] {
            guard let list else { continue }
            let hit = model.map { list.index.bestMatch(for: identity, model: $0, minimumScore: thresholds.reviewScore, rules: thresholds.scoreRules) }
                ?? list.index.bestMatch(for: identity, minimumScore: thresholds.reviewScore, rules: thresholds.scoreRules)
            guard let hit else { continue }
            let certain = hit.score >= thresholds.duplicateScore
            outcomes.append(RuleOutcome(Finding(
                code: code, sentence: Sentence(certain ? key : "\(code.rawValue).possible"),
                rule: certain ? rule : rule + ".possible", decision: certain ? .declined : .needsReview),
                rationale: "\(rule): \(list.path) line \(list.lines[hit.entry]) scored \(hit.score) (\(hit.evidence))"
                    + (list.notes[hit.entry].map { "; note: \($0)" } ?? "")))
        }
        return outcomes
    }

    /// Deals at or above the direct-sales value (rule direct.min_deal_value).
    public func dealValue(_ amount: Amount?) -> RuleOutcome? {
        guard let threshold = policy.directReserved.minDealValue, let amount else { return nil }
        let currency = amount.currency ?? policy.currency
        let rate = currency == policy.currency ? 1 : policy.exchangeRates[currency]
        guard let rate else {
            return RuleOutcome(Finding(code: .directAccount, sentence: Sentence("direct_account.unknown_rate", ["currency": currency]),
                rule: "direct.min_deal_value.unknown_rate", decision: .needsReview),
                rationale: "direct.min_deal_value: no exchange rate for \(currency) in the policy")
        }
        let value = amount.value * rate
        guard value >= threshold else { return nil }
        return RuleOutcome(Finding(code: .directAccount,
            sentence: Sentence("direct_account.min_value", ["amount": Self.money(threshold), "currency": policy.currency]),
            rule: "direct.min_deal_value"),
            rationale: "direct.min_deal_value: \(Self.money(value)) \(policy.currency) ≥ \(Self.money(threshold))")
    }

    /// What a match with an account already held means (rules duplicate.*, direct.recent_activity):
    /// a score in the review band, or a holder still under review, is a possible duplicate.
    public func duplicate(of held: HeldAccount, score: Int, partner: PartnerTerms) -> Finding {
        // The sentences with an end date have keys of their own ("…_until", "….until").
        let dated = held.expiresOn.map { ["date": "\($0)"] } ?? [:]
        func key(_ base: String, _ suffix: String) -> String { held.expiresOn == nil ? base : base + suffix }
        switch held.holder {
        case .partnerDeal(let owner):
            guard score >= policy.match.duplicateScore, !held.underReview else {
                return Finding(code: .possibleDuplicate, sentence: Sentence("possible_duplicate.snapshot"),
                    rule: "duplicate.snapshot.possible")
            }
            if let owner, PartnerTerms.key(owner) == partner.key {
                return Finding(code: .alreadyRegistered, sentence: Sentence(key("already_registered.snapshot", "_until"), dated),
                               rule: "duplicate.own")
            }
            return Finding(code: .duplicateExistingDeal, sentence: Sentence(key("duplicate_existing_deal", ".until"), dated),
                           rule: "duplicate.snapshot")
        case .directDeal:
            guard score >= policy.match.duplicateScore, !held.underReview else {
                return Finding(code: .possibleDuplicate, sentence: Sentence("possible_duplicate.snapshot"),
                    rule: "duplicate.snapshot.possible")
            }
            return Finding(code: .directAccount, sentence: Sentence("direct_account.recent_activity"),
                           rule: "direct.recent_activity")
        case .claim(let owner, let file, let row):
            if held.underReview || score < policy.match.duplicateScore {
                return Finding(code: .possibleDuplicate, sentence: Sentence("possible_duplicate.batch"),
                    rule: "duplicate.batch.possible")
            }
            if PartnerTerms.key(owner) == partner.key {
                return Finding(code: .alreadyRegistered,
                    sentence: Sentence(key("already_registered.batch", "_until"), dated.merging(["row": "\(row)", "file": file]) { $1 }),
                    rule: "duplicate.own")
            }
            return Finding(code: .duplicateInBatch, sentence: Sentence(key("duplicate_in_batch", ".until"), dated),
                           rule: "duplicate.batch")
        }
    }

    /// An existing customer (rule customer.won_deal), unless the policy allows them.
    public func existingCustomer() -> Finding? {
        guard policy.existingCustomers != .allow else { return nil }
        let decline = policy.existingCustomers == .decline
        return Finding(code: .existingCustomer, sentence: Sentence(decline ? "existing_customer.decline" : "existing_customer.review"),
            rule: "customer.won_deal", decision: decline ? .declined : .needsReview)
    }

    /// The partner's own registration of the account ended too recently (rule duplicate.reregistration_wait).
    public func reregistrationTooSoon(endedOn: String, until: Day) -> Finding {
        Finding(code: .reregistrationTooSoon,
                sentence: Sentence("reregistration_too_soon", ["ended": endedOn, "date": "\(until)", "days": "\(policy.reregisterAfterDays)"]),
                rule: "duplicate.reregistration_wait")
    }

    /// The prospect's country or subdivision against the partner's territories (rules
    /// territory.outside, territory.country_missing, territory.region_missing).
    /// - Parameters:
    ///   - country: the prospect's ISO country; `region` its ISO 3166-2 subdivision, if known.
    ///   - countryFlagged: the row already has a finding about its country (no second one).
    public func territory(country: String?, region: String?, partner: PartnerTerms, countryFlagged: Bool = false) -> RuleOutcome? {
        guard policy.territory != .ignore, !partner.territories.isEmpty else { return nil }
        guard let country else {
            if countryFlagged { return nil }
            return RuleOutcome(Finding(code: .missingRequiredField, sentence: Sentence("missing_required_field.country_territory"),
                field: "country", rule: "territory.country_missing"))
        }
        let inside = partner.territories.contains { territory in
            territory.count == 2 ? territory == country : territory == region
        }
        if inside { return nil }
        if region == nil && partner.territories.contains(where: { $0.hasPrefix(country + "-") }) {
            return RuleOutcome(Finding(code: .missingRequiredField,
                sentence: Sentence("missing_required_field.region_territory", ["country": country]),
                field: "region", rule: "territory.region_missing"))
        }
        let enforce = policy.territory == .enforce
        return RuleOutcome(Finding(code: .outsideTerritory,
            sentence: Sentence(enforce ? "outside_territory.decline" : "outside_territory.review", ["place": region ?? country]),
            rule: "territory.outside", decision: enforce ? .declined : .needsReview),
            rationale: "territory.outside: \(region ?? country) not in \(partner.territories.joined(separator: ";"))")
    }

    /// The partner's active registrations against its cap (rule cap.partner).
    public func cap(partner: PartnerTerms, active: Int) -> RuleOutcome? {
        let limit = partner.maxActive ?? policy.maxActivePerPartner
        guard active >= limit else { return nil }
        return RuleOutcome(Finding(code: .partnerCapReached,
            sentence: Sentence("partner_cap_reached", ["active": "\(active)", "limit": "\(limit)"]),
            rule: "cap.partner"), rationale: "cap.partner: \(active) active ≥ limit \(limit)")
    }

    /// Confidence 0-100: 0.6 × completeness + 0.4 × match certainty + tier bonus (POLICY.md).
    /// - Parameter nearestScore: the best score of a candidate that made no finding (0: none).
    public func confidence(completeness: Int, nearestScore: Int, tier: String?) -> (value: Int, explanation: String) {
        let certainty = 100 - 2 * max(0, nearestScore - 50)
        let bonus = Self.tierBonus[tier?.lowercased() ?? ""] ?? 0
        let value = min(100, Int((0.6 * Double(completeness) + 0.4 * Double(certainty)).rounded()) + bonus)
        return (value, "confidence \(value) = 0.6 × completeness \(completeness) + 0.4 × match certainty \(certainty) + tier bonus \(bonus) (\(tier ?? "no tier"))")
    }

    /// An otherwise approved claim below its tier's auto-approve level goes to review (rule
    /// triage.confidence); the rationale always says how the confidence was reached.
    public func triage(confidence: (value: Int, explanation: String), tier: String?) -> (finding: Finding?, rationale: String) {
        let level = policy.autoApproveLevel(tier: tier)
        let rationale = "\(confidence.explanation); auto-approve level \(level)"
        guard confidence.value < level else { return (nil, rationale) }
        return (Finding(code: .lowConfidence, sentence: Sentence("low_confidence"),
            rule: "triage.confidence"), rationale)
    }

    public static let tierBonus = ["platinum": 15, "gold": 10, "silver": 5]

    // MARK: - The review desk

    /// Why a reviewer cannot approve a claim now, by the rules a reviewer cannot wave through:
    /// a certain match on the blocked or direct-reserved list, a prospect outside the partner's
    /// territory (under `territory: enforce`), a partner at its cap. Nil when none applies.
    /// Conflicts with held accounts are the caller's to find (they need the indexes).
    public func approvalRefusal(_ identity: AccountIdentity, country: String?, region: String?,
                                partner: PartnerTerms?, active: Int) -> String? {
        let names = ["blocked.list": "the blocked accounts list", "direct.named_account": "the accounts reserved for direct sales"]
        for outcome in accountLists(identity) where outcome.finding.decision == .declined {
            guard let name = names[outcome.finding.rule], let list = outcome.finding.rule == "blocked.list" ? blocked : direct,
                  let hit = list.index.bestMatch(for: identity, minimumScore: policy.match.duplicateScore, rules: policy.match.scoreRules)
            else { continue }
            return "it matches \(name) (\(list.path) line \(list.lines[hit.entry])) — \(hit.evidence)"
        }
        guard let partner else { return nil }
        if let outcome = territory(country: country, region: region, partner: partner, countryFlagged: true),
           outcome.finding.rule == "territory.outside", outcome.finding.decision == .declined {
            return "the prospect (\(region ?? country ?? "?")) is outside \(partner.id)'s territory (\(partner.territories.joined(separator: ", ")))"
        }
        if cap(partner: partner, active: active) != nil {
            return "\(partner.id) already holds \(active) active registrations, the most its program allows (\(partner.maxActive ?? policy.maxActivePerPartner))"
        }
        return nil
    }

    /// A whole amount with thousands separators ("100,000").
    public static func money(_ value: Double) -> String {
        let whole = Int(value.rounded())
        let digits = String(whole)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return grouped
    }
}
