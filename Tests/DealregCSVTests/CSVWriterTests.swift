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
                      " =1+1", "  +1", "\u{00A0}=1+1", "＝1+1", "＋SUM(A1)", "\u{3000}=1", "\n=1+1", "\u{FEFF}@x"])
    func neutralizesFormulas(_ cell: String) throws {
        let bytes = try written([[cell]])
        let back = try records(Array(bytes.dropFirst(3)))
        #expect(back[0].fields == ["'" + cell])
    }

    @Test(arguments: ["Fourth Coffee", " plain", "\u{00A0}Müller", "1 = 1", "a+b", "x=1", "東京=1"])
    func leavesOrdinaryTextAlone(_ cell: String) throws {
        let bytes = try written([[cell]])
        #expect(try records(Array(bytes.dropFirst(3)))[0].fields == [cell])
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
