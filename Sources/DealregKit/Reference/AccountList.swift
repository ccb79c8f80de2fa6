import DealregIdentity
import DealregRules

/// A policy's list of named accounts (direct-reserved or blocked), indexed for matching: the
/// rule engine's ``ListedAccounts``, loaded from its file here.
public typealias AccountList = ListedAccounts

extension ListedAccounts {
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
            list.add(identity, line: row.line, note: row.value("note"))
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
