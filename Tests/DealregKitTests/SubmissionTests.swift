import DealregKit
import Foundation
import Testing

/// One upload row and the reason codes intake must give it.
struct IntakeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let row: String
    let codes: [ReasonCode]
    var message: String? = nil
    var testDescription: String { name }
}

let intakeHeader = "partner_id,account_name,account_domain,deal_value,expected_close_date,contact_email,country,currency,submitted_at"

let intakeCases: [IntakeCase] = [
    IntakeCase(name: "clean row", row: "P-NORTHWIND,Acme Corp,acme.com,12000,2027-01-31,a@acme.com,US,,", codes: []),
    IntakeCase(name: "missing account name", row: "P-NORTHWIND,,acme.com,12000,2027-01-31,,US,,",
               codes: [.missingRequiredField], message: "The account name is empty; fill it in and send the row again."),
    IntakeCase(name: "missing everything required", row: ",,acme.com,,,,US,,",
               codes: [.missingRequiredField, .missingRequiredField, .missingRequiredField, .missingRequiredField]),
    IntakeCase(name: "amount in words", row: "P-NORTHWIND,Acme,acme.com,twelve thousand,2027-01-31,,US,,",
               codes: [.invalidValue], message: "Deal value 'twelve thousand' is not a number; use digits, e.g. 12000."),
    IntakeCase(name: "negative amount", row: "P-NORTHWIND,Acme,acme.com,-5,2027-01-31,,US,,", codes: [.invalidValue]),
    IntakeCase(name: "unknown partner", row: "P-NOBODY,Acme,acme.com,100,2027-01-31,,US,,", codes: [.unknownPartner],
               message: "Partner ID 'P-NOBODY' is not in our partner list; check the ID or ask your channel manager."),
    IntakeCase(name: "partner id case-insensitive", row: "p-northwind,Acme,acme.com,100,2027-01-31,,US,,", codes: []),
    IntakeCase(name: "close date in the past", row: "P-NORTHWIND,Acme,acme.com,100,2026-11-22,,US,,", codes: [.invalidValue],
               message: "Expected close date 2026-11-22 is in the past; enter the date you now expect the deal to close."),
    IntakeCase(name: "close date today is fine", row: "P-NORTHWIND,Acme,acme.com,100,2026-11-23,,US,,", codes: []),
    IntakeCase(name: "date contradicts MDY", row: "P-NORTHWIND,Acme,acme.com,100,31/01/2027,,US,,", codes: [.invalidValue],
               message: "Expected close date '31/01/2027' is not valid as month/day/year, which is how we read dates written with slashes; use YYYY-MM-DD, e.g. 2027-03-31."),
    IntakeCase(name: "bad email", row: "P-NORTHWIND,Acme,acme.com,100,2027-01-31,nobody-at-acme,US,,", codes: [.invalidValue]),
    IntakeCase(name: "bad country", row: "P-NORTHWIND,Acme,acme.com,100,2027-01-31,,Atlantis,,", codes: [.invalidValue]),
    IntakeCase(name: "bad domain", row: "P-NORTHWIND,Acme,exa_mple.com,100,2027-01-31,,US,,", codes: [.invalidValue]),
    IntakeCase(name: "unknown currency", row: "P-NORTHWIND,Acme,acme.com,100,2027-01-31,,US,XYZ,", codes: [.invalidValue]),
    IntakeCase(name: "currency conflict", row: "P-NORTHWIND,Acme,acme.com,€100,2027-01-31,,US,USD,", codes: [.invalidValue],
               message: "Deal value '€100' is in EUR but the currency column says USD; make them agree."),
    IntakeCase(name: "bad submitted_at", row: "P-NORTHWIND,Acme,acme.com,100,2027-01-31,,US,,soon", codes: [.invalidValue]),
    // Issue 13: a time after the batch's day cannot be when the row was sent (a day's grace for time zones).
    IntakeCase(name: "submitted_at in the future", row: "P-NORTHWIND,Acme,acme.com,100,2027-01-31,,US,,2030-01-01T00:00:00Z",
               codes: [.invalidValue]),
    IntakeCase(name: "submitted_at later today elsewhere", row: "P-NORTHWIND,Acme,acme.com,100,2027-01-31,,US,,2026-11-24T09:00:00+13:00",
               codes: []),
    IntakeCase(name: "formula as name", row: "P-NORTHWIND,=cmd(),acme.com,100,2027-01-31,,US,,", codes: [.invalidValue]),
    // Issue 15: a name that starts with '@' is a name; a call or a link to another program is not.
    IntakeCase(name: "name starting with @", row: "P-NORTHWIND,@Home Networks Inc,acme.com,100,2027-01-31,,US,,", codes: []),
    IntakeCase(name: "@ before a call", row: "P-NORTHWIND,@SUM(1+1),acme.com,100,2027-01-31,,US,,", codes: [.invalidValue]),
    IntakeCase(name: "DDE link as name", row: "P-NORTHWIND,+cmd|' /C calc'!A0,acme.com,100,2027-01-31,,US,,", codes: [.invalidValue]),
    IntakeCase(name: "no letters in name", row: "P-NORTHWIND,---,acme.com,100,2027-01-31,,US,,", codes: [.invalidValue]),
    IntakeCase(name: "several problems at once", row: "P-NOBODY,Acme,acme.com,lots,yesterday,x,Mars,,",
               codes: [.unknownPartner, .invalidValue, .invalidValue, .invalidValue, .invalidValue]),
    IntakeCase(name: "ragged row", row: "P-NORTHWIND,Acme,acme.com,100", codes: [.invalidValue],
               message: "This line has 4 values but the header has 9 columns; a value probably contains an unquoted delimiter, so put quotes around it and send the row again."),
]

