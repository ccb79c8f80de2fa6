import DealregCSV
import DealregPolicy
import Foundation

/// Writes a ``ProgramReport`` for machines (CSV, JSON) or for people (one self-contained HTML
/// page with inline SVG charts: no scripts, no network). Same report → byte-identical output.
public enum ProgramReportRenderer {
    public enum Format: String, CaseIterable, Sendable { case csv, json, html }

    public static func render(_ report: ProgramReport, format: Format) throws -> String {
        switch format {
        case .csv: csv(report)
        case .json: try json(report)
        case .html: html(report)
        }
    }

    // MARK: - CSV

    /// One long table, `scope,partner_id,metric,value`: scope `overall`, `partner`, `week`,
    /// `queue`, `override` or `calibration` (`threshold.T.precision`, `.recall`, `.duplicates_approved`,
    /// `.different_declined` and their 95 % upper bounds `…_upper95` for every T from 0 to 100). Rates are fractions with four decimals; empty when undefined.
    public static let csvColumns = ["scope", "partner_id", "metric", "value"]

    public static func csv(_ report: ProgramReport) -> String {
        var rows: [[String]] = []
        func metrics(_ scope: String, _ partner: String, _ m: ProgramReport.Metrics) {
            for (name, value) in scalarMetrics(m) { rows.append([scope, partner, name, value]) }
            for (decision, count) in m.byDecision.sorted(by: { $0.key < $1.key }) { rows.append([scope, partner, "decision.\(decision)", String(count)]) }
            for (reason, count) in m.byReason.sorted(by: { $0.key < $1.key }) { rows.append([scope, partner, "reason.\(reason)", String(count)]) }
            for (kind, count) in m.duplicates.sorted(by: { $0.key < $1.key }) { rows.append([scope, partner, "duplicates.\(kind)", String(count)]) }
        }
        rows.append(["overall", "", "from", report.from?.description ?? ""])
        rows.append(["overall", "", "to", report.to?.description ?? ""])
        rows.append(["overall", "", "as_of", report.asOf.description])
        metrics("overall", "", report.overall)
        rows.append(["overall", "", "expiring_within_\(report.expiringWithinDays)_days", String(report.expiringSoon)])
        rows.append(["queue", "", "open", String(report.queue.open)])
        rows.append(["queue", "", "oldest_days", report.queue.oldestDays.map(String.init) ?? ""])
        for (bucket, count) in zip(ProgramReport.ageBuckets, report.queue.buckets) {
            rows.append(["queue", "", "age_days.\(bucket.label)", String(count)])
        }
        for week in report.weeks {
            for decision in report.decisions { rows.append(["week", "", "\(week.start).\(decision)", String(week.byDecision[decision, default: 0])]) }
        }
        for partner in report.partners {
            metrics("partner", partner.partnerID, partner.metrics)
            rows.append(["partner", partner.partnerID, "queue_open", String(partner.queueOpen)])
            rows.append(["partner", partner.partnerID, "expiring_within_\(report.expiringWithinDays)_days", String(partner.expiringSoon)])
        }
        for override in report.overrides {
            rows.append(["override", override.partnerID, override.id, "\(override.autoDecision)->\(override.humanDecision)"])
        }
        let c = report.calibration
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "" }
        var scalars: [(String, String)] = [("target", rate(c.target)), ("review_score", String(c.reviewScore))]
        scalars.append(("duplicate_score", String(c.duplicateScore)))
        scalars.append(("judged", String(c.judged)))
        scalars.append(("duplicates", String(c.duplicates)))
        scalars.append(("different", String(c.different)))
        scalars.append(("suggested_review_score", optional(c.suggestedReviewScore)))
        scalars.append(("suggested_duplicate_score", optional(c.suggestedDuplicateScore)))
        scalars.append(("auto_approve_level", String(c.autoApproveLevel)))
        scalars.append(("confidence_approved", String(c.confidenceApproved)))
        scalars.append(("confidence_refused", String(c.confidenceRefused)))
        scalars.append(("suggested_auto_approve_level", optional(c.suggestedAutoApproveLevel)))
        for (name, value) in scalars { rows.append(["calibration", "", name, value]) }
        for point in c.points {
            let t = "threshold.\(point.threshold)"
            rows.append(["calibration", "", "\(t).precision", rate(point.precision)])
            rows.append(["calibration", "", "\(t).recall", rate(point.recall)])
            rows.append(["calibration", "", "\(t).duplicates_approved", rate(point.duplicatesApproved)])
            rows.append(["calibration", "", "\(t).different_declined", rate(point.differentDeclined)])
            rows.append(["calibration", "", "\(t).duplicates_approved_upper95", rate(point.duplicatesApprovedBound)])
            rows.append(["calibration", "", "\(t).different_declined_upper95", rate(point.differentDeclinedBound)])
        }
        for point in c.confidencePoints {
            let l = "confidence.\(point.level)"
            rows.append(["calibration", "", "\(l).refused_approved", rate(point.refusedApproved)])
            rows.append(["calibration", "", "\(l).refused_approved_upper95", rate(point.refusedApprovedBound)])
            rows.append(["calibration", "", "\(l).approved_reviewed", rate(point.approvedReviewed)])
        }
        return ([csvColumns] + rows).map { CSVWriter.line($0) }.joined()
    }

    private static func scalarMetrics(_ m: ProgramReport.Metrics) -> [(String, String)] {
        [("registrations", String(m.registrations)), ("approved", String(m.approved)),
         ("approval_rate", rate(m.approvalRate)), ("reviewed", String(m.reviewed)),
         ("overridable", String(m.overridable)), ("overridden", String(m.overridden)),
         ("override_rate", rate(m.overrideRate)), ("closed_won", String(m.closedWon)), ("win_rate", rate(m.winRate)),
         ("median_days_to_decision", m.medianDaysToDecision.map(String.init) ?? ""),
         ("p90_days_to_decision", m.p90DaysToDecision.map(String.init) ?? "")]
    }

    private static func rate(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.4f", locale: Locale(identifier: "en_US_POSIX"), value)
    }

    // MARK: - JSON

    private struct JSONMetrics: Encodable {
        let registrations: Int, approved: Int, approvalRate: Double?, byDecision: [String: Int], byReason: [String: Int]
        let reviewed: Int, overridable: Int, overridden: Int, overrideRate: Double?, closedWon: Int, winRate: Double?
        let medianDaysToDecision: Int?, p90DaysToDecision: Int?, duplicates: [String: Int]
        init(_ m: ProgramReport.Metrics) {
            registrations = m.registrations; approved = m.approved; approvalRate = m.approvalRate
            byDecision = m.byDecision; byReason = m.byReason; reviewed = m.reviewed; overridable = m.overridable
            overridden = m.overridden; overrideRate = m.overrideRate; closedWon = m.closedWon; winRate = m.winRate
            medianDaysToDecision = m.medianDaysToDecision; p90DaysToDecision = m.p90DaysToDecision; duplicates = m.duplicates
        }
        enum CodingKeys: String, CodingKey {
            case registrations, approved, reviewed, overridable, overridden, duplicates
            case approvalRate = "approval_rate", byDecision = "by_decision", byReason = "by_reason"
            case overrideRate = "override_rate", closedWon = "closed_won", winRate = "win_rate"
            case medianDaysToDecision = "median_days_to_decision", p90DaysToDecision = "p90_days_to_decision"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(registrations, forKey: .registrations); try c.encode(approved, forKey: .approved)
            try c.encode(approvalRate, forKey: .approvalRate); try c.encode(byDecision, forKey: .byDecision)
            try c.encode(byReason, forKey: .byReason); try c.encode(reviewed, forKey: .reviewed)
            try c.encode(overridable, forKey: .overridable); try c.encode(overridden, forKey: .overridden)
            try c.encode(overrideRate, forKey: .overrideRate); try c.encode(closedWon, forKey: .closedWon)
            try c.encode(winRate, forKey: .winRate); try c.encode(medianDaysToDecision, forKey: .medianDaysToDecision)
            try c.encode(p90DaysToDecision, forKey: .p90DaysToDecision); try c.encode(duplicates, forKey: .duplicates)
        }
    }

    private struct JSONReport: Encodable {
        struct Partner: Encodable {
            let partnerID: String, metrics: JSONMetrics, queueOpen: Int, expiringSoon: Int
            enum CodingKeys: String, CodingKey {
                case metrics, partnerID = "partner_id", queueOpen = "queue_open", expiringSoon = "expiring_soon"
            }
        }
        struct Override: Encodable {
            let id: String, partnerID: String, accountName: String, autoDecision: String, autoRule: String?
            let humanDecision: String, reviewedBy: String?, reviewedOn: String?
            enum CodingKeys: String, CodingKey {
                case id, partnerID = "partner_id", accountName = "account_name", autoDecision = "auto_decision"
                case autoRule = "auto_rule", humanDecision = "human_decision", reviewedBy = "reviewed_by", reviewedOn = "reviewed_on"
            }
        }
        struct Week: Encodable {
            let start: String, byDecision: [String: Int]
            enum CodingKeys: String, CodingKey { case start, byDecision = "by_decision" }
        }
        struct Queue: Encodable {
            let open: Int, oldestDays: Int?, ageDays: [String: Int]
            enum CodingKeys: String, CodingKey { case open, oldestDays = "oldest_days", ageDays = "age_days" }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(open, forKey: .open); try c.encode(oldestDays, forKey: .oldestDays); try c.encode(ageDays, forKey: .ageDays)
            }
        }
        struct Calibration: Encodable {
            let calibration: ThresholdCalibration
            enum CodingKeys: String, CodingKey {
                case target, judged, duplicates, different, points
                case autoApproveLevel = "auto_approve_level", confidenceApproved = "confidence_approved"
                case confidenceRefused = "confidence_refused", suggestedAutoApproveLevel = "suggested_auto_approve_level"
                case confidencePoints = "confidence_points"
                case reviewScore = "review_score", duplicateScore = "duplicate_score"
                case suggestedReviewScore = "suggested_review_score", suggestedDuplicateScore = "suggested_duplicate_score"
            }
            enum PointKeys: String, CodingKey {
                case threshold, precision, recall
                case duplicatesAtOrAbove = "duplicates_at_or_above", duplicatesBelow = "duplicates_below"
                case differentAtOrAbove = "different_at_or_above", differentBelow = "different_below"
                case duplicatesApproved = "duplicates_approved", differentDeclined = "different_declined"
                case duplicatesApprovedBound = "duplicates_approved_upper95", differentDeclinedBound = "different_declined_upper95"
            }
            enum ConfidenceKeys: String, CodingKey {
                case level
                case approvedAtOrAbove = "approved_at_or_above", approvedBelow = "approved_below"
                case refusedAtOrAbove = "refused_at_or_above", refusedBelow = "refused_below"
                case refusedApproved = "refused_approved", refusedApprovedBound = "refused_approved_upper95"
                case approvedReviewed = "approved_reviewed"
            }
            func encode(to encoder: any Encoder) throws {
                let c = calibration
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(c.target, forKey: .target); try container.encode(c.judged, forKey: .judged)
                try container.encode(c.duplicates, forKey: .duplicates); try container.encode(c.different, forKey: .different)
                try container.encode(c.reviewScore, forKey: .reviewScore); try container.encode(c.duplicateScore, forKey: .duplicateScore)
                try container.encode(c.suggestedReviewScore, forKey: .suggestedReviewScore)
                try container.encode(c.suggestedDuplicateScore, forKey: .suggestedDuplicateScore)
                var points = container.nestedUnkeyedContainer(forKey: .points)
                for p in c.points {
                    var point = points.nestedContainer(keyedBy: PointKeys.self)
                    try point.encode(p.threshold, forKey: .threshold)
                    try point.encode(p.duplicatesAtOrAbove, forKey: .duplicatesAtOrAbove); try point.encode(p.duplicatesBelow, forKey: .duplicatesBelow)
                    try point.encode(p.differentAtOrAbove, forKey: .differentAtOrAbove); try point.encode(p.differentBelow, forKey: .differentBelow)
                    try point.encode(p.precision, forKey: .precision); try point.encode(p.recall, forKey: .recall)
                    try point.encode(p.duplicatesApproved, forKey: .duplicatesApproved); try point.encode(p.differentDeclined, forKey: .differentDeclined)
                    try point.encode(p.duplicatesApprovedBound, forKey: .duplicatesApprovedBound)
                    try point.encode(p.differentDeclinedBound, forKey: .differentDeclinedBound)
                }
                try container.encode(c.autoApproveLevel, forKey: .autoApproveLevel)
                try container.encode(c.confidenceApproved, forKey: .confidenceApproved)
                try container.encode(c.confidenceRefused, forKey: .confidenceRefused)
                try container.encode(c.suggestedAutoApproveLevel, forKey: .suggestedAutoApproveLevel)
                var levels = container.nestedUnkeyedContainer(forKey: .confidencePoints)
                for p in c.confidencePoints {
                    var point = levels.nestedContainer(keyedBy: ConfidenceKeys.self)
                    try point.encode(p.level, forKey: .level)
                    try point.encode(p.approvedAtOrAbove, forKey: .approvedAtOrAbove); try point.encode(p.approvedBelow, forKey: .approvedBelow)
                    try point.encode(p.refusedAtOrAbove, forKey: .refusedAtOrAbove); try point.encode(p.refusedBelow, forKey: .refusedBelow)
                    try point.encode(p.refusedApproved, forKey: .refusedApproved)
                    try point.encode(p.refusedApprovedBound, forKey: .refusedApprovedBound)
                    try point.encode(p.approvedReviewed, forKey: .approvedReviewed)
                }
            }
        }
        let from: String?, to: String?, asOf: String, expiringWithinDays: Int, expiringSoon: Int
        let overall: JSONMetrics, partners: [Partner], overrides: [Override], weeks: [Week], queue: Queue
        let calibration: Calibration
        enum CodingKeys: String, CodingKey {
            case from, to, overall, partners, overrides, weeks, queue, calibration
            case asOf = "as_of", expiringWithinDays = "expiring_within_days", expiringSoon = "expiring_soon"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to); try c.encode(asOf, forKey: .asOf)
            try c.encode(expiringWithinDays, forKey: .expiringWithinDays); try c.encode(expiringSoon, forKey: .expiringSoon)
            try c.encode(overall, forKey: .overall); try c.encode(partners, forKey: .partners)
            try c.encode(overrides, forKey: .overrides); try c.encode(weeks, forKey: .weeks); try c.encode(queue, forKey: .queue)
            try c.encode(calibration, forKey: .calibration)
        }
    }

    /// The report as one JSON object (sorted keys; undefined rates and percentiles are `null`).
    public static func json(_ report: ProgramReport) throws -> String {
        let value = JSONReport(
            from: report.from?.description, to: report.to?.description, asOf: report.asOf.description,
            expiringWithinDays: report.expiringWithinDays, expiringSoon: report.expiringSoon,
            overall: JSONMetrics(report.overall),
            partners: report.partners.map { .init(partnerID: $0.partnerID, metrics: JSONMetrics($0.metrics),
                                                  queueOpen: $0.queueOpen, expiringSoon: $0.expiringSoon) },
            overrides: report.overrides.map { .init(id: $0.id, partnerID: $0.partnerID, accountName: $0.accountName,
                                                    autoDecision: $0.autoDecision, autoRule: $0.autoRule,
                                                    humanDecision: $0.humanDecision, reviewedBy: $0.reviewedBy,
                                                    reviewedOn: $0.reviewedOn) },
            weeks: report.weeks.map { .init(start: $0.start.description, byDecision: $0.byDecision) },
            queue: .init(open: report.queue.open, oldestDays: report.queue.oldestDays,
                         ageDays: Dictionary(uniqueKeysWithValues: zip(ProgramReport.ageBuckets.map { $0.label }, report.queue.buckets))),
            calibration: .init(calibration: report.calibration))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    // MARK: - HTML

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Colours by decision (readable on white, distinguishable in grey).
    static func colour(_ decision: String) -> String {
        switch decision {
        case "approved": "#2e7d32"
        case "needs_review": "#f9a825"
        case "needs_info": "#1565c0"
        case "declined": "#c62828"
        default: "#757575"
        }
    }

    private static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.1f %%", locale: Locale(identifier: "en_US_POSIX"), value * 100)
    }

    private static func days(_ value: Int?) -> String { value.map { "\($0) d" } ?? "–" }

    /// One self-contained page: headline numbers, registrations per week stacked by decision,
    /// reasons, the queue's ageing, the partner leaderboard and the overridden rows.
    /// Every value from the ledger is escaped.
    public static func html(_ report: ProgramReport) -> String {
        let e = escape
        let m = report.overall
        let range = "\(report.from?.description ?? "the beginning") to \(report.to?.description ?? report.asOf.description)"
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Deal registration program report</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #212121; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
        .sub { color: #616161; margin-top: 0; }
        .cards { display: flex; flex-wrap: wrap; gap: .8rem; }
        .card { border: 1px solid #e0e0e0; border-radius: 6px; padding: .7rem 1rem; min-width: 9rem; }
        .card b { display: block; font-size: 1.5rem; } .card span { color: #616161; font-size: .85rem; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #eee; } th { background: #fafafa; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        svg text { font-family: inherit; font-size: 11px; fill: #424242; }
        .legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
        .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
        .empty { color: #757575; font-style: italic; }
        tr.now td { font-weight: 600; } tr.suggested td { background: #e8f5e9; }
        </style>
        </head>
        <body>
        <h1>Deal registration program report</h1>
        <p class="sub">Registrations received from \(e(range)); queue and expiring registrations as of \(e(report.asOf.description)).</p>
        <div class="cards">
        \(card(String(m.registrations), "registrations"))
        \(card(percent(m.approvalRate), "approval rate"))
        \(card(percent(m.overrideRate), "override rate (\(m.overridden) of \(m.overridable))"))
        \(card(days(m.medianDaysToDecision), "median days to review decision"))
        \(card(days(m.p90DaysToDecision), "90th percentile days"))
        \(card(String(report.queue.open), "in the review queue"))
        \(card(String(report.expiringSoon), "expiring within \(report.expiringWithinDays) days"))
        \(card(percent(m.winRate), "win rate (\(m.closedWon) closed won)"))
        </div>

        """
        page += "<h2>Registrations per week</h2>\n" + legend(report.decisions) + weeksChart(report) + "\n"
        page += "<h2>Reasons</h2>\n" + horizontalBars(m.byReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) },
                                                       colour: "#5c6bc0") + "\n"
        page += "<h2>Review queue ageing</h2>\n"
        page += horizontalBars(zip(ProgramReport.ageBuckets, report.queue.buckets).map { ("\($0.0.label) days", $0.1) }, colour: "#f9a825",
                               keepEmpty: true) + "\n"
        page += "<h2>Partner leaderboard</h2>\n" + leaderboard(report) + "\n"
        page += "<h2>Overridden decisions</h2>\n" + overridesTable(report) + "\n"
        page += "<h2>Threshold calibration</h2>\n" + calibrationSection(report.calibration) + "\n"
        page += "</body>\n</html>\n"
        return page
    }

    private static func card(_ value: String, _ label: String) -> String {
        "<div class=\"card\"><b>\(escape(value))</b><span>\(escape(label))</span></div>"
    }

    private static func legend(_ decisions: [String]) -> String {
        "<p class=\"legend\">" + decisions.map { "<span><i style=\"background:\(colour($0))\"></i>\(escape($0))</span>" }.joined() + "</p>\n"
    }

    /// Vertical bars, one per week, stacked by decision.
    private static func weeksChart(_ report: ProgramReport) -> String {
        guard !report.weeks.isEmpty else { return "<p class=\"empty\">No registrations in the range.</p>" }
        let height = 220, top = 10, bottom = 40, left = 40
        let barWidth = max(8, min(40, 900 / report.weeks.count - 6))
        let step = barWidth + 6
        let width = left + step * report.weeks.count + 10
        let maximum = max(1, report.weeks.map(\.total).max() ?? 1)
        let plot = height - top - bottom
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Registrations per week by decision\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plot)\" x2=\"\(width - 5)\" y2=\"\(top + plot)\" stroke=\"#bdbdbd\"/>\n"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\">\(maximum)</text><text x=\"\(left - 6)\" y=\"\(top + plot)\" text-anchor=\"end\">0</text>\n"
        for (index, week) in report.weeks.enumerated() {
            let x = left + index * step + 3
            var below = 0   // stacked so far; each edge rounded from the running total, so the stack's height is exact
            for decision in report.decisions {
                let count = week.byDecision[decision, default: 0]
                guard count > 0 else { continue }
                let base = top + plot - below * plot / maximum
                below += count
                let y = top + plot - below * plot / maximum
                let h = max(1, base - y)
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(colour(decision))\"><title>\(escape("\(week.start): \(count) \(decision)"))</title></rect>\n"
            }
            let (_, month, day) = week.start.components
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plot + 14)\" text-anchor=\"middle\">\(month)/\(day)</text>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 6)\">week starting (month/day)</text>\n</svg>"
        return svg
    }

    /// Horizontal bars with their labels and counts.
    private static func horizontalBars(_ items: [(String, Int)], colour: String, keepEmpty: Bool = false) -> String {
        guard keepEmpty || !items.isEmpty else { return "<p class=\"empty\">Nothing to show.</p>" }
        let rowHeight = 22, labelWidth = 200, barSpace = 500
        let height = rowHeight * items.count + 10, width = labelWidth + barSpace + 60
        let maximum = max(1, items.map(\.1).max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">\n"
        for (index, (label, count)) in items.enumerated() {
            let y = 5 + index * rowHeight
            let w = count == 0 ? 0 : max(1, count * barSpace / maximum)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowHeight - 6)\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 15)\">\(count)</text>\n"
        }
        return svg + "</svg>"
    }

    private static func leaderboard(_ report: ProgramReport) -> String {
        guard !report.partners.isEmpty else { return "<p class=\"empty\">No partners in the range.</p>" }
        let ranked = report.partners.sorted {
            ($1.metrics.registrations, $0.partnerID) < ($0.metrics.registrations, $1.partnerID)
        }
        var html = "<table>\n<tr><th>Partner</th><th class=\"n\">Registrations</th><th class=\"n\">Approved</th><th class=\"n\">Approval rate</th>"
            + "<th class=\"n\">Closed won</th><th class=\"n\">Win rate</th><th class=\"n\">Overrides</th><th class=\"n\">Median days</th>"
            + "<th class=\"n\">In queue</th><th class=\"n\">Expiring</th></tr>\n"
        for partner in ranked {
            let m = partner.metrics
            let cells = [String(m.registrations), String(m.approved), percent(m.approvalRate), String(m.closedWon),
                         percent(m.winRate), "\(m.overridden) / \(m.overridable)", days(m.medianDaysToDecision),
                         String(partner.queueOpen), String(partner.expiringSoon)]
            html += "<tr><td>\(escape(partner.partnerID))</td>" + cells.map { "<td class=\"n\">\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }

    /// The judged rows' precision and recall at every threshold (a chart), the table at every fifth
    /// threshold and at the ones in force and suggested, and the suggestion in words.
    private static func calibrationSection(_ c: ThresholdCalibration) -> String {
        "<h3>Match thresholds</h3>\n" + matchCalibration(c) + "\n<h3>Auto-approve level (confidence)</h3>\n" + confidenceCalibration(c)
    }

    /// The auto-approve level against the rows the confidence decided that people judged.
    private static func confidenceCalibration(_ c: ThresholdCalibration) -> String {
        let target = percent(c.target)
        var html = "<p>Learned from the \(c.confidenceApproved + c.confidenceRefused) row(s) the confidence decided (approved, or sent to "
            + "review for low confidence) that people judged: \(c.confidenceApproved) approved, \(c.confidenceRefused) declined or returned.</p>\n"
        if let level = c.suggestedAutoApproveLevel {
            html += "<p><b>To approve at most \(target) of the rows people refused (95 % confidence):</b> auto_approve.default \(level) "
                + "(in force: \(c.autoApproveLevel); tiers keep their own levels).</p>\n"
        } else {
            html += "<p class=\"empty\">No suggestion yet: the judged rows cannot show a \(target) target at 95 % confidence "
                + "(that takes at least \(c.rowsNeeded) refused rows with none above the level).</p>\n"
        }
        guard c.confidenceApproved + c.confidenceRefused > 0 else { return html }
        var shown = Set(stride(from: 40, through: 100, by: 5))
        shown.insert(c.autoApproveLevel)
        if let level = c.suggestedAutoApproveLevel { shown.insert(level) }
        html += "<table>\n<tr><th class=\"n\">Level</th><th class=\"n\">Approved by people at or above</th><th class=\"n\">Refused at or above</th>"
            + "<th class=\"n\">Refused rows approved</th><th class=\"n\">95 % bound</th><th class=\"n\">People-approved rows sent to review</th></tr>\n"
        for level in shown.sorted() {
            let p = c.confidencePoint(level)
            var notes: [String] = []
            if level == c.autoApproveLevel { notes.append("in force") }
            if level == c.suggestedAutoApproveLevel { notes.append("suggested") }
            let style = notes.contains("suggested") ? " class=\"suggested\"" : notes.isEmpty ? "" : " class=\"now\""
            let cells = [notes.isEmpty ? String(level) : "\(level) (\(notes.joined(separator: ", ")))", String(p.approvedAtOrAbove),
                         String(p.refusedAtOrAbove), percent(p.refusedApproved), "≤ \(percent(p.refusedApprovedBound))", percent(p.approvedReviewed)]
            html += "<tr\(style)>" + cells.map { "<td class=\"n\">\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }

    private static func matchCalibration(_ c: ThresholdCalibration) -> String {
        let target = percent(c.target)
        var html = "<p>Learned from the \(c.judged) registration(s) people judged in the range: \(c.duplicates) declined by a reviewer "
            + "as a duplicate, \(c.different) approved by a reviewer (a different account). A threshold's rates are over these rows only; "
            + "in shadow mode people judge every row, otherwise mostly the rows that reached review.</p>\n"
        if !c.fullResolution {
            html += "<p>Some judged rows were decided before the ledger kept each row's best candidate score (schema v9): "
                + "below the review threshold then in force they all count as 0, so no threshold below \(c.reviewScore) is suggested.</p>\n"
        }
        if let review = c.suggestedReviewScore, let decline = c.suggestedDuplicateScore {
            html += "<p><b>To approve at most \(target) of duplicates and decline at most \(target) of different accounts "
                + "(95 % confidence):</b> match.review_score \(review), match.duplicate_score \(decline) "
                + "(in force: \(c.reviewScore) and \(c.duplicateScore)).</p>\n"
        } else if let review = c.suggestedReviewScore {
            html += "<p><b>To approve at most \(target) of duplicates (95 % confidence):</b> match.review_score \(review) "
                + "(in force: \(c.reviewScore)); the different accounts judged cannot show a decline threshold that declines at most \(target) of them.</p>\n"
        } else {
            html += "<p class=\"empty\">No suggestion yet: the judged rows cannot show a \(target) target at 95 % confidence "
                + "(that takes at least \(c.rowsNeeded) judged duplicates and \(c.rowsNeeded) judged different accounts with none on the wrong "
                + "side; judged so far: \(c.duplicates) and \(c.different)).</p>\n"
        }
        guard c.judged > 0 else { return html }
        html += "<p class=\"legend\"><span><i style=\"background:#2e7d32\"></i>precision</span><span><i style=\"background:#1565c0\"></i>recall</span>"
            + "<span><i style=\"background:#9e9e9e\"></i>thresholds in force</span></p>\n" + calibrationChart(c)
        var shown = Set(stride(from: 50, through: 100, by: 5))
        shown.insert(c.reviewScore); shown.insert(c.duplicateScore)
        if let review = c.suggestedReviewScore { shown.insert(review) }
        if let decline = c.suggestedDuplicateScore { shown.insert(decline) }
        html += "<table>\n<tr><th class=\"n\">Threshold</th><th class=\"n\">Duplicates at or above</th><th class=\"n\">Different at or above</th>"
            + "<th class=\"n\">Precision</th><th class=\"n\">Recall</th><th class=\"n\">Duplicates approved (as review threshold)</th>"
            + "<th class=\"n\">Different declined (as decline threshold)</th><th class=\"n\">95 % bounds: approved / declined</th></tr>\n"
        for threshold in shown.sorted() {
            let p = c.point(threshold)
            var notes: [String] = []
            if threshold == c.reviewScore { notes.append("review in force") }
            if threshold == c.duplicateScore { notes.append("decline in force") }
            if threshold == c.suggestedReviewScore { notes.append("suggested review") }
            if threshold == c.suggestedDuplicateScore { notes.append("suggested decline") }
            let style = notes.contains { $0.hasPrefix("suggested") } ? " class=\"suggested\"" : notes.isEmpty ? "" : " class=\"now\""
            let cells = [notes.isEmpty ? String(threshold) : "\(threshold) (\(notes.joined(separator: ", ")))",
                         String(p.duplicatesAtOrAbove), String(p.differentAtOrAbove), percent(p.precision), percent(p.recall),
                         percent(p.duplicatesApproved), percent(p.differentDeclined),
                         "≤ \(percent(p.duplicatesApprovedBound)) / ≤ \(percent(p.differentDeclinedBound))"]
            html += "<tr\(style)>" + cells.map { "<td class=\"n\">\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }

    /// Precision and recall against the threshold, 0 to 100, with the thresholds in force marked.
    private static func calibrationChart(_ c: ThresholdCalibration) -> String {
        let width = 640, height = 240, left = 44, right = 12, top = 10, bottom = 36
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ threshold: Int) -> Int { left + threshold * plotWidth / 100 }
        func y(_ value: Double) -> Int { top + plotHeight - Int((value * Double(plotHeight)).rounded()) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Precision and recall by match threshold\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#bdbdbd\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#bdbdbd\"/>\n"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\">100 %</text><text x=\"\(left - 6)\" y=\"\(top + plotHeight)\" text-anchor=\"end\">0</text>\n"
        for threshold in stride(from: 0, through: 100, by: 10) {
            svg += "<text x=\"\(x(threshold))\" y=\"\(top + plotHeight + 14)\" text-anchor=\"middle\">\(threshold)</text>"
        }
        svg += "\n"
        for (threshold, label) in [(c.reviewScore, "review"), (c.duplicateScore, "decline")] {
            svg += "<line x1=\"\(x(threshold))\" y1=\"\(top)\" x2=\"\(x(threshold))\" y2=\"\(top + plotHeight)\" stroke=\"#9e9e9e\" stroke-dasharray=\"4 3\">"
                + "<title>\(label) threshold in force: \(threshold)</title></line>\n"
        }
        for (values, colour) in [(c.points.map(\.precision), "#2e7d32"), (c.points.map(\.recall), "#1565c0")] {
            let coordinates = zip(c.points, values).compactMap { point, value in value.map { "\(x(point.threshold)),\(y($0))" } }
            guard !coordinates.isEmpty else { continue }
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 6)\">match threshold</text>\n</svg>"
        return svg
    }

    private static func overridesTable(_ report: ProgramReport) -> String {
        guard !report.overrides.isEmpty else { return "<p class=\"empty\">No reviewer overrode an automatic decision in the range.</p>" }
        var html = "<table>\n<tr><th>Registration</th><th>Partner</th><th>Account</th><th>Automatic</th><th>Rule</th><th>Reviewer</th><th>By</th><th>On</th></tr>\n"
        for o in report.overrides {
            let cells = [o.id, o.partnerID, o.accountName, o.autoDecision, o.autoRule ?? "", o.humanDecision, o.reviewedBy ?? "", o.reviewedOn ?? ""]
            html += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }
}
