import DealregIdentity
import DealregPolicy
import DealregReport
import DealregRules

/// Decides every row of a batch by the procedure in POLICY.md, first come first
/// served by receipt: files in the order received, then row order. Each row collects every
/// finding that applies, in the procedure's order; its decision follows from the strongest.
///
/// What each rule decides is the ``RuleEngine``'s (DealregRules, shared with the review desk);
/// this type finds the candidates (blocking and scoring against the snapshot and tonight's
/// claims) and keeps tonight's claims and active counts as rows are decided.
struct BatchDecider {
    let snapshot: Snapshot
    let policy: EffectivePolicy
    let asOf: Day
    /// The partners' recently ended registrations (rule duplicate.reregistration_wait).
    var waiting: WaitingPeriod?
    /// Called with the step ("matching": scoring rows against the snapshot in parallel; "fitting
    /// the model", which counts nothing; then "claims": the rows decided in order), the rows that
    /// step has done and its total (0 when it has none): every 4,096 rows scored, every 256 decided.
    var progress: ((_ step: String, _ rowsDone: Int, _ rowsTotal: Int) -> Void)?

    /// A row of this batch that claimed an account.
    fileprivate struct Claim {
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

    /// The rules, decided from values.
    var engine: RuleEngine {
        RuleEngine(policy: policy.policy, blocked: policy.blockedAccounts, direct: policy.directAccounts)
    }

    /// Decides a whole batch held in memory (the replay's nights; `BatchRunner` streams instead,
    /// through the same steps: `matching`, `fitted`, then `Deciding.decide` row by row).
    func decide(uploads: [UploadFile], submissions: [[Submission]]) -> [[ResultRecord]] {
        // First come, first served by receipt: files in the order dealreg received them (the inbox's
        // arrival order, or as given to `run`), then rows in file order. A partner's own
        // submitted_at is kept and shown but never moves a row ahead of one received earlier.
        let order = submissions.indices.flatMap { file in submissions[file].indices.map { (file, $0) } }
        // Scores against the snapshot depend on nothing decided in this batch, so they are
        // computed for all rows at once, in parallel; claims are then checked in order.
        // In slices, so progress can be told between them (the slices' results are the same as one map's).
        var matched = MatchedRows()
        for start in stride(from: 0, to: order.count, by: 4096) {
            let slice = Array(order[start..<min(start + 4096, order.count)])
            for row in ParallelWork.map(slice, threads: threads, { file, row in matching(submissions[file][row]) }) {
                matched.append(row)
            }
            progress?("matching", matched.rows, order.count)
        }
        progress?("fitting the model", 0, 0)
        var deciding = fitted(to: matched)
        progress?("claims", 0, order.count)
        var results: [[ResultRecord]] = submissions.map { _ in [] }
        for (position, (file, row)) in order.enumerated() {
            if position > 0 && position % 256 == 0 { progress?("claims", position, order.count) }
            results[file].append(deciding.decide(submissions[file][row], upload: uploads[file], rowNumber: row + 1,
                                                 comparisons: matched.comparisons(row: position)))
        }
        return results
    }

    /// What matching finds of one row before anything is decided: its candidates in the snapshot
    /// and its street address (for the model). Depends on nothing decided in the batch, so rows
    /// are matched in parallel. Safe to call concurrently.
    func matching(_ submission: Submission) -> MatchedRows.Row {
        guard submission.partner != nil, submission.isSound, submission.identity.isUsable else { return .init() }
        return .init(comparisons: snapshot.index.comparisons(for: submission.identity),
                     addressed: AccountIndex.addressedName(submission.identity))
    }

    /// The model (u measured on the snapshot, m and the match rate fitted to tonight's candidate
    /// pairs), ready to decide the batch's rows in order.
    func fitted(to matched: MatchedRows) -> Deciding {
        let model = snapshot.index.estimateModel(alsoCountingAddressed: matched.addressed, threads: threads).fitted(to: matched.groups)
        return Deciding(decider: self, model: model, claimIndex: AccountIndex(tokenStatisticsFrom: snapshot.index),
                        active: snapshot.activeRegistrations(asOf: asOf))
    }

    /// The batch's rows decided in order, first come first served: tonight's claims as they are
    /// made (the batch's only state that grows with its rows: approvals and reviews).
    struct Deciding {
        let decider: BatchDecider
        let model: MatchModel
        /// This batch's claims as they are made, weighed by the snapshot's token frequencies.
        fileprivate var claimIndex: AccountIndex
        fileprivate var claims: [Claim] = []
        fileprivate var active: [String: Int]
        /// Each decision records the policy and the match model it was made under.
        let decisionVersion: String
        private let rules: ScoreRules

        fileprivate init(decider: BatchDecider, model: MatchModel, claimIndex: AccountIndex, active: [String: Int]) {
            self.decider = decider
            self.model = model
            self.claimIndex = claimIndex
            self.active = active
            decisionVersion = "\(decider.policy.version).m\(model.fingerprint)"
            rules = decider.policy.policy.match.scoreRules
        }

        /// Decides the batch's next row, given what `matching` found of it.
        mutating func decide(_ submission: Submission, upload: UploadFile, rowNumber: Int,
                             comparisons: [(entry: Int, vector: ComparisonVector)]) -> ResultRecord {
            let decider = self.decider, policy = decider.policy, asOf = decider.asOf, snapshot = decider.snapshot
            var state = RowState(findings: submission.findings)
            if let partner = submission.partner, submission.isSound {
                let matchable = submission.identity.isUsable
                if matchable { decider.checkAccountLists(submission, model: model, &state) }
                decider.checkDealValue(submission, &state)
                if matchable {
                    let candidates = Candidates(query: submission.identity,
                                                snapshot: AccountIndex.scored(comparisons, model: model, rules: rules),
                                                claims: claimIndex.scores(for: submission.identity, model: model, rules: rules),
                                                snapshotIndex: snapshot.index, claimIndex: claimIndex, model: model, rules: rules)
                    decider.checkConflicts(submission, partner: partner, candidates: candidates, claims: claims, &state)
                }
                decider.checkTerritory(submission, partner: partner, &state)
                decider.checkCap(partner: partner, active: active[PartnerDirectory.key(partner.id), default: 0], &state)
            }
            var decision = Decision(strongestOf: state.findings)
            if decision == .approved, let partner = submission.partner, submission.isSound {
                decision = decider.triageConfidence(submission, partner: partner, &state)
            } else {
                state.confidence = decider.confidence(submission, partner: submission.partner, state: state).value
            }
            let record = decider.finish(submission, upload: upload, rowNumber: rowNumber, decision: decision, state: state,
                                        version: decisionVersion)
            // Later rows see this one as the policy decided it (in shadow mode: as it would have been decided).
            if let registrationID = record.registrationID, let partner = submission.partner, submission.identity.isUsable,
               decision == .approved || decision == .needsReview {
                claimIndex.add(submission.identity)
                claims.append(Claim(partnerID: partner.id, registrationID: registrationID,
                                    expiresOn: decision == .approved ? asOf.adding(days: policy.policy.validityDays) : nil,
                                    underReview: decision == .needsReview, file: upload.name, rowNumber: rowNumber))
                if decision == .approved { active[PartnerDirectory.key(partner.id), default: 0] += 1 }
            }
            return record
        }
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

        /// Records a rule's finding and, when it gave one, its reasoning.
        mutating func apply(_ outcome: RuleOutcome) {
            findings.append(outcome.finding)
            if let rationale = outcome.rationale { self.rationale.append(rationale) }
        }
    }

    // MARK: - Rules, in the order of POLICY.md

    /// Blocked accounts, then accounts named for direct sales (rules blocked.list, direct.named_account).
    private func checkAccountLists(_ submission: Submission, model: MatchModel, _ state: inout RowState) {
        for outcome in engine.accountLists(submission.identity, model: model) { state.apply(outcome) }
    }

    /// Deals at or above the direct-sales value (rule direct.min_deal_value).
    private func checkDealValue(_ submission: Submission, _ state: inout RowState) {
        if let outcome = engine.dealValue(submission.dealValue) { state.apply(outcome) }
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
            state.findings.append(engine.duplicate(of: Self.held(deal), score: blocking.score, partner: partner.terms))
            state.matched = Matched(record: deal.dealID, score: blocking.score, evidence: candidates.evidence(blocking))
        } else if let claimed {
            let claim = claims[claimed.entry - dealCount]
            state.findings.append(engine.duplicate(
                of: HeldAccount(holder: .claim(partnerID: claim.partnerID, file: claim.file, row: claim.rowNumber),
                                expiresOn: claim.expiresOn, underReview: claim.underReview),
                score: claimed.score, partner: partner.terms))
            state.matched = Matched(record: claim.registrationID, score: claimed.score, evidence: candidates.evidence(claimed))
        }
        if state.matched == nil, let finding = engine.existingCustomer(),
           let customer = best({ $0 < dealCount && snapshot.deals[$0].status == .won }) {
            state.findings.append(finding)
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
            state.findings.append(engine.reregistrationTooSoon(endedOn: ended.endedOn, until: ended.until))
            state.matched = Matched(record: ended.registrationID, score: match.score, evidence: match.evidence)
        }
    }

