import Foundation

/// An email address with an optional display name in any script.
public struct MailAddress: Sendable, Equatable {
    public var name: String?
    public var email: String

    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }

    /// Parses "Name <a@b.example>" or "a@b.example".
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            let email = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            guard email.contains("@") else { return nil }
            self.init(name: name.isEmpty ? nil : name, email: email)
        } else {
            guard trimmed.contains("@"), !trimmed.contains(" ") else { return nil }
            self.init(email: trimmed)
        }
    }

    /// The header form: RFC 2047 encoded name when it is not plain ASCII. Control characters
    /// (CR, LF, NUL, line separators) in the name become spaces and are dropped from the
    /// address, so no value can end the header and start another ("\r\nBcc: …").
    var header: String {
        let email = MIME.withoutControls(self.email).filter { $0 != " " }
        guard let raw = name else { return email }
        let name = MIME.withoutControls(raw).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return email }
        if name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == " ") }) {
            return "\(name) <\(email)>"
        }
        if name.unicodeScalars.allSatisfy(\.isASCII) {
            return "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\" <\(email)>"
        }
        return "\(MIME.encodedWords(name)) <\(email)>"
    }
}

/// A file attached to a message.
public struct MailAttachment: Sendable {
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// An RFC 5322 / MIME message: multipart/mixed holding a multipart/alternative
/// (plain text and HTML, UTF-8, quoted-printable) and attachments (base64).
/// Rendering is deterministic: the same message gives the same bytes.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var replyTo: MailAddress?
    public var to: [MailAddress]
    public var subject: String
    /// RFC 5322 date, e.g. "Mon, 23 Nov 2026 02:30:00 +0000".
    public var date: String
    public var messageID: String
    public var text: String
    public var html: String
    public var attachments: [MailAttachment]
    /// The language of the text (BCP 47, e.g. "de"), sent as `Content-Language` (RFC 3282).
    public var language: String?

    public init(from: MailAddress, replyTo: MailAddress?, to: [MailAddress], subject: String, date: String,
                messageID: String, text: String, html: String, attachments: [MailAttachment], language: String? = nil) {
        self.from = from; self.replyTo = replyTo; self.to = to; self.subject = subject; self.date = date
        self.messageID = messageID; self.text = text; self.html = html; self.attachments = attachments
        self.language = language
    }

    /// The message as bytes with CRLF line ends, ready for `sendmail -t`.
    public func rendered() -> Data {
        let boundary = "dealreg-mixed-" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(24)
        let alternative = "dealreg-alt-" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(24)
        var lines = [
            "From: \(from.header)",
            "To: \(to.map(\.header).joined(separator: ", "))",
        ]
        if let replyTo { lines.append("Reply-To: \(replyTo.header)") }
        lines += [
            "Subject: \(MIME.encodedWords(MIME.withoutControls(subject)))",
            "Date: \(date)",
            "Message-ID: <\(messageID)>",
            // RFC 3834: sent by a program, so auto-responders and vacation replies stay quiet.
            "Auto-Submitted: auto-generated",
        ]
        // Only a well-formed tag: nothing from a value can end the header.
        if let language, !language.isEmpty, language.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            lines.append("Content-Language: \(language)")
        }
        lines += [
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
            "",
            "This is a multi-part message in MIME format.",
            "--\(boundary)",
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
            "",
            "--\(alternative)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIME.quotedPrintable(text),
            "--\(alternative)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIME.quotedPrintable(html),
            "--\(alternative)--",
        ]
        for attachment in attachments {
            // A quote, backslash or control character cannot stand in a quoted parameter: encode.
            let filename = MIME.withoutControls(attachment.filename)
            let name = filename.contains("\"") || filename.contains("\\")
                ? MIME.encodedWords(filename, always: true) : MIME.encodedWords(filename)
            lines += [
                "--\(boundary)",
                "Content-Type: \(attachment.contentType); name=\"\(name)\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename*=UTF-8''\(MIME.percentEncoded(filename))",
                "",
                attachment.data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]),
            ]
        }
        lines.append("--\(boundary)--")
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}

/// The encodings MIME needs.
public enum MIME {
    /// RFC 2047 "B" encoded-words for non-ASCII header text, each at most 75 characters,
    /// split between characters and folded onto continuation lines.
    static func encodedWords(_ text: String, always: Bool = false) -> String {
        guard always || !text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// The text with every control character (C0, DEL, C1, U+2028/2029) as a space: header
    /// values and log lines never carry a line break or an escape sequence.
    public static func withoutControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(isControl(scalar) ? " " : scalar) }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks before 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            var current = ""
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                var piece: String
                if (byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 || byte == 9) && !isLast {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                if current.count + piece.count > 75 {
                    encoded += current + "=\r\n"
                    current = ""
                }
                current += piece
            }
            out.append(encoded + current)
        }
        return out.joined(separator: "\r\n")
    }

    /// RFC 2231 / 5987 percent-encoding of a file name.
    static func percentEncoded(_ text: String) -> String {
        text.utf8.map { byte in
            let c = Character(UnicodeScalar(byte))
            return byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) ? String(c) : String(format: "%%%02X", byte)
        }.joined()
    }

    /// RFC 5322 date of a day at a time (UTC), e.g. "Mon, 23 Nov 2026 02:30:00 +0000".
    /// An RFC 5322 date of a moment, in UTC: "Tue, 01 Dec 2026 02:30:07 +0000".
    public static func date(_ moment: Date) -> String {
        let seconds = Int(moment.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (year, month, day) = civil(fromDays: days)
        let time = seconds - days * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return date(year: year, month: month, day: day, ordinal: days,
                    time: "\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60))")
    }

    /// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian, H. Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The rendered message with its `Date:` header replaced: messages are composed (and kept
    /// in the ledger) with the batch's day, and dated when written to the outbox and again when
    /// sent, so a retried delivery does not arrive with an old date.
    public static func stamped(_ message: Data, date: String) -> Data {
        let bytes = [UInt8](message)
        let headerEnd = bytes.firstRange(of: Array("\r\n\r\n".utf8))?.lowerBound ?? bytes.count
        let field = Array("\r\nDate: ".utf8)
        guard let start = bytes[..<headerEnd].firstRange(of: field)?.upperBound else { return message }
        let end = bytes[start...].firstRange(of: [0x0D, 0x0A])?.lowerBound ?? headerEnd
        return Data(bytes[..<start] + Array(date.utf8) + bytes[end...])
    }

    public static func date(year: Int, month: Int, day: Int, ordinal: Int, time: String = "00:00:00") -> String {
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]   // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((ordinal % 7) + 7) % 7]
        return "\(weekday), \(day < 10 ? "0" : "")\(day) \(months[month - 1]) \(year) \(time) +0000"
    }
}
