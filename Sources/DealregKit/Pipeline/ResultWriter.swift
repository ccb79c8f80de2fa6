import DealregCSV
import DealregLedger
import DealregPolicy
import DealregReport

/// Pass 2: writes each upload's rows with their decisions, one row at a time as it is decided,
/// to `<stem>.results.csv`, the partners' copies, and the batch-wide approved/declined/review files.
final class ResultWriter {
    private let approved: CSVWriter
    private let declined: CSVWriter
    private let review: CSVWriter
    private let staging: OutputStaging
    /// Whether each upload's share of the batch files is kept for the ledger.
    private let keepsForLedger: Bool

    /// Batch files: where each row came from, the decision, then the upload's canonical columns.
    static let batchColumns = ["source_file"] + ResultRecord.columns + Schemas.upload.fields.map(\.name)

    init(staging: OutputStaging, keepsForLedger: Bool = true) throws {
        self.staging = staging
        self.keepsForLedger = keepsForLedger
        approved = try CSVWriter(path: staging.path(for: "approved.csv"))
        declined = try CSVWriter(path: staging.path(for: "declined.csv"))
        review = try CSVWriter(path: staging.path(for: "review.csv"))
        for writer in [approved, declined, review] { try writer.write(Self.batchColumns) }
    }

    /// A digest of a row's input values, for the audit log.
    static func digest(_ row: MappedRow) -> String {
        sha256Hex(Array(row.fields.joined(separator: "\u{1F}").utf8)).prefix(16).description
    }

    /// What writing one upload produced beyond its results file.
    struct Written {
        /// Where the upload's rows are in approved.csv, declined.csv and review.csv (one stretch of
        /// each, the files' bytes from `offset`), for the ledger to record them as written.
        var batchRows: [String: (offset: UInt64, length: UInt64)] = [:]
        /// Per-partner copies (`STEM.partner-P-….csv`) written for a file holding several partners' rows.
        var partnerCopies: [String] = []
        /// The charset each partner file was written in, by file name.
        var charsets: [String: String] = [:]
    }

    /// Starts one upload's result files; its rows follow, one `write` each, in order as they are
    /// decided, then `finish`.
    ///
    /// - Parameters:
    ///   - header: the upload's header as read.
    ///   - partners: the partners whose rows the upload holds, by id.
    func start(upload: UploadFile, header: [String], partners: [String: Partner]) throws -> UploadResults {
        try UploadResults(writer: self, upload: upload, header: header, partners: partners)
    }

    /// One upload's result files while its rows are written.
    final class UploadResults {
        private let writer: ResultWriter
        private let upload: UploadFile
        private let header: [String]
        private let partners: [String: Partner]
        private let resultsName: String
        private let output: CSVWriter
        private let partnerCopy: CSVWriter
        private let fileLanguage: PartnerLanguage
        private var perPartner: [String: CSVWriter] = [:]
        private var workbooks: [String: XLSXWriter] = [:]
        private var decisions: [String: Int] = [:]
        private var written = Written()
        /// Where the upload's rows start in each batch file.
        private let batchStarts: [String: UInt64]
        /// Rows written so far.
        private(set) var count = 0

