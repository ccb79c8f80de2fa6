import DealregIdentity
import DealregPolicy

/// An upload row read, validated and reduced to what decisions need.
public struct Submission: Sendable {
    public var partnerID: String?
    /// The row as the partner's spreadsheet numbers it (header row 1), for emails.
    public var sheetRow = 0
    public var partner: Partner?
    public var identity: AccountIdentity
    public var dealValue: Amount?
    public var closeDate: Day?
    /// Seconds since the epoch (UTC); orders the batch.
    public var submittedAt: Int?
    /// ISO 3166-2 subdivision of the prospect, when the row gives one.
    public var region: String?
    /// The identity fields as the row gives them (kept in the ledger).
    public var fields = AccountFields()
    /// The partner's own reference for the row, as given (kept in the ledger and exported).
    public var partnerReference: String?
    /// 40 for a valid required set, plus points for each valid optional identity field (POLICY.md).
    public var completeness: Int
    /// Intake findings: missing and invalid values, unknown partner, malformed row.
    public var findings: [Finding]
    /// False when the row's bytes or shape were broken, so its values cannot be trusted for matching.
    public var isSound: Bool
}

/// Validates upload rows and writes the partner-facing sentence for each problem.
///
/// Not thread-safe (owns a name keyer): one per thread.
public final class SubmissionParser {
    private let policy: Policy
    private let partners: PartnerDirectory
    private let asOf: Day
    private let identities = IdentityBuilder()
    private let dates: DateParser

    public init(policy: Policy, partners: PartnerDirectory, asOf: Day) {
        self.policy = policy
        self.partners = partners
        self.asOf = asOf
        dates = DateParser(order: policy.dateOrder)
    }

    public func parse(_ row: MappedRow, charset: String) -> Submission {
        var submission = Submission(partnerID: nil, partner: nil,
                                    identity: AccountIdentity(name: identities.names.normalize("")),
                                    dealValue: nil, closeDate: nil, submittedAt: nil, region: nil, completeness: 0,
                                    findings: [], isSound: true)
        submission.sheetRow = row.sheetRow
        if let problem = row.problem {
            // The values cannot be trusted, but the row still belongs to a partner, who must hear about it.
            submission.isSound = false
            submission.partnerID = row.value("partner_id")
            submission.partner = submission.partnerID.flatMap { partners.partner($0) }
            submission.findings.append(Self.finding(for: problem, row: row, charset: charset))
            return submission
        }
        // No value a registration needs is longer than 64 KiB: a longer one is a broken row, not a name.
        let oversized = Self.uploadFieldNames.filter { (row.value($0)?.utf8.count ?? 0) > Self.maximumValueBytes }
        if !oversized.isEmpty {
            submission.isSound = false
            submission.partnerID = oversized.contains("partner_id") ? nil : row.value("partner_id")
            submission.partner = submission.partnerID.flatMap { partners.partner($0) }
            for field in oversized {
                submission.findings.append(invalid(field, Sentence("invalid_value.too_long_value",
                                                                   ["label": field, "kib": "\(Self.maximumValueBytes >> 10)"])))
            }
            return submission
        }
        for field in Schemas.upload.requiredFieldNames where row.value(field) == nil {
            // {label} is the field as partners know it, in their language (PartnerText's label.FIELD).
            let columnMissing = row.mapping.missingRequired.contains(field)
            submission.findings.append(Finding(
                code: .missingRequiredField,
                sentence: Sentence(columnMissing ? "missing_required_field.column" : "missing_required_field.empty",
                                   ["field": field, "label": field]),
                field: field))
        }
        if let id = row.value("partner_id") {
            submission.partnerID = id
            submission.partner = partners.partner(id)
            if submission.partner == nil {
                submission.findings.append(Finding(
                    code: .unknownPartner,
                    sentence: Sentence("unknown_partner", ["id": id]),
                    field: "partner_id"))
            }
        }
        readAccount(row, into: &submission)
        readMoney(row, into: &submission)
        readDates(row, into: &submission)
        if let text = row.value("contact_email"), case .failure = EmailAddress.parse(text) {
            submission.findings.append(invalid("contact_email", Sentence("invalid_value.contact_email", ["value": text])))
        }
        if policy.requireConsent { checkConsent(row, into: &submission) }
        submission.region = row.value("region").flatMap { Region.subdivision($0, country: submission.identity.country) }
        submission.completeness = Self.completeness(row, submission)
        return submission
    }

