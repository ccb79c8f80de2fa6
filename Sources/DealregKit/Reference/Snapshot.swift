import DealregIdentity
import DealregPolicy

/// Status of a deal in the CRM.
public enum DealStatus: String, Sendable, CaseIterable {
    case open, won, lost, registered, expired
}

/// Who owns a CRM deal.
public enum OwnerType: String, Sendable, CaseIterable {
    case partner, direct
}

/// One existing CRM deal, reduced to what decisions need.
public struct SnapshotDeal: Sendable {
    public var dealID: String
    public var ownerType: OwnerType
    public var ownerID: String?
    public var status: DealStatus
    public var expiresOn: Day?
    public var line: Int

    /// Open and registered deals block new registrations until they expire.
    public func blocks(asOf: Day) -> Bool {
        guard status == .open || status == .registered else { return false }
        guard let expiresOn else { return true }
        return expiresOn >= asOf
    }
}

/// The CRM snapshot: its deals and an index of the accounts they are on.
public struct Snapshot: Sendable {
    public private(set) var deals: [SnapshotDeal] = []
    /// Entry `i` of the index is `deals[i]`.
    public private(set) var index = AccountIndex()
    /// Rows that were read but could not be fully interpreted, as "file: line N: problem".
    public private(set) var warnings: [String] = []

    /// Streams the snapshot file into memory-light deals and their index.
    ///
    /// A row whose status or owner type cannot be read is kept and treated as
    /// an open deal, because missing a blocking deal would approve a duplicate;
    /// it is reported as a warning.
    public static func load(path: String, policy: Policy, asOf: Day) throws -> Snapshot {
        let reader = try openTable(path: path, schema: Schemas.snapshot, role: "snapshot")
        var snapshot = Snapshot()
        let identities = IdentityBuilder()
        let dates = DateParser(order: policy.dateOrder)
        var seenIDs = Set<String>()
        while let row = try readRow(reader, path: path) {
            let at = "\(path): line \(row.line)"
            if let problem = row.problem {
                snapshot.warnings.append("\(at): \(describe(problem)); the row is read as far as possible")
            }
            guard let dealID = row.value("deal_id") else {
                snapshot.warnings.append("\(at): no deal_id; the deal still blocks its account")
                snapshot.add(row: row, dealID: "line-\(row.line)", identities: identities, dates: dates, at: at)
                continue
            }
            if !seenIDs.insert(dealID).inserted {
                snapshot.warnings.append("\(at): deal_id \(dealID) appears more than once")
            }
            snapshot.add(row: row, dealID: dealID, identities: identities, dates: dates, at: at)
        }
        return snapshot
    }

    private mutating func add(row: MappedRow, dealID: String, identities: IdentityBuilder, dates: DateParser, at: String) {
        let statusText = row.value("status")?.lowercased() ?? ""
        let status = DealStatus(rawValue: statusText) ?? {
            warnings.append("\(at), column status: '\(statusText)' is not one of \(DealStatus.allCases.map(\.rawValue).joined(separator: ", ")); treated as open")
            return .open
        }()
        let ownerText = row.value("owner_type")?.lowercased() ?? ""
        let ownerType = OwnerType(rawValue: ownerText) ?? {
            warnings.append("\(at), column owner_type: '\(ownerText)' is not partner or direct; treated as partner")
            return .partner
        }()
        var expiresOn: Day?
        if let text = row.value("expires_on") {
            if case .success(let day) = dates.parse(text) { expiresOn = day } else {
                warnings.append("\(at), column expires_on: '\(text)' is not a date; the deal is treated as not expiring")
            }
        }
        let identity = identities.identity(AccountFields(
            name: row.value("account_name"), website: row.value("account_domain"), country: row.value("country"),
            city: row.value("city"), postalCode: row.value("postal_code"), phone: row.value("phone")))
        if !identity.isUsable { warnings.append("\(at): no account name or domain to match on") }
        deals.append(SnapshotDeal(dealID: dealID, ownerType: ownerType, ownerID: row.value("owner_id"),
                                  status: status, expiresOn: expiresOn, line: row.line))
        index.add(identity)
    }
}
