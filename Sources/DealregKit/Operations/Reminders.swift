import DealregLedger
import DealregPolicy
import Foundation

/// `dealreg remind`: emails each partner its registrations that expire within `reminder_days`,
/// once per registration per expiry date.
public enum Reminders {
    public struct Report: Sendable {
        public var messages: [String] = []
        public var reminded = 0
        /// Partners with due registrations but no email address.
        public var notNotified: [String] = []
    }

    public static func run(ledgerPath: String, partnersPath: String, policyPath: String?, outbox: String,
                           templatesFolder: String?, asOf: Day, actor: String) throws -> Report {
        let policy = try EffectivePolicy.load(path: policyPath).policy
        let partners = try PartnerDirectory.load(path: partnersPath)
        let desk = try LedgerDesk(path: ledgerPath, actor: actor)
        let composer = try PartnerMail(templatesFolder: templatesFolder, settings: policy.email, asOf: asOf)
        var report = Report()
        let due = try desk.ledger.dueReminders(asOf: asOf, days: policy.reminderDays)
        for (partnerID, registrations) in Dictionary(grouping: due, by: \.partnerID).sorted(by: { $0.key < $1.key }) {
            guard let partner = partners.partner(partnerID), let email = partner.email else {
                report.notNotified.append(partnerID)
                continue
            }
            let (name, message) = try composer.reminder(partner: partner, email: email, registrations: registrations, policy: policy)
            try Outbox(folder: outbox).write(name, message)
            try desk.ledger.markReminded(registrations, actor: actor)
            report.messages.append(name)
            report.reminded += registrations.count
        }
        return report
    }
}
