import DealregIdentity
import DealregPolicy
import DealregReport

/// Decides every row of a batch by the procedure in POLICY.md, first come first
/// served: rows in order of `submitted_at` (rows without one last), then file
/// order, then row order. Each row collects every finding that applies, in the
/// procedure's order; its decision follows from the strongest.
struct BatchDecider {
    let snapshot: Snapshot
    let policy: EffectivePolicy
    let asOf: Day
    /// The partners' recently ended registrations (rule duplicate.reregistration_wait).
    var waiting: WaitingPeriod?

    /// A row of this batch that claimed an account.
    private struct Claim {
        let partnerID: String
        let registrationID: String
        let expiresOn: Day?
        let underReview: Bool
        let file: String
        let rowNumber: Int
    }

    /// A candidate the matcher found, shown in the internal columns.
    private struct Matched {
        let record: String
        let score: Int
        let evidence: String
    }

    /// Worker threads for scoring rows against the snapshot; the output does not depend on it.
    var threads = ParallelWork.defaultThreads

    func decide(uploads: [UploadFile], submissions: [[Submission]]) -> [[ResultRecord]] {
        var results: [[ResultRecord?]] = submissions.map { Array(repeating: nil, count: $0.count) }
        // First come, first served by receipt: files in the order dealreg received them (the inbox's
        // arrival order, or as given to `run`), then rows in file order. A partner's own
        // submitted_at is kept and shown but never moves a row ahead of one received earlier.
        let order = submissions.indices.flatMap { file in submissions[file].indices.map { (file, $0) } }
        // Scores against the snapshot depend on nothing decided in this batch, so they are
        // computed for all rows at once, in parallel; claims are then checked in order.
        let rules = policy.policy.match.scoreRules
        let comparisons = ParallelWork.map(order, threads: threads) { file, row -> [(entry: Int, vector: ComparisonVector)] in
            let submission = submissions[file][row]
            guard submission.partner != nil, submission.isSound, submission.identity.isUsable else { return [] }
            return snapshot.index.comparisons(for: submission.identity)
        }
        // The model: u measured on the snapshot, m and the match rate fitted to tonight's candidate pairs.
        let tonight = order.compactMap { file, row -> AccountIdentity? in
            let submission = submissions[file][row]
            return submission.partner != nil && submission.isSound && submission.identity.isUsable ? submission.identity : nil
        }
        let model = snapshot.index.estimateModel(alsoCounting: tonight)
            .fitted(to: comparisons.map { $0.map(\.vector) })
        let snapshotScores = comparisons.map { AccountIndex.scored($0, model: model, rules: rules) }
        // Each decision records the policy and the match model it was made under.
        let decisionVersion = "\(policy.version).m\(model.fingerprint)"
        // This batch's claims as they are made, weighed by the snapshot's token frequencies.
        var claimIndex = AccountIndex(tokenStatisticsFrom: snapshot.index)
        var claims: [Claim] = []
        var active = snapshot.activeRegistrations(asOf: asOf)
        for (position, (file, row)) in order.enumerated() {
            let submission = submissions[file][row]
            var state = RowState(findings: submission.findings)
            if let partner = submission.partner, submission.isSound {
                let matchable = submission.identity.isUsable
                if matchable { checkAccountLists(submission, model: model, &state) }
                checkDealValue(submission, &state)
                if matchable {
                    let candidates = Candidates(query: submission.identity, snapshot: snapshotScores[position],
                                                claims: claimIndex.scores(for: submission.identity, model: model, rules: rules),
                                                snapshotIndex: snapshot.index, claimIndex: claimIndex, model: model, rules: rules)
                    checkConflicts(submission, partner: partner, candidates: candidates, claims: claims, &state)
                }
                checkTerritory(submission, partner: partner, &state)
                checkCap(partner: partner, active: active[PartnerDirectory.key(partner.id), default: 0], &state)
            }
            var decision = Decision(strongestOf: state.findings)
            if decision == .approved, let partner = submission.partner, submission.isSound {
                decision = triageConfidence(submission, partner: partner, &state)
            } else {
                state.confidence = confidence(submission, partner: submission.partner, state: state).value
            }
            let record = finish(submission, upload: uploads[file], rowNumber: row + 1, decision: decision, state: state,
                                version: decisionVersion)
            // Later rows see this one as the policy decided it (in shadow mode: as it would have been decided).
            if let registrationID = record.registrationID, let partner = submission.partner, submission.identity.isUsable,
               decision == .approved || decision == .needsReview {
                claimIndex.add(submission.identity)
                claims.append(Claim(partnerID: partner.id, registrationID: registrationID,
                                    expiresOn: decision == .approved ? asOf.adding(days: policy.policy.validityDays) : nil,
                                    underReview: decision == .needsReview, file: uploads[file].name, rowNumber: row + 1))
                if decision == .approved { active[PartnerDirectory.key(partner.id), default: 0] += 1 }
            }
            results[file][row] = record
        }
        return results.map { $0.map { $0! } }
    }

