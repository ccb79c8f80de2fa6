@testable import DealregCSV
import Foundation
import Testing

@Suite("Encodings and dialects")
struct EncodingTests {
    private func readAll(_ bytes: [UInt8], encoding: String? = nil) throws -> (CSVFormat, [CSVRecord]) {
        let path = try temporaryFile(bytes)
        let format = try CSVFile.detectFormat(path: path, encoding: encoding)
        let reader = try CSVFile.open(path: path, format: format)
        var out: [CSVRecord] = []
        while let record = try reader.next() { out.append(record) }
        return (format, out)
    }

    private let text = "account_name;city\r\nMüller GmbH;München\r\nCafé Crème SARL;Liège\r\n"

    @Test func plainASCIIIsUTF8() throws {
        let (format, rows) = try readAll(Array("a,b\n1,2\n".utf8))
        #expect(format.encoding.charset == "UTF-8")
        #expect(format.encoding.evidence == "valid UTF-8")
        #expect(rows.count == 2)
    }

    @Test func utf8WithBOM() throws {
        let (format, rows) = try readAll([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(format.encoding.charset == "UTF-8")
        #expect(format.encoding.signatureLength == 3)
        #expect(rows[0].fields == ["account_name", "city"])
        #expect(rows[1].fields == ["Müller GmbH", "München"])
    }

    @Test func utf16LittleEndianWithBOM() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + encode(text.replacingOccurrences(of: ";", with: "\t"), .utf16LittleEndian)
        let (format, rows) = try readAll(bytes)
        #expect(format.encoding.charset == "UTF-16LE")
        #expect(format.delimiterName == "tab")
        #expect(rows[2].fields == ["Café Crème SARL", "Liège"])
    }

    @Test func utf16BigEndianWithBOM() throws {
        let (format, rows) = try readAll([0xFE, 0xFF] + encode(text, .utf16BigEndian))
        #expect(format.encoding.charset == "UTF-16BE")
        #expect(rows[1].fields == ["Müller GmbH", "München"])
    }

    @Test func windows1252WithSemicolons() throws {
        let source = text + "Fabrikam “Quotes” €;Köln\r\n"
        let (format, rows) = try readAll(encode(source, .windowsCP1252))
        #expect(format.encoding.charset == "windows-1252")
        #expect(format.delimiterName == "semicolon")
        #expect(rows[1].fields == ["Müller GmbH", "München"])
        #expect(rows[3].fields == ["Fabrikam “Quotes” €", "Köln"])
        #expect(rows.allSatisfy { $0.problem == nil })
    }

    @Test func latin1IsReadAsWindows1252() throws {
        let (format, rows) = try readAll(encode(text, .isoLatin1))
        #expect(format.encoding.charset == "windows-1252")
        #expect(rows[2].fields == ["Café Crème SARL", "Liège"])
    }

    // Issue 12, case 3: one bad byte, Western text ICU takes for Central European, UTF-16 without a BOM.

    @Test func utf8WithOneBadByteStaysUTF8AndFlagsOnlyThatRow() throws {
        var bytes = Array("account_name,city\r\n".utf8)
        for number in 0..<200 { bytes += Array("Müller \(number) GmbH,München\r\n".utf8) }
        bytes += Array("Bad ".utf8) + [0xFF] + Array(" Row,Köln\r\n".utf8)
        let (format, rows) = try readAll(bytes)
        #expect(format.encoding.charset == "UTF-8")
        #expect(format.encoding.evidence.hasPrefix("UTF-8 with 1 undecodable byte sequence"), "\(format.encoding.evidence)")
        #expect(rows[1].fields == ["Müller 0 GmbH", "München"])
        #expect(rows.dropLast().allSatisfy { $0.problem == nil })
        #expect(rows.last?.problem == .undecodable(column: 0))
    }

    @Test(arguments: [
        "account_name;city\r\nCafé Crème SARL;Liège\r\nBrasserie Noël;Besançon\r\nHôtel Château;Orléans\r\n",
        // ICU 72 ranks ISO-8859-2 first for these two ("Mčre", "Brűlée").
        "account_name,city\r\nMère Ère,Maïs\r\nBrûlée Lièvre,Château\r\nÈre Père,Ère\r\n",
        "account_name,city\r\nÈre Cèdre,Crème\r\nChâteau Frère,Mère\r\nLiège Maïs,Ère\r\nChâteau Noël,Mère\r\n",
    ])
    func westernTextIsReadAsWindows1252(_ source: String) throws {
        let (format, rows) = try readAll(encode(source, .windowsCP1252))
        #expect(format.encoding.charset == "windows-1252", "\(format.encoding.evidence)")
        #expect(rows.allSatisfy { $0.problem == nil })
        #expect(rows[1].fields == source.components(separatedBy: "\r\n")[1].components(separatedBy: source.contains(";") ? ";" : ","))
    }

    @Test func centralEuropeanTextStaysCentralEuropean() throws {
        let source = "account_name;city\r\nŠkoda Auto a.s.;Mladá Boleslav\r\nŽabka Polska sp. z o.o.;Poznań\r\nPřerovské strojírny;Přerov\r\n"
        let (format, rows) = try readAll(encode(source, .isoLatin2))
        #expect(["ISO-8859-2", "windows-1250"].contains(format.encoding.charset), "\(format.encoding)")
        #expect(rows[1].fields == ["Škoda Auto a.s.", "Mladá Boleslav"])
    }

    @Test(arguments: [(String.Encoding.utf16LittleEndian, "UTF-16LE"), (.utf16BigEndian, "UTF-16BE")])
    func utf16WithoutBOM(_ encoding: String.Encoding, _ charset: String) throws {
        let (format, rows) = try readAll(encode(text, encoding))
        #expect(format.encoding.charset == charset)
        #expect(rows[1].fields == ["Müller GmbH", "München"])
        #expect(rows.allSatisfy { $0.problem == nil && !$0.fields.joined().contains("\0") })
    }

    @Test func shiftJISFile() throws {
        let source = "account_name,city\r\nソニー株式会社,東京都港区\r\nトヨタ自動車株式会社,愛知県豊田市\r\n株式会社日立製作所,東京都千代田区\r\n"
        let (format, rows) = try readAll(encode(source, .shiftJIS))
        #expect(format.encoding.charset == "Shift_JIS")
        #expect(rows[1].fields == ["ソニー株式会社", "東京都港区"])
        #expect(rows[3].fields == ["株式会社日立製作所", "東京都千代田区"])
    }

    @Test func encodingOverride() throws {
        let (format, rows) = try readAll(encode(text, .windowsCP1252), encoding: "ISO-8859-1")
        #expect(format.encoding.evidence == "--encoding")
        #expect(rows[1].fields[0] == "Müller GmbH")
    }

    @Test func unknownEncodingOverrideIsAnError() throws {
        #expect(throws: EncodingError.unknownCharset("klingon-8")) {
            _ = try readAll(Array("a\n".utf8), encoding: "klingon-8")
        }
    }

