import CSV
import DealregCSV
import Foundation
import Testing

@Suite("CSV writer and differential checks")
struct CSVWriterTests {
    private func written(_ rows: [[String]], neutralize: Bool = true) throws -> [UInt8] {
        let path = try temporaryFile([], name: "out.csv")
        let writer = try CSVWriter(path: path, neutralizeFormulas: neutralize)
        for row in rows { try writer.write(row) }
        try writer.finish()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func writesBOMCRLFAndMinimalQuotes() throws {
        let bytes = try written([["name", "note"], ["Fourth Coffee, Inc.", "say \"hi\""], ["plain", "two\nlines"]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "name,note\r\n\"Fourth Coffee, Inc.\",\"say \"\"hi\"\"\"\r\nplain,\"two\nlines\"\r\n")
    }

    @Test(arguments: ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1",
                      // Issue 12, case 11: after spaces spreadsheets skip, and full-width.
                      " =1+1", "  +1+1", "\u{00A0}=1+1", "＝1+1", "＋SUM(A1)", "\u{3000}=1", "\n=1+1", "\u{FEFF}@x",
                      // Issue 15: '@' before a name is still neutralised on output; a sign before letters too.
                      "@Home Networks Inc", "+cmd|' /C calc'!A0", "-A1", "\r=1", "+1 425 555 0100 x12"])
    func neutralizesFormulas(_ cell: String) throws {
        let bytes = try written([[cell]])
        let back = try records(Array(bytes.dropFirst(3)))
        #expect(back[0].fields == ["'" + cell])
    }

    @Test(arguments: ["Fourth Coffee", " plain", "\u{00A0}Müller", "1 = 1", "a+b", "x=1", "東京=1",
                      // Issue 15: numbers and phone numbers stay readable; they reach no cell or function.
                      "+1 425 555 0100", "+49 (0)89 1234-567", "-12.50", "-", "  +1", "+33 1.23.45.67.89", "−5"])
    func leavesOrdinaryTextAlone(_ cell: String) throws {
        let bytes = try written([[cell]])
        #expect(try records(Array(bytes.dropFirst(3)))[0].fields == [cell])
    }

    /// Issue 15: a partner's file in its upload's dialect — here `;` and Windows-1252 — reads
    /// back in that dialect into the same columns.
    @Test func writesWindows1252WithSemicolons() throws {
        let path = try temporaryFile([], name: "out.csv")
        let writer = try CSVWriter(path: path, format: CSVOutputFormat(delimiter: UInt8(ascii: ";"), charset: "windows-1252"))
        let rows = [["Firma", "Ort", "reason_codes"], ["Müller Maschinenbau GmbH", "München", "invalid_value;unknown_partner"],
                    ["Bäckerei Schäfer KG", "Köln", "@Home"]]
        for row in rows { try writer.write(row) }
        try writer.finish()
        #expect(writer.writtenCharset == "windows-1252")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.first == UInt8(ascii: "F"))  // no byte-order mark
        #expect(bytes.contains(0xFC) && !bytes.contains(0xC3))  // ü as one Windows-1252 byte, not UTF-8
        let format = try CSVFile.detectFormat(path: path)
        #expect(format.encoding.charset == "windows-1252" && format.delimiter == UInt8(ascii: ";"))
        let reader = try CSVFile.open(path: path, format: format)
        var back: [[String]] = []
        while let record = try reader.next() { back.append(record.fields) }
        #expect(back == [rows[0], rows[1], ["Bäckerei Schäfer KG", "Köln", "'@Home"]])
    }

    /// Text the charset cannot hold (Polish ł, Japanese) goes out as UTF-8 with a byte-order
    /// mark, keeping the delimiter; UTF-16 keeps its own byte-order mark.
    @Test(arguments: [("windows-1252", "Łódź Sp. z o.o.", "UTF-8"), ("Shift_JIS", "株式会社さくら食品", "Shift_JIS"),
                      ("Shift_JIS", "Müller €", "UTF-8"), ("UTF-16LE", "Łódź 株式会社 😀", "UTF-16LE")])
    func fallsBackToUTF8WhenTheCharsetCannotHoldTheText(_ charset: String, _ name: String, _ expected: String) throws {
        let path = try temporaryFile([], name: "out.csv")
        let writer = try CSVWriter(path: path, format: CSVOutputFormat(delimiter: UInt8(ascii: ";"), charset: charset))
        try writer.write(["name", "note"])
        try writer.write([name, "a;b"])
        try writer.finish()
        #expect(writer.writtenCharset == expected)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        switch expected {
        case "UTF-8": #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        case "UTF-16LE": #expect(Array(bytes.prefix(2)) == [0xFF, 0xFE])
        default: #expect(bytes.first == UInt8(ascii: "n"))
        }
        let format = try CSVFile.detectFormat(path: path)
        #expect(format.delimiter == UInt8(ascii: ";"))
        let reader = try CSVFile.open(path: path, format: format)
        var back: [[String]] = []
        while let record = try reader.next() { back.append(record.fields) }
        #expect(back == [["name", "note"], [name, "a;b"]])
    }

    @Test func leavesFormulasAloneWhenAsked() throws {
        let bytes = try written([["=1+1"]], neutralize: false)
        #expect(try records(Array(bytes.dropFirst(3)))[0].fields == ["=1+1"])
    }

    /// Property: writing then reading is the identity (seeded, so a failure is reproducible).
    @Test func roundTripIsIdentity() throws {
        var rng = SeededGenerator(seed: 20261123)
        for iteration in 0..<200 {
            let rows = randomTable(&rng, allowFormulaStarts: false)
            let bytes = try written(rows)
            for chunk in [1, 3, 4096] {
                let back = try records(Array(bytes.dropFirst(3)), chunk: chunk, readSize: 16)
                #expect(back.map(\.fields) == rows, "iteration \(iteration), chunk \(chunk)")
            }
        }
    }

    /// Differential: our byte-level reader agrees with CSV.swift on RFC 4180 input.
    @Test func agreesWithCSVSwift() throws {
        var rng = SeededGenerator(seed: 4180)
        for iteration in 0..<300 {
            let rows = randomTable(&rng, allowFormulaStarts: true)
            let newline = ["\n", "\r\n"].randomElement(using: &rng)!
            let text = rows.map { $0.map(quoteIfNeeded).joined(separator: ",") }.joined(separator: newline) + newline
            let ours = try records(text).map(\.fields)
            let reference = try CSVReader(string: text)
            var theirs: [[String]] = []
            while let row = reference.next() { theirs.append(row) }
            #expect(ours == theirs, "iteration \(iteration): \(text.debugDescription)")
        }
    }

    private func quoteIfNeeded(_ field: String) -> String {
        field.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) || field.isEmpty
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    private func randomTable(_ rng: inout SeededGenerator, allowFormulaStarts: Bool) -> [[String]] {
        let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r\n", "é", "ソ", "😀", ";", "\t", "x", "y", "'"]
        let columns = Int.random(in: 1...5, using: &rng)
        return (0..<Int.random(in: 1...6, using: &rng)).map { _ in
            (0..<columns).map { column in
                var field = (0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                if !allowFormulaStarts, let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                    field = "k" + field
                }
                // A lone empty field would be a blank line, which readers skip by design.
                if columns == 1 && field.isEmpty || column == 0 && field.hasPrefix("\r") { field = "v" + field }
                return field
            }
        }
    }
}
