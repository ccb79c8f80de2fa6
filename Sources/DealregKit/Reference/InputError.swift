/// A problem that stops a batch from running at all. Row-level problems never
/// become an `InputError`: they become decisions.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable {
        /// A file is missing or cannot be read.
        case unreadable
        /// A file is readable but unusable (required columns, invalid policy or partner list).
        case invalid
        /// The output cannot be written.
        case cannotWrite
        /// Another batch holds the ledger.
        case busy
        /// The command was given wrong or missing options (a setting it needs is not given).
        case usage
    }

    public let kind: Kind
    /// One line naming the file and the problem.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The sysexits(3) code the CLI exits with.
    public var exitCode: Int32 {
        switch kind {
        case .unreadable: return 66
        case .invalid: return 65
        case .cannotWrite: return 73
        case .busy: return 75
        case .usage: return 64
        }
    }
}
