import ArgumentParser
import DealregKit
import Foundation

/// Options of commands that write partner emails.
struct MailOptions: ParsableArguments {
    @Option(help: "Write partner emails (.eml) to this folder.") var outbox: String?
    @Option(help: "Folder of Mustache templates replacing the shipped ones (results.txt.mustache, ...).") var templates: String?
    @Flag(help: "Deliver the outbox through the policy's email.sendmail command.") var send = false

    func validate() throws {
        if send && outbox == nil { throw ValidationError("--send needs --outbox") }
    }

    func apply(to configuration: inout RunConfiguration) {
        configuration.outbox = outbox
        configuration.templatesFolder = templates
        configuration.send = send
    }
}

/// Options of the ledger commands that change a status: the partner is emailed through the outbox.
struct NoticeOptions: ParsableArguments {
    @Option(help: "Email the partner of this status change: write the message (.eml) to this folder.") var outbox: String?
    @Option(help: "Partner list (CSV) with each partner's email address; needed with --outbox.") var partners: String?
    @Option(help: "Folder of Mustache templates replacing the shipped ones (status-approved.txt.mustache, ...).") var templates: String?
    @Flag(help: "Deliver the outbox through the policy's email.sendmail command.") var send = false

    func validate() throws {
        if send && outbox == nil { throw ValidationError("--send needs --outbox") }
        if outbox != nil && partners == nil { throw ValidationError("--outbox needs --partners (the partners' email addresses)") }
    }

    /// The notices of this command's status changes, or nil without --outbox.
    func notices(policy: Policy, asOf: Day) throws -> StatusNotices? {
        guard let outbox, let partners else { return nil }
        return try StatusNotices(partnersPath: partners, policy: policy, outbox: outbox, templatesFolder: templates, asOf: asOf)
    }

    /// One status change at the desk, the same for every command that makes one: load the policy,
    /// prepare the partner notices, open the ledger, let `change` record it (and print what it did),
    /// then write and send what the ledger now owes the partners.
    func change(ledger options: LedgerOptions, policy path: String?, asOf day: Day,
                _ change: (_ policy: EffectivePolicy, _ desk: LedgerDesk, _ notify: StatusNotifier?) throws -> Void) throws {
        try mapErrors {
            let effective = try EffectivePolicy.load(path: path)
            let notices = try notices(policy: effective.policy, asOf: day)
            let desk = try options.desk()
            try change(effective, desk, notices?.notifier)
            try deliver(notices, ledger: desk.ledger, policy: effective.policy)
        }
    }

    /// Writes what the ledger owes into the outbox (and sends it with --send); one line per message.
    func deliver(_ notices: StatusNotices?, ledger: Ledger, policy: Policy) throws {
        guard let notices else { return }
        let written = try notices.deliver(from: ledger)
        for name in written { print("  email: \(name)") }
        if send { _ = try Outbox(folder: notices.outbox).send(command: policy.email.sendmail) }
    }
}

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver the messages waiting in an outbox; failed ones stay for the next try.",
        discussion: "Each .eml goes to the command on standard input; it moves to OUTBOX/sent only when the command succeeds. Exit 1 when any message failed (see OUTBOX/send.log).")
    @Option(help: "The outbox folder.") var outbox: String
    @Option(help: "Delivery command (default: the policy's email.sendmail, /usr/sbin/sendmail -t -i).") var sendmail: String?
    @Option(help: "Policy file (YAML) naming the delivery command.") var policy: String?

    func run() throws {
        try sendOutbox(outbox, command: sendmail ?? mapErrors { try EffectivePolicy.load(path: policy).policy.email.sendmail })
    }
}

/// Delivers an outbox through `command` and says how it went: one summary line, each failure on
/// standard error, exit 1 when any message failed (it stays in the outbox for the next try).
func sendOutbox(_ outbox: String, command: String) throws {
    let delivery = try Outbox(folder: outbox).send(command: command)
    print("dealreg: \(delivery.sent.count) message(s) sent, \(delivery.failed.count) failed")
    for failure in delivery.failed { printError("dealreg: \(failure.file): \(failure.error)") }
    if !delivery.failed.isEmpty { throw ExitCode(1) }
}

struct Remind: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Email partners the registrations that expire within the policy's reminder_days.",
        discussion: "Each registration is reminded once per expiry date; an extension opens a new reminder window.")
    @OptionGroup var options: LedgerOptions
    @Option(help: "Partner list (CSV).") var partners: String
    @Option(help: "Policy file (YAML).") var policy: String?
    @Option(help: "Write the emails (.eml) to this folder.") var outbox: String
    @Option(help: "Folder of Mustache templates replacing the shipped ones.") var templates: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today.") var asOf: String?
    @Flag(help: "Deliver the outbox through the policy's email.sendmail command.") var send = false

    func run() throws {
        let day = try parseAsOf(asOf)
        let report = try mapErrors {
            try Reminders.run(ledgerPath: options.ledger, partnersPath: partners, policyPath: policy, outbox: outbox,
                              templatesFolder: templates, asOf: day, actor: options.auditActor)
        }
        print("dealreg: \(report.reminded) registration(s) reminded in \(report.messages.count) message(s)")
        if !report.notNotified.isEmpty { print("not notified (no email address): \(report.notNotified.joined(separator: ", "))") }
        if send {
            let command = try mapErrors { try EffectivePolicy.load(path: policy).policy.email.sendmail }
            let delivery = try Outbox(folder: outbox).send(command: command)
            print("dealreg: \(delivery.sent.count) message(s) sent, \(delivery.failed.count) failed")
        }
    }
}
