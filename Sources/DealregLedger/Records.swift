import Foundation
import GRDB

/// Where a registration is in its lifecycle:
/// submitted → under_review → approved / rejected; approved → expired, withdrawn or closed_won;
/// needs_info rows are `returned` to the partner.
public enum RegistrationStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case submitted, underReview = "under_review", approved, rejected, returned, expired, withdrawn, closedWon = "closed_won"
}

/// One decided upload row.
public struct LedgerRegistration: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "registration"

    public var id: String
    public var partnerID: String
    public var accountName: String
    public var accountDomain: String?
    public var contactEmail: String?
    public var country: String?
    public var city: String?
    public var postalCode: String?
    public var phone: String?
    public var nameKey: String
    public var status: RegistrationStatus
    public var decision: String
    public var reasonCodes: String
    public var reason: String
    public var matchScore: Int?
    public var matchedRecord: String?
    public var dealValue: Double?
    public var currency: String?
    public var submittedAt: String?
    public var decidedOn: String
    public var expiresOn: String?
    public var extensionsUsed: Int
    public var sourceFile: String
    public var sourceRow: Int
    public var fileSHA256: String
    public var policyVersion: String
    /// The street address as uploaded.
    public var address: String?
    /// Why the row matched `matchedRecord`: the evidence waterfall of the results file.
    public var matchEvidence: String?
    /// A related account (a family member, another site), never blocking, and its evidence.
    public var relatedRecord: String?
    public var relatedEvidence: String?
    /// The expected close date the partner gave (ISO), and the partner's own reference for the row.
    public var expectedCloseDate: String?
    public var partnerReference: String?
    /// What the rules decided (in shadow mode: would have decided), and the rule that decided it;
    /// kept when a reviewer decides otherwise, so overrides can be counted.
    public var autoDecision: String?
    public var autoRule: String?
    /// The reviewer's decision (approved, declined, needs_info), who made it and on which day;
    /// nil until a person decides, and again after a reopen.
    public var humanDecision: String?
    public var reviewedBy: String?
    public var reviewedOn: String?
    /// Who works the registration in the review queue.
    public var owner: String?
    /// The confidence 0-100 the rules gave the row (POLICY.md); nil for rows decided before it was kept.
    public var confidence: Int?
    /// The deal or registration a reviewer declined the row as a duplicate of (`review reject
    /// --duplicate-of`): the reviewer's own word that it is a duplicate, which threshold
    /// calibration counts even when the rules did not take the row for one.
    public var duplicateOf: String?
    /// The score of the row's best candidate when it was decided (a duplicate, a related account,
    /// or below both): what threshold calibration places the row at. Nil for rows decided before
    /// schema v9, and for rows never matched (unreadable, no partner).
    public var bestScore: Int?

    enum CodingKeys: String, CodingKey {
        case id, status, decision, reason, country, city, phone, currency
        case partnerID = "partner_id", accountName = "account_name", accountDomain = "account_domain"
        case contactEmail = "contact_email", postalCode = "postal_code", nameKey = "name_key"
        case reasonCodes = "reason_codes", matchScore = "match_score", matchedRecord = "matched_record"
        case dealValue = "deal_value", submittedAt = "submitted_at", decidedOn = "decided_on", expiresOn = "expires_on"
        case extensionsUsed = "extensions_used", sourceFile = "source_file", sourceRow = "source_row"
        case fileSHA256 = "file_sha256", policyVersion = "policy_version", address
        case matchEvidence = "match_evidence", relatedRecord = "related_record", relatedEvidence = "related_evidence"
        case expectedCloseDate = "expected_close_date", partnerReference = "partner_reference"
        case autoDecision = "auto_decision", autoRule = "auto_rule", humanDecision = "human_decision"
        case reviewedBy = "reviewed_by", reviewedOn = "reviewed_on", owner, confidence, duplicateOf = "duplicate_of", bestScore = "best_score"
    }

    /// Whether a reviewer decided otherwise than the rules did (or would have, in shadow mode).
    public var isOverride: Bool {
        guard let humanDecision, let autoDecision else { return false }
        return humanDecision != autoDecision
    }

    public init(id: String, partnerID: String, accountName: String, accountDomain: String?, contactEmail: String?,
                country: String?, city: String?, postalCode: String?, phone: String?, nameKey: String,
                status: RegistrationStatus, decision: String, reasonCodes: String, reason: String, matchScore: Int?,
                matchedRecord: String?, dealValue: Double?, currency: String?, submittedAt: String?, decidedOn: String,
                expiresOn: String?, sourceFile: String, sourceRow: Int, fileSHA256: String, policyVersion: String,
                address: String? = nil, matchEvidence: String? = nil, relatedRecord: String? = nil,
                relatedEvidence: String? = nil) {
        self.id = id; self.partnerID = partnerID; self.accountName = accountName; self.accountDomain = accountDomain
        self.contactEmail = contactEmail; self.country = country; self.city = city; self.postalCode = postalCode
        self.phone = phone; self.nameKey = nameKey; self.status = status; self.decision = decision
        self.reasonCodes = reasonCodes; self.reason = reason; self.matchScore = matchScore
        self.matchedRecord = matchedRecord; self.dealValue = dealValue; self.currency = currency
        self.submittedAt = submittedAt; self.decidedOn = decidedOn; self.expiresOn = expiresOn; extensionsUsed = 0
        self.sourceFile = sourceFile; self.sourceRow = sourceRow; self.fileSHA256 = fileSHA256
        self.policyVersion = policyVersion
        self.address = address; self.matchEvidence = matchEvidence
        self.relatedRecord = relatedRecord; self.relatedEvidence = relatedEvidence
    }
}

