@testable import DealregKit
import DealregLedger
import DealregPolicy
import Foundation
import Testing

/// Issue 14: `dealreg report` — the program view computed from ledger rows, and its renderings.
@Suite("Program report")
struct ProgramReportTests {
    /// A registration received on `decidedOn`, with what the rules and (optionally) a reviewer decided.
    static func row(_ id: String, partner: String = "P-A", decidedOn: String = "2026-11-02", status: RegistrationStatus = .approved,
                    decision: String = "approved", reasons: String = "registered", auto: String? = nil, human: String? = nil,
                    reviewedOn: String? = nil, expiresOn: String? = nil, account: String? = nil) -> LedgerRegistration {
        var registration = LedgerRegistration(
            id: id, partnerID: partner, accountName: account ?? "Account \(id)", accountDomain: nil, contactEmail: nil,
            country: "US", city: nil, postalCode: nil, phone: nil, nameKey: "account\(id.lowercased())", status: status,
            decision: decision, reasonCodes: reasons, reason: "r", matchScore: nil, matchedRecord: nil, dealValue: 1000,
            currency: "USD", submittedAt: nil, decidedOn: decidedOn, expiresOn: expiresOn, sourceFile: "f.csv", sourceRow: 1,
            fileSHA256: "f1", policyVersion: "v1")
        registration.autoDecision = auto ?? decision
        registration.humanDecision = human
        registration.reviewedBy = human == nil ? nil : "dana"
        registration.reviewedOn = reviewedOn
        return registration
    }

    private static let asOf = Day(iso: "2026-11-30")!

    @Test(arguments: [
        // (auto, human, overridable, overridden)
        ("approved", "approved", true, false),          // the reviewer agreed with the rules (shadow mode)
        ("approved", "declined", true, true),           // shadow mode: the reviewer disagreed
        ("declined", "approved", true, true),
        ("needs_info", "needs_info", true, false),
        ("needs_review", "approved", false, false),     // a deferral to review decides nothing: not an override
        ("needs_review", "declined", false, false),
    ] as [(String, String, Bool, Bool)])
    func overrideOnlyWhenHumanDiffersFromAuto(_ auto: String, _ human: String, _ overridable: Bool, _ overridden: Bool) {
        let status: RegistrationStatus = human == "approved" ? .approved : human == "declined" ? .rejected : .returned
        let rows = [Self.row("REG-1", status: status, decision: human, auto: auto, human: human, reviewedOn: "2026-11-04")]
        let report = ProgramReport(registrations: rows, from: nil, to: nil, asOf: Self.asOf)
        #expect(report.overall.reviewed == 1)
        #expect(report.overall.overridable == (overridable ? 1 : 0))
        #expect(report.overall.overridden == (overridden ? 1 : 0))
        #expect(report.overrides.map(\.id) == (overridden ? ["REG-1"] : []))
        if overridden {
            #expect(report.overrides[0].autoDecision == auto && report.overrides[0].humanDecision == human)
            #expect(report.overall.overrideRate == 1)
        }
    }

    @Test func unreviewedRowsAreNeverOverrides() {
        let report = ProgramReport(registrations: [Self.row("REG-1", auto: "approved")], from: nil, to: nil, asOf: Self.asOf)
        #expect(report.overall.reviewed == 0 && report.overall.overridable == 0 && report.overall.overrideRate == nil)
    }

