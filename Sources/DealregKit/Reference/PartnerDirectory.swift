import Crypto
import DealregRules
import DealregCSV
import DealregIdentity
import DealregPolicy

/// A partner allowed to register deals.
public struct Partner: Sendable, Equatable {
    public var id: String
    public var name: String
    public var tier: String?
    /// ISO 3166-1 alpha-2 countries or ISO 3166-2 subdivisions; empty means unrestricted.
    public var territories: [String]
    public var email: String?
    /// Overrides the policy's cap on active registrations.
    public var maxActive: Int?
    /// How the partner's result files are written; nil: in the dialect of its upload.
    public var resultFormat: ResultFormat? = nil
    /// The `language` column as written (a BCP 47 tag: `de`, `de-AT`, `fr-CA`, `ja`); nil: English.
    public var languageTag: String? = nil

    /// The language of the partner's emails and of the reasons in its result files: the tag's
    /// language when dealreg has text for it (`de-AT` → German), else English (`pt` → English).
    public var language: PartnerLanguage { languageTag.flatMap(PartnerLanguage.init(tag:)) ?? .english }

    /// What the rules need to know of the partner.
    public var terms: PartnerTerms { PartnerTerms(id: id, tier: tier, territories: territories, maxActive: maxActive) }
}

/// The `result_format` column of partners.csv: how a partner's result files are written.
public enum ResultFormat: String, Sendable, CaseIterable {
    /// The delimiter and encoding of the partner's upload (the default).
    case upload
    /// UTF-8 with a byte-order mark, comma-separated.
    case csv
    /// UTF-8 with a byte-order mark, semicolon-separated (Excel in much of Europe).
    case csvSemicolon = "csv-semicolon"
    /// UTF-8 with a byte-order mark, tab-separated.
    case csvTab = "csv-tab"
    /// The CSV in the upload's dialect, and an Excel workbook of the same rows with every cell
    /// text (no formulas, leading zeros kept), which its email attaches instead.
    case xlsx

    /// The format of a partner file for an upload read in `uploadFormat`.
    public func output(for uploadFormat: CSVFormat) -> CSVOutputFormat {
        switch self {
        case .upload, .xlsx: CSVOutputFormat(matching: uploadFormat)
        case .csv: .standard
        case .csvSemicolon: CSVOutputFormat(delimiter: UInt8(ascii: ";"), charset: "UTF-8")
        case .csvTab: CSVOutputFormat(delimiter: UInt8(ascii: "\t"), charset: "UTF-8")
        }
    }
}

/// The partner list, looked up by ID case-insensitively.
public struct PartnerDirectory: Sendable {
    private var byKey: [String: Partner] = [:]
    /// The SHA-256 of the partner list's bytes (lower-case hex) when loaded from a file, recorded
    /// with each night's decisions so a replay can tell whether it is given the list a night used.
    public private(set) var sha256: String?

    public init(_ partners: [Partner]) {
        for partner in partners { byKey[Self.key(partner.id)] = partner }
    }

    public func partner(_ id: String) -> Partner? { byKey[Self.key(id)] }
    public var count: Int { byKey.count }
    /// Every partner, by id.
    public var all: [Partner] { byKey.values.sorted { $0.id < $1.id } }

    static func key(_ id: String) -> String { PartnerTerms.key(id) }

