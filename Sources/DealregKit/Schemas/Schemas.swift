/// The four CSV files dealreg reads and writes.
public enum Schemas {
    public static let all = [upload, snapshot, partners, accounts, results]

    public static func named(_ name: String) -> TableSchema? { all.first { $0.name == name } }

    public static let upload = TableSchema(
        name: "upload",
        title: "Partner registration upload",
        description: "One row per account a partner registers. Header names are matched case-insensitively, ignoring accents, spaces and punctuation; the names listed in x-aliases map too (standard validators match the field names only). Columns not listed here are carried through to the results untouched.",
        fields: [
            .init("partner_id", required: true, aliases: ["partner", "partner code", "partner number", "reseller id"],
                  "The partner's ID as listed in partners.csv."),
            .init("account_name", required: true,
                  aliases: ["company", "company name", "account", "customer", "customer name", "organization", "organisation",
                            "prospect", "prospect name", "end customer", "firma", "firmenname", "societe", "raison sociale"],
                  "The prospect company's name, in any script."),
            .init("deal_value", required: true, pattern: AmountParser.pattern,
                  aliases: ["amount", "value", "deal amount", "deal size", "estimated value", "opportunity value", "betrag"],
                  "Expected deal value, greater than 0: a string, because currency symbols or codes and grouping are accepted as typed ($12,500.00, 12 500, 12.500,00 €, ¥4,800,000, EUR 12500). The pattern gives the shape; dealreg also checks group sizes and the decimal separator."),
            .init("expected_close_date", "date", format: "any", required: true,
                  aliases: ["close date", "expected close", "closing date", "est close date", "estimated close date"],
                  "When the partner expects to close; must not be in the past. ISO 8601, DD.MM.YYYY, A/B/YYYY read in the policy's date_order, '4 Mar 2027', or an Excel serial day."),
            .init("partner_reference", aliases: ["reference", "partner ref", "your reference", "external id", "deal reference"],
                  "The partner's own reference for the deal, echoed back."),
            .init("account_domain", aliases: ["website", "domain", "web", "url", "web site", "company website", "homepage"],
                  "The prospect's website or domain, in any form (https://www.example.com/contact, IDN)."),
            .init("contact_name", aliases: ["contact", "contact person", "ansprechpartner", "kontakt", "interlocuteur"], "Name of the contact at the prospect."),
            .init("contact_email", format: "email", aliases: ["email", "e mail", "contact e mail", "email address"],
                  "The contact's email address."),
            .init("contact_role", aliases: ["title", "job title", "role", "position"], "The contact's job title."),
            .init("address", aliases: ["street", "address line 1", "street address", "address1"], "Street address of the prospect."),
            .init("city", aliases: ["town", "ort", "ville"], "City of the prospect."),
            .init("region", aliases: ["state", "province", "state province", "bundesland"],
                  "State or province; ISO 3166-2 subdivision code (US-CA) or name."),
            .init("postal_code", aliases: ["zip", "zip code", "postcode", "post code", "plz", "postal"], "Postal code."),
            .init("country", aliases: ["country code", "nation", "land", "pays"],
                  "ISO 3166-1 alpha-2 or alpha-3 code, or the country's name in a major language (Deutschland, Allemagne, 日本)."),
            .init("phone", aliases: ["telephone", "phone number", "tel", "telefon"], "The prospect's phone number."),
            .init("currency", aliases: ["ccy", "currency code", "waehrung"],
                  "ISO 4217 code of deal_value; defaults to the policy's currency."),
            .init("stage", aliases: ["sales stage", "deal stage"], "Sales stage as the partner tracks it."),
            .init("product", aliases: ["products", "product line", "solution"], "What the partner proposes to sell."),
            .init("registration_type", aliases: ["type", "deal type"], "Kind of registration (e.g. new business, renewal)."),
            .init("consent", aliases: ["gdpr consent", "opt in", "contact consent"],
                  "Whether the contact agreed to be contacted (yes/no)."),
            .init("business_challenge", aliases: ["challenge", "pain point"], "The prospect's business problem."),
            .init("proposed_solution", aliases: ["solution proposed"], "What the partner proposes."),
            .init("partner_value_add", aliases: ["value add"], "What the partner brings to the deal."),
            .init("notes", aliases: ["comments", "remarks", "note", "notizen", "bemerkungen", "remarques"], "Free text."),
            .init("submitted_at", "datetime", format: "any", aliases: ["submitted", "submission date", "registered at", "date submitted"],
                  "When the partner submitted the row; decides first-come-first-served within a batch (ISO 8601, time optional, UTC when no offset)."),
        ])

