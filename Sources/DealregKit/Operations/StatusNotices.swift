import DealregLedger
import DealregPolicy
import Foundation

/// Tells partners of the status changes made after the batch (approved or rejected from
/// review, expired, extended, withdrawn): the email each change owes is recorded in the
/// change's own transaction (`Ledger.transition`), then written into the outbox, once.
public struct StatusNotices {
    private let partners: PartnerDirectory
    private let composer: PartnerMail
    private let policy: Policy
    public let outbox: String

    public init(partnersPath: String, policy: Policy, outbox: String, templatesFolder: String?, asOf: Day) throws {
        partners = try PartnerDirectory.load(path: partnersPath)
        composer = try PartnerMail(templatesFolder: templatesFolder, settings: policy.email, asOf: asOf)
        self.policy = policy
        self.outbox = outbox
    }

    /// What a ledger status change calls inside its transaction; nil for a partner without an address.
    public var notifier: StatusNotifier {
        Self.notifier(partners: partners, policy: policy, composer: composer)
    }

    /// The notifier of status changes made by a batch (closed as won), with the batch's partners and composer.
    static func notifier(partners: PartnerDirectory, policy: Policy, composer: PartnerMail) -> StatusNotifier {
        { changed, action, note, sequence in
            guard let partner = partners.partner(changed.partnerID), let email = partner.email,
                  let (name, message) = try composer.statusChange(partner: partner, email: email, registration: changed,
                                                                  action: action, note: note, sequence: sequence, policy: policy)
            else { return nil }
            return (name, message.rendered())
        }
    }

    /// Writes every email the ledger still owes into the outbox (this command's notices, and
    /// anything an earlier failed outbox left); their names.
    public func deliver(from ledger: Ledger) throws -> [String] {
        try Outbox(folder: outbox).deliverOwed(from: ledger)
    }
}
