import DealregIdentity

/// Reads `submitted_at`: a date as `DateParser` reads it, optionally followed
/// by a time (`HH:MM[:SS[.fff]]`) and a UTC offset (`Z`, `+02:00`, `-0500`).
/// Without an offset the time is taken as UTC.
public enum Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z, or nil when the text is not a timestamp.
    public static func parse(_ raw: String, order: DateOrder) -> Int? {
        let text = raw.trimmingWhitespace()
        let splitIndex = text.firstIndex { $0 == "T" || $0 == " " }
        let datePart = splitIndex.map { String(text[..<$0]) } ?? text
        guard case .success(let day) = DateParser(order: order).parse(datePart) else { return nil }
        var seconds = day.ordinal * 86_400
        guard let splitIndex else { return seconds }
        var time = Substring(text[text.index(after: splitIndex)...]).drop { $0 == " " }
        var offset = 0
        if time.hasSuffix("Z") {
            time = time.dropLast()
        } else if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let digits = time[time.index(after: sign)...].filter(\.isASCIIDigit)
            guard digits.count == 4 || digits.count == 2, let hours = Int(digits.prefix(2)), let minutes = Int(digits.dropFirst(2).prefix(2).isEmpty ? "0" : String(digits.dropFirst(2))) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (time[sign] == "-" ? -1 : 1)
            time = time[..<sign]
        }
        let parts = time.split(separator: ":")
        guard (2...3).contains(parts.count), let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let second = parts.count == 3 ? Int(Double(parts[2]) ?? -1) : 0
        guard (0...60).contains(second) else { return nil }
        seconds += hour * 3600 + minute * 60 + second - offset
        return seconds
    }
}