    @Test func wrongOverrideYieldsRowProblemsNotCrashes() throws {
        let (_, rows) = try readAll(encode(text, .windowsCP1252), encoding: "UTF-8")
        #expect(rows[1].problem == .undecodable(column: 0))
        #expect(rows[0].problem == nil)
    }

    @Test func utf8ValidatorAcrossChunkBoundaries() {
        let bytes = Array("aé€😀ソ".utf8)
        for split in 0...bytes.count {
            var validator = UTF8StreamValidator()
            validator.feed(bytes[0..<split])
            validator.feed(bytes[split...])
            let valid = validator.finish()
            #expect(valid, "split at \(split)")
        }
        var broken = UTF8StreamValidator()
        broken.feed([0x61, 0xE2, 0x82])
        let valid = broken.finish()
        #expect(!valid)
    }

    @Test(arguments: [
        ("a,b,c\n", ","), ("a;b;c\n", ";"), ("a\tb\tc\n", "\t"), ("a|b\n", "|"),
        ("\"x;y\",b,c\n", ","), ("single\n", ","), ("\n\nname;city\n", ";"), ("a,b;c;d\n", ";"),
    ])
    func sniffsDelimiter(_ header: String, _ expected: String) {
        #expect(DelimiterSniffer.sniff(Array(header.utf8)) == Character(expected).asciiValue!)
    }
}
