/// Rules of the policy applied on top of the match model's probability: pairs that must
/// stay below a threshold however alike they are, and evidence the policy says not to count.
public struct ScoreRules: Sendable, Equatable {
    /// How two sites of one name are treated (policy `match.sites`).
    public enum Sites: String, Sendable, CaseIterable {
        /// Both addresses present and clearly different (another street, or another house
        /// number on the same street) and both phones present and different: different
        /// accounts, shown as related, never blocking.
        case separate
        /// The sites of a name are one account: a different address, phone, postcode or city
        /// is no evidence against.
        case same
    }

    /// The most a pair whose countries differ but whose website or phone agrees may score: keep
    /// it below the duplicate threshold (one company's site given under another country is at
    /// most a review case).
    public var countryConflictCap: Int
    /// The most a pair whose countries differ, with nothing else tying them, may score: keep it
    /// below the review threshold. One brand's companies in two countries ("Kanto Electric US"
    /// and "Kanto Electric Corporation", JP) are related accounts, not one.
    public var otherCountryCap: Int
    public var sites: Sites
    /// The most two clearly different sites may score under `.separate`: keep it below the
    /// review threshold.
    public var otherSiteCap: Int

    public init(countryConflictCap: Int = 89, sites: Sites = .separate, otherSiteCap: Int = 69, otherCountryCap: Int = 69) {
        self.countryConflictCap = countryConflictCap
        self.sites = sites
        self.otherSiteCap = otherSiteCap
        self.otherCountryCap = otherCountryCap
    }

    /// The rules of a policy's thresholds: another country stays below the review score unless a
    /// website or phone ties the two, then below the duplicate score; another site below the
    /// review score.
    public init(duplicateScore: Int, reviewScore: Int, sites: Sites) {
        self.init(countryConflictCap: duplicateScore - 1, sites: sites, otherSiteCap: reviewScore - 1,
                  otherCountryCap: reviewScore - 1)
    }

    public static let standard = ScoreRules()

    /// A pair's score under these rules, the vector the model weighed, and the rule that capped it.
    public func score(_ vector: ComparisonVector, model: MatchModel) -> (score: Int, vector: ComparisonVector, cap: String?) {
        var weighed = vector
        if sites == .same {
            // Sites of one account differ in address, phone, postcode and city: not evidence against.
            if weighed[.address] == 1 || weighed[.address] == 2 { weighed[.address] = 0 }
            for field in [MatchField.phone, .postcode, .city] where weighed[field] == 1 { weighed[field] = 0 }
        }
        let score = model.score(weighed)
        // Another site: the streets differ and so do the phones (a corner restaurant listed on
        // either street keeps its phone), or the snapshot lists the name at several sites (a
        // chain). Otherwise a different street is the model's evidence against, not a rule: a
        // company that moved keeps its account.
        if sites == .separate && (weighed[.address] == 1 || weighed[.address] == 2)
            && (weighed[.phone] == 1 || (weighed[.phone] == 0 && model.isMultiSite(weighed))) && score > otherSiteCap {
            return (otherSiteCap, weighed, "at most \(otherSiteCap) %: another site (match.sites: separate)")
        }
        if weighed[.country] == 1 {
            let tied = weighed[.domain] == 3 || weighed[.phone] == 2
            let cap = tied ? countryConflictCap : otherCountryCap
            if score > cap {
                return (cap, weighed, "at most \(cap) %: another country" + (tied ? "" : ", nothing else tying them"))
            }
        }
        return (score, weighed, nil)
    }
}
