import Foundation

/// The languages partner-facing text is written in: emails (templates and subjects) and the
/// reason sentences of the partner's result files. Internal files (results for ops, the
/// ledger, audit logs) stay English.
public enum PartnerLanguage: String, Sendable, CaseIterable, Equatable {
    case english = "en"
    case german = "de"
    case french = "fr"
    case spanish = "es"
    case japanese = "ja"

    /// The language of a BCP 47 tag (`de`, `de-AT`, `fr_CA`, `ja-JP`, `zh-Hant-TW`), by RFC 4647
    /// lookup: the region and any other subtag are stripped until a supported language is left,
    /// and a language dealreg has no text for (`pt`, `it-CH`) falls back to English.
    /// Nil when the text is not a well-formed language tag (`German`, `d3`, `de--AT`): a
    /// partner-list problem, since a typo would otherwise send English mail silently.
    public init?(tag: String) {
        let text = tag.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "-")
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = subtags.first, (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }),
              subtags.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        else { return nil }
        self = PartnerLanguage(rawValue: primary.lowercased()) ?? .english
    }
}

/// A partner-facing sentence: a key of `PartnerText`'s catalogue and the values of its
/// `{placeholders}`. The English text is what internal files and the ledger keep.
public struct Sentence: Sendable, Equatable {
    public var key: String
    public var values: [String: String]

    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }

    /// The sentence in `language`, with its placeholders filled in.
    public func text(in language: PartnerLanguage = .english) -> String {
        PartnerText.render(PartnerText.template(key, language), values, language: language)
    }
}

/// The catalogue of partner-facing sentences and phrases, one table per language keyed alike.
///
/// Keys start with the reason code they explain (`invalid_value.website`), or `label.` (field
/// names as partners know them, filled into `{label}`), `mail.` (email subjects and words) or
/// `shadow_mode.`. Placeholders are `{name}`; a value is inserted as is. `{label}` is special:
/// its value is a field name (`account_name`), written as the language's `label.` entry.
/// Every key of the English table is in every other table with the same placeholders (tested).
public enum PartnerText {
    public static let tables: [PartnerLanguage: [String: String]] = [
        .english: english, .german: german, .french: french, .spanish: spanish, .japanese: japanese,
    ]

    /// The text of `key` in `language`, else in English, else the key itself.
    public static func template(_ key: String, _ language: PartnerLanguage) -> String {
        tables[language]?[key] ?? english[key] ?? key
    }

