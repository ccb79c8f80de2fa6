@testable import DealregKit
import DealregIdentity
import DealregPolicy
import DealregTestSupport
import Foundation
import Testing

/// Issue 12: pass 1 spills each parsed upload row and pass 2 decides what it reads back, so the
/// spill must give back every value of the row and its `Submission` exactly, and the file must
/// give back every record in order.
@Suite("Row spill")
struct RowSpillTests {
    static let header = "partner_id,account_name,account_domain,deal_value,currency,expected_close_date,contact_email,contact_name,"
        + "city,region,postal_code,country,phone,address,partner_reference,submitted_at,notes"

    /// Values each column draws from: valid and invalid, ASCII and not, empty and blank.
    static let pools: [[String]] = [
        ["P-NORTHWIND", "p-alpine", "P-SAKURA", "P-NOBODY", "", " ", "P-FIELDFORCE"],
        ["Acme Corp", "Müller & Söhne GmbH", "ソニー株式会社", "Газпром нефть", "Ｓｏｎｙ", "=SUM(A1)", "+cmd|' /C calc'!A0",
         "@Home Networks Inc", "", "...", "The Fourth Coffee (Seattle)", "Conexant Systems (Rockwell), Inc.",
         "A / B Holdings", "ไทยเบฟเวอเรจ จำกัด (มหาชน)", "\"Quoted\", Name", "Line\nBreak Ltd", "Straße AG"],
        ["acme.com", "www.müller.de", "exa_mple.com", "gmail.com", "", "https://sony.co.jp/about", "xn--mller-kva.de"],
        ["12000", "$12,500.00", "12.500,00 €", "twelve thousand", "-5", "1,23,4", "", "EUR 12500", "0.5"],
        ["", "USD", "EUR", "XYZ", "jpy"],
        ["2027-01-31", "31/01/2027", "2026-11-22", "2027-02-30", "soon", "", "03/04/2027"],
        ["a@acme.com", "nobody-at-acme", "", "jürgen@müller.de", "ceo@gmail.com"],
        ["", "Jane Doe", "山田太郎"],
        ["Austin", "München", "", "New York City", "San Vito al Tagliamento (PN)"],
        ["TX", "BY", "", "ZZ", "Tokyo"],
        ["78701", "80331", "", "100-0001", "SW1A 1AA"],
        ["US", "DE", "Deutschland", "Atlantis", "", "日本", "JP"],
        ["+1 512 555 0100", "089 1234567", "", "not a phone"],
        ["492 Broome St., Suite 4", "Hauptstr. 5a", "", "12, rue de la Paix", "PO Box 12"],
        ["", "REF-1", "Ref ü 2"],
        ["", "2026-11-20T10:00:00Z", "2030-01-01 00:00", "yesterday"],
        ["", "a note, with a comma", "ünïcödé"],
    ]

    /// A CSV cell: quoted, doubling quotes.
    static func cell(_ value: String) -> String { "\"" + value.replacing("\"", with: "\"\"") + "\"" }

    /// Rows drawn from the pools by a seeded generator, plus rows of broken shape.
    static func upload(seed: UInt64, rows: Int) -> String {
        var generator = SeededGenerator(seed: seed)
        var text = header + "\n"
        for _ in 0..<rows {
            text += pools.map { cell($0.randomElement(using: &generator)!) }.joined(separator: ",") + "\n"
        }
        text += "P-NORTHWIND,Short Row Inc\n"
        text += pools.map { cell($0[0]) }.joined(separator: ",") + ",extra,values\n"
        text += "P-ALPINE,\"Unterminated Quote GmbH,alpine.de\n"
        return text
    }

    /// Every value of a submission, as a comparable list (the identity through its own fields).
    static func values(_ submission: Submission) -> [String] {
        let identity = submission.identity, name = identity.name
        var values: [String] = [
            "\(submission.partnerID as Any)", "\(submission.sheetRow)", "\(submission.partner as Any)",
            "\(name.tokens)", name.nativeKey, name.confusableKey, "\(name.germanKey as Any)", "\(name.legalForms)",
            name.latinKey, name.condensedKey, name.sortedKey, "\(name.primaryKey as Any)",
            "\(identity.domain as Any)", "\(identity.domainLabel as Any)", "\(identity.domainSource as Any)",
            "\(identity.domainIsFreeMail)", "\(identity.country as Any)", "\(identity.city as Any)",
            "\(identity.postalCode as Any)", "\(identity.phone as Any)", "\(identity.street as Any)",
            "\(submission.dealValue.map { "\($0.value.bitPattern) \($0.currency as Any)" } as Any)",
            "\(submission.closeDate as Any)", "\(submission.submittedAt as Any)", "\(submission.region as Any)",
            "\(submission.partnerReference as Any)", "\(submission.completeness)", "\(submission.isSound)",
            "\(submission.findings.count)",
        ]
        let fields = submission.fields
        values += [fields.name, fields.website, fields.email, fields.country, fields.city, fields.postalCode, fields.phone,
                   fields.address].map { "\($0 as Any)" }
        return values
    }