    /// The prospect's country or subdivision against the partner's territories (rule territory.outside).
    private func checkTerritory(_ submission: Submission, partner: Partner, _ state: inout RowState) {
        let countryFlagged = state.findings.contains { $0.field == "country" }
        if let outcome = engine.territory(country: submission.identity.country, region: submission.region,
                                          partner: partner.terms, countryFlagged: countryFlagged) {
            state.apply(outcome)
        }
    }

    /// Active registrations in the snapshot plus approvals earlier in this batch (rule cap.partner).
    private func checkCap(partner: Partner, active: Int, _ state: inout RowState) {
        if let outcome = engine.cap(partner: partner.terms, active: active) { state.apply(outcome) }
    }

    /// Confidence 0-100 (POLICY.md), from the rule engine.
    private func confidence(_ submission: Submission, partner: Partner?, state: RowState) -> (value: Int, explanation: String) {
        engine.confidence(completeness: submission.completeness, nearestScore: state.nearestScore, tier: partner?.tier)
    }

    /// Confidence against the tier's auto-approve level (rule triage.confidence).
    private func triageConfidence(_ submission: Submission, partner: Partner, _ state: inout RowState) -> Decision {
        let confidence = self.confidence(submission, partner: partner, state: state)
        let (finding, rationale) = engine.triage(confidence: confidence, tier: partner.tier)
        state.confidence = confidence.value
        state.rationale.append(rationale)
        guard let finding else { return .approved }
        state.findings.append(finding)
        return .needsReview
    }

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
            findings.append(Finding(code: .registered, sentence: Sentence("registered", ["date": "\(expiresOn)"]),
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
            partnerReason = Sentence("shadow_mode.review").text(in: .english)
        }
        var record = ResultRecord(
            rowNumber: rowNumber, rowID: rowID, registrationID: registrationID, decision: decision, findings: findings,
            matchedRecord: state.matched?.record, matchScore: state.matched?.score, matchEvidence: state.matched?.evidence,
            expiresOn: expiresOn, confidence: state.confidence, triage: Triage(decision: decision, findings: findings),
            decidedBy: decidedBy, policyVersion: version, rationale: rationale.joined(separator: "; "),
            wouldBeDecision: wouldBe, partnerReason: partnerReason)
        record.automaticRule = automaticRule
        if partnerReason != nil { record.partnerReasonSentence = Sentence("shadow_mode.review") }
        record.relatedRecord = state.related?.record
        record.relatedEvidence = state.related?.evidence
        let scores = [state.matched?.score, state.related?.score, state.nearestScore > 0 ? state.nearestScore : nil].compactMap { $0 }
        record.bestScore = scores.max() ?? (submission.identity.isUsable && submission.isSound && submission.partner != nil ? 0 : nil)
        return record
    }

