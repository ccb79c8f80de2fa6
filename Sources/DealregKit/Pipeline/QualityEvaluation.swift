import DealregCSV
import DealregIdentity

/// Runs the identity engine over labeled pairs (`quality/pairs.csv`) and measures it.
///
/// Every pair member goes into one index, so token weights come from the whole
/// set; each pair is then decided as the pipeline would: blocking must find the
/// other member (otherwise the pair is approved unseen), and the score falls in
/// the duplicate, review or approve band of the thresholds.
public enum QualityEvaluation {
    /// One evaluated pair.
    public struct Outcome: Sendable {
        public let category: String
        public let same: Bool
        public let score: Int
        public let foundByBlocking: Bool
        public let evidence: String
        public let names: (String, String)
    }

    /// Counts and rates for a group of pairs.
    public struct Metrics: Sendable {
        public let name: String
        public var pairs = 0, same = 0, sameDuplicate = 0, sameReview = 0, sameApproved = 0
        public var differentDuplicate = 0, differentReview = 0, differentApproved = 0

        /// Of the pairs declined automatically as duplicates, the share that are the same company.
        public var precision: Double? {
            sameDuplicate + differentDuplicate == 0 ? nil : Double(sameDuplicate) / Double(sameDuplicate + differentDuplicate)
        }
        /// Of the same-company pairs, the share not approved automatically (declined or sent to review).
        public var recall: Double? { same == 0 ? nil : Double(sameDuplicate + sameReview) / Double(same) }
        public var f1: Double? {
            guard let p = precision, let r = recall, p + r > 0 else { return nil }
            return 2 * p * r / (p + r)
        }
        /// Of the different-company pairs, the share sent to review.
        public var falseReviewRate: Double? {
            let different = pairs - same
            return different == 0 ? nil : Double(differentReview) / Double(different)
        }

        mutating func add(_ outcome: Outcome, thresholds: MatchThresholds) {
            pairs += 1
            let band = outcome.score >= thresholds.duplicateScore ? 2 : outcome.score >= thresholds.reviewScore ? 1 : 0
            switch (outcome.same, band) {
            case (true, 2): same += 1; sameDuplicate += 1
            case (true, 1): same += 1; sameReview += 1
            case (true, _): same += 1; sameApproved += 1
            case (false, 2): differentDuplicate += 1
            case (false, 1): differentReview += 1
            case (false, _): differentApproved += 1
            }
        }
    }

    /// Scores every pair of the file.
    public static func run(pairsPath: String, thresholds: MatchThresholds) throws -> [Outcome] {
        let format = try CSVFile.detectFormat(path: pairsPath)
        let reader = try CSVFile.open(path: pairsPath, format: format)
        guard let header = try reader.next()?.fields else { return [] }
        let builder = IdentityBuilder()
        var index = AccountIndex()
        var pending: [(category: String, same: Bool, query: AccountIdentity, entry: Int, names: (String, String))] = []
        func fields(_ record: [String: String], _ side: String) -> AccountFields {
            func value(_ key: String) -> String? { record["\(side)_\(key)"].flatMap { $0.isEmpty ? nil : $0 } }
            return AccountFields(name: value("name"), website: value("domain"), email: value("email"),
                                 country: value("country"), city: value("city"), postalCode: value("postal"))
        }
        while let record = try reader.next() {
            let row = Dictionary(zip(header, record.fields), uniquingKeysWith: { first, _ in first })
            let query = builder.identity(fields(row, "a"))
            index.add(query)
            let entry = index.add(builder.identity(fields(row, "b")))
            pending.append((row["category"] ?? "", row["label"] == "same", query, entry,
                            (row["a_name"] ?? "", row["b_name"] ?? "")))
        }
        let rules = thresholds.scoreRules
        // As in a batch: u measured on the index, m fitted to the pairs blocking finds.
        let found = pending.map { index.candidates(for: $0.query).contains($0.entry) }
        let vectors = zip(pending, found).compactMap { pair, found in found ? index.compare(pair.query, entry: pair.entry) : nil }
        let model = index.estimateModel(threads: ParallelWork.defaultThreads).fitted(to: vectors.map { [$0] })
        return zip(pending, found).map { pair, found in
            let match = index.explain(pair.query, entry: pair.entry, model: model, rules: rules)
            return Outcome(category: pair.category, same: pair.same, score: found ? match.score : 0,
                           foundByBlocking: found, evidence: match.evidence, names: pair.names)
        }
    }

    /// Metrics per category, in order of first appearance, then all pairs together.
    public static func metrics(_ outcomes: [Outcome], thresholds: MatchThresholds) -> [Metrics] {
        var order: [String] = []
        var byCategory: [String: Metrics] = [:]
        var total = Metrics(name: "all pairs")
        for outcome in outcomes {
            if byCategory[outcome.category] == nil {
                order.append(outcome.category)
                byCategory[outcome.category] = Metrics(name: outcome.category)
            }
            byCategory[outcome.category]!.add(outcome, thresholds: thresholds)
            total.add(outcome, thresholds: thresholds)
        }
        return order.map { byCategory[$0]! } + [total]
    }

    /// A Markdown table of the metrics.
    public static func table(_ metrics: [Metrics]) -> String {
        func rate(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
        var lines = [
            "| category | pairs | same: dup / review / approved | different: dup / review / approved | precision | recall | F1 |",
            "|---|---:|---|---|---:|---:|---:|",
        ]
        for m in metrics {
            lines.append("| \(m.name) | \(m.pairs) | \(m.sameDuplicate) / \(m.sameReview) / \(m.sameApproved) | "
                + "\(m.differentDuplicate) / \(m.differentReview) / \(m.differentApproved) | \(rate(m.precision)) | "
                + "\(rate(m.recall)) | \(rate(m.f1)) |")
        }
        return lines.joined(separator: "\n")
    }
}
