import DealregLedger
import DealregPolicy
import DealregReport

/// Turns one upload's decisions into ledger rows and their first audit entries.
enum LedgerRows {
    static func status(_ decision: Decision) -> RegistrationStatus {
        switch decision {
        case .approved: return .approved
        case .needsReview: return .underReview
        case .declined: return .rejected
        case .needsInfo: return .returned
        }
    }

    static func make(upload: UploadFile, rows: [DecidedRow], digests: [String],
                     asOf: Day, actor: String) -> ([LedgerRegistration], [AuditEntry]) {
        let now = Ledger.now()
        var registrations: [LedgerRegistration] = []
        var audits: [AuditEntry] = []
        for (index, row) in rows.enumerated() {
            let submission = row.submission, result = row.result
            let fields = submission.fields
            let status = status(result.decision)
            registrations.append(LedgerRegistration(
                id: result.rowID, partnerID: submission.partner?.id ?? submission.partnerID ?? "",
                accountName: fields.name ?? "", accountDomain: fields.website, contactEmail: fields.email,
                country: submission.identity.country, city: fields.city, postalCode: fields.postalCode, phone: fields.phone,
                nameKey: submission.identity.name.condensedKey, status: status, decision: result.decision.rawValue,
                reasonCodes: result.reasonCodes.map(\.rawValue).joined(separator: ";"), reason: result.reason,
                matchScore: result.matchScore, matchedRecord: result.matchedRecord, dealValue: submission.dealValue?.value,
                currency: submission.dealValue?.currency, submittedAt: submission.submittedAt.map { String($0) },
                decidedOn: asOf.description, expiresOn: result.expiresOn?.description, sourceFile: upload.name,
                sourceRow: result.rowNumber, fileSHA256: upload.sha256, policyVersion: result.policyVersion,
                address: fields.address, matchEvidence: result.matchEvidence, relatedRecord: result.relatedRecord,
                relatedEvidence: result.relatedEvidence))
            registrations[registrations.count - 1].expectedCloseDate = submission.closeDate?.description
            registrations[registrations.count - 1].partnerReference = submission.partnerReference
            // What the rules decided, beside what a person may decide later (shadow mode: the would-be decision).
            registrations[registrations.count - 1].autoDecision = (result.wouldBeDecision ?? result.decision).rawValue
            registrations[registrations.count - 1].autoRule = result.automaticRule ?? result.decidedBy
            registrations[registrations.count - 1].confidence = result.confidence
            registrations[registrations.count - 1].bestScore = result.bestScore
            audits.append(AuditEntry(
                registrationID: result.rowID, at: now, actor: actor, action: "decide", fromStatus: .submitted, toStatus: status,
                inputsDigest: index < digests.count ? digests[index] : nil, score: result.matchScore,
                rationale: ([result.decidedBy, result.reason] + (result.rationale.isEmpty ? [] : [result.rationale]))
                    .joined(separator: " | ")))
        }
        return (registrations, audits)
    }
}
