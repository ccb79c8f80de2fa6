import Foundation

/// A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/)
/// describing one of dealreg's CSV files. The schemas in `schemas/` are
/// generated from these values (`dealreg schema NAME`), and a test keeps them equal.
///
/// They validate with the standard tool as written (`frictionless validate --schema
/// schemas/snapshot.schema.json samples/snapshot.csv`): fields are listed in the order the
/// sample files hold them, and `fieldsMatch` (Table Schema v2) says how dealreg pairs columns
/// with fields — by name, required fields present, optional ones possibly absent and, where
/// dealreg carries or ignores them, other columns allowed. Header aliases are an extension,
/// `x-aliases`, which only dealreg reads (`HeaderMapping`).
public struct TableSchema: Encodable, Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var fields: [Field]
    public var missingValues: [String] = [""]
    /// How a file's columns pair with `fields` (Table Schema v2): `partial` for the files dealreg
    /// reads (by name; required fields must be there, other columns are allowed).
    public var fieldsMatch: String? = "partial"

    public struct Field: Encodable, Sendable {
        public var name: String
        public var type: String
        public var format: String?
        public var description: String
        /// Header names, besides `name`, that map to this field (matched case- and punctuation-insensitively),
        /// written as `x-aliases`: an extension property, which validators ignore.
        public var aliases: [String]
        public var constraints: Constraints?

        public init(_ name: String, _ type: String = "string", format: String? = nil, required: Bool = false,
                    enumeration: [String]? = nil, pattern: String? = nil, aliases: [String] = [], _ description: String) {
            self.name = name
            self.type = type
            self.format = format
            self.description = description
            self.aliases = aliases
            constraints = required || enumeration != nil || pattern != nil
                ? Constraints(required: required ? true : nil, enum: enumeration, pattern: pattern) : nil
        }

        enum CodingKeys: String, CodingKey {
            case name, type, format, description, constraints
            case aliases = "x-aliases"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(format, forKey: .format)
            try container.encode(description, forKey: .description)
            if !aliases.isEmpty { try container.encode(aliases, forKey: .aliases) }
            try container.encodeIfPresent(constraints, forKey: .constraints)
        }

        public var isRequired: Bool { constraints?.required == true }
    }

    public struct Constraints: Encodable, Sendable {
        public var required: Bool?
        public var `enum`: [String]?
        /// A regular expression the whole value must match (XML Schema / Python `re` syntax).
        public var pattern: String?
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
