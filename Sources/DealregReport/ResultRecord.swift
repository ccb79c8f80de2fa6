import DealregPolicy

/// The decision columns added to every upload row.
public struct ResultRecord: Sendable {
    public var rowNumber: Int
    /// The row's id in the ledger, whatever its decision.
    public var rowID: String
    /// Shown to partners for approved and review rows only.
    public var registrationID: String?
    public var decision: Decision
    public var findings: [Finding]
    public var matchedRecord: String?
    public var matchScore: Int?
    public var matchEvidence: String?
    public var expiresOn: Day?
    /// 0-100, for rows that reached the confidence rule.
    public var confidence: Int?
    public var triage: Triage
    /// Id of the rule that decided the row (POLICY.md).
    public var decidedBy: String
    public var policyVersion: String
    /// Internal explanation of the decision; never shown to partners.
    public var rationale: String
    /// In shadow mode, the decision the row would have had.
    public var wouldBeDecision: Decision?
    /// In shadow mode, the rule that would have decided the row (`decidedBy` is then shadow_mode).
    public var automaticRule: String?
    /// Replaces the findings' sentences in the partner-facing reason (shadow mode).
    public var partnerReason: String?
    /// `partnerReason` as a catalogue sentence, so the partner reads it in their language.
    public var partnerReasonSentence: Sentence?
    /// A deal or registration of the same family that is not the same account (a shared
    /// brand, another site of a chain): never blocking, shown so channel managers see it.
    public var relatedRecord: String?
    /// The score of the row's best candidate, whatever it led to (a duplicate, a related account,
    /// or nothing): kept in the ledger for threshold calibration, not written to the result files.
    public var bestScore: Int?
    public var relatedEvidence: String?

    public init(rowNumber: Int, rowID: String, registrationID: String?, decision: Decision, findings: [Finding],
                matchedRecord: String?, matchScore: Int?, matchEvidence: String?, expiresOn: Day?,
                confidence: Int?, triage: Triage, decidedBy: String, policyVersion: String, rationale: String,
                wouldBeDecision: Decision?, partnerReason: String?) {
        self.rowNumber = rowNumber
        self.rowID = rowID
        self.registrationID = registrationID
        self.decision = decision
        self.findings = findings
        self.matchedRecord = matchedRecord
        self.matchScore = matchScore
        self.matchEvidence = matchEvidence
        self.expiresOn = expiresOn
        self.confidence = confidence
        self.triage = triage
        self.decidedBy = decidedBy
        self.policyVersion = policyVersion
        self.rationale = rationale
        self.wouldBeDecision = wouldBeDecision
        self.partnerReason = partnerReason
    }

    /// Columns a partner may see, in order.
    public static let partnerColumns = ["row_number", "registration_id", "decision", "reason_codes", "reason", "expires_on"]

    /// Every added column of the internal results, in order.
    public static let columns = [
        "row_number", "registration_id", "decision", "reason_codes", "reason", "expires_on",
        "matched_record", "match_score", "match_evidence", "confidence", "triage", "decided_by", "policy_version",
        "rationale", "would_be_decision", "related_record", "related_evidence",
    ]

    /// Reason codes without repeats, in the order the rules found them.
    public var reasonCodes: [ReasonCode] {
        var seen = Set<ReasonCode>()
        return findings.map(\.code).filter { seen.insert($0).inserted }
    }

    /// The partner-facing explanation: the sentences of the findings that decided the row (a
    /// declined row does not ask the partner to fill in a field that would not change it).
    /// English, as the internal files and the ledger keep it.
    public var reason: String { reason(in: .english) }

    /// The partner-facing explanation in the partner's language (`PartnerText`).
    public func reason(in language: PartnerLanguage) -> String {
        if let partnerReasonSentence, language != .english { return partnerReasonSentence.text(in: language) }
        if let partnerReason { return partnerReason }
        let deciding = findings.filter { $0.decision == decision }
        let separator = language == .japanese ? "" : " "
        return (deciding.isEmpty ? findings : deciding).map { $0.message(in: language) }.joined(separator: separator)
    }

    /// Values for `partnerColumns`, with the English reason.
    public var partnerValues: [String] { partnerValues(in: .english) }

    /// Values for `partnerColumns`, with the reason in the partner's language. The column
    /// names, decisions and reason codes stay as they are: programs read them.
    public func partnerValues(in language: PartnerLanguage) -> [String] {
        [String(rowNumber), registrationID ?? "", decision.rawValue, reasonCodes.map(\.rawValue).joined(separator: ";"),
         reason(in: language), expiresOn?.description ?? ""]
    }

    /// Values for `columns`.
    public var values: [String] {
        partnerValues + [
            matchedRecord ?? "", matchScore.map(String.init) ?? "", matchEvidence ?? "",
            confidence.map(String.init) ?? "", triage.rawValue, decidedBy, policyVersion, rationale,
            wouldBeDecision?.rawValue ?? "", relatedRecord ?? "", relatedEvidence ?? "",
        ]
    }
}