/// An upload file the ledger has recorded, with the result files it produced (for exact re-emission).
public struct ProcessedFile: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "processed_file"

    public var sha256: String
    public var name: String
    public var processedOn: String
    public var rows: Int
    public var approved: Int
    public var declined: Int
    public var needsReview: Int
    public var needsInfo: Int
    public var resultsName: String
    public var resultsCSV: Data
    public var partnerCSV: Data

    enum CodingKeys: String, CodingKey {
        case sha256, name, rows, approved, declined
        case processedOn = "processed_on", needsReview = "needs_review", needsInfo = "needs_info"
        case resultsName = "results_name", resultsCSV = "results_csv", partnerCSV = "partner_csv"
        case snapshotSHA256 = "snapshot_sha256", partnersSHA256 = "partners_sha256"
    }

    public init(sha256: String, name: String, processedOn: String, rows: Int, approved: Int, declined: Int,
                needsReview: Int, needsInfo: Int, resultsName: String, resultsCSV: Data, partnerCSV: Data) {
        self.sha256 = sha256; self.name = name; self.processedOn = processedOn; self.rows = rows
        self.approved = approved; self.declined = declined; self.needsReview = needsReview; self.needsInfo = needsInfo
        self.resultsName = resultsName; self.resultsCSV = resultsCSV; self.partnerCSV = partnerCSV
    }

    /// The SHA-256 of the snapshot and of the partner list the file was decided against (nil for
    /// files recorded before schema v9): what `replay` checks the files it is given against.
    public var snapshotSHA256: String?
    public var partnersSHA256: String?
}

/// Something an upload file owes its partners, recorded with the file's decisions: an email
/// (delivered into the outbox once), an output file re-emitted with the file's results (a
/// partner's own copy), or the file's rows of a batch-wide file (approved.csv, …).
public struct OwedItem: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "owed"

    public enum Kind: String, Codable, Sendable, DatabaseValueConvertible {
        case email, output, batchRows = "batch_rows"
    }

    public var fileSHA256: String
    public var kind: Kind
    public var name: String
    public var bytes: Data
    /// When an email was written into the outbox; nil while owed.
    public var deliveredOn: String?

    enum CodingKeys: String, CodingKey {
        case kind, name, bytes
        case fileSHA256 = "file_sha256", deliveredOn = "delivered_on"
    }

    public init(fileSHA256: String, kind: Kind, name: String, bytes: Data, deliveredOn: String? = nil) {
        self.fileSHA256 = fileSHA256; self.kind = kind; self.name = name; self.bytes = bytes; self.deliveredOn = deliveredOn
    }
}

