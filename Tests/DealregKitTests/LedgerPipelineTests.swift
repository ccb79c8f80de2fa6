import DealregKit
import Foundation
import Testing

@Suite("Ledger in the pipeline")
struct LedgerPipelineTests {
    private func nightly(_ folder: URL, asOf: String = "2026-11-23", out: String = "out", files: [String: String],
                         outbox: Bool = false) throws -> NightlyBatch.Report {
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) { try write(text, to: inbox.appendingPathComponent(name)) }
        var base = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                    policyPath: samplePath("policy.yaml"), asOf: Day(iso: asOf)!,
                                    outputDirectory: folder.appendingPathComponent(out).path, uploads: [],
                                    ledgerPath: folder.appendingPathComponent("ledger.sqlite").path)
        base.actor = "test"
        if outbox { base.outbox = folder.appendingPathComponent("outbox").path }
        return try NightlyBatch.run(inbox: inbox.path, archive: folder.appendingPathComponent("archive").path, base: base)
    }

    private let header = "partner_id,account_name,account_domain,deal_value,expected_close_date,country,city,contact_name,contact_email\n"

    @Test func tonightsApprovalsBlockTomorrowsDuplicates() throws {
        let folder = try temporaryDirectory()
        _ = try nightly(folder, files: ["monday.csv": header + "P-NORTHWIND,Lamna Healthcare,lamnahealthcare.com,40000,2027-03-31,US,Seattle,Ann,ann@lamnahealthcare.com\n"])
        _ = try nightly(folder, asOf: "2026-11-24", out: "out2",
                        files: ["tuesday.csv": header + "P-COASTAL,LAMNA HEALTHCARE INC,https://www.lamnahealthcare.com,45000,2027-04-30,US,Seattle,Bo,bo@lamnahealthcare.com\n"
                                    + "P-NORTHWIND,Lamna Healthcare,lamnahealthcare.com,40000,2027-03-31,US,Seattle,Ann,ann@lamnahealthcare.com\n"])
        let monday = try readResults(folder.appendingPathComponent("out/monday.results.csv"))
        let tuesday = try readResults(folder.appendingPathComponent("out2/tuesday.results.csv"))
        #expect(monday[0]["decision"] == "approved")
        #expect(tuesday[0]["reason_codes"] == "duplicate_existing_deal" || tuesday[0]["reason_codes"]?.hasPrefix("duplicate_existing_deal") == true)
        #expect(tuesday[0]["matched_record"] == monday[0]["registration_id"])
        #expect(tuesday[0]["reason"]?.contains("already registered by another partner until 2027-02-21") == true)
        #expect(tuesday[1]["reason_codes"] == "already_registered")
        let desk = try LedgerDesk(path: folder.appendingPathComponent("ledger.sqlite").path, actor: "test")
        #expect(try desk.ledger.registrations(status: .approved).count == 1)
        let history = try desk.ledger.audit(id: monday[0]["registration_id"]!)
        #expect(history.count == 1 && history[0].action == "decide" && history[0].actor == "test")
        #expect(history[0].inputsDigest?.count == 16)
    }

    /// The ledger keeps the street address and the evidence: tomorrow's batch tells the site
    /// registered tonight from the chain's other sites, and the review list shows why a row waits.
    @Test func sitesAndEvidenceLiveInTheLedger() throws {
        let folder = try temporaryDirectory()
        let siteHeader = "partner_id,account_name,address,city,state,country,phone,deal_value,expected_close_date,account_domain,contact_email\n"
        _ = try nightly(folder, files: ["monday.csv": siteHeader
            + "P-NORTHWIND,Orchard Lane Veterinary Clinic,14 Orchard Lane,Portland,OR,US,+1 503 555 0110,9000,2027-03-31,orchardlanevet.example,desk@orchardlanevet.example\n"
            + "P-ALPINE,Grünwald Logistik AG,,Hamburg,,DE,,19000,2027-03-01,gruenwald-logistik.de,\n"])
        _ = try nightly(folder, asOf: "2026-11-24", out: "out2", files: ["tuesday.csv": siteHeader
            + "P-COASTAL,Orchard Lane Veterinary Clinic,14 Orchard Ln.,Portland,OR,US,503-555-0110,9500,2027-04-30,orchardlanevet.example,front@orchardlanevet.example\n"
            + "P-COASTAL,Orchard Lane Veterinary Clinic,900 Burnside Street,Portland,OR,US,+1 503 555 0190,7000,2027-04-30,orchardlanevet.example,east@orchardlanevet.example\n"])
        let monday = try readResults(folder.appendingPathComponent("out/monday.results.csv"))
        let tuesday = try readResults(folder.appendingPathComponent("out2/tuesday.results.csv"))
        #expect(monday[0]["decision"] == "approved")
        #expect(tuesday[0]["reason_codes"]?.hasPrefix("duplicate_existing_deal") == true, "the same site, written otherwise")
        #expect(tuesday[0]["matched_record"] == monday[0]["registration_id"])
        #expect(tuesday[0]["match_evidence"]?.contains("the same street address '14 orchard lane'") == true)
        #expect(tuesday[1]["decision"] == "approved", "another site of the clinic: \(tuesday[1]["reason"] ?? "")")
        #expect(tuesday[1]["related_record"] == monday[0]["registration_id"])
        let desk = try LedgerDesk(path: folder.appendingPathComponent("ledger.sqlite").path, actor: "test")
        let stored = try #require(try desk.ledger.registration(id: monday[0]["registration_id"]!))
        #expect(stored.address == "14 Orchard Lane")
        let other = try #require(try desk.ledger.registration(id: tuesday[1]["registration_id"]!))
        #expect(other.relatedRecord == monday[0]["registration_id"] && other.relatedEvidence?.contains("another site") == true)
        // The review list carries the candidate and the evidence, in full.
        let queue = try desk.ledger.registrations(status: .underReview)
        let list = try LedgerDesk.render(queue, format: .table, columns: LedgerDesk.reviewColumns)
        #expect(list.contains("match_evidence") && list.contains("D-10010"))
        #expect(list.contains("countries differ (DE vs AT)"), "\(list)")
        #expect(list.contains("at most 89 %: another country"), "one website in two countries waits for a person: \(list)")
        let csv = try LedgerDesk.render(queue, format: .csv, columns: LedgerDesk.reviewColumns)
        #expect(csv.contains("prior −"))
    }

    /// Issue 12, case 6: names that collide or are too long never stop the night nor lose mail.
    @Test func collidingAndLongNamesNeverStopTheNight() throws {
        let folder = try temporaryDirectory()
        let long = String(repeating: "Partner upload with a very long descriptive name ", count: 5).prefix(230) + ".csv"
        let report = try nightly(folder, files: [
            "acme.csv": header + "P-NORTHWIND,Lamna Healthcare,lamnahealthcare.com,40000,2027-03-31,US,Seattle,Ann,ann@lamnahealthcare.com\n",
            "acme.CSV": header + "P-NORTHWIND,Trey Research,treyresearch.net,20000,2027-03-31,US,Seattle,Bo,bo@treyresearch.net\n",
            String(long): header + "P-NORTHWIND,Proseware Inc,proseware.com,30000,2027-03-31,US,Seattle,Cy,cy@proseware.com\n",
        ], outbox: true)
        #expect(report.rejected.count == 1, "\(report.rejected)")
        #expect(report.rejected.first?.reason.contains("would have the same names as those of") == true)
        #expect(report.archived.count == 2)
        let summary = try #require(report.summary)
        #expect(summary.files.count == 2 && summary.messages.count == 2, "both decided and mailed")
        let out = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
        #expect(out.allSatisfy { $0.utf8.count <= 255 })
        #expect(out.contains { $0.hasPrefix("Partner upload with") && $0.contains("~") && $0.hasSuffix(".results.csv") }, "\(out)")
        let mail = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("outbox").path)
        #expect(mail.filter { $0.hasSuffix(".eml") }.count == 2 && mail.allSatisfy { $0.utf8.count <= 255 })
    }

    /// Issue 13: no parking. A partner whose registration of an account ended (expired or
    /// withdrawn) waits `reregister_after_days` (30) to register it again; other partners do not.
    @Test func reregisteringTooSoonIsDeclined() throws {
        let folder = try temporaryDirectory()
        let proseware = "P-NORTHWIND,Proseware Inc,proseware.com,30000,2027-09-30,US,Seattle,Cy,cy@proseware.com\n"
        let trey = "P-NORTHWIND,Trey Research,treyresearch.net,20000,2027-09-30,US,Seattle,Bo,bo@treyresearch.net\n"
        _ = try nightly(folder, files: ["monday.csv": header + proseware + trey])
        let monday = try readResults(folder.appendingPathComponent("out/monday.results.csv"))
        #expect(monday.map { $0["decision"] } == ["approved", "approved"])
        let desk = try LedgerDesk(path: folder.appendingPathComponent("ledger.sqlite").path, actor: "ops")
        _ = try desk.ledger.withdraw(id: monday[1]["registration_id"]!, actor: "ops", note: "partner withdrew")
        // Four days after Proseware's protection ended (2027-02-21), and after Trey's withdrawal.
        _ = try nightly(folder, asOf: "2027-02-25", out: "out2", files: ["again.csv": header + proseware + trey
            + "P-COASTAL,Proseware Inc,proseware.com,30000,2027-09-30,US,Portland,Di,di@proseware.com\n"])
        let again = try readResults(folder.appendingPathComponent("out2/again.results.csv"))
        #expect(again[0]["reason_codes"] == "reregistration_too_soon", "\(again[0])")
        #expect(again[0]["decided_by"] == "duplicate.reregistration_wait")
        #expect(again[0]["reason"] == "Your registration of this account ended on 2027-02-21; you can register it again from 2027-03-23, 30 days after it ended.")
        #expect(again[0]["matched_record"] == monday[0]["registration_id"])
        #expect(again[1]["decision"] == "approved", "withdrawn (today) more than 30 days before: free again")
        #expect(again[2]["decision"] != "declined" || again[2]["reason_codes"] != "reregistration_too_soon", "another partner may")
        // A withdrawal counts from its day (the audit's clock): re-registered the next day, declined.
        let tomorrow = Day(ordinal: Int(Date().timeIntervalSince1970) / 86_400 + Day(iso: "1970-01-01")!.ordinal + 1)
        _ = try desk.ledger.withdraw(id: again[1]["registration_id"]!, actor: "ops", note: "withdrawn again")
        _ = try nightly(folder, asOf: tomorrow.description, out: "out-w", files: ["w.csv": header + trey.replacingOccurrences(of: "20000", with: "20500")])
        let withdrawn = try readResults(folder.appendingPathComponent("out-w/w.results.csv"))
        #expect(withdrawn[0]["reason_codes"] == "reregistration_too_soon", "\(withdrawn[0])")
        // After the waiting period the partner may register the account again.
        _ = try nightly(folder, asOf: "2027-03-24", out: "out3", files: ["later.csv": header + proseware.replacingOccurrences(of: "30000", with: "31000")])
        let later = try readResults(folder.appendingPathComponent("out3/later.results.csv"))
        #expect(later[0]["reason_codes"] != "reregistration_too_soon", "\(later[0])")
    }

    @Test func aWonDealInALaterSnapshotClosesTheRegistration() throws {
        let folder = try temporaryDirectory()
        _ = try nightly(folder, files: ["monday.csv": header + "P-NORTHWIND,Lamna Healthcare,lamnahealthcare.com,40000,2027-03-31,US,Seattle,Ann,ann@lamnahealthcare.com\n"])
        let ledgerPath = folder.appendingPathComponent("ledger.sqlite").path
        let id = try #require(try LedgerDesk(path: ledgerPath, actor: "t").ledger.registrations(status: .approved).first?.id)
        // The CRM now shows the deal won by the same partner.
        let snapshot = folder.appendingPathComponent("later-snapshot.csv")
        try write(try String(contentsOfFile: samplePath("snapshot.csv"), encoding: .utf8)
                  + "D-99999,Lamna Healthcare Inc,partner,won,lamnahealthcare.com,Seattle,US,98101,P-NORTHWIND,2026-11-23,,40000,\n", to: snapshot)
        var configuration = RunConfiguration(snapshotPath: snapshot.path, partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: Day(iso: "2026-12-01")!,
                                             outputDirectory: folder.appendingPathComponent("out3").path,
                                             uploads: [samplePath("alpine-2026-11-21.csv")], ledgerPath: ledgerPath)
        configuration.actor = "batch"
        _ = try BatchRunner(configuration: configuration).run()
        let desk = try LedgerDesk(path: ledgerPath, actor: "t")
        #expect(try desk.ledger.registration(id: id)?.status == .closedWon)
        #expect(try desk.ledger.audit(id: id).map(\.action) == ["decide", "close_won"])
        #expect(try desk.ledger.audit(id: id).first?.fromStatus == .submitted)
    }

    /// Issue 13: every registration keeps what the rules decided — in shadow mode, what they would
    /// have decided — beside the decision a person may make later.
    @Test func theAutomaticDecisionIsKeptInShadowModeToo() throws {
        for shadow in [false, true] {
            let folder = try temporaryDirectory()
            for name in ["blocked.csv", "direct_accounts.csv"] {
                try FileManager.default.copyItem(atPath: samplePath(name), toPath: folder.appendingPathComponent(name).path)
            }
            let policy = folder.appendingPathComponent("policy.yaml")
            try write(try String(contentsOfFile: samplePath("policy.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "shadow_mode: false", with: "shadow_mode: \(shadow)"), to: policy)
            let ledgerPath = folder.appendingPathComponent("ledger.sqlite").path
            var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                                 policyPath: policy.path, asOf: Day(iso: "2026-11-23")!,
                                                 outputDirectory: folder.appendingPathComponent("out").path,
                                                 uploads: ["northwind-2026-11-20.csv", "alpine-2026-11-21.csv"].map(samplePath),
                                                 ledgerPath: ledgerPath)
            configuration.actor = "batch"
            _ = try BatchRunner(configuration: configuration).run()
            let rows = try LedgerDesk(path: ledgerPath, actor: "t").ledger.registrations()
            #expect(rows.allSatisfy { $0.autoDecision != nil && $0.autoRule != nil && $0.humanDecision == nil })
            let automatic = Dictionary(grouping: rows, by: { $0.autoDecision! }).mapValues(\.count)
            #expect(automatic["approved", default: 0] >= 3 && automatic["declined", default: 0] >= 1, "\(automatic)")
            if shadow {
                // Every row waits for a person; the rules' own decision and rule are kept.
                #expect(rows.allSatisfy { $0.decision == "needs_review" && $0.status == .underReview })
                #expect(rows.allSatisfy { $0.autoRule != "shadow_mode" })
                #expect(rows.contains { $0.autoDecision == "approved" && $0.autoRule == "approve.auto" })
            } else {
                #expect(rows.allSatisfy { $0.autoDecision == $0.decision })
            }
        }
    }

    @Test func aRedroppedFileIsNotRegisteredAgain() throws {
        let folder = try temporaryDirectory()
        let text = try String(contentsOfFile: samplePath("northwind-2026-11-20.csv"), encoding: .utf8)
        let first = try nightly(folder, files: ["nw.csv": text])
        let ledgerPath = folder.appendingPathComponent("ledger.sqlite").path
        let before = try LedgerDesk(path: ledgerPath, actor: "t").ledger.registrations().count
        let second = try nightly(folder, out: "out2", files: ["nw-again.csv": text])
        #expect(try LedgerDesk(path: ledgerPath, actor: "t").ledger.registrations().count == before)
        #expect(second.summary?.files.first?.reemittedFrom?.hasPrefix("nw.csv") == true)
        #expect(first.summary?.files.first?.reemittedFrom == nil)
        for suffix in ["results", "partner"] {
            #expect(try Data(contentsOf: folder.appendingPathComponent("out/nw.\(suffix).csv"))
                    == Data(contentsOf: folder.appendingPathComponent("out2/nw-again.\(suffix).csv")))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("archive").path).sorted() == ["nw-again.csv", "nw.csv"])
    }

    @Test func unreadableFilesAreRejectedWithAReport() throws {
        let folder = try temporaryDirectory()
        let report = try nightly(folder, files: ["good.csv": header + "P-NORTHWIND,Acme,acme.example,100,2027-01-31,US,,,\n",
                                                 "photo.csv": "\u{89}PNG\r\n\u{1A}\n binary"])
        #expect(report.rejected.map(\.file) == ["photo.csv"])
        #expect(report.archived == ["good.csv"])
        let errorReport = try String(contentsOf: folder.appendingPathComponent("inbox/rejected/photo.csv.error.txt"), encoding: .utf8)
        #expect(errorReport.hasPrefix("photo.csv could not be read: none of its columns is one dealreg knows"))
    }

    @Test func ledgerFileIsAlsoUsedByRun() throws {
        let folder = try temporaryDirectory()
        let ledger = folder.appendingPathComponent("l.sqlite").path
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.appendingPathComponent("a").path, uploads: sampleUploads,
                                             ledgerPath: ledger)
        let first = try BatchRunner(configuration: configuration).run()
        configuration.outputDirectory = folder.appendingPathComponent("b").path
        let second = try BatchRunner(configuration: configuration).run()
        #expect(first.files.allSatisfy { $0.reemittedFrom == nil })
        #expect(second.files.allSatisfy { $0.reemittedFrom != nil })
        #expect(try LedgerDesk(path: ledger, actor: "t").ledger.registrations().count == 51)
    }
}
