import DealregIdentity

/// How to read an all-numeric date whose day and month could be swapped (03/04/2027).
public enum DateOrder: String, Sendable, CaseIterable {
    case monthDayYear = "MDY"
    case dayMonthYear = "DMY"
}

/// Why a value is not a date.
public enum DateProblem: Error, Equatable, Sendable {
    /// Not a date format dealreg knows.
    case unrecognized
    /// Numbers in a known format, but no such day (2027-02-30, 13/13/2027).
    case noSuchDay
    /// Valid only if read in the other order than the policy's: never guessed.
    case contradictsDateOrder(DateOrder)
}

/// Reads the dates people and spreadsheets write: ISO 8601 (with or without a
/// time), `YYYY/MM/DD`, `YYYYMMDD`, dotted European `DD.MM.YYYY`, slashed or
/// dashed `A/B/YYYY` read in the policy's `date_order`, English month names
/// ("4 Mar 2027", "March 4, 2027", "04-Mar-27") and Excel serial day numbers.
/// Two-digit years are 20YY.
public struct DateParser: Sendable {
    public let order: DateOrder

    public init(order: DateOrder) { self.order = order }

    public func parse(_ raw: String) -> Result<Day, DateProblem> {
        var text = Substring(raw.trimmingWhitespace())
        // Drop a time of day: "2027-03-04T10:00:00Z", "2027-03-04 10:00", "04/03/2027 09:30".
        if let cut = text.firstIndex(where: { $0 == "T" || $0 == " " }), text[cut...].contains(":"),
           text[..<cut].contains(where: { $0 == "-" || $0 == "/" || $0 == "." }) {
            text = text[..<cut]
        }
        if text.allSatisfy(\.isASCIIDigit) { return numericOnly(text) }
        if text.contains(where: \.isLetter) { return withMonthName(text) }
        let separator: Character? = text.first(where: { $0 == "-" || $0 == "/" || $0 == "." })
        guard let separator else { return .failure(.unrecognized) }
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return .failure(.unrecognized) }
        if parts[0].count == 4 { return day(a, b, c) }                       // YYYY-MM-DD, YYYY/MM/DD
        guard parts[2].count == 4 || parts[2].count == 2 else { return .failure(.unrecognized) }
        let year = parts[2].count == 2 ? 2000 + c : c
        if separator == "." { return day(year, b, a) }                       // European DD.MM.YYYY
        let (month, dayOfMonth) = order == .monthDayYear ? (a, b) : (b, a)
        if let valid = Day(year: year, month: month, day: dayOfMonth) { return .success(valid) }
        if Day(year: year, month: dayOfMonth, day: month) != nil {
            return .failure(.contradictsDateOrder(order))
        }
        return .failure(.noSuchDay)
    }

    private func numericOnly(_ text: Substring) -> Result<Day, DateProblem> {
        if text.count == 8, let y = Int(text.prefix(4)), let m = Int(text.dropFirst(4).prefix(2)), let d = Int(text.suffix(2)) {
            return day(y, m, d)
        }
        // Excel stores dates as days since 1899-12-30; accept 2000-01-01 ... 2099-12-31.
        if text.count == 5, let serial = Int(text), (36526...73050).contains(serial) {
            return .success(Day(year: 1899, month: 12, day: 30)!.adding(days: serial))
        }
        return .failure(.unrecognized)
    }

    private func withMonthName(_ text: Substring) -> Result<Day, DateProblem> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "," || $0 == "/" || $0 == "." })
        guard words.count == 3 else { return .failure(.unrecognized) }
        let monthIndex = words.firstIndex { Self.month(named: $0) != nil }
        guard let monthIndex, let month = Self.month(named: words[monthIndex]) else { return .failure(.unrecognized) }
        let numbers = words.enumerated().filter { $0.offset != monthIndex }.map(\.element)
        guard numbers.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return .failure(.unrecognized) }
        let (dayText, yearText) = numbers[0].count == 4 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
        guard let dayOfMonth = Int(dayText), let y = Int(yearText), yearText.count == 4 || yearText.count == 2 else {
            return .failure(.unrecognized)
        }
        return day(yearText.count == 2 ? 2000 + y : y, month, dayOfMonth)
    }

    private func day(_ year: Int, _ month: Int, _ dayOfMonth: Int) -> Result<Day, DateProblem> {
        guard (1900...2199).contains(year), let valid = Day(year: year, month: month, day: dayOfMonth) else {
            return .failure(.noSuchDay)
        }
        return .success(valid)
    }

    private static let monthNames = [
        ["jan", "january"], ["feb", "february"], ["mar", "march"], ["apr", "april"], ["may"], ["jun", "june"],
        ["jul", "july"], ["aug", "august"], ["sep", "sept", "september"], ["oct", "october"], ["nov", "november"],
        ["dec", "december"],
    ]

    static func month(named word: Substring) -> Int? {
        let lower = word.lowercased()
        return monthNames.firstIndex { $0.contains(lower) }.map { $0 + 1 }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