    /// Points for the optional fields that help identify the account (POLICY.md, confidence).
    static func completeness(_ row: MappedRow, _ submission: Submission) -> Int {
        let identity = submission.identity
        var points = 40
        if identity.domainSource == "website" { points += 20 }
        if let email = row.value("contact_email"), case .success = EmailAddress.parse(email) { points += 10 }
        if row.value("contact_name") != nil { points += 5 }
        if identity.country != nil { points += 10 }
        if identity.city != nil { points += 5 }
        if identity.postalCode != nil { points += 5 }
        if identity.phone != nil { points += 5 }
        return points
    }

    static let consentYes: Set<String> = ["yes", "y", "true", "1", "ja", "oui", "si", "sí", "x", "はい", "да"]
    static let consentNo: Set<String> = ["no", "n", "false", "0", "nein", "non", "いいえ", "нет"]

    private func checkConsent(_ row: MappedRow, into submission: inout Submission) {
        guard let text = row.value("consent") else {
            submission.findings.append(Finding(code: .missingRequiredField, sentence: Sentence("missing_required_field.consent"),
                field: "consent", rule: "intake.consent"))
            return
        }
        let answer = nfkcCasefold(text)
        if Self.consentYes.contains(answer) { return }
        let sentence = Self.consentNo.contains(answer)
            ? Sentence("invalid_value.consent_no") : Sentence("invalid_value.consent_unclear", ["value": text])
        submission.findings.append(Finding(code: .invalidValue, sentence: sentence, field: "consent", rule: "intake.consent"))
    }

    private func readAccount(_ row: MappedRow, into submission: inout Submission) {
        var name = row.value("account_name")
        // A formula, not a name: '=…', or a sign or '@' before a call or a link to another program
        // ("@SUM(…)", "+cmd|' /C calc'!A0"). A name that merely starts with '@' or '+' ("@Home
        // Networks Inc") is a name: the result files' formula guard neutralises it on output.
        if let text = name, let first = text.unicodeScalars.first,
           first == "=" || ("+-@".unicodeScalars.contains(first) && text.unicodeScalars.contains { "(|!".unicodeScalars.contains($0) }) {
            name = nil
            submission.findings.append(invalid("account_name", Sentence("invalid_value.formula", ["value": text])))
        }
        submission.fields = AccountFields(
            name: name, website: row.value("account_domain"), email: row.value("contact_email"),
            country: row.value("country"), city: row.value("city"), postalCode: row.value("postal_code"),
            phone: row.value("phone"), address: row.value("address"))
        submission.identity = identities.identity(submission.fields)
        submission.partnerReference = row.value("partner_reference")
        if let name, submission.identity.name.isEmpty {
            submission.findings.append(invalid("account_name", Sentence("invalid_value.name_no_letters", ["value": name])))
        }
        if let text = row.value("account_domain"), case .failure = WebDomain.parse(text) {
            submission.findings.append(invalid("account_domain", Sentence("invalid_value.website", ["value": text])))
        }
        if let text = row.value("country"), submission.identity.country == nil {
            submission.findings.append(invalid("country", Sentence("invalid_value.country", ["value": text])))
        }
    }

