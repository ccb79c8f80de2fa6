import Foundation

/// `summary.json`: what a batch did, in counts. Deterministic: no wall-clock times.
public struct BatchSummary: Codable, Sendable, Equatable {
    public struct FileSummary: Codable, Sendable, Equatable {
        public var file: String
        public var results: String
        public var sha256: String
        public var encoding: String
        public var delimiter: String
        public var rows: Int
        public var blankLinesSkipped: Int
        public var emptyRowsSkipped: Int
        public var unmappedColumns: [String]
        public var decisions: [String: Int]
        /// Set when the ledger had already processed this content: results re-emitted, nothing registered again.
        public var reemittedFrom: String?
        /// How the encoding was chosen, with the detector's confidence ("valid UTF-8", "detected (confidence 62)").
        public var encodingEvidence: String?

        enum CodingKeys: String, CodingKey {
            case file, results, sha256, encoding, delimiter, rows, decisions
            case reemittedFrom = "reemitted_from", encodingEvidence = "encoding_evidence"
            case blankLinesSkipped = "blank_lines_skipped"
            case emptyRowsSkipped = "empty_rows_skipped"
            case unmappedColumns = "unmapped_columns"
        }

        public init(file: String, results: String, sha256: String, encoding: String, delimiter: String,
                    rows: Int, blankLinesSkipped: Int, emptyRowsSkipped: Int, unmappedColumns: [String],
                    decisions: [String: Int]) {
            self.file = file
            self.results = results
            self.sha256 = sha256
            self.encoding = encoding
            self.delimiter = delimiter
            self.rows = rows
            self.blankLinesSkipped = blankLinesSkipped
            self.emptyRowsSkipped = emptyRowsSkipped
            self.unmappedColumns = unmappedColumns
            self.decisions = decisions
        }
    }

    public var asOf: String
    public var policyVersion: String
    public var dealregVersion: String
    public var icuVersion: String
    public var rows: Int
    public var decisions: [String: Int]
    public var reasonCodes: [String: Int]
    public var partners: [String: [String: Int]]
    public var files: [FileSummary]
    public var snapshotDeals: Int
    public var snapshotBlockingDeals: Int
    public var snapshotWarnings: [String]
    /// Result emails written to the outbox.
    public var messages: [String] = []
    /// Partners of the partner list with rows in this batch but no email address: not notified.
    public var notNotified: [String] = []
    /// Partner ids of this batch's rows that the partner list does not know (their rows are
    /// declined as unknown_partner, and nobody can be emailed), by id or position.
    public var unknownPartners: [String] = []

    enum CodingKeys: String, CodingKey {
        case rows, decisions, partners, files, messages
        case notNotified = "not_notified"
        case unknownPartners = "unknown_partners"
        case asOf = "as_of"
        case policyVersion = "policy_version"
        case dealregVersion = "dealreg_version"
        case icuVersion = "icu_version"
        case reasonCodes = "reason_codes"
        case snapshotDeals = "snapshot_deals"
        case snapshotBlockingDeals = "snapshot_blocking_deals"
        case snapshotWarnings = "snapshot_warnings"
    }

    public init(asOf: String, policyVersion: String, dealregVersion: String, icuVersion: String) {
        self.asOf = asOf
        self.policyVersion = policyVersion
        self.dealregVersion = dealregVersion
        self.icuVersion = icuVersion
        rows = 0
        decisions = [:]
        reasonCodes = [:]
        partners = [:]
        files = []
        snapshotDeals = 0
        snapshotBlockingDeals = 0
        snapshotWarnings = []
    }

    /// Pretty JSON with sorted keys, so reruns are byte-identical.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }
}
