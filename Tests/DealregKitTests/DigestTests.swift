@testable import DealregKit
import DealregMail
import DealregTestSupport
import Foundation
import Testing

/// Issue 14: the weekly digests (`dealreg digest partners|team`), once per period per recipient.
@Suite("Digests", .serialized)
struct DigestTests {
    private func emls(_ folder: URL) throws -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent($0).path }
    }

    private func partnerDigest(_ ledger: String, _ outbox: URL, _ day: String,
                               partners: String = samplePath("partners.csv")) throws -> Digests.PartnerRun {
        try Digests.partners(ledgerPath: ledger, partnersPath: partners, policyPath: samplePath("policy.yaml"),
                             outbox: outbox.path, templatesFolder: nil, asOf: Day(iso: day)!, actor: "cron")
    }

    private func teamDigest(_ ledger: String, _ outbox: URL, _ day: String, to: String? = "Channel Team <channel@example.com>")
        throws -> Digests.TeamRun {
        try Digests.team(ledgerPath: ledger, policyPath: samplePath("policy.yaml"), outbox: outbox.path, templatesFolder: nil,
                         to: to, overdueDays: nil, asOf: Day(iso: day)!, actor: "cron")
    }

    @Test(arguments: [("2026-11-23", "2026-W48", "2026-11-23"), ("2026-11-29", "2026-W48", "2026-11-23"),
                      ("2027-01-01", "2026-W53", "2026-12-28"), ("2027-01-04", "2027-W01", "2027-01-04"),
                      ("2024-12-30", "2025-W01", "2024-12-30"), ("2021-01-03", "2020-W53", "2020-12-28")])
    func thePeriodIsTheISOWeek(_ day: String, _ name: String, _ monday: String) {
        let period = Digests.Period(containing: Day(iso: day)!)
        #expect(period.name == name)
        #expect(period.start == Day(iso: monday)! && period.end == Day(iso: monday)!.adding(days: 6))
    }

    /// The partner digest lists what the ledger holds (active, expiring, the week's decisions),
    /// once per week: a rerun in the same week writes nothing, the next week writes again.
    @Test func partnerDigestOncePerWeek() throws {
        let folder = try temporaryDirectory()
        let ledgerPath = try northwindLedger(in: folder)
        let outbox = folder.appendingPathComponent("outbox")
        let ledger = try Ledger(path: ledgerPath)
        let asOf = Day(iso: "2026-11-23")!

        // Counted straight from the ledger.
        let mine = try ledger.registrations(partner: "P-NORTHWIND")
        let active = mine.filter { $0.status == .approved && ($0.expiresOn ?? "") >= asOf.description }
        let decided = mine.filter { String($0.decidedOn.prefix(10)) >= "2026-11-17" && String($0.decidedOn.prefix(10)) <= "2026-11-23" }
        try #require(!active.isEmpty && !decided.isEmpty)

        let first = try partnerDigest(ledgerPath, outbox, "2026-11-23")
        #expect(first.period.name == "2026-W48")
        #expect(first.digested == ["P-NORTHWIND"] && first.notNotified.isEmpty && first.alreadySent.isEmpty)
        #expect(first.messages.count == 1)
        let files = try emls(outbox)
        #expect(files.count == 1)
        let mail = try #require(try parseMail(files).first)
        #expect(mail.defects.isEmpty, "\(mail.defects)")
        #expect(mail.to.contains("deals@northwind-fs.example"))
        #expect(mail.header_names.contains("Auto-Submitted") && mail.header_names.contains("Message-ID"))
        #expect(mail.subject == "Your weekly deal registration summary (2026-W48): \(active.count) active, 0 expiring soon")
        let text = try #require(mail.text).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("Active registrations: \(active.count)\n"))
        for registration in active { #expect(text.contains("\(registration.id)): registered to you until \(registration.expiresOn!)")) }
        #expect(text.contains("Expiring within 14 days: 0\n"))
        let counts = Dictionary(grouping: decided, by: \.decision).mapValues(\.count)
        #expect(text.contains("Decisions of the last 7 days: \(decided.count) (\(counts["approved", default: 0]) approved, "
                              + "\(counts["declined", default: 0]) declined, \(counts["needs_review", default: 0]) being reviewed, "
                              + "\(counts["needs_info", default: 0]) need more information)"), "\(text)")
        for registration in decided { #expect(text.contains("(\(registration.id)): ")) }
        #expect(mail.html?.contains("<h3>Active registrations: \(active.count)</h3>") == true)
        #expect(try ledger.digestRecipients(audience: .partners, period: "2026-W48") == ["P-NORTHWIND"])
        #expect(try ledger.undeliveredDigests().isEmpty)

        // A rerun in the same week writes nothing new.
        let again = try partnerDigest(ledgerPath, outbox, "2026-11-26")
        #expect(again.digested.isEmpty && again.alreadySent == ["P-NORTHWIND"] && again.messages.isEmpty)
        #expect(try emls(outbox).count == 1)

        // The next week writes again: the registrations are still active, no decision that week.
        let next = try partnerDigest(ledgerPath, outbox, "2026-11-30")
        #expect(next.period.name == "2026-W49" && next.digested == ["P-NORTHWIND"])
        let nextMail = try #require(try parseMail(try emls(outbox)).first { $0.subject.contains("2026-W49") })
        #expect(nextMail.text?.contains("Decisions of the last 7 days: 0 (0 approved") == true)

        // The week they expire in: every active registration is listed as expiring.
        let late = try partnerDigest(ledgerPath, outbox, "2027-02-15")
        #expect(late.digested == ["P-NORTHWIND"])
        let lateMail = try #require(try parseMail(try emls(outbox)).first { $0.subject.contains("2027-W07") })
        #expect(lateMail.subject.hasSuffix("\(active.count) active, \(active.count) expiring soon"))
        #expect(lateMail.text?.contains("Expiring within 14 days: \(active.count)\r\n") == true)
        #expect(try emls(outbox).count == 3)
    }

    /// No email for a partner with nothing to say; a partner without an address is reported by
    /// id and gets its digest once it has one.
    @Test func nothingToSayAndNoAddress() throws {
        let folder = try temporaryDirectory()
        let ledgerPath = try northwindLedger(in: folder)
        let outbox = folder.appendingPathComponent("outbox")

        // Long after every registration expired, with no decision that week.
        let quiet = try partnerDigest(ledgerPath, outbox, "2027-06-01")
        #expect(quiet.digested.isEmpty && quiet.messages.isEmpty && quiet.nothingToSay.contains("P-NORTHWIND"))
        #expect(try emls(outbox).isEmpty)

        let noAddress = folder.appendingPathComponent("partners.csv")
        try write(try String(contentsOfFile: samplePath("partners.csv"), encoding: .utf8)
            .replacingOccurrences(of: "deals@northwind-fs.example", with: ""), to: noAddress)
        let unreachable = try partnerDigest(ledgerPath, outbox, "2026-11-23", partners: noAddress.path)
        #expect(unreachable.digested.isEmpty && unreachable.notNotified == ["P-NORTHWIND"])
        #expect(try emls(outbox).isEmpty)
        #expect(try partnerDigest(ledgerPath, outbox, "2026-11-24").digested == ["P-NORTHWIND"])
    }

    /// A partner's digest is in its language.
    @Test func partnerDigestInThePartnersLanguage() throws {
        let folder = try temporaryDirectory()
        let ledgerPath = try northwindLedger(in: folder)
        let outbox = folder.appendingPathComponent("outbox")
        let german = folder.appendingPathComponent("partners.csv")
        try write(try String(contentsOfFile: samplePath("partners.csv"), encoding: .utf8)
            .replacingOccurrences(of: "deals@northwind-fs.example,40,", with: "deals@northwind-fs.example,40,de"), to: german)
        _ = try partnerDigest(ledgerPath, outbox, "2026-11-23", partners: german.path)
        let mail = try #require(try parseMail(try emls(outbox)).first)
        #expect(mail.defects.isEmpty && mail.subject.hasPrefix("Ihre wöchentliche Übersicht der Deal-Registrierungen (2026-W48)"))
        #expect(mail.text?.contains("Aktive Registrierungen:") == true)
        #expect(mail.header_names.contains("Content-Language"))
    }

    /// The team digest lists the overdue reviews, and its numbers are ProgramReport's for the week.
    @Test func teamDigestOverdueReviewsAndTheWeeksNumbers() throws {
        let folder = try temporaryDirectory()
        let ledgerPath = try northwindLedger(in: folder)
        let outbox = folder.appendingPathComponent("outbox")
        let ledger = try Ledger(path: ledgerPath)
        let queue = try ledger.registrations(status: .underReview)
        try #require(!queue.isEmpty, "the northwind sample sends rows to review")

        // Four days after the batch: past the sample policy's review SLA (3 days).
        let run = try teamDigest(ledgerPath, outbox, "2026-11-27")
        #expect(run.recorded && run.period.name == "2026-W48" && run.overdue == queue.count && run.messages.count == 1)
        let report = ProgramReport(registrations: try ledger.registrations(), from: Day(iso: "2026-11-21")!,
                                   to: Day(iso: "2026-11-27")!, asOf: Day(iso: "2026-11-27")!, expiringWithinDays: 14)
        let content = try Digests.teamContent(ledger: ledger, asOf: Day(iso: "2026-11-27")!, slaDays: 3, expiringWithinDays: 14)
        #expect(content.report == report)
        #expect(content.overdue.count == report.queue.ages.count { $0 > 3 })
        let northwind = try ledger.registrations(partner: "P-NORTHWIND")
        #expect(report.overall.registrations == northwind.count)

        let mail = try #require(try parseMail(try emls(outbox)).first)
        #expect(mail.defects.isEmpty, "\(mail.defects)")
        #expect(mail.to.contains("channel@example.com"))
        #expect(mail.subject == "Channel team digest 2026-W48: \(report.overall.registrations) received, \(queue.count) overdue review(s)")
        let text = try #require(mail.text).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("- received: \(report.overall.registrations)\n"))
        #expect(text.contains("- approved: \(report.overall.approved)\n"))
        #expect(text.contains("- declined: \(report.overall.byDecision["declined", default: 0])\n"))
        #expect(text.contains("- needs review: \(report.overall.byDecision["needs_review", default: 0])\n"))
        #expect(text.contains("- overrides: \(report.overall.overridden) of \(report.overall.overridable) reviewed decisions"))
        #expect(text.contains("Overdue reviews (under review longer than 3 days): \(queue.count) of \(report.queue.open) open"))
        for registration in queue { #expect(text.contains("- \(registration.id) (P-NORTHWIND) ")) }

        // Once per week; the next week again. Not overdue two days after the batch.
        let again = try teamDigest(ledgerPath, outbox, "2026-11-29")
        let afterRerun = try emls(outbox)
        #expect(!again.recorded && again.messages.isEmpty && afterRerun.count == 1)
        #expect(try teamDigest(ledgerPath, outbox, "2026-11-30").recorded)
        #expect(try Digests.teamContent(ledger: ledger, asOf: Day(iso: "2026-11-25")!, slaDays: 3, expiringWithinDays: 14).overdue.isEmpty)
    }

    /// Without --to and without email.team the team digest is a usage error (exit 64).
    @Test func theTeamDigestNeedsAnAddress() throws {
        let folder = try temporaryDirectory()
        let ledgerPath = try northwindLedger(in: folder)
        do {
            _ = try teamDigest(ledgerPath, folder.appendingPathComponent("outbox"), "2026-11-27", to: nil)
            Issue.record("no team address should be refused")
        } catch let error as InputError {
            #expect(error.exitCode == 64 && error.message.contains("email.team"))
        }
        #expect(try emls(folder.appendingPathComponent("outbox")).isEmpty)

        // email.team in the policy: checked when the policy is read (exit 65), used without --to.
        for (team, valid) in [("nobody", false), ("Channel Team <channel@example.com>", true)] {
            let policy = folder.appendingPathComponent("policy-\(valid).yaml")
            try write("email:\n  team: \(team)\n", to: policy)
            let outbox = folder.appendingPathComponent("outbox-\(valid)")
            do {
                let run = try Digests.team(ledgerPath: ledgerPath, policyPath: policy.path, outbox: outbox.path, templatesFolder: nil,
                                           to: nil, overdueDays: nil, asOf: Day(iso: "2026-11-27")!, actor: "cron")
                #expect(valid && run.recorded)
                #expect(try parseMail(try emls(outbox)).first?.to.contains("channel@example.com") == true)
            } catch let error as InputError {
                #expect(!valid && error.exitCode == 65 && error.message.contains("email.team"), "\(error.message)")
            }
        }
    }

    /// A digest recorded but not written (a crash, an unwritable outbox) is written by the next
    /// run, once.
    @Test func anOwedDigestIsWrittenByTheNextRun() throws {
        let folder = try temporaryDirectory()
        let ledgerPath = try northwindLedger(in: folder)
        let blocked = folder.appendingPathComponent("blocked")
        try write("not a folder", to: blocked)
        #expect(throws: InputError.self) { try partnerDigest(ledgerPath, blocked, "2026-11-23") }
        let ledger = try Ledger(path: ledgerPath)
        #expect(try ledger.undeliveredDigests().map(\.recipient) == ["P-NORTHWIND"])
        let outbox = folder.appendingPathComponent("outbox")
        let rerun = try partnerDigest(ledgerPath, outbox, "2026-11-23")
        #expect(rerun.digested.isEmpty && rerun.alreadySent == ["P-NORTHWIND"] && rerun.messages.count == 1)
        #expect(try emls(outbox).count == 1)
        #expect(try ledger.undeliveredDigests().isEmpty)
    }
}

