import DealregCSV
import DealregIdentity
import DealregLedger
import DealregPolicy
import Foundation

/// The ops commands around the ledger: lifecycle, review queue, status, audit and export.
public struct LedgerDesk {
    public let ledger: Ledger
    public let actor: String

    public init(path: String, actor: String) throws {
        do {
            ledger = try Ledger(path: path, opening: .existing)
        } catch let error as LedgerError where error.isUnusableFile {
            throw InputError(.unreadable, error.message)
        } catch let error as LedgerError where error.isBusy {
            throw InputError(.busy, error.message)   // the ledger's server is down: try again
        } catch let error as LedgerError where LedgerLocation.isPostgres(path) {
            throw InputError(.unreadable, error.message)
        } catch {
            throw InputError(.unreadable, "\(path): cannot open the ledger: \(error)")
        }
        self.actor = actor
    }

    /// Approves a registration under review after re-checking, at this moment, the rules the
    /// batch applies that a reviewer cannot wave through — the blocked and direct-reserved account
    /// lists, the partner's territory and cap (with `partners`), by the same ``RuleEngine`` as the
    /// batch — then every other claim in the ledger and the snapshot's blocking deals.
    public func approve(id: String, note: String, asOf: Day, policy: EffectivePolicy, snapshot: Snapshot?,
                        partners: PartnerDirectory? = nil, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        let thresholds = policy.policy.match
        let engine = RuleEngine(policy: policy.policy, blocked: policy.blockedAccounts, direct: policy.directAccounts)
        return try ledger.resolveReview(id: id, approve: true, note: note, actor: actor, asOf: asOf,
                                        validityDays: policy.policy.validityDays, notify: notify) { candidate, others in
            let builder = IdentityBuilder()
            let identity = builder.identity(Self.fields(candidate))
            let partner = partners?.partner(candidate.partnerID)
            let key = PartnerDirectory.key(candidate.partnerID)
            let active = others.count { other in
                PartnerDirectory.key(other.partnerID) == key && other.status == .approved
                    && (other.expiresOn.map { $0 >= asOf.description } ?? true)
            } + (snapshot?.activeRegistrations(asOf: asOf)[key] ?? 0)
            // The ledger keeps the country, not the subdivision: a subdivision territory is not refused here.
            if let refusal = engine.approvalRefusal(identity, country: candidate.country, region: nil,
                                                    partner: partner?.terms, active: active) {
                return refusal
            }
            var index = AccountIndex()
            for other in others { index.add(builder.identity(Self.fields(other))) }
            if let hit = index.bestMatch(for: identity, minimumScore: thresholds.duplicateScore,
                                         where: { others[$0].status == .approved && others[$0].expiresOn.map { $0 >= asOf.description } ?? true }) {
                let other = others[hit.entry]
                return "\(other.id) (\(other.partnerID)) already holds the account until \(other.expiresOn ?? "?") — \(hit.evidence)"
            }
            if let snapshot, let hit = snapshot.index.bestMatch(
                for: identity, minimumScore: thresholds.duplicateScore,
                where: { snapshot.deals[$0].blocks(asOf: asOf, directActivityDays: policy.policy.directActivityDays) }) {
                let deal = snapshot.deals[hit.entry]
                return "it matches \(deal.ownerType.rawValue) deal \(deal.dealID) in the snapshot — \(hit.evidence)"
            }
            return nil
        }
    }

    /// Extends an approved registration by the policy's extension_days, after asking the same
    /// ``RuleEngine`` as the batch whether the account may still be held: an account now on the
    /// blocked or direct-reserved list is not extended.
    public func extend(id: String, note: String?, policy: EffectivePolicy, notify: StatusNotifier? = nil) throws -> LedgerRegistration {
        let engine = RuleEngine(policy: policy.policy, blocked: policy.blockedAccounts, direct: policy.directAccounts)
        return try ledger.extend(id: id, policy: policy.policy, actor: actor, note: note, notify: notify) { registration in
            engine.approvalRefusal(IdentityBuilder().identity(Self.fields(registration)), country: registration.country,
                                   region: nil, partner: nil, active: 0)
        }
    }

    static func fields(_ registration: LedgerRegistration) -> AccountFields {
        AccountFields(name: registration.accountName, website: registration.accountDomain, email: registration.contactEmail,
                      country: registration.country, city: registration.city, postalCode: registration.postalCode,
                      phone: registration.phone, address: registration.address)
    }

    // MARK: - Rendering

    /// Sort orders of `dealreg status`.
    public enum Sort: String, CaseIterable, Sendable { case submitted, value, expiry, account }
    /// Output formats of `dealreg status`.
    public enum Format: String, CaseIterable, Sendable { case table, csv, json }

