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
        policy.currency = reader.string("currency", default: policy.currency) { value in
            value.count == 3 && value.allSatisfy { $0.isUppercase && $0.isASCII } ? nil : "expected a three-letter ISO 4217 code such as USD"
        }
        policy.dateOrder = reader.choice("date_order", default: policy.dateOrder)
        policy.validityDays = reader.integer("validity_days", default: policy.validityDays, range: 1...3650)
        if var match = reader.mapping("match") {
            policy.match.duplicateScore = match.integer("duplicate_score", default: policy.match.duplicateScore, range: 1...100)
            policy.match.reviewScore = match.integer("review_score", default: policy.match.reviewScore, range: 1...100)
            reader.absorb(match.finish())
            if policy.match.reviewScore > policy.match.duplicateScore {
                reader.problems.append("match.review_score (\(policy.match.reviewScore)) must not exceed match.duplicate_score (\(policy.match.duplicateScore))")
            }
        }
        let problems = reader.finish()
        guard problems.isEmpty else { throw PolicyError(source: source, problems: problems) }
        return policy
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

    mutating func integer(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let (node, line) = lookup(key) else { return value }
        guard case .scalar = node, let number = node.int, range.contains(number) else {
            fail(key, line: line, "expected a whole number from \(range.lowerBound) to \(range.upperBound)", got: node)
            return value
        }
        return number
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