/// Issue 14 on PostgreSQL: the same digests as on SQLite, once per period.
@Suite("Digests on a PostgreSQL ledger", .serialized,
       .enabled(if: PostgresTestServer.isAvailable, Comment(rawValue: PostgresTestServer.skipMessage)))
struct PostgresDigestTests {
    @Test func sameDigestsAsSQLite() throws {
        let folder = try temporaryDirectory()
        var bodies: [String: [String]] = [:]
        for (backend, ledger) in ["sqlite": folder.appendingPathComponent("ledger.sqlite").path,
                                  "postgres": try PostgresTestServer.freshDatabase()] {
            var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                                 policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                                 outputDirectory: folder.appendingPathComponent("\(backend)/out").path,
                                                 uploads: [samplePath("northwind-2026-11-20.csv")], ledgerPath: ledger)
            configuration.actor = "batch"
            _ = try BatchRunner(configuration: configuration).run()
            let outbox = folder.appendingPathComponent("\(backend)/outbox")
            for _ in 0..<2 {   // the second run of the week writes nothing
                _ = try Digests.partners(ledgerPath: ledger, partnersPath: samplePath("partners.csv"), policyPath: samplePath("policy.yaml"),
                                         outbox: outbox.path, templatesFolder: nil, asOf: Day(iso: "2026-11-27")!, actor: "cron")
                _ = try Digests.team(ledgerPath: ledger, policyPath: samplePath("policy.yaml"), outbox: outbox.path, templatesFolder: nil,
                                     to: "channel@example.com", overdueDays: nil, asOf: Day(iso: "2026-11-27")!, actor: "cron")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }.sorted()
            bodies[backend] = try names.map { name in
                try String(contentsOfFile: outbox.appendingPathComponent(name).path, encoding: .utf8)
                    .replacing(/(?m)^Date: [^\r\n]*/, with: "Date: …")
            }
            #expect(names.filter { $0.hasPrefix("digest-") }.count == 2, "\(backend): \(names)")
            #expect(try Ledger(path: ledger).digestRecipients(audience: .team, period: "2026-W48") == ["channel@example.com"])
        }
        #expect(bodies["sqlite"] == bodies["postgres"])
    }
}
