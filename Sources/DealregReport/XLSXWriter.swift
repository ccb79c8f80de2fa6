import DealregCSV

/// Writes a one-sheet Excel workbook (.xlsx, Office Open XML) in which every cell is text:
/// an inline string in a cell formatted `@`. Nothing can run as a formula, `+1 425 555 0100`
/// stays a phone number and `02134` keeps its leading zero, with no apostrophe guard.
///
/// The workbook is a zip archive of six small XML parts, stored (not compressed) with fixed
/// timestamps, so the same rows give the same bytes. Rows are kept in memory until `finish()`:
/// this is for partner files, not the batch-wide ones.
public final class XLSXWriter {
    public let path: String
    private var sheet: [UInt8] = []
    private var rowCount = 0

    public static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public init(path: String) {
        self.path = path
    }

    /// Appends one row.
    public func write<C: Collection<String>>(_ fields: C) {
        rowCount += 1
        sheet += Array("<row r=\"\(rowCount)\">".utf8)
        for (index, field) in fields.enumerated() {
            sheet += Array("<c r=\"\(Self.column(index))\(rowCount)\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">".utf8)
            Self.appendEscaped(field, to: &sheet)
            sheet += Array("</t></is></c>".utf8)
        }
        sheet += Array("</row>".utf8)
    }

    /// Writes the workbook.
    public func finish() throws {
        let worksheet = Array(Self.xmlHeader.utf8)
            + Array("<worksheet xmlns=\"\(Self.mainNamespace)\"><sheetData>".utf8) + sheet
            + Array("</sheetData></worksheet>".utf8)
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", Array(Self.contentTypes.utf8))
        zip.add("_rels/.rels", Array(Self.packageRelationships.utf8))
        zip.add("xl/workbook.xml", Array(Self.workbook.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(Self.workbookRelationships.utf8))
        zip.add("xl/styles.xml", Array(Self.styles.utf8))
        zip.add("xl/worksheets/sheet1.xml", worksheet)
        try PrivateFiles.write(zip.finish(), to: path)
    }

    /// "A", "B", …, "Z", "AA", …
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// XML text: `& < > "` escaped; characters XML 1.0 cannot hold (C0 controls but TAB, LF, CR) dropped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += Array("&amp;".utf8)
            case "<": out += Array("&lt;".utf8)
            case ">": out += Array("&gt;".utf8)
            case "\"": out += Array("&quot;".utf8)
            case "\t", "\n", "\r": out += Array(String(scalar).utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out += Array(String(scalar).utf8)
            }
        }
    }

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let contentTypes = xmlHeader
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        + "</Types>"
    static let packageRelationships = xmlHeader
        + "<Relationships xmlns=\"\(relationshipNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"
    static let workbook = xmlHeader
        + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        + "<sheets><sheet name=\"Results\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    static let workbookRelationships = xmlHeader
        + "<Relationships xmlns=\"\(relationshipNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        + "</Relationships>"
    /// Style 1 is the Text number format (`@`, id 49): what a partner types into a cell stays text too.
    static let styles = xmlHeader
        + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"
}

/// A zip archive of stored (uncompressed) entries with fixed timestamps (1980-01-01), enough for
/// an .xlsx: local headers, the central directory and its end record (APPNOTE 4.3).
struct ZipArchive {
    private var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    mutating func add(_ name: String, _ data: [UInt8]) {
        let offset = bytes.count
        let crc = Self.crc32(data)
        let nameBytes = Array(name.utf8)
        bytes += Self.le32(0x0403_4B50) + Self.le16(20) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0x21)
            + Self.le32(crc) + Self.le32(UInt32(data.count)) + Self.le32(UInt32(data.count))
            + Self.le16(UInt16(nameBytes.count)) + Self.le16(0) + nameBytes + data
        central += Self.le32(0x0201_4B50) + Self.le16(20) + Self.le16(20) + Self.le16(0) + Self.le16(0) + Self.le16(0)
            + Self.le16(0x21) + Self.le32(crc) + Self.le32(UInt32(data.count)) + Self.le32(UInt32(data.count))
            + Self.le16(UInt16(nameBytes.count)) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0)
            + Self.le32(0) + Self.le32(UInt32(offset)) + nameBytes
        count += 1
    }

    func finish() -> [UInt8] {
        bytes + central + Self.le32(0x0605_4B50) + Self.le16(0) + Self.le16(0) + Self.le16(UInt16(count))
            + Self.le16(UInt16(count)) + Self.le32(UInt32(central.count)) + Self.le32(UInt32(bytes.count)) + Self.le16(0)
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }

    /// CRC-32 (IEEE 802.3, reflected, as zip uses it).
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
