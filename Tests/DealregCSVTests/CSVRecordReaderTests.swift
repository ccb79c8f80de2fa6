import DealregCSV
import Testing

struct ParseCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    let expected: [[String]]
    let lines: [Int]
    var testDescription: String { name }
}

let parseCases: [ParseCase] = [
    ParseCase(name: "plain LF", input: "a,b\n1,2\n", expected: [["a", "b"], ["1", "2"]], lines: [1, 2]),
    ParseCase(name: "CRLF", input: "a,b\r\n1,2\r\n", expected: [["a", "b"], ["1", "2"]], lines: [1, 2]),
    ParseCase(name: "lone CR (old Mac Excel)", input: "a,b\r1,2\r", expected: [["a", "b"], ["1", "2"]], lines: [1, 2]),
    ParseCase(name: "no final newline", input: "a,b\n1,2", expected: [["a", "b"], ["1", "2"]], lines: [1, 2]),
    ParseCase(name: "empty fields", input: ",\n,,x\n", expected: [["", ""], ["", "", "x"]], lines: [1, 2]),
    ParseCase(name: "quoted delimiter", input: "\"Fourth Coffee, Inc.\",2\n", expected: [["Fourth Coffee, Inc.", "2"]], lines: [1]),
    ParseCase(name: "escaped quotes", input: "\"say \"\"hi\"\"\",x\n", expected: [["say \"hi\"", "x"]], lines: [1]),
    ParseCase(name: "newline inside quotes", input: "\"line1\nline2\",x\n3,4\n", expected: [["line1\nline2", "x"], ["3", "4"]], lines: [1, 3]),
    ParseCase(name: "CRLF inside quotes counts one line", input: "\"a\r\nb\",x\r\n3,4\r\n", expected: [["a\r\nb", "x"], ["3", "4"]], lines: [1, 3]),
    ParseCase(name: "blank lines skipped", input: "a\n\n\r\nb\n\n", expected: [["a"], ["b"]], lines: [1, 4]),
    ParseCase(name: "quote inside unquoted field kept", input: "12\" pipe,x\n", expected: [["12\" pipe", "x"]], lines: [1]),
    ParseCase(name: "text after closing quote kept", input: "\"abc\"def,x\n", expected: [["abcdef", "x"]], lines: [1]),
    ParseCase(name: "empty quoted field", input: "\"\",x\n", expected: [["", "x"]], lines: [1]),
    ParseCase(name: "trailing delimiter gives empty last field", input: "a,b,\n", expected: [["a", "b", ""]], lines: [1]),
    ParseCase(name: "multi-byte UTF-8", input: "Müller GmbH,ソニー株式会社\n", expected: [["Müller GmbH", "ソニー株式会社"]], lines: [1]),
    ParseCase(name: "spaces preserved", input: " a , b \n", expected: [[" a ", " b "]], lines: [1]),
]

@Suite("CSV record reader")
struct CSVRecordReaderTests {
    @Test(arguments: parseCases)
    func parses(_ testCase: ParseCase) throws {
        let result = try records(testCase.input)
        #expect(result.map(\.fields) == testCase.expected)
        #expect(result.map(\.line) == testCase.lines)
        #expect(result.allSatisfy { $0.problem == nil })
    }

    /// Streaming must not depend on where reads split the input.
    @Test(arguments: parseCases)
    func rechunkingGivesIdenticalRecords(_ testCase: ParseCase) throws {
        let whole = try records(Array(testCase.input.utf8))
        for chunk in [1, 2, 3, 5, 7, 64] {
            let pieces = try records(Array(testCase.input.utf8), chunk: chunk, readSize: 16)
            #expect(pieces == whole, "chunk size \(chunk)")
        }
    }

    @Test func semicolonDelimiter() throws {
        let result = try records("name;amount\n\"A;B\";12,50\n", delimiter: ";")
        #expect(result.map(\.fields) == [["name", "amount"], ["A;B", "12,50"]])
    }

    @Test func unterminatedQuoteAtEndRecoversFollowingLines() throws {
        let input = "a,b\n\"Contoso,1\n2,3\n4,5\n"
        let result = try records(input)
        #expect(result.count == 4)
        #expect(result[1].problem == .unterminatedQuote)
        #expect(result[1].line == 2)
        #expect(result[1].fields == ["Contoso,1"])
        #expect(result[2].fields == ["2", "3"] && result[2].line == 3 && result[2].problem == nil)
        #expect(result[3].fields == ["4", "5"] && result[3].line == 4)
    }

    @Test func overlongQuotedFieldIsTreatedAsUnterminated() throws {
        let filler = String(repeating: "x,y\n", count: 200)
        let input = "a,b\n\"runaway,1\n" + filler
        let result = try records(Array(input.utf8), chunk: 37, readSize: 64, maxRecordBytes: 256)
        #expect(result[1].problem == .unterminatedQuote)
        #expect(result.count == 202)
        #expect(result.last?.line == 202)
    }