        fileprivate init(writer: ResultWriter, upload: UploadFile, header: [String], partners: [String: Partner]) throws {
            let staging = writer.staging
            self.writer = writer
            self.upload = upload
            self.header = header
            self.partners = partners
            batchStarts = Dictionary(uniqueKeysWithValues: writer.batchFiles.map { ($0.name, $0.writer.position) })
            resultsName = "\(upload.stem).results.csv"
            output = try CSVWriter(path: staging.path(for: resultsName))
            try output.write(header + ResultRecord.columns)
            // Partners' files in each partner's dialect: its upload's delimiter and encoding unless
            // partners.csv sets its result_format.
            let formats = Set(partners.values.map { $0.resultFormat ?? .upload })
            // The reason column in each partner's language; the whole-file copy in the language its
            // partners share, else English (column names, decisions and codes are never translated).
            let languages = Set(partners.values.map(\.language))
            fileLanguage = languages.count == 1 ? languages.first! : .english
            partnerCopy = try CSVWriter(path: staging.path(for: "\(upload.stem).partner.csv"),
                                        format: (formats.count == 1 ? formats.first! : .upload).output(for: upload.format))
            try partnerCopy.write(header + ResultRecord.partnerColumns)
            // A file with several partners' rows also gets one copy per partner, so no partner sees another's rows.
            if partners.count > 1 {
                for (id, partner) in partners.sorted(by: { $0.key < $1.key }) {
                    let name = ResultWriter.partnerFileName(upload: upload, partner: id, partnersInUpload: partners.count)
                    written.partnerCopies.append(name)
                    let copy = try CSVWriter(path: staging.path(for: name),
                                             format: (partner.resultFormat ?? .upload).output(for: upload.format))
                    try copy.write(header + ResultRecord.partnerColumns)
                    perPartner[id] = copy
                }
            }
            // Partners who asked for result_format xlsx also get a workbook of the same rows, every cell text.
            for (id, partner) in partners where partner.resultFormat == .xlsx {
                let name = ResultWriter.partnerWorkbookName(upload: upload, partner: id, partnersInUpload: partners.count)
                written.partnerCopies.append(name)
                let workbook = XLSXWriter(path: staging.path(for: name))
                workbook.write(header + ResultRecord.partnerColumns)
                workbooks[id] = workbook
            }
        }

        /// Writes the upload's next row with its decision.
        func write(_ row: MappedRow, _ decided: DecidedRow, summary: inout BatchSummary) throws {
            let result = decided.result
            try output.write(row.fields + result.values)
            try partnerCopy.write(row.fields + result.partnerValues(in: fileLanguage))
            let owner = decided.submission.partner
            if let owner, let copy = perPartner[owner.id] {
                try copy.write(row.fields + result.partnerValues(in: owner.language))
            }
            if partners.count > 1 {
                if let owner { workbooks[owner.id]?.write(row.fields + result.partnerValues(in: owner.language)) }
            } else {
                workbooks.first?.value.write(row.fields + result.partnerValues(in: fileLanguage))
            }
            let canonical = Schemas.upload.fields.map { row.rawValue($0.name) ?? "" }
            try writer.batchFile(for: result.decision).write([upload.name] + result.values + canonical)
            decisions[result.decision.rawValue, default: 0] += 1
            summary.decisions[result.decision.rawValue, default: 0] += 1
            for code in result.reasonCodes { summary.reasonCodes[code.rawValue, default: 0] += 1 }
            let partner = owner?.id ?? decided.submission.partnerID ?? "(none)"
            summary.partners[partner, default: [:]][result.decision.rawValue, default: 0] += 1
            count += 1
        }

        /// Closes the upload's files once its last row is written.
        func finish(summary: inout BatchSummary) throws -> Written {
            let staging = writer.staging
            try output.finish()
            try partnerCopy.finish()
            written.charsets["\(upload.stem).partner.csv"] = partnerCopy.writtenCharset
            for workbook in workbooks.values { try workbook.finish() }
            if writer.keepsForLedger {
                // The upload's rows of the batch files are on disk, for the ledger to read back.
                for (name, batchWriter) in writer.batchFiles {
                    try batchWriter.flushBuffered()
                    let start = batchStarts[name] ?? 0
                    if batchWriter.position > start { written.batchRows[name] = (start, batchWriter.position - start) }
                }
            }
            for (id, copy) in perPartner {
                try copy.finish()
                written.charsets[ResultWriter.partnerFileName(upload: upload, partner: id, partnersInUpload: partners.count)] = copy.writtenCharset
            }
            // How each file was written, for datapackage.json.
            staging.describe(resultsName, as: .csv(output.writtenFormat))
            staging.describe("\(upload.stem).partner.csv", as: .csv(partnerCopy.writtenFormat))
            for (id, copy) in perPartner {
                staging.describe(ResultWriter.partnerFileName(upload: upload, partner: id, partnersInUpload: partners.count),
                                 as: .csv(copy.writtenFormat))
            }
            for id in workbooks.keys {
                staging.describe(ResultWriter.partnerWorkbookName(upload: upload, partner: id, partnersInUpload: partners.count),
                                 as: .xlsx(columns: header + ResultRecord.partnerColumns))
            }
            summary.rows += count
            var file = BatchSummary.FileSummary(
                file: upload.name, results: resultsName, sha256: upload.sha256, encoding: upload.format.encoding.charset,
                delimiter: upload.format.delimiterName, rows: count, blankLinesSkipped: upload.blankLinesSkipped,
                emptyRowsSkipped: upload.emptyRowsSkipped, unmappedColumns: upload.unmappedColumns, decisions: decisions)
            file.encodingEvidence = upload.format.encoding.evidence
            summary.files.append(file)
            return written
        }
    }

