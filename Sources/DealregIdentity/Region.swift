/// ISO 3166-2 subdivision codes from what people type in a state or region column.
public enum Region {
    /// "US-CA" stays; "CA" or "ca" with country US becomes "US-CA"; "BY" with DE becomes "DE-BY".
    /// Names ("California") are not resolved: nil.
    public static func subdivision(_ raw: String, country: String?) -> String? {
        let text = nfkcCasefold(raw.trimmingWhitespace()).uppercased()
        let parts = text.split(separator: "-", maxSplits: 1)
        func isCode(_ part: Substring) -> Bool {
            (1...3).contains(part.count) && part.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
        }
        if parts.count == 2, parts[0].count == 2, isCode(parts[1]),
           let prefix = CountryResolver.shared.resolve(String(parts[0])), country == nil || country == prefix {
            return "\(prefix)-\(parts[1])"
        }
        if parts.count == 1, isCode(parts[0]), let country { return "\(country)-\(parts[0])" }
        return nil
    }
}
