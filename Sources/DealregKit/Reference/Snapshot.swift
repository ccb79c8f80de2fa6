import Crypto
import DealregCSV
import DealregIdentity
import DealregLedger
import DealregPolicy
import Dispatch

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
    /// Last recorded activity, or the creation date when there is none.
    public var lastActivityOn: Day?
    public var line: Int
    /// A ledger registration still under review: later rows are possible duplicates, not declined.
    public var underReview = false

    /// Open and registered deals protect their account until they expire.
    public func isActive(asOf: Day) -> Bool {
        guard status == .open || status == .registered else { return false }
        guard let expiresOn else { return true }
        return expiresOn >= asOf
    }

    /// Whether the deal blocks a new registration: an active partner deal always does; an
    /// active direct deal only with activity within `directActivityDays` (or no dates to tell).
    public func blocks(asOf: Day, directActivityDays: Int) -> Bool {
        guard isActive(asOf: asOf) else { return false }
        guard ownerType == .direct, let lastActivityOn else { return true }
        return lastActivityOn >= asOf.adding(days: -directActivityDays)
    }
}

/// One row's identity while loading: built now (and encoded for the cache) or found in the cache.
private struct CachedIdentity {
    var identity: AccountIdentity
    var key: IdentityKey?
    var cached: Range<Int>?
    var encoded: [UInt8]?
}

/// The CRM snapshot: its deals and an index of the accounts they are on.
/// What `Snapshot.load` builds, filled chunk by chunk on one serial queue.
private final class Loading: @unchecked Sendable {
    var snapshot = Snapshot()
    var rowsRead = 0
    var seenIDs = Set<String>()
    var unreadable: [String] = []
    var cacheWriter = IdentityCacheWriter()
    var progress: ((_ checkingEncoding: Bool, _ bytesRead: Int64, _ rows: Int) -> Void)?

    /// Adds one chunk of rows with their identities, in file order.
    func add(_ rows: [MappedRow], _ built: [CachedIdentity], path: String, skipBadRows: Bool, dates: DateParser) {
        var identities: [AccountIdentity] = []
        identities.reserveCapacity(built.count)
        for item in built {
            identities.append(item.identity)
            guard let key = item.key else { continue }
            if let range = item.cached {
                snapshot.identityCacheHits += 1
                cacheWriter.append(key: key, cached: range)
            } else if let encoded = item.encoded {
                cacheWriter.append(key: key, value: encoded)
            }
        }
        for (row, identity) in zip(rows, identities) {
            let at = "\(path): line \(row.line)"
            if let problem = row.problem {
                if Snapshot.cannotBeRead(problem, row: row) {
                    unreadable.append("line \(row.line) (\(describe(problem)))")
                    if skipBadRows {
                        snapshot.warnings.append("\(at): \(describe(problem)); left out (--skip-bad-snapshot-rows): it blocks nothing")
                    }
                    continue
                }
                snapshot.warnings.append("\(at): \(describe(problem)); the row is read as far as possible")
            }
            guard let dealID = row.value("deal_id") else {
                snapshot.warnings.append("\(at): no deal_id; the deal still blocks its account")
                snapshot.add(row: row, dealID: "line-\(row.line)", identity: identity, dates: dates, at: at)
                continue
            }
            if !seenIDs.insert(dealID).inserted {
                snapshot.warnings.append("\(at): deal_id \(dealID) appears more than once")
            }
            snapshot.add(row: row, dealID: dealID, identity: identity, dates: dates, at: at)
        }
        rowsRead += rows.count
    }
}

/// One chunk handed to the serial queue that alone uses it from then on.
private struct ChunkWork: @unchecked Sendable {
    let rows: [MappedRow]
    let built: [CachedIdentity]
}

public struct Snapshot: Sendable {
    public private(set) var deals: [SnapshotDeal] = []
    /// Entry `i` of the index is `deals[i]`.
    public private(set) var index = AccountIndex()
    /// Rows that were read but could not be fully interpreted, as "file: line N: problem".
    public fileprivate(set) var warnings: [String] = []
    /// Snapshot rows whose identity came from the identity cache (not part of any result).
    public fileprivate(set) var identityCacheHits = 0
    /// The SHA-256 of the snapshot file's bytes (lower-case hex), recorded with each night's
    /// decisions so a replay can tell whether it is given the snapshot a night used.
    public fileprivate(set) var sha256 = ""
    /// Dates already parsed while loading, by their text.
    private var parsedDays: [String: Day] = [:]