    /// A file the ledger already processed: its earlier result files, byte for byte (its
    /// partners' own copies, and its rows of approved/declined/review.csv too), and nothing
    /// registered again.
    func reemit(_ processed: ProcessedFile, upload: UploadFile, owed: [OwedItem], summary: inout BatchSummary) throws {
        try staging.write("\(upload.stem).results.csv", bytes: Array(processed.resultsCSV))
        try staging.write("\(upload.stem).partner.csv", bytes: Array(processed.partnerCSV))
        for item in owed where item.kind == .output { try staging.write(item.name, bytes: Array(item.bytes)) }
        for item in owed where item.kind == .batchRows {
            try batchWriter(named: item.name)?.write(encodedRecords: Array(item.bytes))
        }
        let decisions = ["approved": processed.approved, "declined": processed.declined,
                         "needs_review": processed.needsReview, "needs_info": processed.needsInfo].filter { $0.value > 0 }
        var file = BatchSummary.FileSummary(
            file: upload.name, results: "\(upload.stem).results.csv", sha256: upload.sha256,
            encoding: upload.format.encoding.charset, delimiter: upload.format.delimiterName, rows: processed.rows,
            blankLinesSkipped: upload.blankLinesSkipped, emptyRowsSkipped: upload.emptyRowsSkipped,
            unmappedColumns: upload.unmappedColumns, decisions: decisions)
        file.reemittedFrom = "\(processed.name), processed \(processed.processedOn)"
        summary.files.append(file)
        summary.rows += processed.rows
        for (decision, count) in decisions { summary.decisions[decision, default: 0] += count }
    }

    /// The partner-facing results a partner receives for an upload: the whole partner copy, or
    /// its own rows only when the upload holds several partners' rows.
    static func partnerFileName(upload: UploadFile, partner: String?, partnersInUpload: Int) -> String {
        guard let partner, partnersInUpload > 1 else { return "\(upload.stem).partner.csv" }
        return "\(upload.stem).partner-\(PartnerMail.safe(partner)).csv"
    }

    /// The workbook of a partner whose result_format is xlsx: the partner file's name, `.xlsx`.
    static func partnerWorkbookName(upload: UploadFile, partner: String?, partnersInUpload: Int) -> String {
        String(partnerFileName(upload: upload, partner: partner, partnersInUpload: partnersInUpload).dropLast(".csv".count)) + ".xlsx"
    }

    func finish() throws {
        for writer in [approved, declined, review] { try writer.finish() }
        for (name, writer) in [("approved.csv", approved), ("declined.csv", declined), ("review.csv", review)] {
            staging.describe(name, as: .csv(writer.writtenFormat))
        }
    }

    /// approved.csv, review.csv, or declined.csv for everything returned to the partner (declined and needs_info).
    fileprivate func batchFile(for decision: Decision) -> CSVWriter {
        switch decision {
        case .approved: approved
        case .needsReview: review
        case .declined, .needsInfo: declined
        }
    }

    /// The batch files, by name.
    fileprivate var batchFiles: [(name: String, writer: CSVWriter)] {
        [("approved.csv", approved), ("declined.csv", declined), ("review.csv", review)]
    }

    private func batchWriter(named name: String) -> CSVWriter? {
        switch name {
        case "approved.csv": approved
        case "review.csv": review
        case "declined.csv": declined
        default: nil
        }
    }
}