    /// A snapshot deal as the rules see it.
    private static func held(_ deal: SnapshotDeal) -> HeldAccount {
        HeldAccount(holder: deal.ownerType == .direct ? .directDeal : .partnerDeal(partnerID: deal.ownerID),
                    expiresOn: deal.expiresOn, underReview: deal.underReview)
    }

    /// Deterministic and unique: the same file content, row and policy always give the same ID.
    private func registrationID(upload: UploadFile, rowNumber: Int) -> String {
        let material = "\(upload.sha256):\(upload.occurrence):\(rowNumber):\(policy.version)"
        return "REG-" + sha256Hex(Array(material.utf8)).prefix(16).uppercased()
    }
}

/// What the batch keeps of each row between matching and deciding: the candidates matching
/// found in the snapshot with their comparison vectors (the model's fit takes the vectors; once
/// it is fitted, they give the row's scores), and the row's hashed street address (the
/// model's address frequencies). Rows, in batch order, are appended as they are matched and
/// read back by position; a row without candidates costs 4 bytes.
struct MatchedRows {
    /// What matching found of one row.
    struct Row {
        var comparisons: [(entry: Int, vector: ComparisonVector)] = []
        var addressed: AccountIndex.AddressedName?
    }

    /// The vectors of each row with candidates, in batch order: the fit's input as it takes it
    /// (rows without candidates add nothing to the fit).
    private(set) var groups: [[ComparisonVector]] = []
    /// The candidates' entries, group after group.
    private var entries: [Int32] = []
    /// Where each group's entries start in `entries`.
    private var groupStarts: [Int32] = []
    /// Per row, in batch order: its group, or -1 when it has no candidates.
    private var groupOfRow: [Int32] = []
    /// The rows' street addresses, hashed (matchable rows that give one).
    private(set) var addressed: [AccountIndex.AddressedName] = []

    var rows: Int { groupOfRow.count }

    mutating func append(_ row: Row) {
        if let address = row.addressed { addressed.append(address) }
        guard !row.comparisons.isEmpty else {
            groupOfRow.append(-1)
            return
        }
        groupOfRow.append(Int32(groups.count))
        groupStarts.append(Int32(entries.count))
        groups.append(row.comparisons.map(\.vector))
        entries += row.comparisons.map { Int32($0.entry) }
    }

    /// The candidates of the row at `position` (in batch order) with their vectors, in entry order.
    func comparisons(row position: Int) -> [(entry: Int, vector: ComparisonVector)] {
        let group = Int(groupOfRow[position])
        guard group >= 0 else { return [] }
        let start = Int(groupStarts[group])
        return groups[group].enumerated().map { (Int(entries[start + $0.offset]), $0.element) }
    }
}