    /// `template` with its `{name}` placeholders replaced by `values` (unknown ones left as they are).
    static func render(_ template: String, _ values: [String: String], language: PartnerLanguage) -> String {
        guard template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), after[..<close].allSatisfy({ $0.isLetter || $0 == "_" }), !after[..<close].isEmpty,
               let value = values[String(after[..<close])] {
                let name = String(after[..<close])
                out += name == "label" ? (tables[language]?["label.\(value)"] ?? english["label.\(value)"] ?? value) : value
                rest = after[after.index(after: close)...]
            } else {
                out.append("{")
                rest = after
            }
        }
        return out + rest
    }

    /// The `{name}` placeholders of a template (a Mustache `{{name}}` counts as `name`).
    public static func placeholders(_ template: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), !after[..<close].isEmpty, after[..<close].allSatisfy({ $0.isLetter || $0 == "_" }) {
                names.insert(String(after[..<close]))
                rest = after[after.index(after: close)...]
            } else {
                rest = after
            }
        }
        return names
    }

    // MARK: - English (the reference: every other table has these keys)

    static let english: [String: String] = [
        "registered": "Approved: the account is registered to you until {date}.",
        "low_confidence": "A channel manager will review your registration; adding the company's website, contact and address helps us approve registrations automatically.",
        "blocked_account": "We cannot accept registrations for this account; please contact your channel manager if you have questions.",
        "blocked_account.possible": "This account may be one we handle differently; a channel manager will review your registration and let you know.",
        "direct_account.named": "This account is reserved for our direct sales team, so it cannot be registered by a partner.",
        "direct_account.possible": "This account may be one we handle differently; a channel manager will review your registration and let you know.",
        "direct_account.unknown_rate": "We could not check this deal's value against our direct-sales threshold because it is in {currency}; a channel manager will review it.",
        "direct_account.min_value": "Deals of {amount} {currency} or more are handled by our direct sales team, so this one cannot be registered by a partner.",
        "direct_account.recent_activity": "This account is already being worked by our direct sales team, so it cannot be registered.",
        "possible_duplicate.snapshot": "This account may already be registered; a channel manager will review your registration and let you know.",
        "possible_duplicate.batch": "Another registration of what may be the same account is being reviewed; a channel manager will decide and let you know.",
        "already_registered.snapshot": "This account is already registered to you; no new registration is needed.",
        "already_registered.snapshot_until": "This account is already registered to you until {date}; no new registration is needed.",
        "already_registered.batch": "You already registered this account in row {row} of {file}; it is registered to you.",
        "already_registered.batch_until": "You already registered this account in row {row} of {file}; it is registered to you until {date}.",
        "duplicate_existing_deal": "This account is already registered by another partner.",
        "duplicate_existing_deal.until": "This account is already registered by another partner until {date}.",
        "duplicate_in_batch": "Another partner registered this account in a file we received before yours, so it is protected for them.",
        "duplicate_in_batch.until": "Another partner registered this account in a file we received before yours, so it is protected for them until {date}.",
        "existing_customer.decline": "This company is already our customer, so it cannot be registered as a new prospect.",
        "existing_customer.review": "This company is already our customer; a channel manager will review your registration and let you know.",
        "reregistration_too_soon": "Your registration of this account ended on {ended}; you can register it again from {date}, {days} days after it ended.",
        "outside_territory.decline": "This prospect ({place}) is outside your territory, so it cannot be registered by you.",
        "outside_territory.review": "This prospect ({place}) is outside your territory; a channel manager will review your registration.",
        "partner_cap_reached": "You already hold {active} active registrations, the most your program allows ({limit}); register this account again when one of them closes or expires.",
        "unknown_partner": "Partner ID '{id}' is not in our partner list; check the ID or ask your channel manager.",
        "missing_required_field.column": "Your file has no {field} column; add a column named {field} with the {label} and send the row again.",
        "missing_required_field.empty": "The {label} is empty; fill it in and send the row again.",
        "missing_required_field.country_territory": "Add the prospect's country so we can check it is in your territory, and send the row again.",
        "missing_required_field.region_territory": "Add the prospect's state or region (e.g. {country}-XX) so we can check it is in your territory, and send the row again.",
        "missing_required_field.consent": "Our program requires the contact's consent; add a consent column saying yes and send the row again.",
        "invalid_value.consent_no": "The contact has not agreed to be contacted; we can register the account only with their consent.",
        "invalid_value.consent_unclear": "Consent '{value}' is not yes or no; write yes if the contact agreed to be contacted.",
        "invalid_value.too_long_value": "The {label} is longer than {kib} KiB, far more than any registration needs; check that row and send it again.",
        "invalid_value.contact_email": "Contact email '{value}' is not a valid email address; check it for typos.",
        "invalid_value.formula": "Account name '{value}' looks like a spreadsheet formula, not a company name; enter the company's name as text.",
        "invalid_value.name_no_letters": "Account name '{value}' has no letters or digits; enter the company's name.",
        "invalid_value.website": "Website '{value}' is not a valid web address; use the company's domain, e.g. example.com.",
        "invalid_value.country": "Country '{value}' is not a country we recognise; use a two-letter ISO code such as DE or US.",
        "invalid_value.currency": "Currency '{value}' is not a currency code we know; use a three-letter code such as USD or EUR.",
        "invalid_value.currency_mismatch": "Deal value '{value}' is in {named} but the currency column says {column}; make them agree.",
        "invalid_value.amount_not_number": "Deal value '{value}' is not a number; use digits, e.g. 12000.",
        "invalid_value.amount_ambiguous": "Deal value '{value}' could be read more than one way; write digits with at most one decimal point, e.g. 12500.00.",
        "invalid_value.amount_not_positive": "Deal value '{value}' must be greater than zero.",
        "invalid_value.close_date_past": "Expected close date {date} is in the past; enter the date you now expect the deal to close.",
        "invalid_value.close_date_unreadable": "Expected close date '{value}' is not a date we can read; use YYYY-MM-DD, e.g. 2027-03-31.",
        "invalid_value.close_date_no_such_day": "Expected close date '{value}' is not a real calendar date; check the day and month.",
        "invalid_value.close_date_order_mdy": "Expected close date '{value}' is not valid as month/day/year, which is how we read dates written with slashes; use YYYY-MM-DD, e.g. 2027-03-31.",
        "invalid_value.close_date_order_dmy": "Expected close date '{value}' is not valid as day/month/year, which is how we read dates written with slashes; use YYYY-MM-DD, e.g. 2027-03-31.",
        "invalid_value.submitted_future": "Submission time '{value}' is in the future; send the row with the time you actually registered it.",
        "invalid_value.submitted_unreadable": "Submission time '{value}' is not a date and time we can read; use ISO 8601, e.g. 2026-11-22T14:30:00Z.",
        "invalid_value.unterminated_quote": "Line {line} opens a quoted value that is never closed, so its columns could not be read; fix the quote marks (\") in that line and send the row again.",
        "invalid_value.undecodable": "Column '{column}' contains characters that could not be read as {charset} text; save the file as \"CSV UTF-8\" and send the row again.",
        "invalid_value.line_too_long": "Line {line} is longer than {mib} MiB, far more than any registration needs, so it was not read; check that row and send it again.",
        "invalid_value.field_count": "This line has {found} values but the header has {expected} columns; a value probably contains an unquoted delimiter, so put quotes around it and send the row again.",
        "invalid_value.field_count_extra": "This line has {found} values but the header has {expected} columns; a value probably contains an unquoted delimiter, so put quotes around it and send the row again. Values beyond the last column: {values}.",
        "shadow_mode.review": "Your registration is being reviewed by a channel manager, who will let you know.",
        "label.partner_id": "partner ID",
        "label.account_name": "account name",
        "label.deal_value": "deal value",
        "label.expected_close_date": "expected close date",
        "mail.decision.approved": "approved",
        "mail.decision.declined": "declined",
        "mail.decision.needs_review": "being reviewed",
        "mail.decision.needs_info": "needs more information",
        "mail.attention.one": "1 needs attention",
        "mail.attention.other": "{count} need attention",
        "mail.more.one": "1 more is listed in the attached file.",
        "mail.more.other": "{count} more are listed in the attached file.",
        "mail.no_account_name": "(no account name)",
        "mail.subject.results": "Your deal registrations in {{file}}: {{approved}} approved, {{attention_phrase}}",
        "mail.subject.reminder": "{{count}} deal registration(s) expire soon",
        "mail.subject.status": "Your registration of {{account}}: {{event}}",
        "mail.subject.digest": "Your weekly deal registration summary ({{period}}): {{active_count}} active, {{expiring_count}} expiring soon",
        "mail.event.approved": "approved",
        "mail.event.rejected": "not approved",
        "mail.event.returned": "more information needed",
        "mail.event.reopened": "reopened for review",
        "mail.event.expired": "expired",
        "mail.event.extended": "extended",
        "mail.event.withdrawn": "withdrawn",
        "mail.event.closed-won": "closed as won",
    ]
}
