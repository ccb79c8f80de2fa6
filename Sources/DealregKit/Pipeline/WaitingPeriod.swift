import DealregIdentity
import DealregLedger
import DealregPolicy

/// Accounts whose registration by a partner ended recently (expired or withdrawn): the same
/// partner may not register them again until `reregister_after_days` have passed (no parking
/// an account around the extension cap). Other partners are free to.
struct WaitingPeriod {
    struct Ended {
        let partnerID: String
        let registrationID: String
        let endedOn: String
        let until: Day
    }

    private(set) var index: AccountIndex
    private(set) var ended: [Ended] = []

    /// From the ledger's registrations that ended within the policy's waiting period before `asOf`.
    init(ledger: Ledger, policy: Policy, asOf: Day, statistics: AccountIndex) throws {
        let ended = policy.reregisterAfterDays > 0
            ? try ledger.recentlyEnded(since: asOf.adding(days: -policy.reregisterAfterDays), asOf: asOf) : []
        self.init(ended: ended, policy: policy, statistics: statistics)
    }

    /// From registrations that ended within the policy's waiting period, with the day each ended
    /// (a replay's reconstruction of what the ledger held on a past night).
    init(ended recentlyEnded: [(registration: LedgerRegistration, endedOn: String)], policy: Policy, statistics: AccountIndex) {
        index = AccountIndex(tokenStatisticsFrom: statistics)
        guard policy.reregisterAfterDays > 0 else { return }
        let builder = IdentityBuilder()
        for (registration, endedOn) in recentlyEnded {
            guard let day = Day(iso: endedOn) else { continue }
            index.add(builder.identity(LedgerDesk.fields(registration)))
            ended.append(Ended(partnerID: registration.partnerID, registrationID: registration.id, endedOn: endedOn,
                               until: day.adding(days: policy.reregisterAfterDays)))
        }
    }

    /// The partner's own recently ended registration of this account, if one scores as a duplicate.
    func hit(_ identity: AccountIdentity, partner: Partner, model: MatchModel, rules: ScoreRules,
             minimumScore: Int) -> (ended: Ended, match: AccountMatch)? {
        guard !ended.isEmpty else { return nil }
        let key = PartnerDirectory.key(partner.id)
        let scored = index.scores(for: identity, model: model, rules: rules)
        guard let best = AccountIndex.best(of: scored, minimumScore: minimumScore, where: { PartnerDirectory.key(ended[$0].partnerID) == key })
        else { return nil }
        return (ended[best.entry], index.explain(identity, entry: best.entry, model: model, rules: rules))
    }
}
