import DealregKit
import Foundation
import Testing

@Suite("Schemas and header mapping")
struct SchemaTests {
    /// The checked-in schema files are exactly what the code uses.
    @Test(arguments: ["upload", "snapshot", "partners", "accounts", "results", "policy"])
    func schemaFileMatchesCode(_ name: String) throws {
        let file = repositoryRoot.appendingPathComponent("schemas/\(name).schema.json")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        let generated = name == "policy" ? try PolicySchema.jsonText() : try Schemas.named(name)!.jsonText()
        #expect(onDisk == generated,
                "schemas/\(name).schema.json is stale: regenerate with `swift run dealreg schema \(name) > schemas/\(name).schema.json`")
    }

    @Test func resultsSchemaListsTheWrittenColumns() {
        #expect(Schemas.results.fields.map(\.name) == ResultRecord.columns)
        #expect(Array(ResultRecord.columns.prefix(ResultRecord.partnerColumns.count)) == ResultRecord.partnerColumns)
    }

    /// Every key the policy schema documents is accepted by the loader, with the documented default.
    @Test func policySchemaAndLoaderAgree() throws {
        let defaults: [String: String] = [
            "currency": "USD", "date_order": "MDY", "validity_days": "90", "extension_days": "30", "max_extensions": "2",
            "reminder_days": "14", "review_sla_days": "3", "reregister_after_days": "30", "max_active_per_partner": "25", "blocked_accounts_file": "null",
            "existing_customers": "review", "direct_activity_days": "90", "territory": "enforce", "require_consent": "false",
            "auto_approve": "{default: 70}", "shadow_mode": "false", "exchange_rates": "{}",
        ]
        var yaml = ""
        var nested: [String: [String]] = [:]
        for key in PolicySchema.documentedKeys {
            let parts = key.split(separator: ".").map(String.init)
            if parts.count == 2 { nested[parts[0], default: []].append(parts[1]); continue }
            yaml += "\(key): \(try #require(defaults[key], "no default written for \(key)"))\n"
        }
        let email = Policy().email
        let nestedDefaults = ["min_deal_value": "100000", "accounts_file": "null", "duplicate_score": "90", "review_score": "50",
                              "sites": "separate",
                              "from": "'\(email.from)'", "reply_to": "null", "team": "null", "subject": "'\(email.subject)'",
                              "reminder_subject": "'\(email.reminderSubject)'", "status_subject": "'\(email.statusSubject)'", "signature": "'\(email.signature)'",
                              "sendmail": "'\(email.sendmail)'"]
        for (parent, children) in nested.sorted(by: { $0.key < $1.key }) {
            yaml += "\(parent):\n" + children.map { "  \($0): \(nestedDefaults[$0]!)\n" }.joined()
        }
        #expect(try PolicyLoader.parse(yaml: yaml, source: "p.yaml") == Policy())
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