    /// Adds the ledger's approved and under-review registrations, which block like the CRM's registered deals.
    public mutating func add(ledgerRegistrations: [LedgerRegistration], identities: IdentityBuilder) {
        for registration in ledgerRegistrations {
            let identity = identities.identity(LedgerDesk.fields(registration))
            deals.append(SnapshotDeal(dealID: registration.id, ownerType: .partner, ownerID: registration.partnerID,
                                      status: .registered, expiresOn: registration.expiresOn.flatMap(Day.init(iso:)),
                                      lastActivityOn: nil, line: 0, underReview: registration.status == .underReview))
            index.add(identity)
        }
        index.learnDescriptors()
    }

    /// Active registrations per partner (partner-owned open or registered deals that have not expired).
    public func activeRegistrations(asOf: Day) -> [String: Int] {
        deals.reduce(into: [:]) { counts, deal in
            guard deal.ownerType == .partner, !deal.underReview, deal.isActive(asOf: asOf), let owner = deal.ownerID else { return }
            counts[PartnerDirectory.key(owner), default: 0] += 1
        }
    }

    /// Streams the snapshot file into memory-light deals and their index.
    ///
    /// A row whose status or owner type cannot be read is kept and treated as
    /// an open deal, because missing a blocking deal would approve a duplicate;
    /// it is reported as a warning. A row that cannot be read at all (a quote never closed,
    /// values beyond the header) would not block its account, so it stops the load (exit 65,
    /// every such line listed) unless `skipBadRows`, when it is left out and reported.
    ///
    /// - Parameter progress: called with the bytes of the file read so far, every 64 KiB of the
    ///   first pass (`checkingEncoding` true: the whole file is read once to choose its encoding)
    ///   and after every chunk of rows of the second, with the rows read.
    /// - Parameter identityCache: the identity cache file (see `IdentityCache`): rows whose identity
    ///   fields it holds are not normalized again; it is rewritten with this snapshot's rows only.
    ///   Results are the same with or without it.
    /// - Parameter warn: told (once) why a cache file was ignored, or could not be written.
    public static func load(path: String, policy: Policy, asOf: Day, skipBadRows: Bool = false,
                            threads: Int = ParallelWork.defaultThreads,
                            identityCache cachePath: String? = nil, warn: ((String) -> Void)? = nil,
                            progress: ((_ checkingEncoding: Bool, _ bytesRead: Int64, _ rows: Int) -> Void)? = nil) throws -> Snapshot {
        var checked: Int64 = 0
        var hasher = SHA256()
        let reader = try openTable(path: path, schema: Schemas.snapshot, role: "snapshot") { chunk in
            hasher.update(bufferPointer: chunk)
            checked += Int64(chunk.count)
            progress?(true, checked, 0)
        }
        let loading = Loading()
        loading.progress = progress
        loading.snapshot.sha256 = hex(hasher.finalize())
        let builders = (0..<max(1, threads)).map { _ in IdentityBuilder() }
        let dates = DateParser(order: policy.dateOrder)
        var chunk: [MappedRow] = []
        let cache = cachePath.map { IdentityCache(path: $0) }
        if let warning = cache?.warning { warn?(warning) }
        // Rows are read in chunks whose identities are built (or found in the cache) in parallel;
        // each chunk is then added to the snapshot in file order on a serial queue, while the next
        // chunk is read and built (at most two chunks wait to be added).
        let adding = DispatchQueue(label: "dealreg.snapshot.add")
        let waiting = DispatchSemaphore(value: 2)
        func addChunk() {
            let rows = chunk
            chunk = []
            chunk.reserveCapacity(rows.count)
            let built = ParallelWork.map(rows, workers: builders) { builder, row -> CachedIdentity in
                let fields = accountFields(row)
                guard let cache else { return CachedIdentity(identity: builder.identity(fields)) }
                let key = IdentityCodec.key(fields)
                if let hit = cache.identity(for: key) {
                    return CachedIdentity(identity: hit.identity, key: key, cached: hit.range)
                }
                let identity = builder.identity(fields)
                var encoded: [UInt8] = []
                IdentityCodec.encode(identity, into: &encoded)
                return CachedIdentity(identity: identity, key: key, encoded: encoded)
            }
            let bytesRead = reader.bytesRead
            waiting.wait()
            let work = ChunkWork(rows: rows, built: built)
            adding.async {
                loading.add(work.rows, work.built, path: path, skipBadRows: skipBadRows, dates: dates)
                loading.progress?(false, bytesRead, loading.rowsRead)
                waiting.signal()
            }
        }
        progress?(false, 0, 0)
        do {
            while let row = try readRow(reader, path: path) {
                chunk.append(row)
                // A quarter of the readers' usual chunk: still 16 work units for the threads, and
                // progress told four times as often (about every 0.2 s at 1M deals).
                if chunk.count == ParallelWork.rowsPerChunk / 4 { addChunk() }
            }
            addChunk()
        } catch {
            adding.sync {}
            throw error
        }
        adding.sync {}
        var snapshot = loading.snapshot
        let rowsRead = loading.rowsRead, unreadable = loading.unreadable, cacheWriter = loading.cacheWriter
        snapshot.index.learnDescriptors()
        if !unreadable.isEmpty && !skipBadRows {
            let shown = unreadable.prefix(20).joined(separator: "; ") + (unreadable.count > 20 ? "; and \(unreadable.count - 20) more" : "")
            throw InputError(.invalid, "\(path): \(unreadable.count) deal row\(unreadable.count == 1 ? "" : "s") cannot be read, so "
                + "\(unreadable.count == 1 ? "it" : "they") would block nothing: \(shown). Fix the export, or run with "
                + "--skip-bad-snapshot-rows to go on without \(unreadable.count == 1 ? "it" : "them")")
        }
        // Rewritten unless it holds exactly this snapshot's identities already (bounded: rows gone are evicted).
        if let cache, let cachePath, !(cache.isWarm && snapshot.identityCacheHits == rowsRead && cacheWriter.count == cache.count) {
            do {
                try cacheWriter.write(to: cachePath, cache: cache)
            } catch {
                let reason = (error as? FileError)?.message ?? "\(error)"
                warn?("identity cache \(cachePath): cannot be written (\(reason)); the next run normalizes every row again")
            }
        }
        return snapshot
    }

