import DealregPolicy

/// Everything `dealreg run` needs, as plain values.
public struct RunConfiguration: Sendable {
    public var snapshotPath: String
    public var partnersPath: String
    public var policyPath: String?
    /// "Today" for expiry and close-date checks.
    public var asOf: Day
    public var outputDirectory: String
    /// Upload files in the order given; this is the batch's file order.
    public var uploads: [String]
    /// Overrides encoding detection for the uploads.
    public var encoding: String?
    /// The persistent ledger (SQLite); nil runs without one.
    public var ledgerPath: String?
    /// Who the audit log names for this run's decisions.
    public var actor = "batch"
    /// Seconds to wait for another batch on the same ledger to finish.
    public var lockTimeout: Double = 0
    /// False when the caller already holds the ledger's batch lock.
    public var takesLock = true
    /// Where result emails are written as `.eml` files; nil writes none.
    public var outbox: String?
    /// A folder of Mustache templates replacing the shipped ones.
    public var templatesFolder: String?
    /// Deliver the outbox through the policy's sendmail command after writing it.
    public var send = false
    /// Go on without snapshot rows that cannot be read (each reported), instead of stopping:
    /// such a row does not block its account.
    public var skipBadSnapshotRows = false
    /// Threads for building identities and matching; results are identical for any count.
    public var threads = ParallelWork.defaultThreads
    /// The identity cache file (`IdentityCache`), read and rewritten with the snapshot; nil runs without one.
    public var identityCachePath: String?

    public init(snapshotPath: String, partnersPath: String, policyPath: String? = nil, asOf: Day,
                outputDirectory: String, uploads: [String], encoding: String? = nil, ledgerPath: String? = nil) {
        self.snapshotPath = snapshotPath
        self.partnersPath = partnersPath
        self.policyPath = policyPath
        self.asOf = asOf
        self.outputDirectory = outputDirectory
        self.uploads = uploads
        self.encoding = encoding
        self.ledgerPath = ledgerPath
    }
}

/// Where a running batch is, for a progress line: reported as each phase starts, then every
/// few thousand rows (or 64 KiB chunk) of its work, never per row.
///
/// `done` of `total` is measured in `unit`: bytes read of the files a phase reads (the snapshot;
/// the uploads, when reading them and again when writing their results), rows for deciding,
/// which reads nothing. `total` is 0 when the phase has nothing to measure.
public struct RunProgress: Sendable {
    public enum Phase: String, Sendable { case snapshot, reading, deciding, writing, done }
    public enum Unit: String, Sendable { case bytes, rows }
    public var phase: Phase
    public var filesDone: Int
    public var filesTotal: Int
    /// Upload rows read so far (the snapshot's rows while loading it).
    public var rows: Int
    /// A step within the phase: "checking encoding" (the snapshot's first pass); deciding's
    /// "matching" (every row scored against the snapshot, in parallel, as the uploads are read:
    /// told once done) and "fitting the model". The rows are then decided in order as they are
    /// written: the writing phase.
    public var step: String?
    public var done: Int64
    public var total: Int64
    public var unit: Unit

    public init(phase: Phase, filesDone: Int, filesTotal: Int, rows: Int, step: String? = nil,
                done: Int64 = 0, total: Int64 = 0, unit: Unit = .bytes) {
        self.phase = phase
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.rows = rows
        self.step = step
        self.done = done
        self.total = total
        self.unit = unit
    }

    /// `done` as a share of `total`, 0...1, or nil when there is no total.
    public var fraction: Double? { total > 0 ? min(1, Double(done) / Double(total)) : nil }
}

/// The version printed by `dealreg --version` and recorded in every summary.
public enum DealregVersion {
    public static let current = "0.1.0"
}
