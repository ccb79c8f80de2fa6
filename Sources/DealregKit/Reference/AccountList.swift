import DealregIdentity

/// A policy's list of named accounts (direct-reserved or blocked), indexed for matching.
public struct AccountList: Sendable {
    public let path: String
    /// Entry `i` of the index is the account on `lines[i]`.
    public private(set) var index = AccountIndex()
    public private(set) var lines: [Int] = []
    public private(set) var notes: [String?] = []

    /// Loads the list; any unusable row stops the batch, because the list decides approvals.
    public static func load(path: String, role: String) throws -> AccountList {
        let reader = try openTable(path: path, schema: Schemas.accounts, role: role)
        var list = AccountList(path: path)
        var problems: [String] = []
        let identities = IdentityBuilder()
        while let row = try readRow(reader, path: path) {
            if let problem = row.problem { problems.append("\(path): line \(row.line): \(describe(problem))"); continue }
            let identity = identities.identity(AccountFields(name: row.value("account_name"), website: row.value("account_domain"),
                                                             country: row.value("country")))
            guard identity.isUsable else {
                problems.append("\(path): line \(row.line): needs an account_name or a valid account_domain")
                continue
            }
            list.index.add(identity)
            list.lines.append(row.line)
            list.notes.append(row.value("note"))
        }
        if reader.mapping.columnForField[0] == nil && reader.mapping.columnForField[1] == nil {
            problems.insert("\(path): the \(role) needs an account_name or account_domain column", at: 0)
        }
        guard problems.isEmpty else {
            throw InputError(.invalid, problems.count == 1 ? problems[0]
                                : "\(path): \(problems.count) problems:\n" + problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        return list
    }
}