    static func expectSame(_ a: (MappedRow, Submission), _ b: (MappedRow, Submission), _ label: String) {
        #expect(a.0.line == b.0.line && a.0.rowNumber == b.0.rowNumber && a.0.sheetRow == b.0.sheetRow, "\(label)")
        #expect(a.0.fields == b.0.fields && a.0.extraValues == b.0.extraValues && a.0.problem == b.0.problem, "\(label)")
        #expect(a.0.mapping == b.0.mapping, "\(label)")
        #expect(values(a.1) == values(b.1), "\(label)")
        #expect(a.1.findings == b.1.findings, "\(label)")
        #expect(a.1.identity.name == b.1.identity.name, "\(label)")
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func everyParsedRowRoundTrips(seed: UInt64) throws {
        let folder = try temporaryDirectory()
        let path = folder.appendingPathComponent("upload.csv").path
        try write(Self.upload(seed: seed, rows: 300), to: URL(fileURLWithPath: path))
        let policy = try EffectivePolicy.load(path: samplePath("policy.yaml"))
        let partners = try PartnerDirectory.load(path: samplePath("partners.csv"))
        let parser = SubmissionParser(policy: policy.policy, partners: partners, asOf: sampleAsOf)
        let reader = try TableReader(path: path, schema: Schemas.upload)
        var parsed: [(MappedRow, Submission)] = []
        while let row = try reader.next() { parsed.append((row, parser.parse(row, charset: "UTF-8"))) }
        #expect(parsed.count == 303)
        // The pools reach what the codec has to carry.
        #expect(parsed.contains { !$0.1.isSound } && parsed.contains { $0.0.problem != nil })
        #expect(parsed.contains { !$0.0.extraValues.isEmpty })
        #expect(parsed.contains { $0.1.findings.count > 2 } && parsed.contains { $0.1.findings.isEmpty })
        #expect(parsed.contains { $0.1.partner == nil && $0.1.partnerID != nil } && parsed.contains { $0.1.partner != nil })
        #expect(parsed.contains { $0.1.identity.street != nil } && parsed.contains { !$0.1.identity.name.legalForms.isEmpty })
        #expect(parsed.contains { $0.1.dealValue != nil } && parsed.contains { $0.1.closeDate != nil })

        let spill = try RowSpill(temporaryFolder: folder.path)
        for (row, submission) in parsed {
            let record = RowSpillCodec.encode(row, submission)
            let decoded = record.withUnsafeBytes { RowSpillCodec.decode($0, mapping: reader.mapping, partners: partners) }
            guard let decoded else {
                Issue.record("row \(row.rowNumber) does not decode")
                continue
            }
            Self.expectSame((row, submission), decoded, "row \(row.rowNumber)")
            try spill.append(record)
        }
        try spill.rewind()
        for (index, original) in parsed.enumerated() {
            let back = try spill.next { RowSpillCodec.decode($0, mapping: reader.mapping, partners: partners) }
            guard case .some(.some(let back)) = back else {
                Issue.record("record \(index) not read back")
                return
            }
            Self.expectSame(original, back, "spilled row \(index + 1)")
        }
        #expect(try spill.next { _ in 0 } == nil)
    }

    @Test func valuesParsingNeverGivesRoundTrip() throws {
        // Negative and large integers, a finding without a catalogue sentence, nil everywhere else.
        let partners = try PartnerDirectory.load(path: samplePath("partners.csv"))
        let mapping = HeaderMapping(header: ["partner_id", "account_name"], schema: Schemas.upload)
        let row = MappedRow(line: Int.max, rowNumber: 1, sheetRow: -3, fields: ["", "ü"], extraValues: [],
                            problem: .wrongFieldCount(expected: 2, found: 7), mapping: mapping, schema: Schemas.upload)
        var submission = Submission(partnerID: "P-NORTHWIND", partner: partners.partner("P-NORTHWIND"),
                                    identity: IdentityBuilder().identity(AccountFields(name: "Ärger AG")),
                                    dealValue: Amount(value: -0.0, currency: nil), closeDate: Day(ordinal: -800_000),
                                    submittedAt: Int.min, region: nil, completeness: -1,
                                    findings: [Finding(code: .lowConfidence, message: "plain", rule: "x.y", decision: .declined)],
                                    isSound: false)
        submission.sheetRow = Int.max
        let record = RowSpillCodec.encode(row, submission)
        let back = record.withUnsafeBytes { RowSpillCodec.decode($0, mapping: mapping, partners: partners) }
        guard let back else { Issue.record("does not decode"); return }
        Self.expectSame((row, submission), back, "edge values")
        #expect(back.1.dealValue?.value.sign == .minus)
        // Cut short or with a byte too many, a record is refused, not misread.
        for end in [0, 1, record.count / 2, record.count - 1] {
            #expect(Array(record[..<end]).withUnsafeBytes { RowSpillCodec.decode($0, mapping: mapping, partners: partners) } == nil)
        }
        #expect((record + [0]).withUnsafeBytes { RowSpillCodec.decode($0, mapping: mapping, partners: partners) } == nil)
    }

    @Test func theFileGivesBackEveryRecordAndLeavesNothing() throws {
        let folder = try temporaryDirectory()
        let spill = try RowSpill(temporaryFolder: folder.path)
        // Nothing to find on disk, even while the run is under way.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        var generator = SeededGenerator(seed: 9)
        // Short records across many buffers, and records longer than a buffer.
        var records: [[UInt8]] = (0..<5_000).map { index in
            (0..<Int.random(in: 0...900, using: &generator)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
        }
        records.insert([UInt8](repeating: 7, count: RowSpill.bufferSize * 2 + 5), at: 1_234)
        records.append([UInt8](repeating: 9, count: RowSpill.bufferSize - 1))
        for record in records { try spill.append(record) }
        try spill.rewind()
        for (index, record) in records.enumerated() {
            let back = try spill.next { Array($0) }
            #expect(back == record, "record \(index)")
            if back != record { return }
        }
        #expect(try spill.next { Array($0) } == nil)
    }

    @Test func anUnwritableTemporaryFolderIsNamed() {
        #expect {
            _ = try RowSpill(temporaryFolder: "/nonexistent-dealreg-folder")
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.kind == .cannotWrite && error.message.contains("/nonexistent-dealreg-folder")
        }
    }
}