@Suite("Intake")
struct SubmissionTests {
    @Test(arguments: intakeCases)
    func intake(_ testCase: IntakeCase) throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("upload.csv")
        try write(intakeHeader + "\n" + testCase.row + "\n", to: file)
        let reader = try TableReader(path: file.path, schema: Schemas.upload)
        let partners = try PartnerDirectory.load(path: samplePath("partners.csv"))
        let parser = SubmissionParser(policy: Policy(), partners: partners, asOf: sampleAsOf)
        let submission = parser.parse(try #require(try reader.next()), charset: "UTF-8")
        #expect(submission.findings.map(\.code) == testCase.codes)
        if let message = testCase.message {
            #expect(submission.findings.first?.message == message)
        }
    }

    @Test func fileWithoutARequiredColumnExplainsIt() throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("upload.csv")
        try write("partner_id,account_name,deal_value\nP-NORTHWIND,Acme,100\n", to: file)
        let reader = try TableReader(path: file.path, schema: Schemas.upload)
        let parser = SubmissionParser(policy: Policy(), partners: try PartnerDirectory.load(path: samplePath("partners.csv")), asOf: sampleAsOf)
        let submission = parser.parse(try #require(try reader.next()), charset: "UTF-8")
        #expect(submission.findings.map(\.message) == [
            "Your file has no expected_close_date column; add a column named expected_close_date with the expected close date and send the row again.",
        ])
    }

    /// Issue 15: emails number rows as the partner's spreadsheet does — the header is row 1, a
    /// blank or all-empty row still takes a row, a value spanning lines takes one.
    @Test func sheetRowsCountAsASpreadsheetDoes() throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("upload.csv")
        try write("partner_id,account_name,deal_value\r\nP-1,\"Two\r\nlines\",1\r\n\r\nP-1,B,2\r\n,,\r\nP-1,C,3\r\n", to: file)
        let reader = try TableReader(path: file.path, schema: Schemas.upload)
        var rows: [(Int, Int)] = []
        while let row = try reader.next() { rows.append((row.rowNumber, row.sheetRow)) }
        #expect(rows.map(\.0) == [1, 2, 3])
        #expect(rows.map(\.1) == [2, 4, 6])
    }
}

/// Issue 13: the partner reads why the row was decided, not fix-it text that would not change it.
@Suite("Partner-facing reasons")
struct PartnerReasonTests {
    @Test func aDeclinedRowSaysOnlyWhyItWasDeclined() {
        let findings = [
            Finding(code: .missingRequiredField, message: "The contact email is empty; fill it in and send the row again."),
            Finding(code: .outsideTerritory, message: "This prospect (FR) is outside your territory, so it cannot be registered by you."),
        ]
        let record = ResultRecord(rowNumber: 1, rowID: "R", registrationID: nil, decision: Decision(strongestOf: findings),
                                  findings: findings, matchedRecord: nil, matchScore: nil, matchEvidence: nil, expiresOn: nil,
                                  confidence: 0, triage: Triage(decision: .declined, findings: findings), decidedBy: "territory.outside",
                                  policyVersion: "v", rationale: "", wouldBeDecision: nil, partnerReason: nil)
        #expect(record.decision == .declined)
        #expect(record.reason == "This prospect (FR) is outside your territory, so it cannot be registered by you.")
        #expect(record.reasonCodes == [.missingRequiredField, .outsideTerritory], "ops still see every code")
        let needsInfo = ResultRecord(rowNumber: 2, rowID: "S", registrationID: nil, decision: .needsInfo, findings: [findings[0]],
                                     matchedRecord: nil, matchScore: nil, matchEvidence: nil, expiresOn: nil, confidence: 0,
                                     triage: Triage(decision: .needsInfo, findings: [findings[0]]), decidedBy: "x",
                                     policyVersion: "v", rationale: "", wouldBeDecision: nil, partnerReason: nil)
        #expect(needsInfo.reason == "The contact email is empty; fill it in and send the row again.")
    }
}