    /// One row's scored candidates: snapshot deals (entries below `dealCount`), then this
    /// batch's claims (entry `dealCount + i` is claim `i`).
    private struct Candidates {
        let query: AccountIdentity
        let snapshot: [ScoredEntry]
        let claims: [ScoredEntry]
        let snapshotIndex: AccountIndex
        let claimIndex: AccountIndex
        let model: MatchModel
        let rules: ScoreRules
        var dealCount: Int { snapshotIndex.count }

        /// The best candidate accepted by `filter` with at least `minimum`; ties go to the earliest.
        func best(minimum: Int, _ filter: (Int) -> Bool) -> ScoredEntry? {
            let fromSnapshot = AccountIndex.best(of: snapshot, minimumScore: minimum, where: filter)
            let fromClaims = AccountIndex.best(of: claims, minimumScore: minimum) { filter(dealCount + $0) }
                .map { ScoredEntry(entry: dealCount + $0.entry, score: $0.score, nameLevel: $0.nameLevel, capped: $0.capped, logOdds: $0.logOdds) }
            guard let fromClaims else { return fromSnapshot }
            guard let fromSnapshot else { return fromClaims }
            return fromClaims.beats(fromSnapshot) ? fromClaims : fromSnapshot
        }

        /// The best-scoring candidate no policy rule has set apart (see `ScoredEntry.capped`).
        func nearestInDoubt() -> ScoredEntry? {
            let fromSnapshot = AccountIndex.best(of: snapshot.filter { !$0.capped })
            let fromClaims = AccountIndex.best(of: claims.filter { !$0.capped })
            guard let fromClaims else { return fromSnapshot }
            guard let fromSnapshot else { return fromClaims }
            return fromClaims.beats(fromSnapshot) ? fromClaims : fromSnapshot
        }

        /// The best candidate below `below` whose name shares a distinctive word with the row's:
        /// the account's family (a shared brand, another site of a chain), not the account.
        func related(below: Int, _ filter: (Int) -> Bool) -> ScoredEntry? {
            var best: ScoredEntry?
            let all = snapshot + claims.map { ScoredEntry(entry: dealCount + $0.entry, score: $0.score, nameLevel: $0.nameLevel, capped: $0.capped, logOdds: $0.logOdds) }
            for candidate in all where candidate.score < below && candidate.nameLevel >= MatchField.sharedWordLevel && filter(candidate.entry) {
                if best == nil || (candidate.nameLevel, candidate.score) > (best!.nameLevel, best!.score) { best = candidate }
            }
            return best
        }

        /// The evidence for a candidate, written only for the one shown.
        func evidence(_ match: ScoredEntry) -> String {
            match.entry < dealCount
                ? snapshotIndex.explain(query, entry: match.entry, model: model, rules: rules).evidence
                : claimIndex.explain(query, entry: match.entry - dealCount, model: model, rules: rules).evidence
        }
    }

    /// What the rules have found so far for one row.
    private struct RowState {
        var findings: [Finding]
        var matched: Matched?
        /// The account's family: shown, never blocking.
        var related: Matched?
        /// The best score of any candidate that did not make a finding (lowers confidence).
        var nearestScore = 0
        var rationale: [String] = []
        var confidence: Int?
    }

    // MARK: - Rules, in the order of POLICY.md

    /// Blocked accounts, then accounts named for direct sales (rules blocked.list, direct.named_account).
    private func checkAccountLists(_ submission: Submission, model: MatchModel, _ state: inout RowState) {
        let thresholds = policy.policy.match
        for (list, code, rule, message) in [
            (policy.blockedAccounts, ReasonCode.blockedAccount, "blocked.list",
             "We cannot accept registrations for this account; please contact your channel manager if you have questions."),
            (policy.directAccounts, ReasonCode.directAccount, "direct.named_account",
             "This account is reserved for our direct sales team, so it cannot be registered by a partner."),
        ] {
            guard let list, let hit = list.index.bestMatch(for: submission.identity, model: model, minimumScore: thresholds.reviewScore,
                                                           rules: thresholds.scoreRules) else { continue }
            let certain = hit.score >= thresholds.duplicateScore
            state.findings.append(Finding(
                code: code, message: certain ? message : "This account may be one we handle differently; a channel manager will review your registration and let you know.",
                rule: certain ? rule : rule + ".possible", decision: certain ? .declined : .needsReview))
            state.rationale.append("\(rule): \(list.path) line \(list.lines[hit.entry]) scored \(hit.score) (\(hit.evidence))"
                + (list.notes[hit.entry].map { "; note: \($0)" } ?? ""))
        }
    }

