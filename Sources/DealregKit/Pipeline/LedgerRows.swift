import DealregLedger
import DealregPolicy
import DealregReport

/// Turns each decided row into its ledger row and first audit entry.
enum LedgerRows {
    static func status(_ decision: Decision) -> RegistrationStatus {
        switch decision {
        case .approved: return .approved
        case .needsReview: return .underReview
        case .declined: return .rejected
        case .needsInfo: return .returned
        }
    }

    /// One decided row as its ledger registration and first audit entry.
    ///
    /// - Parameters:
    ///   - digest: the row's input digest (`ResultWriter.digest`), for the audit log.
    ///   - now: when the file's decisions are recorded.
    static func make(upload: UploadFile, row: DecidedRow, digest: String?, now: String,
                     asOf: Day, actor: String) -> (LedgerRegistration, AuditEntry) {
        let submission = row.submission, result = row.result
        let fields = submission.fields
        let status = status(result.decision)
        var registration = LedgerRegistration(
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
            relatedEvidence: result.relatedEvidence)
        registration.expectedCloseDate = submission.closeDate?.description
        registration.partnerReference = submission.partnerReference
        // What the rules decided, beside what a person may decide later (shadow mode: the would-be decision).
        registration.autoDecision = (result.wouldBeDecision ?? result.decision).rawValue
        registration.autoRule = result.automaticRule ?? result.decidedBy
        registration.confidence = result.confidence
        registration.bestScore = result.bestScore
        let audit = AuditEntry(
            registrationID: result.rowID, at: now, actor: actor, action: "decide", fromStatus: .submitted, toStatus: status,
            inputsDigest: digest, score: result.matchScore,
            rationale: ([result.decidedBy, result.reason] + (result.rationale.isEmpty ? [] : [result.rationale]))
                .joined(separator: " | "))
        return (registration, audit)
    }
}
