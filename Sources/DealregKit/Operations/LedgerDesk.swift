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
            ledger = try Ledger(path: path)
        } catch {
            throw InputError(.unreadable, "\(path): cannot open the ledger: \(error)")
        }
        self.actor = actor
    }

    /// Approves a registration under review after re-checking, at this moment, every other claim
    /// in the ledger (and the snapshot's blocking deals, when one is given).
    public func approve(id: String, note: String, asOf: Day, policy: EffectivePolicy, snapshot: Snapshot?) throws -> LedgerRegistration {
        let thresholds = policy.policy.match
        return try ledger.resolveReview(id: id, approve: true, note: note, actor: actor, asOf: asOf,
                                        validityDays: policy.policy.validityDays) { candidate, others in
            let builder = IdentityBuilder()
            let identity = builder.identity(Self.fields(candidate))
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

    static func fields(_ registration: LedgerRegistration) -> AccountFields {
        AccountFields(name: registration.accountName, website: registration.accountDomain, email: registration.contactEmail,
                      country: registration.country, city: registration.city, postalCode: registration.postalCode,
                      phone: registration.phone)
    }

    // MARK: - Rendering

    /// Sort orders of `dealreg status`.
    public enum Sort: String, CaseIterable, Sendable { case submitted, value, expiry, account }
    /// Output formats of `dealreg status`.
    public enum Format: String, CaseIterable, Sendable { case table, csv, json }

    public static let statusColumns = ["id", "partner_id", "account_name", "status", "deal_value", "currency",
                                       "decided_on", "expires_on", "extensions_used", "source_file", "source_row"]

    public static func sorted(_ rows: [LedgerRegistration], by sort: Sort) -> [LedgerRegistration] {
        switch sort {
        case .submitted: return rows.sorted { ($0.submittedAt ?? $0.decidedOn, $0.id) < ($1.submittedAt ?? $1.decidedOn, $1.id) }
        case .value: return rows.sorted { ($0.dealValue ?? 0, $0.id) > ($1.dealValue ?? 0, $1.id) }
        case .expiry: return rows.sorted { ($0.expiresOn ?? "9999", $0.id) < ($1.expiresOn ?? "9999", $1.id) }
        case .account: return rows.sorted { ($0.accountName.lowercased(), $0.id) < ($1.accountName.lowercased(), $1.id) }
        }
    }

    static func values(_ row: LedgerRegistration) -> [String] {
        [row.id, row.partnerID, row.accountName, row.status.rawValue, row.dealValue.map { String(format: "%.2f", $0) } ?? "",
         row.currency ?? "", row.decidedOn, row.expiresOn ?? "", String(row.extensionsUsed), row.sourceFile, String(row.sourceRow)]
    }

    /// Registrations as an aligned table, CSV or JSON.
    public static func render(_ rows: [LedgerRegistration], format: Format) throws -> String {
        switch format {
        case .table:
            return table(header: statusColumns, rows: rows.map(values))
        case .csv:
            return ([statusColumns] + rows.map(values)).map { CSVWriter.line($0, neutralizeFormulas: false) }.joined()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
        }
    }

    /// A registration's history as a table.
    public static func render(audit entries: [AuditEntry]) -> String {
        table(header: ["at", "actor", "action", "from", "to", "score", "note / rationale"], rows: entries.map {
            [$0.at, $0.actor, $0.action, $0.fromStatus?.rawValue ?? "", $0.toStatus.rawValue, $0.score.map(String.init) ?? "",
             [$0.note, $0.rationale].compactMap { $0 }.joined(separator: " | ")]
        })
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            min(48, ([header] + rows).map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let shown = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                return column == cells.count - 1 ? shown : shown.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined() + (rows.isEmpty ? "(none)\n" : "")
    }

    /// Every registration as CSV, for import into the CRM (UTF-8 with BOM, formula-safe).
    public func export(to path: String) throws -> Int {
        let rows = try ledger.registrations()
        let writer = try CSVWriter(path: path)
        let columns = ["id", "partner_id", "account_name", "account_domain", "contact_email", "country", "city", "postal_code",
                       "phone", "status", "decision", "reason_codes", "reason", "match_score", "matched_record", "deal_value",
                       "currency", "decided_on", "expires_on", "extensions_used", "source_file", "source_row", "file_sha256",
                       "policy_version"]
        try writer.write(columns)
        for row in rows {
            try writer.write([row.id, row.partnerID, row.accountName, row.accountDomain ?? "", row.contactEmail ?? "",
                              row.country ?? "", row.city ?? "", row.postalCode ?? "", row.phone ?? "", row.status.rawValue,
                              row.decision, row.reasonCodes, row.reason, row.matchScore.map(String.init) ?? "",
                              row.matchedRecord ?? "", row.dealValue.map { String(format: "%.2f", $0) } ?? "",
                              row.currency ?? "", row.decidedOn, row.expiresOn ?? "", String(row.extensionsUsed),
                              row.sourceFile, String(row.sourceRow), row.fileSHA256, row.policyVersion])
        }
        try writer.finish()
        return rows.count
    }
}
