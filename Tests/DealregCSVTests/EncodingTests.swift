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
