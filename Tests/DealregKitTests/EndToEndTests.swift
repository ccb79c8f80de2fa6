import DealregKit
import DealregReport
import Foundation
import Testing

/// The samples with samples/policy.yaml: every rule fires somewhere (see POLICY.md).
@Suite("End to end on the samples")
struct EndToEndTests {
    private func results(_ stem: String, in folder: URL) throws -> [[String: String]] {
        try readResults(folder.appendingPathComponent("\(stem).results.csv"))
    }

    private func expect(_ rows: [[String: String]], row: Int, _ decision: String, _ codes: String, rule: String? = nil,
                        matched: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = rows[row - 1]
        #expect(actual["decision"] == decision, "row \(row): \(actual["reason"] ?? "")", sourceLocation: sourceLocation)
        #expect(actual["reason_codes"] == codes, "row \(row)", sourceLocation: sourceLocation)
        if let rule { #expect(actual["decided_by"] == rule, "row \(row)", sourceLocation: sourceLocation) }
        if let matched { #expect(actual["matched_record"] == matched, "row \(row)", sourceLocation: sourceLocation) }
    }

    @Test func northwind() throws {
        let (_, folder) = try runBatch()
        let rows = try results("northwind-2026-11-20", in: folder)
        #expect(rows.count == 15)
        #expect(rows.map { $0["row_number"]! } == (1...15).map(String.init))
        // Received first: Coastal's row in a later file does not take it with an earlier submitted_at (issue 13).
        expect(rows, row: 1, "approved", "registered")
        expect(rows, row: 2, "declined", "duplicate_existing_deal", rule: "duplicate.snapshot", matched: "D-10001")
        #expect(rows[1]["reason"] == "This account is already registered by another partner until 2026-12-30.")
        #expect(rows[1]["match_evidence"]?.contains("name 'fourth coffee' vs 'fourth coffee': the same name (name key)") == true)
        #expect(rows[1]["match_evidence"]?.contains("the same registrable domain fourthcoffee.com") == true)
        #expect(rows[1]["match_evidence"]?.contains("the same city") == true)
        // The result first: the cell is not read as a formula, so it is written as it is (no ' guard).
        #expect(rows[1]["match_evidence"]?.hasPrefix("\(rows[1]["match_score"] ?? "") % = +") == true)
        expect(rows, row: 3, "declined", "direct_account", rule: "direct.min_deal_value", matched: "D-10002")  // and recent direct activity
        expect(rows, row: 4, "approved", "registered", rule: "approve.auto")   // earlier registration expired
        expect(rows, row: 5, "approved", "registered")                         // earlier deal lost
        expect(rows, row: 6, "approved", "registered")                         // 03/04/2027 read as March 4
        expect(rows, row: 7, "approved", "registered")
        expect(rows, row: 8, "declined", "duplicate_existing_deal")            // matched by name alone
        expect(rows, row: 9, "declined", "direct_account", rule: "direct.named_account")
        expect(rows, row: 10, "declined", "blocked_account", rule: "blocked.list")
        #expect(rows[9]["reason"] == "We cannot accept registrations for this account; please contact your channel manager if you have questions.")
        #expect(rows[9]["rationale"]?.contains("note: Sanctions screening hit 2026-10") == true)
        // A one-letter slip in a long name, with the same city: the model weighs the city it shares.
        expect(rows, row: 11, "declined", "duplicate_existing_deal", rule: "duplicate.snapshot", matched: "D-10001")
        #expect(rows[10]["match_evidence"]?.contains("name 'fourth cofee' vs 'fourth coffee'") == true)
        expect(rows, row: 12, "approved", "registered")                        // American Express is not American Airlines
        expect(rows, row: 13, "needs_review", "existing_customer", rule: "customer.won_deal", matched: "D-10005")
        expect(rows, row: 14, "declined", "direct_account", rule: "direct.recent_activity", matched: "D-10002")  // Сontoso
        expect(rows, row: 15, "approved", "registered")                        // direct deal idle since April
        for approved in rows where approved["decision"] == "approved" {
            #expect(approved["expires_on"] == "2027-02-21")
            #expect(approved["registration_id"]?.count == 20)
            #expect(approved["triage"] == "AUTO_APPROVED")
            #expect(approved["reason"] == "Approved: the account is registered to you until 2027-02-21.")
        }
        #expect(rows[1]["triage"] == "FLAGGED_CONFLICT")
        #expect(rows[0]["Partner Reference"] == "NW-2201")                    // original columns kept as uploaded
    }

    /// `match.sites: separate` (the default): a chain's other sites are accounts of their own,
    /// shown as related; the registered site itself is a duplicate, with the waterfall.
    @Test func separateSitesOfOneName() throws {
        let (_, folder) = try runBatch(uploads: [samplePath("northwind-sites-2026-11-22.csv")])
        let rows = try results("northwind-sites-2026-11-22", in: folder)
        expect(rows, row: 1, "approved", "registered")                         // Oakland: another street, another phone
        #expect(rows[0]["related_record"] == "D-10306")
        #expect(rows[0]["related_evidence"]?.hasSuffix("at most 49 %: another site (match.sites: separate)") == true)
        #expect(rows[0]["related_evidence"]?.contains("different street addresses") == true)
        expect(rows, row: 2, "declined", "duplicate_existing_deal", matched: "D-10306")   // the registered site, a suite given
        let evidence = try #require(rows[1]["match_evidence"])
        #expect(evidence.hasPrefix("100 % = +"))
        #expect(evidence.contains("the same street address '1200 north point street'") && evidence.contains("the same phone"))
        expect(rows, row: 3, "approved", "registered")                         // Sausalito: a third site
        #expect(rows[2]["related_record"] == "D-10306")
    }

    @Test func alpineEuropeanExcel() throws {
        let (summary, folder) = try runBatch()
        let rows = try results("alpine-2026-11-21", in: folder)
        expect(rows, row: 1, "declined", "already_registered", rule: "duplicate.own", matched: "D-10006")
        #expect(rows[0]["reason"] == "This account is already registered to you until 2027-01-18; no new registration is needed.")
        expect(rows, row: 2, "approved", "registered")
        #expect(rows[1]["Firma"] == "Bäckerei Schäfer KG" && rows[1]["Betrag"] == "12.500,00 €")
        // The same name in another country, city and postcode: a related account, not this one.
        expect(rows, row: 5, "approved", "registered")
        #expect(rows[4]["related_record"] == "D-10010")
        #expect(rows[4]["related_evidence"]?.contains("countries differ (DE vs AT)") == true, "\(rows[4]["related_evidence"] ?? "")")
        expect(rows, row: 6, "declined", "outside_territory", rule: "territory.outside")  // FR, partner covers DE;AT;CH
        #expect(rows[5]["reason"] == "This prospect (FR) is outside your territory, so it cannot be registered by you.")
        expect(rows, row: 7, "declined", "already_registered", matched: "D-10006")         // MUELLER = Müller
        #expect(rows[6]["match_evidence"]?.contains("the same name (name with ä=ae)") == true)
        expect(rows, row: 8, "approved", "registered")                        // Deutsche Bahn is not Deutsche Bank
        expect(rows, row: 9, "approved", "registered")                        // Siemens Healthineers is not Siemens Energy
        let file = try #require(summary.files.first { $0.file == "alpine-2026-11-21.csv" })
        #expect(file.encoding == "windows-1252" && file.delimiter == "semicolon")
    }

    /// Issue 15: the German partner's file goes back as it came — Windows-1252, `;` — so a
    /// German Excel splits it into the upload's columns and the six result columns.
    @Test func alpinePartnerFileInItsOwnDialect() throws {
        let (_, folder) = try runBatch()
        let path = folder.appendingPathComponent("alpine-2026-11-21.partner.csv").path
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == Array("Partner;".utf8), "no byte-order mark, semicolon first")
        #expect(!bytes.contains(0xC3), "no UTF-8 sequences (ü, ä, ß are single Windows-1252 bytes)")
        let format = try CSVFile.detectFormat(path: path, encoding: "windows-1252", delimiter: UInt8(ascii: ";"))
        let reader = try CSVFile.open(path: path, format: format)
        let header = try #require(try reader.next()).fields
        let upload = ["Partner", "Firma", "Website", "Betrag", "Expected Close Date", "Ansprechpartner", "E-Mail", "Ort", "PLZ",
                      "Land", "Notizen"]
        #expect(header == upload + ["row_number", "registration_id", "decision", "reason_codes", "reason", "expires_on"])
        var rows: [[String]] = []
        while let record = try reader.next() {
            #expect(record.problem == nil && record.fields.count == header.count, "line \(record.line): \(record.fields.count) columns")
            rows.append(record.fields)
        }
        let internalRows = try results("alpine-2026-11-21", in: folder)
        #expect(rows.count == internalRows.count && rows.count >= 9)
        #expect(rows[0][1] == "Müller Maschinenbau GmbH" && rows[0][7] == "München" && rows[0][8] == "80331")
        #expect(rows[1][1] == "Bäckerei Schäfer KG" && rows[1][3] == "12.500,00 €")
        #expect(rows[1][11] == "2" && rows[1][13] == "approved")
        #expect(rows[0][15] == internalRows[0]["reason"])
    }

    /// Issue 15: partners.csv's result_format overrides the upload's dialect.
    @Test func resultFormatOverridesTheUploadsDialect() throws {
        let folder = try temporaryDirectory()
        let partners = "partner_id,name,tier,territories,email,max_active,result_format\r\n"
            + "P-ALPINE,Alpine Systemhaus GmbH,silver,DE;AT;CH,vertrieb@alpine-systemhaus.example,25,csv\r\n"
        try write(partners, to: folder.appendingPathComponent("partners.csv"))
        let (_, out) = try runBatch(uploads: [samplePath("alpine-2026-11-21.csv")],
                                    partners: folder.appendingPathComponent("partners.csv").path,
                                    out: folder.appendingPathComponent("out"))
        let rows = try readResults(out.appendingPathComponent("alpine-2026-11-21.partner.csv"))
        #expect(rows.first?["Firma"] == "Müller Maschinenbau GmbH" && rows.first?["decision"] == "declined")
    }

    /// Issue 15: result_format xlsx — a workbook of the partner's rows, every cell text (no
    /// formula guard needed, leading zeros kept), attached to its email instead of the CSV, and
    /// re-emitted byte for byte by a rerun on the ledger. Read back by Python's zip and XML
    /// parsers (and openpyxl where installed, as in CI).
    @Test func resultFormatXLSXWritesAWorkbookOfTextCells() throws {
        let folder = try temporaryDirectory()
        let partners = "partner_id,name,tier,territories,email,max_active,result_format\r\n"
            + "P-ALPINE,Alpine Systemhaus GmbH,silver,DE;AT;CH,vertrieb@alpine-systemhaus.example,25,xlsx\r\n"
        try write(partners, to: folder.appendingPathComponent("partners.csv"))
        let upload = folder.appendingPathComponent("alpine-2026-11-21.csv")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: samplePath("alpine-2026-11-21.csv")))
        bytes += "P-ALPINE;@Home Networks GmbH;home.example;1.000,00 €;31.03.2027;;;Berlin;02134;Deutschland;+1 425 555 0100\r\n"
            .data(using: .windowsCP1252)!
        try bytes.write(to: upload)
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: folder.appendingPathComponent("partners.csv").path,
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("out").path, uploads: [upload.path],
                                             ledgerPath: folder.appendingPathComponent("ledger.sqlite").path)
        configuration.outbox = folder.appendingPathComponent("outbox").path
        _ = try BatchRunner(configuration: configuration).run()
        let workbook = folder.appendingPathComponent("out/alpine-2026-11-21.partner.xlsx")
        let first = try Data(contentsOf: workbook)
        #expect(Array(first.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        // The CSV is still written, in the upload's dialect.
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/alpine-2026-11-21.partner.csv").path))
        let script = """
            import sys, zipfile, xml.etree.ElementTree as ET
            z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
            ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
            rows = [[c.get("t") + ":" + "".join(c.itertext()) for c in r.findall("m:c", ns)]
                    for r in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).find("m:sheetData", ns)]
            assert all(cell.startswith("inlineStr:") for row in rows for cell in row)
            print(len(rows), len(rows[0]), rows[1][1][10:], rows[-1][1][10:], rows[-1][8][10:], rows[-1][10][10:], sep="|")
            try:
                import openpyxl
            except ImportError:
                sys.exit(0)
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            values = [[cell.value for cell in row] for row in sheet.iter_rows()]
            assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)
            assert values[-1][8] == "02134" and values[-1][10] == "+1 425 555 0100", values[-1]
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, workbook.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed == "11|17|Müller Maschinenbau GmbH|@Home Networks GmbH|02134|+1 425 555 0100\n", "\(printed)")
        // The email attaches the workbook.
        let mail = try FileManager.default.contentsOfDirectory(atPath: configuration.outbox!).filter { $0.hasSuffix(".eml") }
        #expect(mail.count == 1)
        let message = try String(contentsOfFile: configuration.outbox! + "/" + mail[0], encoding: .utf8)
        #expect(message.contains("Content-Type: \(XLSXWriter.contentType); name=\"results-alpine-2026-11-21.xlsx\""))
        // A rerun on the ledger re-emits it byte for byte.
        configuration.outputDirectory = folder.appendingPathComponent("again").path
        _ = try BatchRunner(configuration: configuration).run()
        #expect(try Data(contentsOf: folder.appendingPathComponent("again/alpine-2026-11-21.partner.xlsx")) == first)
    }

    @Test func sakuraNonLatin() throws {
        let (_, folder) = try runBatch()
        let rows = try results("sakura-2026-11-21", in: folder)
        expect(rows, row: 1, "approved", "registered")                        // country 日本
        expect(rows, row: 2, "declined", "direct_account", rule: "direct.min_deal_value")  // ¥60,000,000 ≈ 402,000 USD
        #expect(rows[1]["rationale"]?.contains("402,000 USD ≥ 100,000") == true)
        expect(rows, row: 3, "approved", "registered")                        // country 中国
        // Coastal's Tailspin Toys, dated before Northwind's: Northwind's file was received first.
        expect(rows, row: 5, "declined", "duplicate_in_batch", rule: "duplicate.batch")
        #expect(rows[4]["reason"] == "Another partner registered this account in a file we received before yours, so it is protected for them until 2027-02-21.")
        #expect(rows[4]["submitted_at"] == "2026-11-19T08:00:00Z", "kept and shown")
        expect(rows, row: 6, "approved", "registered")                        // Coastal's 10th active
        expect(rows, row: 7, "declined", "already_registered", matched: "D-10007")
        expect(rows, row: 9, "declined", "outside_territory")                 // Greek prospect, French partner
        expect(rows, row: 10, "declined", "direct_account", rule: "direct.recent_activity", matched: "D-10304")  // by website
        expect(rows, row: 11, "approved", "registered")                       // Toyota Industries is not Toyota Motor
        expect(rows, row: 12, "declined", "duplicate_existing_deal;outside_territory", matched: "D-10007")  // every reason
        #expect(rows[6]["account_name"] == "ООО «Северсталь Сервис»")
    }

    @Test func fieldforceBrokenFile() throws {
        let (summary, folder) = try runBatch()
        let rows = try results("fieldforce-2026-11-22", in: folder)
        #expect(rows.count == 15)
        expect(rows, row: 1, "approved", "registered")
        expect(rows, row: 2, "needs_info", "invalid_value")
        #expect(rows[1]["reason"] == "Deal value 'twelve thousand' is not a number; use digits, e.g. 12000.")
        expect(rows, row: 3, "declined", "missing_required_field;outside_territory")
        expect(rows, row: 6, "declined", "unknown_partner")
        expect(rows, row: 7, "needs_info", "invalid_value")                  // Atlantis
        expect(rows, row: 8, "needs_info", "invalid_value")                  // ragged
        #expect(rows[7]["reason"]?.contains("Values beyond the last column: 'extra', 'values'.") == true)
        expect(rows, row: 9, "needs_info", "invalid_value")                  // formula as a name
        #expect(rows[8]["account_name"]?.hasPrefix("'=HYPERLINK") == true)  // neutralized for Excel
        expect(rows, row: 10, "needs_info", "invalid_value")                 // unterminated quote
        #expect(rows[9]["reason"]?.hasPrefix("Line 12 opens a quoted value that is never closed") == true)
        expect(rows, row: 11, "approved", "registered")                      // "€ 40.000,00", 05.03.2027
        expect(rows, row: 12, "declined", "already_registered", matched: rows[10]["registration_id"])
        // No look-alike leaves doubt (match certainty 100), so the gmail-only row reaches the auto-approve level,
        // and the partner's cap of active registrations is then reached.
        expect(rows, row: 13, "approved", "registered")                      // gmail contact only
        expect(rows, row: 14, "approved", "registered")                      // another gmail contact: no collision
        expect(rows, row: 15, "declined", "partner_cap_reached", rule: "cap.partner")
        #expect(rows[12]["rationale"]?.contains("match certainty 100") == true)
        #expect(rows[0]["Territory Manager"] == "Jane Doe")                 // unknown column carried through
        let file = try #require(summary.files.first { $0.file == "fieldforce-2026-11-22.csv" })
        #expect(file.blankLinesSkipped == 1 && file.emptyRowsSkipped == 1)
        #expect(file.unmappedColumns == ["Territory Manager"])
    }

    @Test func partnerCopyOmitsInternalColumns() throws {
        let (_, folder) = try runBatch()
        let partner = try readResults(folder.appendingPathComponent("northwind-2026-11-20.partner.csv"))
        let internalRows = try results("northwind-2026-11-20", in: folder)
        #expect(partner.count == internalRows.count)
        for column in ["matched_record", "match_score", "match_evidence", "confidence", "triage", "decided_by", "rationale"] {
            #expect(partner[0][column] == nil, "\(column) must not reach partners")
        }
        #expect(partner[1]["reason"] == internalRows[1]["reason"])
        // Reasons never name another partner or deal.
        for row in partner { #expect(!(row["reason"] ?? "").contains("P-") && !(row["reason"] ?? "").contains("D-1")) }
    }

    @Test func batchFilesAndSummaryAddUp() throws {
        let (summary, folder) = try runBatch()
        let approved = try readResults(folder.appendingPathComponent("approved.csv"))
        let declined = try readResults(folder.appendingPathComponent("declined.csv"))
        let review = try readResults(folder.appendingPathComponent("review.csv"))
        #expect(summary.rows == 51)
        #expect(approved.count == summary.decisions["approved"])
        #expect(review.count == summary.decisions["needs_review"])
        #expect(declined.count == summary.decisions["declined", default: 0] + summary.decisions["needs_info", default: 0])
        #expect(approved.allSatisfy { $0["decision"] == "approved" && !$0["source_file"]!.isEmpty })
        #expect(summary.decisions.values.reduce(0, +) == summary.rows)
        #expect(summary.snapshotDeals == 306 && summary.snapshotWarnings.isEmpty)
        for name in ["approved.csv", "northwind-2026-11-20.results.csv", "northwind-2026-11-20.partner.csv"] {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name) starts with a UTF-8 BOM")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    /// The same inputs, policy and as-of date give byte-identical files.
    @Test func rerunIsByteIdentical() throws {
        let (_, first) = try runBatch()
        let (_, second) = try runBatch()
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: second.path).sorted()))
        for name in names {
            #expect(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)), "\(name)")
        }
    }

    /// Identities and snapshot scores are computed in parallel; the files must not depend on it.
    @Test(arguments: [2, 3, 8])
    func outputDoesNotDependOnThreadCount(_ threads: Int) throws {
        let (_, single) = try runBatch(threads: 1)
        let (_, parallel) = try runBatch(threads: threads)
        let names = try FileManager.default.contentsOfDirectory(atPath: single.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: parallel.path).sorted()))
        for name in names {
            #expect(try Data(contentsOf: single.appendingPathComponent(name)) == Data(contentsOf: parallel.appendingPathComponent(name)), "\(name)")
        }
    }

    @Test func policyChangesRegistrationIDsAndExpiry() throws {
        let folder = try temporaryDirectory()
        let policy = folder.appendingPathComponent("policy.yaml")
        try write("validity_days: 30\n", to: policy)
        let (summary, out) = try runBatch(policy: policy.path)
        let (defaults, defaultOut) = try runBatch(policy: nil)
        #expect(summary.policyVersion != defaults.policyVersion)
        let rows = try readResults(out.appendingPathComponent("northwind-2026-11-20.results.csv"))
        let defaultRows = try readResults(defaultOut.appendingPathComponent("northwind-2026-11-20.results.csv"))
        #expect(rows[3]["expires_on"] == "2026-12-23")
        #expect(rows[3]["registration_id"] != defaultRows[3]["registration_id"])
        #expect(rows[3]["policy_version"]?.hasPrefix(summary.policyVersion + ".m") == true)
        #expect(rows[3]["policy_version"]?.count == summary.policyVersion.count + 10, "the match model's eight-digit fingerprint")
    }
}