    public static let statusColumns = ["id", "partner_id", "account_name", "status", "deal_value", "currency",
                                       "decided_on", "expires_on", "extensions_used", "source_file", "source_row"]
    /// The review queue adds why each row is there: the candidate, its score and the evidence
    /// waterfall (last, in full).
    public static let reviewColumns = ["id", "partner_id", "account_name", "deal_value", "currency", "decided_on",
                                       "source_file", "source_row", "reason_codes", "matched_record", "match_score",
                                       "match_evidence"]
    /// The queue as a channel manager works it: how long each item has waited and whether it is
    /// past the policy's `review_sla_days`, then the registration and its evidence.
    /// Then its owner and what the rules decided (in shadow mode: would have decided), by which rule.
    public static let queueColumns = ["age_days", "overdue", "id", "owner"] + reviewColumns.dropFirst().dropLast()
        + ["auto_decision", "auto_rule", "related_record", "match_evidence"]

    /// The review queue, oldest first (by the day it entered the queue, then id), with each item's
    /// age in days on `asOf` and whether it is overdue (`age_days > slaDays`).
    public static func renderQueue(_ rows: [LedgerRegistration], format: Format, asOf: Day, slaDays: Int) throws -> String {
        let queue = rows.sorted { ($0.decidedOn, $0.id) < ($1.decidedOn, $1.id) }
        func age(_ row: LedgerRegistration) -> Int {
            Day(iso: String(row.decidedOn.prefix(10))).map { max(0, asOf.ordinal - $0.ordinal) } ?? 0
        }
        let cells = queue.map { row in
            queueColumns.map { column in
                switch column {
                case "age_days": String(age(row))
                case "overdue": age(row) > slaDays ? "overdue" : ""
                default: value(row, column)
                }
            }
        }
        switch format {
        case .table:
            return table(header: queueColumns, rows: cells)
        case .csv:
            return ([queueColumns] + cells).map { CSVWriter.line($0, neutralizeFormulas: false) }.joined()
        case .json:
            struct Item: Encodable {
                let ageDays: Int, overdue: Bool, registration: LedgerRegistration
                enum CodingKeys: String, CodingKey { case ageDays = "age_days", overdue, registration }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let items = queue.map { Item(ageDays: age($0), overdue: age($0) > slaDays, registration: $0) }
            return String(decoding: try encoder.encode(items), as: UTF8.self) + "\n"
        }
    }

    /// The day a registration was submitted, as the ops view sorts and filters by it: the partner's
    /// `submitted_at` when given, else the day dealreg received and decided it.
    public static func submittedDay(_ row: LedgerRegistration) -> String {
        // submitted_at is kept as seconds since 1970 (UTC).
        if let text = row.submittedAt, let seconds = Int(text) {
            return Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400).description
        }
        return String(row.decidedOn.prefix(10))
    }

    /// Registrations submitted from `from` to `to`, both days included (either open).
    public static func submitted(_ rows: [LedgerRegistration], from: Day?, to: Day?) -> [LedgerRegistration] {
        rows.filter { row in
            let day = submittedDay(row)
            return (from.map { day >= $0.description } ?? true) && (to.map { day <= $0.description } ?? true)
        }
    }

    public static func sorted(_ rows: [LedgerRegistration], by sort: Sort) -> [LedgerRegistration] {
        switch sort {
        case .submitted:
            // By day (the partner's timestamp, else the day received), then the timestamp within it.
            return rows.sorted {
                (submittedDay($0), Int($0.submittedAt ?? "") ?? 0, $0.id) < (submittedDay($1), Int($1.submittedAt ?? "") ?? 0, $1.id)
            }
        case .value: return rows.sorted { ($0.dealValue ?? 0, $0.id) > ($1.dealValue ?? 0, $1.id) }
        case .expiry: return rows.sorted { ($0.expiresOn ?? "9999", $0.id) < ($1.expiresOn ?? "9999", $1.id) }
        case .account: return rows.sorted { ($0.accountName.lowercased(), $0.id) < ($1.accountName.lowercased(), $1.id) }
        }
    }

    /// One column of a registration as text, by its ledger column name.
    static func value(_ row: LedgerRegistration, _ column: String) -> String {
        switch column {
        case "id": row.id
        case "partner_id": row.partnerID
        case "account_name": row.accountName
        case "account_domain": row.accountDomain ?? ""
        case "contact_email": row.contactEmail ?? ""
        case "address": row.address ?? ""
        case "country": row.country ?? ""
        case "city": row.city ?? ""
        case "postal_code": row.postalCode ?? ""
        case "phone": row.phone ?? ""
        case "status": row.status.rawValue
        case "decision": row.decision
        case "reason_codes": row.reasonCodes
        case "reason": row.reason
        case "match_score": row.matchScore.map(String.init) ?? ""
        case "matched_record": row.matchedRecord ?? ""
        case "match_evidence": row.matchEvidence ?? ""
        case "related_record": row.relatedRecord ?? ""
        case "related_evidence": row.relatedEvidence ?? ""
        case "deal_value": row.dealValue.map { String(format: "%.2f", $0) } ?? ""
        case "currency": row.currency ?? ""
        case "decided_on": row.decidedOn
        case "expires_on": row.expiresOn ?? ""
        case "extensions_used": String(row.extensionsUsed)
        case "source_file": row.sourceFile
        case "source_row": String(row.sourceRow)
        case "file_sha256": row.fileSHA256
        case "policy_version": row.policyVersion
        case "expected_close_date": row.expectedCloseDate ?? ""
        case "partner_reference": row.partnerReference ?? ""
        case "auto_decision": row.autoDecision ?? ""
        case "auto_rule": row.autoRule ?? ""
        case "human_decision": row.humanDecision ?? ""
        case "reviewed_by": row.reviewedBy ?? ""
        case "reviewed_on": row.reviewedOn ?? ""
        case "owner": row.owner ?? ""
        case "override": row.isOverride ? "override" : ""
        default: preconditionFailure("no ledger column \(column)")
        }
    }

