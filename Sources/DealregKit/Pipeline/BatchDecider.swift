import Crypto
import DealregIdentity
import DealregPolicy
import DealregReport

/// Decides every row of a batch, first come first served: rows in order of
/// `submitted_at` (rows without one last), then file order, then row order;
/// each is checked against the snapshot's blocking deals and against the
/// rows approved or sent to review before it.
struct BatchDecider {
    let snapshot: Snapshot
    let policy: EffectivePolicy
    let asOf: Day

    /// A row of this batch that claimed an account.
    private struct Claim {
        let partnerID: String
        let registrationID: String
        let expiresOn: Day?
        let underReview: Bool
        let file: String
        let rowNumber: Int
    }

    func decide(uploads: [UploadFile], submissions: [[Submission]]) -> [[ResultRecord]] {
        var results: [[ResultRecord?]] = submissions.map { Array(repeating: nil, count: $0.count) }
        let order = submissions.indices.flatMap { file in submissions[file].indices.map { (file, $0) } }
            .sorted { a, b in
                let ta = submissions[a.0][a.1].submittedAt ?? .max, tb = submissions[b.0][b.1].submittedAt ?? .max
                return (ta, a.0, a.1) < (tb, b.0, b.1)
            }
        // One index: the snapshot's deals first, then this batch's claims as they are made.
        var index = snapshot.index
        let dealCount = snapshot.deals.count
        let thresholds = policy.policy.match
        var claimInfo: [Claim] = []
        for (file, row) in order {
            let submission = submissions[file][row]
            let upload = uploads[file]
            var findings = submission.findings
            var match: (record: String, score: Int, evidence: String)?
            if submission.isSound, submission.identity.isUsable, let partner = submission.partner {
                func best(_ filter: (Int) -> Bool) -> AccountMatch? {
                    index.bestMatch(for: submission.identity, minimumScore: thresholds.reviewScore,
                                    countryConflictCap: thresholds.duplicateScore - 1, where: filter)
                }
                let blocking = best { $0 < dealCount && snapshot.deals[$0].blocks(asOf: asOf) }
                let claimed = best { $0 >= dealCount }
                if let blocking, blocking.score >= (claimed?.score ?? 0) {
                    let deal = snapshot.deals[blocking.entry]
                    findings.append(snapshotFinding(deal, score: blocking.score, partner: partner))
                    match = (deal.dealID, blocking.score, blocking.evidence)
                } else if let claimed {
                    let claim = claimInfo[claimed.entry - dealCount]
                    findings.append(batchFinding(claim, score: claimed.score, partner: partner))
                    match = (claim.registrationID, claimed.score, claimed.evidence)
                } else if let customer = best({ $0 < dealCount && snapshot.deals[$0].status == .won }) {
                    findings.append(Finding(code: .existingCustomer, message:
                        "This company is already our customer; a channel manager will review your registration and let you know."))
                    match = (snapshot.deals[customer.entry].dealID, customer.score, customer.evidence)
                }
            }
            let decision = Decision(strongestOf: findings)
            let claimsAccount = decision == .approved || decision == .needsReview
            let registrationID = claimsAccount ? registrationID(upload: upload, rowNumber: row + 1) : nil
            let expiresOn = decision == .approved ? asOf.adding(days: policy.policy.validityDays) : nil
            if let expiresOn {
                findings.append(Finding(code: .registered, message: "Approved: the account is registered to you until \(expiresOn)."))
            }
            if let registrationID, let partner = submission.partner, submission.identity.isUsable {
                index.add(submission.identity)
                claimInfo.append(Claim(partnerID: partner.id, registrationID: registrationID, expiresOn: expiresOn,
                                       underReview: decision == .needsReview, file: upload.name, rowNumber: row + 1))
            }
            results[file][row] = ResultRecord(rowNumber: row + 1, registrationID: registrationID, decision: decision,
                                              findings: findings, matchedRecord: match?.record, matchScore: match?.score,
                                              matchEvidence: match?.evidence, expiresOn: expiresOn)
        }
        return results.map { $0.map { $0! } }
    }

    private func snapshotFinding(_ deal: SnapshotDeal, score: Int, partner: Partner) -> Finding {
        guard score >= policy.policy.match.duplicateScore else {
            return Finding(code: .possibleDuplicate, message:
                "This account may already be registered; a channel manager will review your registration and let you know.")
        }
        let until = deal.expiresOn.map { " until \($0)" } ?? ""
        if deal.ownerType == .partner, let owner = deal.ownerID, PartnerDirectory.key(owner) == PartnerDirectory.key(partner.id) {
            return Finding(code: .alreadyRegistered, message: "This account is already registered to you\(until); no new registration is needed.")
        }
        if deal.ownerType == .direct {
            return Finding(code: .duplicateExistingDeal, message: "This account is already being worked by our direct sales team, so it cannot be registered.")
        }
        return Finding(code: .duplicateExistingDeal, message: "This account is already registered by another partner\(until).")
    }

    private func batchFinding(_ claim: Claim, score: Int, partner: Partner) -> Finding {
        if claim.underReview || score < policy.policy.match.duplicateScore {
            return Finding(code: .possibleDuplicate, message:
                "Another registration of what may be the same account is being reviewed; a channel manager will decide and let you know.")
        }
        let until = claim.expiresOn.map { " until \($0)" } ?? ""
        if PartnerDirectory.key(claim.partnerID) == PartnerDirectory.key(partner.id) {
            return Finding(code: .alreadyRegistered, message:
                "You already registered this account in row \(claim.rowNumber) of \(claim.file); it is registered to you\(until).")
        }
        return Finding(code: .duplicateInBatch, message: "This account was registered by another partner earlier in this batch and is protected for them\(until).")
    }

    /// Deterministic and unique: the same file content, row and policy always give the same ID.
    private func registrationID(upload: UploadFile, rowNumber: Int) -> String {
        let material = "\(upload.sha256):\(upload.occurrence):\(rowNumber):\(policy.version)"
        return "REG-" + sha256Hex(Array(material.utf8)).prefix(16).uppercased()
    }
}