    private func readMoney(_ row: MappedRow, into submission: inout Submission) {
        var currencyColumn: String?
        if let text = row.value("currency") {
            if AmountParser.isoCurrencyCodes.contains(text.uppercased()) { currencyColumn = text.uppercased() } else {
                submission.findings.append(invalid("currency", Sentence("invalid_value.currency", ["value": text])))
            }
        }
        guard let text = row.value("deal_value") else { return }
        switch AmountParser.parse(text) {
        case .success(var amount):
            if let named = amount.currency, let currencyColumn, named != currencyColumn {
                submission.findings.append(invalid("deal_value", Sentence("invalid_value.currency_mismatch",
                                                                          ["value": text, "named": named, "column": currencyColumn])))
            }
            amount.currency = amount.currency ?? currencyColumn ?? policy.currency
            submission.dealValue = amount
        case .failure(.notANumber):
            submission.findings.append(invalid("deal_value", Sentence("invalid_value.amount_not_number", ["value": text])))
        case .failure(.ambiguousSeparators):
            submission.findings.append(invalid("deal_value", Sentence("invalid_value.amount_ambiguous", ["value": text])))
        case .failure(.notPositive):
            submission.findings.append(invalid("deal_value", Sentence("invalid_value.amount_not_positive", ["value": text])))
        }
    }

    private func readDates(_ row: MappedRow, into submission: inout Submission) {
        if let text = row.value("expected_close_date") {
            switch dates.parse(text) {
            case .success(let day):
                submission.closeDate = day
                if day < asOf {
                    submission.findings.append(invalid("expected_close_date", Sentence("invalid_value.close_date_past", ["date": "\(day)"])))
                }
            case .failure(let problem):
                submission.findings.append(invalid("expected_close_date", Self.closeDateSentence(text, problem)))
            }
        }
        if let text = row.value("submitted_at") {
            if let seconds = Timestamp.parse(text, order: policy.dateOrder), seconds >= (asOf.ordinal + 2) * 86_400 {
                // A time after the batch's day (a day's grace for time zones) cannot be when the row was sent.
                submission.findings.append(invalid("submitted_at", Sentence("invalid_value.submitted_future", ["value": text])))
            } else if let seconds = Timestamp.parse(text, order: policy.dateOrder) {
                submission.submittedAt = seconds
            } else {
                submission.findings.append(invalid("submitted_at", Sentence("invalid_value.submitted_unreadable", ["value": text])))
            }
        }
    }

    static func closeDateSentence(_ text: String, _ problem: DateProblem) -> Sentence {
        switch problem {
        case .unrecognized:
            return Sentence("invalid_value.close_date_unreadable", ["value": text])
        case .noSuchDay:
            return Sentence("invalid_value.close_date_no_such_day", ["value": text])
        case .contradictsDateOrder(let order):
            return Sentence(order == .monthDayYear ? "invalid_value.close_date_order_mdy" : "invalid_value.close_date_order_dmy",
                            ["value": text])
        }
    }

    private func invalid(_ field: String, _ sentence: Sentence) -> Finding {
        Finding(code: .invalidValue, sentence: sentence, field: field)
    }

    /// The longest value (UTF-8 bytes) of any column dealreg reads.
    static let maximumValueBytes = 64 << 10
    static let uploadFieldNames = Schemas.upload.fields.map(\.name)

    static func finding(for problem: RowProblem, row: MappedRow, charset: String) -> Finding {
        switch problem {
        case .unterminatedQuote:
            return Finding(code: .invalidValue, sentence: Sentence("invalid_value.unterminated_quote", ["line": "\(row.line)"]))
        case .undecodable(let column):
            return Finding(code: .invalidValue, sentence: Sentence("invalid_value.undecodable", ["column": column, "charset": charset]))
        case .tooLong(let limit):
            return Finding(code: .invalidValue, sentence: Sentence("invalid_value.line_too_long", ["line": "\(row.line)", "mib": "\(limit >> 20)"]))
        case .wrongFieldCount(let expected, let found):
            var values = ["found": "\(found)", "expected": "\(expected)"]
            if !row.extraValues.isEmpty { values["values"] = row.extraValues.map { "'\($0)'" }.joined(separator: ", ") }
            return Finding(code: .invalidValue,
                           sentence: Sentence(row.extraValues.isEmpty ? "invalid_value.field_count" : "invalid_value.field_count_extra", values))
        }
    }
}
