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

    /// Human names of the required fields, as partners know them.
    static let labels = [
        "partner_id": "partner ID", "account_name": "account name", "deal_value": "deal value",
        "expected_close_date": "expected close date",
    ]

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
                submission.findings.append(invalid(field, "The \(Self.labels[field] ?? field) is longer than \(Self.maximumValueBytes >> 10) KiB, far more than any registration needs; check that row and send it again."))
            }
            return submission
        }
        for field in Schemas.upload.requiredFieldNames where row.value(field) == nil {
            let label = Self.labels[field] ?? field
            let columnMissing = row.mapping.missingRequired.contains(field)
            submission.findings.append(Finding(
                code: .missingRequiredField,
                message: columnMissing
                    ? "Your file has no \(field) column; add a column named \(field) with the \(label) and send the row again."
                    : "The \(label) is empty; fill it in and send the row again.",
                field: field))
        }
        if let id = row.value("partner_id") {
            submission.partnerID = id
            submission.partner = partners.partner(id)
            if submission.partner == nil {
                submission.findings.append(Finding(
                    code: .unknownPartner,
                    message: "Partner ID '\(id)' is not in our partner list; check the ID or ask your channel manager.",
                    field: "partner_id"))
            }
        }
        readAccount(row, into: &submission)
        readMoney(row, into: &submission)
        readDates(row, into: &submission)
        if let text = row.value("contact_email"), case .failure = EmailAddress.parse(text) {
            submission.findings.append(invalid("contact_email",
                "Contact email '\(text)' is not a valid email address; check it for typos."))
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
            submission.findings.append(Finding(code: .missingRequiredField, message:
                "Our program requires the contact's consent; add a consent column saying yes and send the row again.",
                field: "consent", rule: "intake.consent"))
            return
        }
        let answer = nfkcCasefold(text)
        if Self.consentYes.contains(answer) { return }
        let message = Self.consentNo.contains(answer)
            ? "The contact has not agreed to be contacted; we can register the account only with their consent."
            : "Consent '\(text)' is not yes or no; write yes if the contact agreed to be contacted."
        submission.findings.append(Finding(code: .invalidValue, message: message, field: "consent", rule: "intake.consent"))
    }

    private func readAccount(_ row: MappedRow, into submission: inout Submission) {
        var name = row.value("account_name")
        // A formula, not a name: '=…', or a sign or '@' before a call or a link to another program
        // ("@SUM(…)", "+cmd|' /C calc'!A0"). A name that merely starts with '@' or '+' ("@Home
        // Networks Inc") is a name: the result files' formula guard neutralises it on output.
        if let text = name, let first = text.unicodeScalars.first,
           first == "=" || ("+-@".unicodeScalars.contains(first) && text.unicodeScalars.contains { "(|!".unicodeScalars.contains($0) }) {
            name = nil
            submission.findings.append(invalid("account_name",
                "Account name '\(text)' looks like a spreadsheet formula, not a company name; enter the company's name as text."))
        }
        submission.fields = AccountFields(
            name: name, website: row.value("account_domain"), email: row.value("contact_email"),
            country: row.value("country"), city: row.value("city"), postalCode: row.value("postal_code"),
            phone: row.value("phone"), address: row.value("address"))
        submission.identity = identities.identity(submission.fields)
        submission.partnerReference = row.value("partner_reference")
        if let name, submission.identity.name.isEmpty {
            submission.findings.append(invalid("account_name", "Account name '\(name)' has no letters or digits; enter the company's name."))
        }
        if let text = row.value("account_domain"), case .failure = WebDomain.parse(text) {
            submission.findings.append(invalid("account_domain",
                "Website '\(text)' is not a valid web address; use the company's domain, e.g. example.com."))
        }
        if let text = row.value("country"), submission.identity.country == nil {
            submission.findings.append(invalid("country",
                "Country '\(text)' is not a country we recognise; use a two-letter ISO code such as DE or US."))
        }
    }

    private func readMoney(_ row: MappedRow, into submission: inout Submission) {
        var currencyColumn: String?
        if let text = row.value("currency") {
            if AmountParser.isoCurrencyCodes.contains(text.uppercased()) { currencyColumn = text.uppercased() } else {
                submission.findings.append(invalid("currency",
                    "Currency '\(text)' is not a currency code we know; use a three-letter code such as USD or EUR."))
            }
        }
        guard let text = row.value("deal_value") else { return }
        switch AmountParser.parse(text) {
        case .success(var amount):
            if let named = amount.currency, let currencyColumn, named != currencyColumn {
                submission.findings.append(invalid("deal_value",
                    "Deal value '\(text)' is in \(named) but the currency column says \(currencyColumn); make them agree."))
            }
            amount.currency = amount.currency ?? currencyColumn ?? policy.currency
            submission.dealValue = amount
        case .failure(.notANumber):
            submission.findings.append(invalid("deal_value", "Deal value '\(text)' is not a number; use digits, e.g. 12000."))
        case .failure(.ambiguousSeparators):
            submission.findings.append(invalid("deal_value",
                "Deal value '\(text)' could be read more than one way; write digits with at most one decimal point, e.g. 12500.00."))
        case .failure(.notPositive):
            submission.findings.append(invalid("deal_value", "Deal value '\(text)' must be greater than zero."))
        }
    }

    private func readDates(_ row: MappedRow, into submission: inout Submission) {
        if let text = row.value("expected_close_date") {
            switch dates.parse(text) {
            case .success(let day):
                submission.closeDate = day
                if day < asOf {
                    submission.findings.append(invalid("expected_close_date",
                        "Expected close date \(day) is in the past; enter the date you now expect the deal to close."))
                }
            case .failure(let problem):
                submission.findings.append(invalid("expected_close_date", Self.dateMessage("Expected close date", text, problem)))
            }
        }
        if let text = row.value("submitted_at") {
            if let seconds = Timestamp.parse(text, order: policy.dateOrder), seconds >= (asOf.ordinal + 2) * 86_400 {
                // A time after the batch's day (a day's grace for time zones) cannot be when the row was sent.
                submission.findings.append(invalid("submitted_at",
                    "Submission time '\(text)' is in the future; send the row with the time you actually registered it."))
            } else if let seconds = Timestamp.parse(text, order: policy.dateOrder) {
                submission.submittedAt = seconds
            } else {
                submission.findings.append(invalid("submitted_at",
                    "Submission time '\(text)' is not a date and time we can read; use ISO 8601, e.g. 2026-11-22T14:30:00Z."))
            }
        }
    }

    static func dateMessage(_ label: String, _ text: String, _ problem: DateProblem) -> String {
        switch problem {
        case .unrecognized:
            return "\(label) '\(text)' is not a date we can read; use YYYY-MM-DD, e.g. 2027-03-31."
        case .noSuchDay:
            return "\(label) '\(text)' is not a real calendar date; check the day and month."
        case .contradictsDateOrder(let order):
            let reading = order == .monthDayYear ? "month/day/year" : "day/month/year"
            return "\(label) '\(text)' is not valid as \(reading), which is how we read dates written with slashes; use YYYY-MM-DD, e.g. 2027-03-31."
        }
    }

    private func invalid(_ field: String, _ message: String) -> Finding {
        Finding(code: .invalidValue, message: message, field: field)
    }

    /// The longest value (UTF-8 bytes) of any column dealreg reads.
    static let maximumValueBytes = 64 << 10
    static let uploadFieldNames = Schemas.upload.fields.map(\.name)

    static func finding(for problem: RowProblem, row: MappedRow, charset: String) -> Finding {
        switch problem {
        case .unterminatedQuote:
            return Finding(code: .invalidValue, message:
                "Line \(row.line) opens a quoted value that is never closed, so its columns could not be read; fix the quote marks (\") in that line and send the row again.")
        case .undecodable(let column):
            return Finding(code: .invalidValue, message:
                "Column '\(column)' contains characters that could not be read as \(charset) text; save the file as \"CSV UTF-8\" and send the row again.")
        case .tooLong(let limit):
            return Finding(code: .invalidValue, message:
                "Line \(row.line) is longer than \(limit >> 20) MiB, far more than any registration needs, so it was not read; check that row and send it again.")
        case .wrongFieldCount(let expected, let found):
            let extra = row.extraValues.isEmpty ? "" : " Values beyond the last column: " + row.extraValues.map { "'\($0)'" }.joined(separator: ", ") + "."
            return Finding(code: .invalidValue, message:
                "This line has \(found) values but the header has \(expected) columns; a value probably contains an unquoted delimiter, so put quotes around it and send the row again.\(extra)")
        }
    }
}