    /// Issue 12, case 7: a huge value is one row, reported, read in bounded memory; the next
    /// rows keep their lines, whatever the chunking.
    @Test(arguments: [1, 7, 64, 4096])
    func anOverlongRecordIsOneRowWithoutFields(_ chunk: Int) throws {
        let huge = String(repeating: "Lamna Healthcare ", count: 40)   // 680 bytes against a 256-byte limit
        let input = "a,b\n1,2\n\"\(huge)\",3\r\n4,5\n\(huge),6\n7,\"multi\nline\"\n8,9\n"
        let result = try records(Array(input.utf8), chunk: chunk, readSize: 64, maxRecordBytes: 256)
        #expect(result.map(\.line) == [1, 2, 3, 4, 5, 6, 8], "\(result.map(\.line))")
        #expect(result[2].problem == .tooLong(limit: 256) && result[2].fields.isEmpty)
        #expect(result[3].fields == ["4", "5"] && result[3].problem == nil)
        #expect(result[4].problem == .tooLong(limit: 256), "an unquoted line too")
        #expect(result[5].fields == ["7", "multi\nline"])
        #expect(result[6].fields == ["8", "9"])
    }

    @Test func invalidUTF8IsAProblemNotACrash() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72] + Array(",2\n".utf8)
        let result = try records(bytes)
        #expect(result[1].problem == .undecodable(column: 0))
        #expect(result[1].fields[0].contains("\u{FFFD}"))
        #expect(result[1].fields[1] == "2")
    }

    @Test func controlCharactersAreProblems() throws {
        let result = try records("ok,x\u{0}y\n")
        #expect(result[0].problem == .undecodable(column: 1))
    }

    @Test func countsBlankLines() throws {
        let reader = CSVRecordReader(source: MemoryByteSource(Array("a\n\n\nb\n".utf8)))
        while try reader.next() != nil {}
        #expect(reader.blankLinesSkipped == 2)
    }

    @Test func emptyInputHasNoRecords() throws {
        #expect(try records("").isEmpty)
        #expect(try records("\n\r\n").isEmpty)
    }
}

@Suite("Runaway quotes")
struct RunawayQuoteTests {
    @Test func quoteClosedInALaterRowIsRecoveredLineByLine() throws {
        let rows = try recordsOfWidth3("a,b,c\n\"Margie's Travel,1,x\nHumongous,\"40.000,00\",y\nLast,3,z\n")
        try #require(rows.map(\.line) == [1, 2, 3, 4])
        #expect(rows[1].problem == .unterminatedQuote)
        #expect(rows[2].fields == ["Humongous", "40.000,00", "y"])
        #expect(rows[3].fields == ["Last", "3", "z"])
    }

    @Test func runawayWithMatchingFieldCountIsStillCaught() throws {
        // Merged, these lines happen to give 3 fields; the text after the "closing" quote gives it away.
        let rows = try recordsOfWidth3("a,b,c\n\"Margie's Travel,1,x\nHumongous,\"40.000,00\",y\n")
        #expect(rows.map(\.line) == [1, 2, 3])
        #expect(rows[2].fields == ["Humongous", "40.000,00", "y"])
    }

    @Test func legitimateMultilineFieldIsKept() throws {
        let rows = try recordsOfWidth3("a,b,c\n\"two\nlines\",1,x\n")
        #expect(rows.count == 2)
        #expect(rows[1].fields == ["two\nlines", "1", "x"])
        #expect(rows[1].problem == nil)
    }

    private func recordsOfWidth3(_ input: String) throws -> [CSVRecord] {
        let reader = CSVRecordReader(source: MemoryByteSource(Array(input.utf8)))
        reader.expectedFieldCount = 3
        var rows: [CSVRecord] = []
        while let record = try reader.next() { rows.append(record) }
        return rows
    }
}

@Suite("CSV field views")
struct CSVFieldsViewTests {
    /// The byte-range API and the String API read every parse case alike, at any chunk size.
    @Test(arguments: parseCases)
    func fieldViewsAgreeWithRecords(_ testCase: ParseCase) throws {
        for chunk in [1, 3, 1 << 16] {
            let records = CSVRecordReader(source: MemoryByteSource(Array(testCase.input.utf8), chunkLimit: chunk))
            let views = CSVRecordReader(source: MemoryByteSource(Array(testCase.input.utf8), chunkLimit: chunk))
            while let record = try records.next() {
                let view = try views.nextFields { view in
                    (line: view.line, fields: (0..<view.count).map { String(decoding: view[$0], as: UTF8.self) },
                     unterminated: view.unterminatedQuote)
                }
                #expect(view?.line == record.line)
                #expect(view?.fields == record.fields)
                #expect(view?.unterminated == (record.problem == .unterminatedQuote))
            }
            #expect(try views.nextFields { $0.count } == nil)
        }
    }
}
