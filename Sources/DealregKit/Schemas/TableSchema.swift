import Foundation

/// A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/)
/// describing one of dealreg's CSV files. The schemas in `schemas/` are
/// generated from these values (`dealreg schema NAME`), and a test keeps them equal.
public struct TableSchema: Encodable, Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var fields: [Field]
    public var missingValues: [String] = [""]

    public struct Field: Encodable, Sendable {
        public var name: String
        public var type: String
        public var format: String?
        public var description: String
        /// Header names, besides `name`, that map to this field (matched case- and punctuation-insensitively).
        public var aliases: [String]
        public var constraints: Constraints?

        public init(_ name: String, _ type: String = "string", format: String? = nil, required: Bool = false,
                    enumeration: [String]? = nil, aliases: [String] = [], _ description: String) {
            self.name = name
            self.type = type
            self.format = format
            self.description = description
            self.aliases = aliases
            constraints = required || enumeration != nil ? Constraints(required: required ? true : nil, enum: enumeration) : nil
        }

        public var isRequired: Bool { constraints?.required == true }
    }

    public struct Constraints: Encodable, Sendable {
        public var required: Bool?
        public var `enum`: [String]?
    }

    /// Pretty, key-sorted JSON as checked in under `schemas/`.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public func field(named name: String) -> Field? { fields.first { $0.name == name } }
    public var requiredFieldNames: [String] { fields.filter(\.isRequired).map(\.name) }
}