    /// Loads `partners.csv`. Every problem is reported at once; any problem stops the batch,
    /// because decisions depend on this file being right.
    public static func load(path: String) throws -> PartnerDirectory {
        var hasher = SHA256()
        let reader = try openTable(path: path, schema: Schemas.partners, role: "partners file") { hasher.update(bufferPointer: $0) }
        var partners: [Partner] = []
        var problems: [String] = []
        var seen: [String: Int] = [:]
        while let row = try readRow(reader, path: path) {
            let at = "\(path): line \(row.line)"
            if let problem = row.problem { problems.append("\(at): \(describe(problem))"); continue }
            guard let id = row.value("partner_id"), let name = row.value("name") else {
                problems.append("\(at): partner_id and name are required")
                continue
            }
            // A repeated id is reported, and the rest of its row still checked: every problem at once.
            let repeated = seen[key(id)]
            if let first = repeated {
                problems.append("\(at): partner_id '\(id)' is listed twice (first on line \(first))")
            } else {
                seen[key(id)] = row.line
            }
            var territories: [String] = []
            for item in (row.value("territories") ?? "").split(whereSeparator: { $0 == ";" || $0 == "," }) {
                let text = String(item).trimmingWhitespace()
                guard !text.isEmpty else { continue }
                if let territory = Territory.parse(text) {
                    territories.append(territory)
                } else {
                    problems.append("\(at), column territories: '\(text)' is not an ISO 3166-1 country or ISO 3166-2 subdivision code (e.g. DE, US-CA)")
                }
            }
            var maxActive: Int?
            if let text = row.value("max_active") {
                if let number = Int(text), number >= 0 { maxActive = number } else {
                    problems.append("\(at), column max_active: '\(text)' is not a whole number ≥ 0")
                }
            }
            var email: String?
            if let text = row.value("email") {
                if case .success = EmailAddress.parse(text) { email = text } else {
                    problems.append("\(at), column email: '\(text)' is not an email address")
                }
            }
            var resultFormat: ResultFormat?
            if let text = row.value("result_format") {
                if let format = ResultFormat(rawValue: text.trimmingWhitespace().lowercased()) { resultFormat = format } else {
                    problems.append("\(at), column result_format: '\(text)' is not one of "
                        + ResultFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            var languageTag: String?
            if let text = row.value("language") {
                // A tag that is not one (a typo, a language's name) would silently mean English mail: a problem.
                // A well-formed tag of a language without text (pt, it-CH) is English by design.
                if PartnerLanguage(tag: text) != nil { languageTag = text.trimmingWhitespace() } else {
                    problems.append("\(at), column language: '\(text)' is not a BCP 47 language tag (e.g. en, de, de-AT, fr-CA, es, ja)")
                }
            }
            guard repeated == nil else { continue }
            partners.append(Partner(id: id, name: name, tier: row.value("tier"), territories: territories,
                                    email: email, maxActive: maxActive, resultFormat: resultFormat, languageTag: languageTag))
        }
        guard problems.isEmpty else {
            throw InputError(.invalid, problems.count == 1 ? problems[0]
                                : "\(path): \(problems.count) problems:\n" + problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        var directory = PartnerDirectory(partners)
        directory.sha256 = hex(hasher.finalize())
        return directory
    }
}

/// ISO 3166-1 countries and ISO 3166-2 subdivisions as territory codes.
public enum Territory {
    /// "de" → "DE", "US-CA" → "US-CA", "Germany" → "DE"; nil when not a territory.
    public static func parse(_ text: String) -> String? {
        let upper = text.trimmingWhitespace().uppercased()
        let parts = upper.split(separator: "-", maxSplits: 1)
        if parts.count == 2, parts[1].count >= 1, parts[1].count <= 3, parts[1].allSatisfy({ $0.isLetter || $0.isNumber }),
           let country = CountryResolver.shared.resolve(String(parts[0])), parts[0].count == 2 {
            return "\(country)-\(parts[1])"
        }
        return CountryResolver.shared.resolve(text)
    }
}

/// Opens a reference table, turning failures into batch-stopping errors that name the file.
func openTable(path: String, schema: TableSchema, role: String,
               observe: (UnsafeRawBufferPointer) -> Void = { _ in }) throws -> TableReader {
    let reader: TableReader
    do {
        reader = try TableReader(path: path, schema: schema, observe: observe)
    } catch let error as FileError {
        throw InputError(.unreadable, "\(error.path): \(error.message)")
    } catch {
        throw InputError(.unreadable, "\(path): cannot read \(role): \(error)")
    }
    if !reader.mapping.missingRequired.isEmpty {
        let found = reader.header.isEmpty ? "the file is empty" : "found: \(LogText.columns(reader.header, limit: 20))"
        throw InputError(.invalid, "\(path): the \(role) lacks required column\(reader.mapping.missingRequired.count > 1 ? "s" : "") "
                            + reader.mapping.missingRequired.joined(separator: ", ") + " (\(found))")
    }
    return reader
}

/// The next row, with read failures turned into errors that name the file and line.
func readRow(_ reader: TableReader, path: String) throws -> MappedRow? {
    do {
        return try reader.next()
    } catch let error as CSVReadError {
        throw InputError(.invalid, "\(path): \(error)")
    } catch let error as FileError {
        throw InputError(.unreadable, "\(error.path): \(error.message)")
    }
}

func describe(_ problem: RowProblem) -> String {
    switch problem {
    case .unterminatedQuote: return "a quoted value is never closed"
    case .tooLong(let limit): return "the line is longer than \(limit >> 20) MiB and was not read"
    case .undecodable(let column): return "column \(column) holds bytes that are not text in the file's encoding"
    case .wrongFieldCount(let expected, let found): return "\(found) values but the header has \(expected) columns"
    }
}
