import DealregPolicy
import Foundation

/// The JSON Schema of the policy file (`schemas/policy.schema.json`), built from
/// the same defaults the loader uses, so the two cannot drift.
public enum PolicySchema {
    /// One documented key: JSON Schema fragment plus description.
    struct Key {
        let name: String
        let schema: [String: Any]
    }

    static func property(_ type: Any, _ description: String, default value: Any? = nil, extra: [String: Any] = [:]) -> [String: Any] {
        var schema: [String: Any] = ["type": type, "description": description]
        if let value { schema["default"] = value }
        return schema.merging(extra) { $1 }
    }

    /// The schema as a JSON object.
    public static var document: [String: Any] {
        let defaults = Policy()
        let properties: [String: Any] = [
            "currency": property("string", "ISO 4217 currency of amounts that name none and of direct_reserved.min_deal_value.",
                                 default: defaults.currency, extra: ["pattern": "^[A-Z]{3}$"]),
            "date_order": property("string", "How to read ambiguous dates like 03/04/2027.", default: defaults.dateOrder.rawValue,
                                   extra: ["enum": DateOrder.allCases.map(\.rawValue)]),
            "validity_days": property("integer", "Protection window of an approved registration, in days.",
                                      default: defaults.validityDays, extra: ["minimum": 1, "maximum": 3650]),
            "extension_days": property("integer", "Days one extension adds.", default: defaults.extensionDays,
                                       extra: ["minimum": 1, "maximum": 3650]),
            "max_extensions": property("integer", "How many times a registration may be extended.", default: defaults.maxExtensions,
                                       extra: ["minimum": 0, "maximum": 100]),
            "review_sla_days": property("integer", "Days a registration may wait for review before `review list` flags it overdue; changes no decision (not part of the policy version).",
                                        default: defaults.reviewSLADays, extra: ["minimum": 0, "maximum": 365]),
            "reregister_after_days": property("integer", "Days after a partner's registration of an account ends (expired or withdrawn) before the same partner may register it again.",
                                              default: defaults.reregisterAfterDays, extra: ["minimum": 0, "maximum": 3650]),
            "reminder_days": property("integer", "Remind the partner this many days before expiry.", default: defaults.reminderDays,
                                      extra: ["minimum": 0, "maximum": 3650]),
            "max_active_per_partner": property("integer", "Active registrations a partner may hold; partners.csv max_active overrides it.",
                                               default: defaults.maxActivePerPartner, extra: ["minimum": 0]),
            "direct_reserved": [
                "type": "object", "additionalProperties": false,
                "description": "Deals and accounts reserved for direct sales.",
                "properties": [
                    "min_deal_value": property(["number", "null"], "Deals at or above this value (policy currency) go to direct sales; null switches the rule off.",
                                               default: defaults.directReserved.minDealValue, extra: ["minimum": 0]),
                    "accounts_file": property(["string", "null"], "CSV of named accounts reserved for direct sales (schemas/accounts.schema.json), relative to the policy file."),
                ],
            ] as [String: Any],
            "blocked_accounts_file": property(["string", "null"], "CSV of sanctioned or do-not-sell accounts (schemas/accounts.schema.json), relative to the policy file."),
            "existing_customers": property("string", "What a registration of a won deal's account gets.",
                                           default: defaults.existingCustomers.rawValue, extra: ["enum": ExistingCustomers.allCases.map(\.rawValue)]),
            "direct_activity_days": property("integer", "An open direct deal touched within this many days blocks registration.",
                                             default: defaults.directActivityDays, extra: ["minimum": 0]),
            "territory": property("string", "Outside the partner's territories: enforce declines, review sends to a channel manager, ignore skips the check.",
                                  default: defaults.territory.rawValue, extra: ["enum": TerritoryMode.allCases.map(\.rawValue)]),
            "require_consent": property("boolean", "Require the consent column to say yes.", default: defaults.requireConsent),
            "auto_approve": [
                "type": "object", "description": "Confidence (0-100) needed for automatic approval, by partner tier; 'default' for tiers not listed.",
                "default": defaults.autoApprove, "additionalProperties": ["type": "integer", "minimum": 0, "maximum": 100],
            ] as [String: Any],
            "shadow_mode": property("boolean", "Decide every row but send every row to review, recording the would-be decision.",
                                    default: defaults.shadowMode),
            "match": [
                "type": "object", "additionalProperties": false,
                "description": "Thresholds on the match probability (per cent) and how a name's sites are treated.",
                "properties": [
                    "duplicate_score": property("integer", "At or above: duplicate.", default: defaults.match.duplicateScore,
                                                extra: ["minimum": 1, "maximum": 100]),
                    "review_score": property("integer", "At or above (below duplicate_score): possible duplicate, sent to review.",
                                             default: defaults.match.reviewScore, extra: ["minimum": 1, "maximum": 100]),
                    "sites": property("string", "separate: sites of one name at clearly different street addresses with different phones are different accounts (related, below review_score); without both phones a different street counts as evidence against; same: a name's sites are one account.",
                                      default: defaults.match.sites.rawValue, extra: ["enum": ScoreRules.Sites.allCases.map(\.rawValue)]),
                ],
            ] as [String: Any],
            "email": [
                "type": "object", "additionalProperties": false,
                "description": "Sender, subjects, signature and delivery of partner emails; not part of the policy version.",
                "properties": [
                    "from": property("string", "Sender, e.g. Partner Ops <ops@example.com>.", default: defaults.email.from),
                    "reply_to": property(["string", "null"], "Where partners' replies go."),
                    "team": property(["string", "null"], "The channel team's address, e.g. Channel Team <channel@example.com>: where dealreg digest team sends the weekly team digest."),
                    "subject": property("string", "Mustache template of the results subject ({{file}}, {{approved}}, {{attention_count}}, {{partner_name}}).",
                                        default: defaults.email.subject),
                    "reminder_subject": property("string", "Mustache template of the reminder subject ({{count}}, {{partner_name}}).",
                                                 default: defaults.email.reminderSubject),
                    "status_subject": property("string", "Mustache template of the subject of a status change ({{account}}, {{event}}, {{registration_id}}, {{partner_name}}).",
                                               default: defaults.email.statusSubject),
                    "signature": property("string", "Closing line of every email.", default: defaults.email.signature),
                    "sendmail": property("string", "Command that delivers one message from standard input (dealreg send, --send).",
                                         default: defaults.email.sendmail),
                ],
            ] as [String: Any],
            "exchange_rates": [
                "type": "object", "description": "Value of one unit of each currency in the policy currency, for the direct-sales threshold; a deal in a currency without a rate goes to review.",
                "propertyNames": ["pattern": "^[A-Z]{3}$"], "additionalProperties": ["type": "number", "exclusiveMinimum": 0],
            ] as [String: Any],
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "dealreg policy",
            "description": "Rules of engagement dealreg enforces (POLICY.md). Every key is optional; unknown keys are errors.",
            "type": "object", "additionalProperties": false, "properties": properties,
        ]
    }

    /// Pretty, key-sorted JSON as checked in under `schemas/`.
    public static func jsonText() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Top-level and nested key names the schema documents, as dotted paths.
    public static var documentedKeys: [String] {
        guard let properties = document["properties"] as? [String: Any] else { return [] }
        return properties.keys.sorted().flatMap { key -> [String] in
            guard let nested = (properties[key] as? [String: Any])?["properties"] as? [String: Any] else { return [key] }
            return nested.keys.sorted().map { "\(key).\($0)" }
        }
    }
}