    /// Registrations as an aligned table, CSV or JSON.
    public static func render(_ rows: [LedgerRegistration], format: Format, columns: [String] = statusColumns) throws -> String {
        let cells = rows.map { row in columns.map { value(row, $0) } }
        switch format {
        case .table:
            return table(header: columns, rows: cells)
        case .csv:
            return ([columns] + cells).map { CSVWriter.line($0, neutralizeFormulas: false) }.joined()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
        }
    }

    /// A registration's history as a table, after a line of what the rules decided and what a
    /// reviewer decided (when `registration` is given).
    public static func render(audit entries: [AuditEntry], registration: LedgerRegistration? = nil) -> String {
        let decisions = registration.map { row in
            "automatic: \(row.autoDecision ?? "(not recorded)")" + (row.autoRule.map { " by \($0)" } ?? "")
                + "; reviewer: " + (row.humanDecision.map { "\($0) by \(row.reviewedBy ?? "?") on \(row.reviewedOn ?? "?")" } ?? "(none)")
                + (row.isOverride ? " (override)" : "") + (row.owner.map { "; owner: \($0)" } ?? "") + "\n"
        } ?? ""
        return decisions + table(header: ["at", "actor", "action", "from", "to", "score", "note / rationale"], rows: entries.map {
            [$0.at, $0.actor, $0.action, $0.fromStatus?.rawValue ?? "", $0.toStatus.rawValue, $0.score.map(String.init) ?? "",
             [$0.note, $0.rationale].compactMap { $0 }.joined(separator: " | ")]
        })
    }

    /// A registration's history as JSON, every field in full: the registration's decisions (the
    /// automatic one beside the reviewer's, and the owner), then its audit entries, oldest first.
    public static func renderJSON(audit entries: [AuditEntry], registration: LedgerRegistration) throws -> String {
        struct Decisions: Encodable {
            let id: String, status: String, decision: String, autoDecision: String?, autoRule: String?
            let humanDecision: String?, reviewedBy: String?, reviewedOn: String?, override: Bool, owner: String?
            enum CodingKeys: String, CodingKey {
                case id, status, decision, override, owner
                case autoDecision = "auto_decision", autoRule = "auto_rule", humanDecision = "human_decision"
                case reviewedBy = "reviewed_by", reviewedOn = "reviewed_on"
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(status, forKey: .status)
                try container.encode(decision, forKey: .decision)
                try container.encode(override, forKey: .override)
                // Explicit nulls: a reader sees the field is there and empty.
                try container.encode(autoDecision, forKey: .autoDecision)
                try container.encode(autoRule, forKey: .autoRule)
                try container.encode(humanDecision, forKey: .humanDecision)
                try container.encode(reviewedBy, forKey: .reviewedBy)
                try container.encode(reviewedOn, forKey: .reviewedOn)
                try container.encode(owner, forKey: .owner)
            }
        }
        struct Document: Encodable { let registration: Decisions; let history: [AuditEntry] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let decisions = Decisions(id: registration.id, status: registration.status.rawValue, decision: registration.decision,
                                  autoDecision: registration.autoDecision, autoRule: registration.autoRule,
                                  humanDecision: registration.humanDecision, reviewedBy: registration.reviewedBy,
                                  reviewedOn: registration.reviewedOn, override: registration.isOverride, owner: registration.owner)
        return String(decoding: try encoder.encode(Document(registration: decisions, history: entries)), as: UTF8.self)
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            min(48, ([header] + rows).map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                // The last column is shown in full (the review list's evidence).
                if column == cells.count - 1 { return cell }
                let shown = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                return shown.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined() + (rows.isEmpty ? "(none)\n" : "")
    }

    /// Every registration as CSV, for import into the CRM (UTF-8 with BOM, formula-safe).
    public func export(to path: String) throws -> Int {
        let rows = try ledger.registrations()
        let writer = try CSVWriter(path: path)
        let columns = ["id", "partner_id", "partner_reference", "account_name", "account_domain", "contact_email", "address", "country", "city",
                       "postal_code", "phone", "status", "decision", "reason_codes", "reason", "match_score", "matched_record",
                       "match_evidence", "related_record", "related_evidence", "deal_value", "currency", "expected_close_date", "decided_on",
                       "expires_on", "extensions_used", "source_file", "source_row", "file_sha256", "policy_version",
                       "auto_decision", "auto_rule", "human_decision", "reviewed_by", "reviewed_on", "owner"]
        try writer.write(columns)
        for row in rows { try writer.write(columns.map { Self.value(row, $0) }) }
        try writer.finish()
        return rows.count
    }
}