    /// Deals at or above the direct-sales value (rule direct.min_deal_value).
    private func checkDealValue(_ submission: Submission, _ state: inout RowState) {
        guard let threshold = policy.policy.directReserved.minDealValue, let amount = submission.dealValue else { return }
        let currency = amount.currency ?? policy.policy.currency
        let rate = currency == policy.policy.currency ? 1 : policy.policy.exchangeRates[currency]
        guard let rate else {
            state.findings.append(Finding(code: .directAccount, message:
                "We could not check this deal's value against our direct-sales threshold because it is in \(currency); a channel manager will review it.",
                rule: "direct.min_deal_value.unknown_rate", decision: .needsReview))
            state.rationale.append("direct.min_deal_value: no exchange rate for \(currency) in the policy")
            return
        }
        let value = amount.value * rate
        guard value >= threshold else { return }
        state.findings.append(Finding(code: .directAccount, message:
            "Deals of \(Self.money(threshold)) \(policy.policy.currency) or more are handled by our direct sales team, so this one cannot be registered by a partner.",
            rule: "direct.min_deal_value"))
        state.rationale.append("direct.min_deal_value: \(Self.money(value)) \(policy.policy.currency) ≥ \(Self.money(threshold))")
    }

    /// Duplicates of blocking snapshot deals and of earlier claims, recent direct activity,
    /// and existing customers (rules duplicate.*, direct.recent_activity, customer.won_deal).
    private func checkConflicts(_ submission: Submission, partner: Partner, candidates: Candidates, claims: [Claim],
                                _ state: inout RowState) {
        let thresholds = policy.policy.match
        let dealCount = snapshot.deals.count
        let directDays = policy.policy.directActivityDays
        func best(minimum: Int = thresholds.reviewScore, _ filter: (Int) -> Bool) -> ScoredEntry? {
            candidates.best(minimum: minimum, filter)
        }
        let blocking = best { $0 < dealCount && snapshot.deals[$0].blocks(asOf: asOf, directActivityDays: directDays) }
        let claimed = best { $0 >= dealCount }
        if let blocking, blocking.score >= (claimed?.score ?? 0) {
            let deal = snapshot.deals[blocking.entry]
            state.findings.append(snapshotFinding(deal, score: blocking.score, partner: partner))
            state.matched = Matched(record: deal.dealID, score: blocking.score, evidence: candidates.evidence(blocking))
        } else if let claimed {
            let claim = claims[claimed.entry - dealCount]
            state.findings.append(batchFinding(claim, score: claimed.score, partner: partner))
            state.matched = Matched(record: claim.registrationID, score: claimed.score, evidence: candidates.evidence(claimed))
        }
        if state.matched == nil, policy.policy.existingCustomers != .allow,
           let customer = best({ $0 < dealCount && snapshot.deals[$0].status == .won }) {
            let decline = policy.policy.existingCustomers == .decline
            state.findings.append(Finding(code: .existingCustomer, message: decline
                ? "This company is already our customer, so it cannot be registered as a new prospect."
                : "This company is already our customer; a channel manager will review your registration and let you know.",
                rule: "customer.won_deal", decision: decline ? .declined : .needsReview))
            state.matched = Matched(record: snapshot.deals[customer.entry].dealID, score: customer.score, evidence: candidates.evidence(customer))
        }
        // Family: a deal or claim sharing a distinctive word that is not the account; it never blocks.
        if state.matched == nil, let related = candidates.related(below: thresholds.reviewScore, { entry in
            entry >= dealCount || snapshot.deals[entry].blocks(asOf: asOf, directActivityDays: directDays)
                || snapshot.deals[entry].status == .won
        }) {
            state.related = Matched(record: related.entry < dealCount ? snapshot.deals[related.entry].dealID
                                        : claims[related.entry - dealCount].registrationID,
                                    score: related.score, evidence: candidates.evidence(related))
        }
        // Doubt: a candidate that resembles the account without being certainly it (or certainly not).
        if state.matched == nil, let nearest = candidates.nearestInDoubt(), nearest.score < thresholds.reviewScore {
            state.nearestScore = nearest.score
        }
        // Last: the partner's own registration of the account ended too recently (no parking).
        if state.matched == nil, let waiting,
           let (ended, match) = waiting.hit(submission.identity, partner: partner, model: candidates.model, rules: candidates.rules,
                                            minimumScore: thresholds.duplicateScore) {
            state.findings.append(Finding(code: .reregistrationTooSoon, message:
                "Your registration of this account ended on \(ended.endedOn); you can register it again from \(ended.until), "
                + "\(policy.policy.reregisterAfterDays) days after it ended.", rule: "duplicate.reregistration_wait"))
            state.matched = Matched(record: ended.registrationID, score: match.score, evidence: match.evidence)
        }
    }

