import DealregIdentity
import DealregPolicy

/// Answers "why would this account match that deal?" for `dealreg explain`: the
/// snapshot's match model and the best candidates for one account, each with its
/// evidence waterfall. The same values render `match_evidence` in the results.
public struct MatchExplainer: Sendable {
    public struct Candidate: Sendable {
        public let dealID: String
        public let score: Int
        public let explanation: MatchExplanation
    }

    public let snapshot: Snapshot
    public let model: MatchModel

    /// Loads the snapshot and measures its model (`u` from the snapshot, `m` the documented
    /// defaults: a single account has no batch to fit them to).
    public init(snapshotPath: String, policy: EffectivePolicy, asOf: Day) throws {
        snapshot = try Snapshot.load(path: snapshotPath, policy: policy.policy, asOf: asOf)
        model = snapshot.index.estimateModel(threads: ParallelWork.defaultThreads)
    }

    /// The `top` best-scoring deals for the account (or the one deal asked for), best first.
    public func candidates(for fields: AccountFields, deal: String? = nil, top: Int = 3, rules: ScoreRules = .standard) -> [Candidate] {
        let query = IdentityBuilder().identity(fields)
        let entries: [Int]
        if let deal {
            entries = snapshot.deals.indices.filter { snapshot.deals[$0].dealID == deal }
        } else {
            let scored = snapshot.index.scores(for: query, model: model, rules: rules)
            entries = scored.sorted { ($0.score, -$0.entry) > ($1.score, -$1.entry) }.prefix(top).map(\.entry)
        }
        return entries.map { entry in
            let explanation = snapshot.index.explanation(query, entry: entry, model: model, rules: rules)
            return Candidate(dealID: snapshot.deals[entry].dealID, score: explanation.score, explanation: explanation)
        }
    }
}
