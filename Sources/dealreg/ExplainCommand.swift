import ArgumentParser
import DealregIdentity
import DealregKit
import Foundation

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how an account compares with the snapshot's deals: each field's evidence for or against, in bits.",
        discussion: """
        Prints the best candidates (or the deal given with --deal) as a waterfall: the weight of every \
        field that agrees or disagrees, the prior, and the match probability in per cent. With --model, \
        prints the match model's parameters measured on the snapshot (m, u and the weight of every level).
        """)

    @Option(help: "CRM export of existing deals (CSV).") var snapshot: String
    @Option(help: "Policy file (YAML); documented defaults when absent.") var policy: String?
    @Option(name: .customLong("as-of"), help: "Treat this day (YYYY-MM-DD) as today; default: today in UTC.") var asOf: String?
    @Option(help: "The account's name.") var name: String?
    @Option(help: "The account's website.") var website: String?
    @Option(help: "A contact email.") var email: String?
    @Option(help: "Street address.") var address: String?
    @Option(help: "City.") var city: String?
    @Option(name: .customLong("postal-code"), help: "Postal code.") var postalCode: String?
    @Option(help: "Phone.") var phone: String?
    @Option(help: "Country (code or name).") var country: String?
    @Option(help: "Compare with this deal only.") var deal: String?
    @Option(help: "How many candidates to show.") var top = 3
    @Flag(help: "Print the match model's parameters.") var model = false

    func run() throws {
        let day = try parseAsOf(asOf)
        let explainer: MatchExplainer
        let effective: EffectivePolicy
        do {
            effective = try EffectivePolicy.load(path: policy)
            explainer = try MatchExplainer(snapshotPath: snapshot, policy: effective, asOf: day)
        } catch let error as InputError {
            printError("dealreg: \(error.message)")
            throw ExitCode(error.exitCode)
        }
        if model { print(explainer.model.parameterTable()) }
        guard name != nil || website != nil || email != nil else {
            if !model { throw ValidationError("give the account with --name (and --website, --address, ...), or --model") }
            return
        }
        let fields = AccountFields(name: name, website: website, email: email, country: country, city: city,
                                   postalCode: postalCode, phone: phone, address: address)
        let candidates = explainer.candidates(for: fields, deal: deal, top: top, rules: effective.policy.match.scoreRules)
        if candidates.isEmpty { print("no candidate: blocking finds no deal sharing a name word, key, domain or near spelling") }
        func line(_ weight: Double, _ text: String) {
            print("  \(MatchExplanation.signed(weight).padding(toLength: 6, withPad: " ", startingAt: 0)) \(text)")
        }
        for candidate in candidates {
            print("\(candidate.dealID): \(candidate.score) %")
            for contribution in candidate.explanation.contributions { line(contribution.weight, contribution.detail) }
            line(candidate.explanation.prior, "prior (match rate \(explainer.model.matchRate) over \(explainer.model.entryCount) deals)")
            if let cap = candidate.explanation.cap { print("  \(cap)") }
            print("  = \(candidate.score) %")
        }
    }
}