    public static let snapshot = TableSchema(
        name: "snapshot",
        title: "CRM snapshot of existing deals",
        description: "An export of the CRM's existing deals. Open and registered deals that have not expired block new registrations of the same account. Columns are found by name (or an x-aliases name, ignoring case, accents, spaces and punctuation), in any order; the fields are listed in the order of samples/snapshot.csv, region and product last. Other columns are ignored.",
        fields: [
            .init("deal_id", required: true, aliases: ["id", "opportunity id", "crm id", "deal"], "The CRM's deal ID."),
            .init("account_name", required: true, aliases: ["company", "company name", "account", "customer", "organization"],
                  "The account's name."),
            .init("owner_type", required: true, enumeration: ["partner", "direct"], aliases: ["owner kind"],
                  "Who owns the deal: a partner or direct sales."),
            .init("status", required: true, enumeration: ["open", "won", "lost", "registered", "expired"],
                  aliases: ["deal status", "stage status"], "The deal's status."),
            .init("account_domain", aliases: ["website", "domain", "web"], "The account's website or domain."),
            .init("city", "string", "City."),
            .init("country", aliases: ["country code"], "Country, as in uploads."),
            .init("postal_code", aliases: ["zip", "postcode", "plz"], "Postal code."),
            .init("owner_id", aliases: ["owner", "partner id"], "The owning partner's ID (partner deals) or sales rep (direct)."),
            .init("created_on", "date", format: "any", aliases: ["created", "created date"], "When the deal was created."),
            .init("expires_on", "date", format: "any", aliases: ["expiry date", "expiration date", "expires"],
                  "When a registration's protection ends; after it the deal no longer blocks."),
            .init("deal_value", pattern: AmountParser.pattern, aliases: ["amount"],
                  "Deal value: a string, as in uploads (currency symbols or codes and grouping allowed; the pattern gives the shape)."),
            .init("last_activity_on", "date", format: "any", aliases: ["last activity", "last activity date"],
                  "Date of the last recorded activity."),
            .init("address", aliases: ["street"], "Street address."),
            .init("phone", aliases: ["telephone"], "Phone number."),
            .init("region", aliases: ["state", "province"], "State or province."),
            .init("product", "string", "Product."),
        ])

    public static let partners = TableSchema(
        name: "partners",
        title: "Partner list",
        description: "The partners allowed to register deals. Columns are found by name (or an x-aliases name, ignoring case, accents, spaces and punctuation), in any order; optional columns may be left out.",
        fields: [
            .init("partner_id", required: true, aliases: ["id", "partner"], "The partner's ID, as used in uploads."),
            .init("name", required: true, aliases: ["partner name", "company"], "The partner's name."),
            .init("tier", aliases: ["level", "partner tier"], "Program tier (e.g. gold, silver)."),
            .init("territories", aliases: ["territory", "countries", "regions"],
                  "';'-separated ISO 3166-1 alpha-2 countries or ISO 3166-2 subdivisions (US-CA); empty means unrestricted."),
            .init("email", format: "email", aliases: ["contact email", "notification email"], "Where results are emailed."),
            .init("max_active", "integer", aliases: ["cap", "max active registrations"],
                  "Most active registrations the partner may hold; overrides the policy."),
            .init("result_format", enumeration: ResultFormat.allCases.map(\.rawValue), aliases: ["results format", "file format"],
                  "How the partner's result files are written: upload (the default: the delimiter and encoding of its upload, UTF-8 with a byte-order mark when the text does not fit that encoding), csv (UTF-8, comma), csv-semicolon (UTF-8, semicolon), csv-tab (UTF-8, tab) or xlsx (the upload's dialect, and an Excel workbook with every cell text, which the email attaches)."),
            .init("language", pattern: "^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$", aliases: ["lang", "locale", "preferred language"],
                  "The language of the partner's emails and of the reason column of its result files: a BCP 47 tag (en, de, de-AT, fr, fr-CA, es, es-MX, ja). Text exists in English, German, French, Spanish and Japanese; a tag with a region uses its language (de-AT: German), and any other language falls back to English (pt: English). Empty: English. Column names, decisions and reason codes stay English, since programs read them."),
        ])

