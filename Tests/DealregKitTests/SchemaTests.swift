import DealregKit
import Foundation
import Testing

@Suite("Schemas and header mapping")
struct SchemaTests {
    /// The checked-in schema files are exactly what the code uses.
    @Test(arguments: ["upload", "snapshot", "partners", "results"])
    func schemaFileMatchesCode(_ name: String) throws {
        let file = repositoryRoot.appendingPathComponent("schemas/\(name).schema.json")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        #expect(onDisk == (try Schemas.named(name)!.jsonText()),
                "schemas/\(name).schema.json is stale: regenerate with `swift run dealreg schema \(name) > schemas/\(name).schema.json`")
    }

    @Test func resultsSchemaListsTheWrittenColumns() {
        #expect(Schemas.results.fields.map(\.name) == ResultRecord.columns)
    }

    @Test func aliasesAreUnambiguous() {
        for schema in Schemas.all {
            var owner: [String: String] = [:]
            for field in schema.fields {
                for name in [field.name] + field.aliases {
                    let key = HeaderMapping.key(name)
                    #expect(owner[key] == nil || owner[key] == field.name, "\(schema.name): '\(name)' maps to \(owner[key] ?? "") and \(field.name)")
                    owner[key] = field.name
                }
            }
        }
    }

    @Test(arguments: [
        ("Company Name", "account_name"), ("ACCOUNT", "account_name"), ("Firma", "account_name"),
        ("Société", "account_name"), ("company-name", "account_name"), (" Website ", "account_domain"),
        ("E-Mail", "contact_email"), ("Betrag", "deal_value"), ("Amount", "deal_value"), ("PLZ", "postal_code"),
        ("Zip Code", "postal_code"), ("Expected Close Date", "expected_close_date"), ("partner_id", "partner_id"),
        ("Partner ID", "partner_id"), ("Land", "country"), ("submitted", "submitted_at"),
    ])
    func mapsHeader(_ header: String, _ field: String) {
        let mapping = HeaderMapping(header: [header], schema: Schemas.upload)
        let index = Schemas.upload.fields.firstIndex { $0.name == field }!
        #expect(mapping.columnForField[index] == 0, "\(header)")
    }

    @Test func reportsMissingDuplicateAndUnmappedColumns() {
        let mapping = HeaderMapping(header: ["Company", "Account", "Territory Manager", "Amount"], schema: Schemas.upload)
        #expect(mapping.missingRequired == ["partner_id", "expected_close_date"])
        #expect(mapping.unmappedColumns == [1, 2])
        #expect(mapping.duplicateColumns.map(\.field) == ["account_name"])
    }
}