/// The email a registration's status change owes its partner (approved or rejected from
/// review, expired, extended, withdrawn, closed as won), written into the outbox once.
public struct Notice: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "notice"
    public var name: String
    public var registrationID: String
    public var action: String
    public var bytes: Data
    public var createdAt: String
    public var deliveredOn: String?

    enum CodingKeys: String, CodingKey {
        case name, action, bytes
        case registrationID = "registration_id", createdAt = "created_at", deliveredOn = "delivered_on"
    }

    public init(name: String, registrationID: String, action: String, bytes: Data, createdAt: String, deliveredOn: String? = nil) {
        self.name = name; self.registrationID = registrationID; self.action = action; self.bytes = bytes
        self.createdAt = createdAt; self.deliveredOn = deliveredOn
    }
}

/// A digest (`dealreg digest`): one email per audience, recipient and period, recorded in the
/// transaction that decides it is owed and written into the outbox once.
public struct DigestRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "digest"

    /// Who a digest is for: each partner, or the channel team.
    public enum Audience: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case partners, team
    }

    public var audience: Audience
    /// The partner id, or the team's address.
    public var recipient: String
    /// The period the digest covers, e.g. the ISO week `2026-W49`.
    public var period: String
    /// The message's file name in the outbox.
    public var name: String
    public var bytes: Data
    public var createdAt: String
    /// When it was written into the outbox; nil while owed.
    public var deliveredOn: String?

    enum CodingKeys: String, CodingKey {
        case audience, recipient, period, name, bytes
        case createdAt = "created_at", deliveredOn = "delivered_on"
    }

    public init(audience: Audience, recipient: String, period: String, name: String, bytes: Data, createdAt: String,
                deliveredOn: String? = nil) {
        self.audience = audience; self.recipient = recipient; self.period = period; self.name = name; self.bytes = bytes
        self.createdAt = createdAt; self.deliveredOn = deliveredOn
    }
}

/// Composes the email a status change owes, from the changed registration, the ledger action
/// ("review.approve", "expire", …), the note and the change's place in the registration's
/// history (how many audit entries it has, this change's included); nil when the partner has
/// no email address.
public typealias StatusNotifier = (_ changed: LedgerRegistration, _ action: String, _ note: String?, _ sequence: Int) throws
    -> (name: String, bytes: Data)?

/// One line of a registration's history. Never updated or deleted (the schema refuses).
public struct AuditEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"

    public var id: Int64?
    public var registrationID: String
    public var at: String
    public var actor: String
    public var action: String
    public var fromStatus: RegistrationStatus?
    public var toStatus: RegistrationStatus
    public var inputsDigest: String?
    public var score: Int?
    public var rationale: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, score, rationale, note
        case registrationID = "registration_id", fromStatus = "from_status", toStatus = "to_status"
        case inputsDigest = "inputs_digest"
    }

    public init(registrationID: String, at: String, actor: String, action: String, fromStatus: RegistrationStatus?,
                toStatus: RegistrationStatus, inputsDigest: String? = nil, score: Int? = nil, rationale: String? = nil,
                note: String? = nil) {
        self.registrationID = registrationID; self.at = at; self.actor = actor; self.action = action
        self.fromStatus = fromStatus; self.toStatus = toStatus; self.inputsDigest = inputsDigest; self.score = score
        self.rationale = rationale; self.note = note
    }
}

/// An upload file as the ledger recorded it: its results (which hold its rows as received)
/// and its registrations, with the audit id of its first decision (receipt order).
public struct RecordedUpload: Sendable, Equatable {
    public var file: ProcessedFile
    /// By row number.
    public var registrations: [LedgerRegistration]
    public var firstAuditID: Int64
}

/// One audit entry as a status change: which registration, by what action, to which status, when.
public struct StatusChange: Sendable, Equatable {
    public var auditID: Int64
    public var registrationID: String
    public var action: String
    public var toStatus: RegistrationStatus
    public var at: String
}