    @Test(arguments: [
        ("2026-11-02", "2026-11-04", ["REG-2", "REG-3", "REG-4"]),   // both ends included
        ("2026-11-03", "2026-11-03", ["REG-3"]),
        (nil, "2026-11-02", ["REG-1", "REG-2"]),
        ("2026-11-04", nil, ["REG-4", "REG-5"]),
        (nil, nil, ["REG-1", "REG-2", "REG-3", "REG-4", "REG-5"]),
        ("2026-12-01", nil, []),
    ] as [(String?, String?, [String])])
    func rangeIsInclusive(_ from: String?, _ to: String?, _ expected: [String]) {
        let rows = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"].enumerated().map { index, day in
            Self.row("REG-\(index + 1)", partner: "P-\(index + 1)", decidedOn: day)
        }
        let report = ProgramReport(registrations: rows, from: from.flatMap(Day.init(iso:)), to: to.flatMap(Day.init(iso:)), asOf: Self.asOf)
        #expect(report.overall.registrations == expected.count)
        #expect(report.partners.map(\.partnerID) == expected.map { "P-" + $0.dropFirst(4) })
    }

    @Test(arguments: [
        ([], 50, nil), ([7], 50, 7), ([7], 90, 7),
        ([1, 2, 3, 4], 50, 2), ([4, 3, 2, 1], 90, 4),
        (Array(1...10), 50, 5), (Array(1...10), 90, 9), (Array(1...11), 90, 10),
        ([0, 0, 0, 30], 50, 0), ([0, 0, 0, 30], 90, 30),
    ] as [([Int], Int, Int?)])
    func nearestRankPercentile(_ values: [Int], _ p: Int, _ expected: Int?) {
        #expect(ProgramReport.percentile(values, p) == expected)
    }

    @Test func daysToDecisionAreFromReceiptToReview() {
        let rows = [0, 1, 2, 3, 10].enumerated().map { index, days in
            Self.row("REG-\(index)", decidedOn: "2026-11-02", status: .approved, decision: "approved", auto: "needs_review",
                     human: "approved", reviewedOn: Day(iso: "2026-11-02")!.adding(days: days).description)
        } + [Self.row("REG-X", decidedOn: "2026-11-02")]   // not reviewed: not counted
        let report = ProgramReport(registrations: rows, from: nil, to: nil, asOf: Self.asOf)
        #expect(report.overall.daysToDecision.sorted() == [0, 1, 2, 3, 10])
        #expect(report.overall.medianDaysToDecision == 2)
        #expect(report.overall.p90DaysToDecision == 10)
    }

    @Test func perPartnerWinAndApprovalRates() {
        let rows = [
            Self.row("A1", partner: "P-A", status: .closedWon), Self.row("A2", partner: "P-A", status: .approved),
            Self.row("A3", partner: "P-A", status: .expired), Self.row("A4", partner: "P-A", status: .closedWon),
            Self.row("A5", partner: "P-A", status: .rejected, decision: "declined", reasons: "duplicate_existing_deal"),
            Self.row("B1", partner: "P-B", status: .rejected, decision: "declined", reasons: "outside_territory;blocked_account"),
            Self.row("C1", partner: "P-C", status: .withdrawn),
        ]
        let report = ProgramReport(registrations: rows, from: nil, to: nil, asOf: Self.asOf)
        let byID = Dictionary(uniqueKeysWithValues: report.partners.map { ($0.partnerID, $0.metrics) })
        #expect(byID["P-A"]?.approved == 4 && byID["P-A"]?.closedWon == 2 && byID["P-A"]?.winRate == 0.5)
        #expect(byID["P-A"]?.approvalRate == 0.8)
        #expect(byID["P-A"]?.duplicates == ["snapshot": 1])
        #expect(byID["P-B"]?.winRate == nil && byID["P-B"]?.approvalRate == 0)
        #expect(byID["P-B"]?.byReason == ["outside_territory": 1, "blocked_account": 1])
        #expect(byID["P-C"]?.winRate == 0)
        #expect(report.overall.closedWon == 2 && report.overall.approved == 5 && report.overall.registrations == 7)
        #expect(report.overall.byDecision == ["approved": 5, "declined": 2])
        #expect(report.overall.byReason["registered"] == 5)
    }

    @Test func queueAndExpiryAreAsOfTodayWhateverTheRange() {
        let rows = [
            Self.row("Q1", decidedOn: "2026-11-30", status: .underReview, decision: "needs_review", reasons: "low_confidence"),
            Self.row("Q2", decidedOn: "2026-11-27", status: .underReview, decision: "needs_review", reasons: "low_confidence"),
            Self.row("Q3", partner: "P-B", decidedOn: "2026-11-20", status: .underReview, decision: "needs_review", reasons: "possible_duplicate"),
            Self.row("Q4", decidedOn: "2026-09-01", status: .underReview, decision: "needs_review", reasons: "low_confidence"),
            Self.row("E1", decidedOn: "2026-09-01", expiresOn: "2026-12-30"),   // the 30th day: expiring
            Self.row("E2", decidedOn: "2026-09-01", expiresOn: "2026-12-31"),   // the 31st: not yet
            Self.row("E3", decidedOn: "2026-09-01", expiresOn: "2026-11-29"),   // past (expire has not run): not expiring
            Self.row("E4", decidedOn: "2026-09-01", status: .closedWon, expiresOn: "2026-12-01"),
        ]
        let report = ProgramReport(registrations: rows, from: Day(iso: "2026-11-25"), to: nil, asOf: Self.asOf)
        #expect(report.overall.registrations == 2)
        #expect(report.queue.open == 4)
        #expect(report.queue.ages == [90, 10, 3, 0])
        #expect(report.queue.buckets == [1, 1, 1, 1])
        #expect(report.queue.oldestDays == 90)
        #expect(report.expiringSoon == 1)
        #expect(report.partners.map { "\($0.partnerID):\($0.queueOpen):\($0.expiringSoon)" } == ["P-A:3:1", "P-B:1:0"])
    }

    @Test func weeksRunMondayToSundayWithEmptyWeeksKept() {
        let rows = [
            Self.row("W1", decidedOn: "2026-11-02"),                                   // Monday
            Self.row("W2", decidedOn: "2026-11-08", status: .rejected, decision: "declined", reasons: "blocked_account"),   // Sunday
            Self.row("W3", decidedOn: "2026-11-23"),
        ]
        let report = ProgramReport(registrations: rows, from: nil, to: nil, asOf: Self.asOf)
        #expect(report.weeks.map(\.start.description) == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"])
        #expect(report.weeks.map(\.byDecision) == [["approved": 1, "declined": 1], [:], [:], ["approved": 1]])
        #expect(report.decisions == ["approved", "declined"])
        #expect(ProgramReport.weekStart(Day(iso: "1970-01-01")!).description == "1969-12-29")
    }

    // MARK: - Rendering

    private var sample: ProgramReport {
        let rows = [
            Self.row("REG-1", partner: "P-<b>", account: "<script>alert('x')</script> & Co"),
            Self.row("REG-2", decidedOn: "2026-11-10", status: .rejected, decision: "declined", reasons: "duplicate_in_batch",
                     auto: "approved", human: "declined", reviewedOn: "2026-11-12", account: "<script>alert(1)</script>"),
            Self.row("REG-3", decidedOn: "2026-11-11", status: .underReview, decision: "needs_review", reasons: "low_confidence"),
            Self.row("REG-4", partner: "=cmd()", decidedOn: "2026-11-11", status: .closedWon),
        ]
        return ProgramReport(registrations: rows, from: Day(iso: "2026-11-01"), to: Day(iso: "2026-11-30"), asOf: Self.asOf)
    }

    @Test func jsonParses() throws {
        let text = try ProgramReportRenderer.json(sample)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let overall = try #require(object["overall"] as? [String: Any])
        #expect(overall["registrations"] as? Int == 4)
        #expect(overall["override_rate"] as? Double == 1)
        #expect((object["overrides"] as? [[String: Any]])?.first?["id"] as? String == "REG-2")
        #expect((object["partners"] as? [Any])?.count == 3)
        #expect((object["queue"] as? [String: Any])?["open"] as? Int == 1)
        #expect(object["from"] as? String == "2026-11-01" && object["as_of"] as? String == "2026-11-30")
        #expect(try ProgramReportRenderer.json(sample) == text, "deterministic")
    }

    @Test func csvHasAHeaderAndRows() throws {
        let text = ProgramReportRenderer.csv(sample)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.first == "scope,partner_id,metric,value")
        #expect(lines.count > 20)
        #expect(text.hasSuffix("\r\n"))
        #expect(lines.contains("overall,,registrations,4"))
        #expect(lines.contains("overall,,override_rate,1.0000"))
        #expect(lines.contains("override,P-A,REG-2,approved->declined"))
        #expect(lines.contains("queue,,open,1"))
        #expect(!lines.contains { $0.hasPrefix("partner,=cmd()") }, "a formula-looking partner id is neutralized")
        for line in lines where !line.contains("\"") { #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 4, "\(line)") }
    }

    @Test func htmlEscapesPartnerDataAndDrawsSVG() {
        let page = ProgramReportRenderer.html(sample)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg"))
        #expect(!page.contains("<script"), "no account name gets in as markup")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("P-&lt;b&gt;") && !page.contains("P-<b>"))
        #expect(!page.contains("src=") && !page.contains("<img") && !page.contains("<link"), "no external resources")
        #expect(ProgramReportRenderer.escape("a&b\"'<>") == "a&amp;b&quot;&#39;&lt;&gt;")
    }

    // MARK: - Threshold calibration

    /// A registration a reviewer judged (or not), with its recorded match score.
    /// - Parameter beforeV9: decided before the ledger kept each row's best score (only `match_score`).
    static func judged(_ id: String, score: Int?, human: String?, reasons: String = "possible_duplicate",
                       decidedOn: String = "2026-11-02", beforeV9: Bool = false) -> LedgerRegistration {
        var row = Self.row(id, decidedOn: decidedOn, status: human == "approved" ? .approved : human == "declined" ? .rejected : .underReview,
                      decision: human ?? "needs_review", reasons: reasons, auto: "needs_review", human: human,
                      reviewedOn: human == nil ? nil : "2026-11-05")
        row.matchScore = score
        row.bestScore = beforeV9 ? nil : score ?? 0
        return row
    }

    @Test(arguments: [
        // (reviewer, reason codes, label: true = duplicate, false = different account, nil = no label)
        ("approved", "possible_duplicate", false as Bool?),
        ("approved", "low_confidence", false),                   // approved: a different account, whatever sent it to review
        ("declined", "possible_duplicate", true),
        ("declined", "duplicate_existing_deal", true),          // an automatic decline a reviewer upheld on appeal
        ("declined", "outside_territory;possible_duplicate", true),
        ("declined", "outside_territory", nil),                  // declined for another reason: says nothing of the match
        ("needs_info", "possible_duplicate", nil),
        (nil, "possible_duplicate", nil),                        // not judged by a person
    ] as [(String?, String, Bool?)])
    func calibrationLabelsComeFromPeopleOnly(_ human: String?, _ reasons: String, _ label: Bool?) {
        #expect(ThresholdCalibration.label(Self.judged("REG-1", score: 80, human: human, reasons: reasons)) == label)
    }

    /// In shadow mode a duplicate the rules missed carries no duplicate reason: the reviewer's
    /// `--duplicate-of` is what says so, and it counts at the score the rules gave it.
    @Test func aReviewersDuplicateOfCountsWhateverTheRulesFound() {
        var missed = Self.judged("REG-1", score: nil, human: "declined", reasons: "registered")
        #expect(ThresholdCalibration.label(missed) == nil, "declined, reason unknown: no label")
        missed.duplicateOf = "D-42"
        #expect(ThresholdCalibration.label(missed) == true)
        let c = ThresholdCalibration(registrations: [missed, Self.judged("N1", score: 10, human: "approved")], thresholds: MatchThresholds())
        #expect(c.duplicates == 1 && c.point(1).duplicatesApproved == 1, "a missed duplicate is approved at every threshold above its score")
    }

    @Test func calibrationCountsJudgedRowsAtEveryThresholdAndSuggests() throws {
        let rows = [
            Self.judged("D1", score: 95, human: "declined"), Self.judged("D2", score: 88, human: "declined"),
            Self.judged("D3", score: 72, human: "declined"),
            Self.judged("N1", score: 91, human: "approved"), Self.judged("N2", score: 75, human: "approved"),
            Self.judged("N3", score: nil, human: "approved"), Self.judged("N4", score: 0, human: "approved"),
            // Not counted: unjudged, declined for another reason, outside the range.
            Self.judged("U1", score: 99, human: nil), Self.judged("U2", score: 99, human: "declined", reasons: "outside_territory"),
            Self.judged("U3", score: 99, human: "declined", decidedOn: "2026-10-01"),
        ]
        let report = ProgramReport(registrations: rows, from: Day(iso: "2026-11-01"), to: nil, asOf: Self.asOf,
                                   thresholds: MatchThresholds(duplicateScore: 90, reviewScore: 70), target: 0.01)
        let c = report.calibration
        #expect(c.judged == 7 && c.duplicates == 3 && c.different == 4)
        #expect(c.points.count == 101 && c.points.map(\.threshold) == Array(0...100))
        let at80 = c.point(80)
        #expect(at80.duplicatesAtOrAbove == 2 && at80.duplicatesBelow == 1 && at80.differentAtOrAbove == 1 && at80.differentBelow == 3)
        #expect(at80.precision == 2.0 / 3 && at80.recall == 2.0 / 3)
        #expect(at80.duplicatesApproved == 1.0 / 3 && at80.differentDeclined == 0.25)
        #expect(c.point(0).recall == 1 && c.point(0).differentDeclined == 1, "at 0 everything is flagged")
        #expect(c.point(96).precision == nil && c.point(96).recall == 0)
        // Seven judged rows, all on the right side at 72 and 92, cannot show 1 % at 95 % confidence.
        #expect(c.point(72).duplicatesApproved == 0 && c.point(92).differentDeclined == 0)
        #expect(c.suggestedReviewScore == nil && c.suggestedDuplicateScore == nil && c.rowsNeeded == 299)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try ProgramReportRenderer.json(report).utf8)) as? [String: Any])
        let calibration = try #require(json["calibration"] as? [String: Any])
        #expect(calibration["suggested_review_score"] is NSNull && calibration["judged"] as? Int == 7)
        #expect((calibration["points"] as? [Any])?.count == 101)
        let csv = ProgramReportRenderer.csv(report)
        #expect(csv.contains("calibration,,suggested_review_score,\r\n") && csv.contains("calibration,,threshold.80.precision,0.6667\r\n"))
        let page = ProgramReportRenderer.html(report)
        #expect(page.contains("<h2>Threshold calibration</h2>") && page.contains("<polyline"))
        #expect(page.contains("No suggestion yet: the judged rows cannot show a 1.0 % target at 95 % confidence"))
    }

    /// Enough judged rows (a shadow-mode quarter): 401 duplicates, one of them scoring 72; 502 different
    /// accounts, two of them scoring 85 and 91. The suggestions rest on the 95 % upper bounds.
    @Test func calibrationSuggestsOnlyWhatTheEvidenceShows() {
        var rows = (0..<400).map { Self.judged("D\($0)", score: 90, human: "declined") }
        rows.append(Self.judged("D-low", score: 72, human: "declined"))
        rows += (0..<500).map { Self.judged("N\($0)", score: nil, human: "approved") }
        rows += [Self.judged("N-85", score: 85, human: "approved"), Self.judged("N-91", score: 91, human: "approved")]
        let c = ThresholdCalibration(registrations: rows, thresholds: MatchThresholds(duplicateScore: 90, reviewScore: 70), target: 0.01)
        // Review at 72 lets no duplicate through (bound 0.74 %); at 73 one in 401 (0.25 %, but bound 1.18 % > 1 %).
        #expect(c.point(73).duplicatesApproved == 1.0 / 401 && c.point(73).duplicatesApprovedBound > 0.01)
        #expect(c.suggestedReviewScore == 72)
        // Decline at 86 declines one different account in 502 (bound 0.94 %); at 85, two (bound 1.25 %).
        #expect(c.point(85).differentDeclinedBound > 0.01 && c.point(86).differentDeclinedBound <= 0.01)
        #expect(c.suggestedDuplicateScore == 86)
        let page = ProgramReportRenderer.html(ProgramReport(registrations: rows, from: nil, to: nil, asOf: Self.asOf,
                                                            thresholds: MatchThresholds(duplicateScore: 90, reviewScore: 70)))
        #expect(page.contains("match.review_score 72, match.duplicate_score 86 (in force: 70 and 90)"))

        // The same judgements from a ledger that kept only match_score (decided before schema v9):
        // the scores below the review threshold then in force (70) are unknown, so nothing below it is suggested.
        let older = rows.map { row -> LedgerRegistration in var row = row; row.bestScore = nil; return row }
        let coarse = ThresholdCalibration(registrations: older, thresholds: MatchThresholds(duplicateScore: 90, reviewScore: 80), target: 0.01)
        #expect(!coarse.fullResolution && coarse.suggestedReviewScore == nil && coarse.suggestedDuplicateScore == nil)
        #expect(ProgramReportRenderer.html(ProgramReport(registrations: older, from: nil, to: nil, asOf: Self.asOf,
                                                         thresholds: MatchThresholds(duplicateScore: 90, reviewScore: 80)))
                .contains("no threshold below 80 is suggested"))
    }

    @Test(arguments: [
        // (events, trials, 95 % upper bound) — exact Clopper-Pearson values
        (0, 3, 0.6316), (0, 299, 0.00997), (0, 298, 0.01000), (1, 401, 0.011775), (2, 502, 0.012488), (5, 5, 1.0), (0, 0, 1.0),
    ] as [(Int, Int, Double)])
    func upperBoundIsClopperPearson(_ events: Int, _ trials: Int, _ bound: Double) {
        #expect(abs(ThresholdCalibration.upperBound(events, of: trials) - bound) < 0.00005)
    }

    @Test func noSuggestionWithoutBothKindsJudged() {
        let onlyDuplicates = ThresholdCalibration(registrations: [Self.judged("D1", score: 95, human: "declined")],
                                                  thresholds: MatchThresholds())
        #expect(onlyDuplicates.judged == 1 && onlyDuplicates.suggestedReviewScore == nil && onlyDuplicates.suggestedDuplicateScore == nil)
        let none = ProgramReport(registrations: [], from: nil, to: nil, asOf: Self.asOf)
        #expect(none.calibration.judged == 0)
        #expect(ProgramReportRenderer.html(none).contains("No suggestion yet"))
    }

    // MARK: - Auto-approve level calibration

    /// A row the confidence decided (approved, or sent to review for low confidence), as a person judged it.
    static func scored(_ id: String, confidence: Int?, human: String?, auto: String = "approved",
                       rule: String = "approve.auto") -> LedgerRegistration {
        var row = Self.row(id, decision: human ?? auto, reasons: "registered", auto: auto, human: human,
                           reviewedOn: human == nil ? nil : "2026-11-05")
        row.autoRule = rule
        row.confidence = confidence
        return row
    }

    @Test(arguments: [
        // (automatic decision, rule, reviewer, label: true = should approve, false = should not, nil = not the confidence's)
        ("approved", "approve.auto", "approved", true as Bool?),
        ("approved", "approve.auto", "declined", false),             // shadow mode: the person refused a would-be approval
        ("needs_review", "triage.confidence", "approved", true),
        ("needs_review", "triage.confidence", "needs_info", false),
        ("needs_review", "duplicate.possible", "approved", nil),       // sent to review by the matcher, not the confidence
        ("declined", "territory.outside", "approved", nil),
        ("approved", "approve.auto", nil, nil),                       // not judged
    ] as [(String, String, String?, Bool?)])
    func confidenceLabelsOnlyRowsTheConfidenceDecided(_ auto: String, _ rule: String, _ human: String?, _ label: Bool?) {
        #expect(ThresholdCalibration.confidenceLabel(Self.scored("REG-1", confidence: 70, human: human, auto: auto, rule: rule)) == label)
    }

    /// 401 rows people refused (400 at confidence 40, one at 65) and 250 they approved (200 at 90, 50 at 60).
    @Test func autoApproveLevelIsSuggestedOnTheEvidence() throws {
        var rows = (0..<400).map { Self.scored("R\($0)", confidence: 40, human: "declined") }
        rows.append(Self.scored("R-65", confidence: 65, human: "needs_info", auto: "needs_review", rule: "triage.confidence"))
        rows += (0..<200).map { Self.scored("A\($0)", confidence: 90, human: "approved") }
        rows += (0..<50).map { Self.scored("L\($0)", confidence: 60, human: "approved", auto: "needs_review", rule: "triage.confidence") }
        rows.append(Self.scored("old", confidence: nil, human: "declined"))   // decided before confidence was kept
        let c = ThresholdCalibration(registrations: rows, thresholds: MatchThresholds(), autoApproveLevel: 70)
        #expect(c.confidenceApproved == 250 && c.confidenceRefused == 401)
        let at65 = c.confidencePoint(65)
        #expect(at65.refusedAtOrAbove == 1 && at65.refusedBelow == 400 && at65.approvedAtOrAbove == 200 && at65.approvedBelow == 50)
        // At 65 one refused row in 401 is approved: 0.25 %, but its 95 % bound is 1.18 %; at 66 none (bound 0.74 %).
        #expect(at65.refusedApprovedBound > 0.01 && c.confidencePoint(66).refusedApprovedBound <= 0.01)
        #expect(c.suggestedAutoApproveLevel == 66)
        #expect(c.confidencePoint(66).approvedReviewed == 0.2, "the 50 people approved at 60 would still wait in review")
        let report = ProgramReport(registrations: rows, from: nil, to: nil, asOf: Self.asOf, autoApproveLevel: 70)
        #expect(ProgramReportRenderer.html(report).contains("auto_approve.default 66 (in force: 70"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try ProgramReportRenderer.json(report).utf8)) as? [String: Any])
        let calibration = try #require(json["calibration"] as? [String: Any])
        #expect(calibration["suggested_auto_approve_level"] as? Int == 66 && (calibration["confidence_points"] as? [Any])?.count == 101)
        #expect(ProgramReportRenderer.csv(report).contains("calibration,,suggested_auto_approve_level,66\r\n"))
    }

    /// The batch keeps each row's confidence in the ledger, as its results file shows it.
    @Test func theLedgerKeepsTheConfidenceOfEveryRow() throws {
        let folder = try temporaryDirectory()
        let ledger = try northwindLedger(in: folder)
        let results = try readResults(folder.appendingPathComponent("out/northwind-2026-11-20.results.csv"))
        let kept = Dictionary(uniqueKeysWithValues: try Ledger(path: ledger).registrations().map { ($0.sourceRow, $0.confidence) })
        #expect(!results.isEmpty && kept.count == results.count)
        for row in results {
            let number = try #require(row["row_number"].flatMap { Int($0) })
            #expect(kept[number] ?? nil == row["confidence"].flatMap { Int($0) }, "row \(number)")
        }
        #expect(kept.values.contains { $0 != nil })
    }
}
