import Yams

/// Every problem found in a policy file, each naming its key and line.
public struct PolicyError: Error, CustomStringConvertible, Equatable {
    public let source: String
    public let problems: [String]
    public init(source: String, problems: [String]) {
        self.source = source
        self.problems = problems
    }
    public var description: String {
        problems.count == 1 ? "\(source): \(problems[0])"
            : "\(source): \(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Reads a policy YAML file. Unknown keys and bad values are errors that name
/// the key; all of them are reported at once.
public enum PolicyLoader {
    public static func parse(yaml: String, source: String) throws -> Policy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PolicyError(source: source, problems: ["not valid YAML: \(error)"])
        }
        var policy = Policy()
        guard let root else { return policy }
        var reader = MappingReader(node: root, path: "")
        policy.currency = reader.string("currency", default: policy.currency, check: checkCurrency)
        policy.dateOrder = reader.choice("date_order", default: policy.dateOrder)
        policy.validityDays = reader.integer("validity_days", default: policy.validityDays, range: 1...3650)
        policy.extensionDays = reader.integer("extension_days", default: policy.extensionDays, range: 1...3650)
        policy.maxExtensions = reader.integer("max_extensions", default: policy.maxExtensions, range: 0...100)
        policy.reregisterAfterDays = reader.integer("reregister_after_days", default: policy.reregisterAfterDays, range: 0...3650)
        policy.reminderDays = reader.integer("reminder_days", default: policy.reminderDays, range: 0...3650)
        policy.reviewSLADays = reader.integer("review_sla_days", default: policy.reviewSLADays, range: 0...365)
        policy.maxActivePerPartner = reader.integer("max_active_per_partner", default: policy.maxActivePerPartner, range: 0...1_000_000)
        if var direct = reader.mapping("direct_reserved") {
            policy.directReserved.minDealValue = direct.number("min_deal_value", default: policy.directReserved.minDealValue)
            policy.directReserved.accountsFile = direct.optionalString("accounts_file")
            reader.absorb(direct.finish())
        }
        policy.blockedAccountsFile = reader.optionalString("blocked_accounts_file")
        policy.existingCustomers = reader.choice("existing_customers", default: policy.existingCustomers)
        policy.directActivityDays = reader.integer("direct_activity_days", default: policy.directActivityDays, range: 0...36500)
        policy.territory = reader.choice("territory", default: policy.territory)
        policy.requireConsent = reader.boolean("require_consent", default: policy.requireConsent)
        if var tiers = reader.mapping("auto_approve") {
            policy.autoApprove = tiers.integers(range: 0...100).reduce(into: [:]) { $0[$1.key.lowercased()] = $1.value }
            if policy.autoApprove["default"] == nil { policy.autoApprove["default"] = 70 }
            reader.absorb(tiers.finish())
        }
        policy.shadowMode = reader.boolean("shadow_mode", default: policy.shadowMode)
        if var match = reader.mapping("match") {
            policy.match.duplicateScore = match.integer("duplicate_score", default: policy.match.duplicateScore, range: 1...100)
            policy.match.reviewScore = match.integer("review_score", default: policy.match.reviewScore, range: 1...100)
            policy.match.sites = match.choice("sites", default: policy.match.sites)
            reader.absorb(match.finish())
            if policy.match.reviewScore > policy.match.duplicateScore {
                reader.problems.append("match.review_score (\(policy.match.reviewScore)) must not exceed match.duplicate_score (\(policy.match.duplicateScore))")
            }
        }
        if var rates = reader.mapping("exchange_rates") {
            for (code, value) in rates.numbers() {
                if let problem = checkCurrency(code) { rates.problems.append("exchange_rates.\(code): \(problem)") }
                policy.exchangeRates[code] = value
            }
            reader.absorb(rates.finish())
        }
        if var email = reader.mapping("email") {
            let defaults = policy.email
            let address: (String) -> String? = { $0.contains("@") ? nil : "expected an address such as Partner Ops <ops@example.com>" }
            policy.email.from = email.string("from", default: defaults.from, check: address)
            policy.email.replyTo = email.optionalString("reply_to")
            policy.email.team = email.optionalString("team")
            if let team = policy.email.team, let problem = address(team) { email.problems.append("email.team: \(problem), got '\(team)'") }
            policy.email.subject = email.string("subject", default: defaults.subject) { _ in nil }
            policy.email.reminderSubject = email.string("reminder_subject", default: defaults.reminderSubject) { _ in nil }
            policy.email.statusSubject = email.string("status_subject", default: defaults.statusSubject) { _ in nil }
            policy.email.signature = email.string("signature", default: defaults.signature) { _ in nil }
            policy.email.sendmail = email.string("sendmail", default: defaults.sendmail) { $0.isEmpty ? "expected a command" : nil }
            reader.absorb(email.finish())
        }
        let problems = reader.finish()
        guard problems.isEmpty else { throw PolicyError(source: source, problems: problems) }
        return policy
    }