    /// A quote never closed swallows the lines after it; values beyond the header are shifted:
    /// neither row can be trusted to name its account. (Missing trailing cells are only short.)
    static func cannotBeRead(_ problem: RowProblem, row: MappedRow) -> Bool {
        switch problem {
        case .unterminatedQuote, .tooLong: return true
        case .wrongFieldCount: return !row.extraValues.isEmpty
        case .undecodable: return false
        }
    }

    private static func accountFields(_ row: MappedRow) -> AccountFields {
        AccountFields(name: row.value("account_name"), website: row.value("account_domain"), country: row.value("country"),
                      city: row.value("city"), postalCode: row.value("postal_code"), phone: row.value("phone"),
                      address: row.value("address"))
    }

    fileprivate mutating func add(row: MappedRow, dealID: String, identity: AccountIdentity, dates: DateParser, at: String) {
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
        func day(_ column: String, consequence: String) -> Day? {
            guard let text = row.value(column) else { return nil }
            if let day = parsedDays[text] { return day }
            if case .success(let day) = dates.parse(text) {
                // CRM exports repeat a few thousand dates across millions of rows.
                if parsedDays.count < 100_000 { parsedDays[text] = day }
                return day
            }
            warnings.append("\(at), column \(column): '\(text)' is not a date; \(consequence)")
            return nil
        }
        let expiresOn = day("expires_on", consequence: "the deal is treated as not expiring")
        let activity = day("last_activity_on", consequence: "the deal is treated as recently active")
            ?? day("created_on", consequence: "the deal is treated as recently active")
        if !identity.isUsable { warnings.append("\(at): no account name or domain to match on") }
        deals.append(SnapshotDeal(dealID: dealID, ownerType: ownerType, ownerID: row.value("owner_id"),
                                  status: status, expiresOn: expiresOn, lastActivityOn: activity, line: row.line))
        index.add(identity)
    }
}