    /// Named accounts reserved for direct sales, and blocked accounts (policy files).
    public static let accounts = TableSchema(
        name: "accounts",
        title: "Account list (direct-reserved or blocked accounts)",
        description: "Accounts named by the policy's direct_reserved.accounts_file or blocked_accounts_file. Each row needs account_name or account_domain; rows match uploads with the same identity engine as the snapshot.",
        fields: [
            .init("account_name", aliases: ["company", "company name", "account", "name"], "The account's name, in any script."),
            .init("account_domain", aliases: ["website", "domain"], "The account's website or domain."),
            .init("country", aliases: ["country code"], "Country, to tell same-named accounts apart."),
            .init("note", aliases: ["reason", "comment"], "Why the account is listed (internal; never shown to partners)."),
        ])

    /// Columns appended to each upload row in `<stem>.results.csv` (internal). The partner copy,
    /// `<stem>.partner.csv`, has only the first six; the batch-wide files put `source_file` first
    /// and then the upload's canonical columns.
    public static let results = TableSchema(
        name: "results",
        title: "Registration results",
        description: "Every input row in input order, with all its columns as uploaded, followed by these columns. <stem>.partner.csv, the copy sent to partners, has row_number through expires_on only. approved.csv, declined.csv and review.csv hold the whole batch with source_file first and the upload fields under their canonical names.",
        fields: [
            .init("row_number", "integer", required: true, "1-based data row in the upload (blank lines not counted)."),
            .init("registration_id", "string", "Deterministic ID of the registration; set for approved and review rows."),
            .init("decision", required: true, enumeration: Decision.allCases.map(\.rawValue), "The outcome for the row."),
            .init("reason_codes", required: true, "';'-separated reason codes: " + ReasonCode.allCases.map(\.rawValue).joined(separator: ", ") + "."),
            .init("reason", required: true, "What happened and what to do, in plain words; never names another partner or deal."),
            .init("expires_on", "date", "End of the protection window (approved rows)."),
            .init("matched_record", "string", "Internal: the deal_id or registration_id the row collided with."),
            .init("match_score", "integer", "Internal: 0-100, the match probability in per cent that the row is matched_record's account."),
            .init("match_evidence", "string", "Internal: the evidence waterfall: each field's weight in bits for or against, the prior, the probability."),
            .init("confidence", "integer", "Internal: 0-100; 0.6 × completeness + 0.4 × match certainty + tier bonus."),
            .init("triage", enumeration: Triage.allCases.map(\.rawValue), "Internal: AUTO_APPROVED, NEEDS_REVIEW or FLAGGED_CONFLICT."),
            .init("decided_by", "string", "Internal: id of the rule that decided the row (POLICY.md)."),
            .init("policy_version", "string", "Internal: hash of the effective policy and its account lists."),
            .init("rationale", "string", "Internal: the rules' reasoning (scores, limits, list entries)."),
            .init("would_be_decision", "string", "Internal, shadow mode: the decision the row would have had."),
            .init("related_record", "string", "Internal: a deal or registration of the same family (shared brand, another site) that is not the same account; never blocks."),
            .init("related_evidence", "string", "Internal: the evidence waterfall for related_record."),
        ])
}

import DealregPolicy