    static func checkCurrency(_ value: String) -> String? {
        value.count == 3 && value.allSatisfy { $0.isUppercase && $0.isASCII } ? nil : "expected a three-letter ISO 4217 code such as USD"
    }
}

/// Walks one YAML mapping, remembering which keys were read so the rest can be reported as unknown.
struct MappingReader {
    private var entries: [(key: String, value: Node, line: Int)] = []
    private var used = Set<String>()
    private let path: String
    var problems: [String] = []

    init(node: Node, path: String) {
        self.path = path
        guard case .mapping(let mapping) = node else {
            problems.append("\(path.isEmpty ? "the policy" : path) must be a mapping of keys to values")
            return
        }
        for (key, value) in mapping {
            entries.append((key.string ?? "?", value, (key.mark?.line ?? 0)))
        }
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func lookup(_ key: String) -> (Node, Int)? {
        used.insert(key)
        return entries.first { $0.key == key }.map { ($0.value, $0.line) }
    }

    private mutating func fail(_ key: String, line: Int, _ message: String, got node: Node) {
        let shown = node.string.map { "'\($0)'" } ?? "a \(node.kindName)"
        problems.append("line \(line): \(qualified(key)): \(message), got \(shown)")
    }

    mutating func string(_ key: String, default value: String, check: (String) -> String?) -> String {
        guard let (node, line) = lookup(key) else { return value }
        guard case .scalar = node, let text = node.string else {
            fail(key, line: line, "expected text", got: node)
            return value
        }
        if let message = check(text) {
            fail(key, line: line, message, got: node)
            return value
        }
        return text
    }

    /// A text value that may be absent or null.
    mutating func optionalString(_ key: String) -> String? {
        guard let (node, line) = lookup(key) else { return nil }
        if node.null != nil { return nil }
        guard case .scalar = node, let text = node.string, !text.isEmpty else {
            fail(key, line: line, "expected a file path", got: node)
            return nil
        }
        return text
    }

    mutating func integer(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let (node, line) = lookup(key) else { return value }
        guard case .scalar = node, let number = node.int, range.contains(number) else {
            fail(key, line: line, "expected a whole number from \(range.lowerBound) to \(range.upperBound)", got: node)
            return value
        }
        return number
    }

    /// A number ≥ 0, or null to switch the rule off.
    mutating func number(_ key: String, default value: Double?) -> Double? {
        guard let (node, line) = lookup(key) else { return value }
        if node.null != nil { return nil }
        guard case .scalar = node, let number = node.float, number >= 0 else {
            fail(key, line: line, "expected a number ≥ 0 (or null to switch the rule off)", got: node)
            return value
        }
        return number
    }

    mutating func boolean(_ key: String, default value: Bool) -> Bool {
        guard let (node, line) = lookup(key) else { return value }
        guard case .scalar = node, let flag = node.bool else {
            fail(key, line: line, "expected true or false", got: node)
            return value
        }
        return flag
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, default value: T) -> T where T.RawValue == String {
        guard let (node, line) = lookup(key) else { return value }
        guard let text = node.string, let parsed = T(rawValue: text) else {
            fail(key, line: line, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", got: node)
            return value
        }
        return parsed
    }

    mutating func mapping(_ key: String) -> MappingReader? {
        guard let (node, _) = lookup(key) else { return nil }
        return MappingReader(node: node, path: qualified(key))
    }

    /// Every entry as a whole number in `range` (for free-form keys such as tier names).
    mutating func integers(range: ClosedRange<Int>) -> [(key: String, value: Int)] {
        entries.map(\.key).compactMap { key in
            let before = problems.count
            let value = integer(key, default: -1, range: range)
            return problems.count == before ? (key, value) : nil
        }
    }

    /// Every entry as a number > 0 (for free-form keys such as currency codes).
    mutating func numbers() -> [(key: String, value: Double)] {
        entries.map(\.key).compactMap { key in
            guard let (node, line) = lookup(key) else { return nil }
            guard case .scalar = node, let number = node.float, number > 0 else {
                fail(key, line: line, "expected a number > 0", got: node)
                return nil
            }
            return (key, number)
        }
    }

    mutating func absorb(_ nested: [String]) { problems.append(contentsOf: nested) }

    /// The problems found, unknown keys included.
    func finish() -> [String] {
        problems + entries.filter { !used.contains($0.key) }.map {
            "line \($0.line): unknown key '\(qualified($0.key))'"
        }
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: return "value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }
}
