import DealregPolicy

/// The decision columns added to every upload row.
public struct ResultRecord: Sendable {
    public var rowNumber: Int
    public var registrationID: String?
    public var decision: Decision
    public var findings: [Finding]
    public var matchedRecord: String?
    public var matchScore: Int?
    public var matchEvidence: String?
    public var expiresOn: Day?

    public init(rowNumber: Int, registrationID: String?, decision: Decision, findings: [Finding],
                matchedRecord: String?, matchScore: Int?, matchEvidence: String?, expiresOn: Day?) {
        self.rowNumber = rowNumber
        self.registrationID = registrationID
        self.decision = decision
        self.findings = findings
        self.matchedRecord = matchedRecord
        self.matchScore = matchScore
        self.matchEvidence = matchEvidence
        self.expiresOn = expiresOn
    }

    /// Names of the added columns, in order.
    public static let columns = [
        "row_number", "registration_id", "decision", "reason_codes", "reason",
        "matched_record", "match_score", "match_evidence", "expires_on",
    ]

    /// Reason codes without repeats, in the order the rules found them.
    public var reasonCodes: [ReasonCode] {
        var seen = Set<ReasonCode>()
        return findings.map(\.code).filter { seen.insert($0).inserted }
    }

    /// The partner-facing explanation: every finding's sentence.
    public var reason: String { findings.map(\.message).joined(separator: " ") }

    /// Values for `columns`.
    public var values: [String] {
        [
            String(rowNumber), registrationID ?? "", decision.rawValue,
            reasonCodes.map(\.rawValue).joined(separator: ";"), reason,
            matchedRecord ?? "", matchScore.map(String.init) ?? "", matchEvidence ?? "",
            expiresOn?.description ?? "",
        ]
    }
}