    /// The prospect's country or subdivision against the partner's territories (rule territory.outside).
    private func checkTerritory(_ submission: Submission, partner: Partner, _ state: inout RowState) {
        guard policy.policy.territory != .ignore, !partner.territories.isEmpty else { return }
        guard let country = submission.identity.country else {
            if !state.findings.contains(where: { $0.field == "country" }) {
                state.findings.append(Finding(code: .missingRequiredField, message:
                    "Add the prospect's country so we can check it is in your territory, and send the row again.",
                    field: "country", rule: "territory.country_missing"))
            }
            return
        }
        let inside = partner.territories.contains { territory in
            territory.count == 2 ? territory == country : territory == submission.region
        }
        if inside { return }
        let needsRegion = submission.region == nil && partner.territories.contains { $0.hasPrefix(country + "-") }
        if needsRegion {
            state.findings.append(Finding(code: .missingRequiredField, message:
                "Add the prospect's state or region (e.g. \(country)-XX) so we can check it is in your territory, and send the row again.",
                field: "region", rule: "territory.region_missing"))
            return
        }
        let enforce = policy.policy.territory == .enforce
        state.findings.append(Finding(code: .outsideTerritory, message: enforce
            ? "This prospect (\(submission.region ?? country)) is outside your territory, so it cannot be registered by you."
            : "This prospect (\(submission.region ?? country)) is outside your territory; a channel manager will review your registration.",
            rule: "territory.outside", decision: enforce ? .declined : .needsReview))
        state.rationale.append("territory.outside: \(submission.region ?? country) not in \(partner.territories.joined(separator: ";"))")
    }

    /// Active registrations in the snapshot plus approvals earlier in this batch (rule cap.partner).
    private func checkCap(partner: Partner, active: Int, _ state: inout RowState) {
        let limit = partner.maxActive ?? policy.policy.maxActivePerPartner
        guard active >= limit else { return }
        state.findings.append(Finding(code: .partnerCapReached, message:
            "You already hold \(active) active registrations, the most your program allows (\(limit)); register this account again when one of them closes or expires.",
            rule: "cap.partner"))
        state.rationale.append("cap.partner: \(active) active ≥ limit \(limit)")
    }

    /// Confidence 0-100: 0.6 × completeness + 0.4 × match certainty + tier bonus (POLICY.md).
    private func confidence(_ submission: Submission, partner: Partner?, state: RowState) -> (value: Int, explanation: String) {
        let certainty = 100 - 2 * max(0, state.nearestScore - 50)
        let bonus = Self.tierBonus[partner?.tier?.lowercased() ?? ""] ?? 0
        let value = min(100, Int((0.6 * Double(submission.completeness) + 0.4 * Double(certainty)).rounded()) + bonus)
        return (value, "confidence \(value) = 0.6 × completeness \(submission.completeness) + 0.4 × match certainty \(certainty) + tier bonus \(bonus) (\(partner?.tier ?? "no tier"))")
    }

    /// Confidence against the tier's auto-approve level (rule triage.confidence).
    private func triageConfidence(_ submission: Submission, partner: Partner, _ state: inout RowState) -> Decision {
        let (confidence, explanation) = self.confidence(submission, partner: partner, state: state)
        let level = policy.policy.autoApproveLevel(tier: partner.tier)
        state.confidence = confidence
        state.rationale.append("\(explanation); auto-approve level \(level)")
        guard confidence < level else { return .approved }
        state.findings.append(Finding(code: .lowConfidence, message:
            "A channel manager will review your registration; adding the company's website, contact and address helps us approve registrations automatically.",
            rule: "triage.confidence"))
        return .needsReview
    }

    static let tierBonus = ["platinum": 15, "gold": 10, "silver": 5]

    // MARK: - Result

    /// - Parameter version: the policy version and the match model's fingerprint, recorded on the decision
    ///   (the row's id derives from the policy version alone, so a resumed batch keeps its ids).
    private func finish(_ submission: Submission, upload: UploadFile, rowNumber: Int, decision: Decision,
                        state: RowState, version: String) -> ResultRecord {
        var findings = state.findings
        var decision = decision
        let claimsAccount = decision == .approved || decision == .needsReview || policy.policy.shadowMode
        let rowID = registrationID(upload: upload, rowNumber: rowNumber)
        let registrationID = claimsAccount ? rowID : nil
        var expiresOn = decision == .approved ? asOf.adding(days: policy.policy.validityDays) : nil
        var decidedBy = findings.first { $0.decision == decision }?.rule ?? "approve.auto"
        if let expiresOn {
            findings.append(Finding(code: .registered, message: "Approved: the account is registered to you until \(expiresOn).",
                                    rule: "approve.auto"))
        }
        var rationale = state.rationale
        var wouldBe: Decision?
        var partnerReason: String?
        let automaticRule = decidedBy
        if policy.policy.shadowMode {
            // Calibration: keep what would have happened for ops, tell the partner only that a person is looking.
            wouldBe = decision
            rationale.insert("shadow_mode: would have been \(decision.rawValue) by \(decidedBy): "
                + findings.map(\.message).joined(separator: " "), at: 0)
            decision = .needsReview
            decidedBy = "shadow_mode"
            expiresOn = nil
            partnerReason = "Your registration is being reviewed by a channel manager, who will let you know."
        }
        var record = ResultRecord(
            rowNumber: rowNumber, rowID: rowID, registrationID: registrationID, decision: decision, findings: findings,
            matchedRecord: state.matched?.record, matchScore: state.matched?.score, matchEvidence: state.matched?.evidence,
            expiresOn: expiresOn, confidence: state.confidence, triage: Triage(decision: decision, findings: findings),
            decidedBy: decidedBy, policyVersion: version, rationale: rationale.joined(separator: "; "),
            wouldBeDecision: wouldBe, partnerReason: partnerReason)
        record.automaticRule = automaticRule
        record.relatedRecord = state.related?.record
        record.relatedEvidence = state.related?.evidence
        return record
    }

    private func snapshotFinding(_ deal: SnapshotDeal, score: Int, partner: Partner) -> Finding {
        guard score >= policy.policy.match.duplicateScore, !deal.underReview else {
            return Finding(code: .possibleDuplicate, message:
                "This account may already be registered; a channel manager will review your registration and let you know.",
                rule: "duplicate.snapshot.possible")
        }
        let until = deal.expiresOn.map { " until \($0)" } ?? ""
        if deal.ownerType == .partner, let owner = deal.ownerID, PartnerDirectory.key(owner) == PartnerDirectory.key(partner.id) {
            return Finding(code: .alreadyRegistered, message: "This account is already registered to you\(until); no new registration is needed.",
                           rule: "duplicate.own")
        }
        if deal.ownerType == .direct {
            return Finding(code: .directAccount, message: "This account is already being worked by our direct sales team, so it cannot be registered.",
                           rule: "direct.recent_activity")
        }
        return Finding(code: .duplicateExistingDeal, message: "This account is already registered by another partner\(until).",
                       rule: "duplicate.snapshot")
    }

    private func batchFinding(_ claim: Claim, score: Int, partner: Partner) -> Finding {
        if claim.underReview || score < policy.policy.match.duplicateScore {
            return Finding(code: .possibleDuplicate, message:
                "Another registration of what may be the same account is being reviewed; a channel manager will decide and let you know.",
                rule: "duplicate.batch.possible")
        }
        let until = claim.expiresOn.map { " until \($0)" } ?? ""
        if PartnerDirectory.key(claim.partnerID) == PartnerDirectory.key(partner.id) {
            return Finding(code: .alreadyRegistered, message:
                "You already registered this account in row \(claim.rowNumber) of \(claim.file); it is registered to you\(until).",
                rule: "duplicate.own")
        }
        return Finding(code: .duplicateInBatch, message: "Another partner registered this account in a file we received before yours, so it is protected for them\(until).",
                       rule: "duplicate.batch")
    }

    /// Deterministic and unique: the same file content, row and policy always give the same ID.
    private func registrationID(upload: UploadFile, rowNumber: Int) -> String {
        let material = "\(upload.sha256):\(upload.occurrence):\(rowNumber):\(policy.version)"
        return "REG-" + sha256Hex(Array(material.utf8)).prefix(16).uppercased()
    }

    static func money(_ value: Double) -> String {
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
