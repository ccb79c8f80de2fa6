/// Phone numbers and postal codes in the forms identity compares.
public enum ContactFields {
    /// E.164 digits with country calling code ("+4930123456"), or nil when too short.
    ///
    /// Keeps `+` and every decimal digit of any script; cuts extensions; turns a
    /// leading `00` into `+`; removes an Italian-style "(0)"; without `+`, drops
    /// the national trunk prefix and adds the calling code of `country`.
    public static func phone(_ raw: String, country: String?) -> String? {
        var text = nfkcCasefold(raw)
        for marker in ["ext", "x", "#", "内線", "доб"] {
            if let cut = text.firstRange(of: marker) { text = String(text[..<cut.lowerBound]) }
        }
        text = text.replacing("(0)", with: "")
        var digits = ""
        var international = false
        for scalar in text.unicodeScalars {
            if scalar == "+" && digits.isEmpty { international = true }
            if let value = scalar.properties.numericType == .decimal ? scalar.properties.numericValue : nil {
                digits.append(String(Int(value)))
            }
        }
        if !international && digits.hasPrefix("00") { digits.removeFirst(2); international = true }
        if !international {
            guard let country, let code = callingCodes[country] else { return digits.count >= 7 ? digits : nil }
            if country == "US" || country == "CA" {
                if digits.count == 11 && digits.hasPrefix("1") { digits.removeFirst() }
            } else {
                let trunk = trunkPrefixes[country] ?? "0"
                if digits.hasPrefix(trunk) { digits.removeFirst(trunk.count) }
            }
            digits = code + digits
        }
        return digits.count >= 8 ? "+" + digits : nil
    }

    /// Upper case, letters and digits only, `〒` and a country prefix dropped; ZIP+4 cut to 5 digits and
    /// leading zeros Excel dropped restored for numeric postcodes.
    public static func postalCode(_ raw: String, country: String?) -> String? {
        var text = nfkcCasefold(raw).replacing("〒", with: "")
        text = String(text.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType == .decimal }
            .map(Character.init)).uppercased()
        guard !text.isEmpty else { return nil }
        // The old European country prefix ("D-68766", "CH-8001", "F-75008") on a code that is
        // digits alone: the digits are the code.
        if let country, let length = numericPostcodeLengths[country] {
            let letters = text.prefix(while: \.isLetter)
            let rest = text.dropFirst(letters.count)
            if (1...3).contains(letters.count), rest.count == length, rest.allSatisfy(\.isNumber) { text = String(rest) }
        }
        if country == "US", text.count == 9, text.allSatisfy(\.isNumber) { text = String(text.prefix(5)) }
        if let country, let length = numericPostcodeLengths[country], text.allSatisfy(\.isNumber), text.count < length {
            text = String(repeating: "0", count: length - text.count) + text
        }
        return text
    }

    static let numericPostcodeLengths: [String: Int] = [
        "US": 5, "DE": 5, "FR": 5, "IT": 5, "ES": 5, "MX": 5, "JP": 7, "BR": 8, "CH": 4, "AT": 4, "BE": 4, "DK": 4,
        "NO": 4, "AU": 4, "FI": 5, "SE": 5, "TR": 5, "KR": 5, "IN": 6, "CN": 6, "RU": 6,
    ]

    static let trunkPrefixes: [String: String] = ["RU": "8", "KZ": "8", "BY": "8"]

    static let callingCodes: [String: String] = [
        "US": "1", "CA": "1", "GB": "44", "IE": "353", "DE": "49", "AT": "43", "CH": "41", "FR": "33", "BE": "32",
        "LU": "352", "NL": "31", "IT": "39", "ES": "34", "PT": "351", "DK": "45", "SE": "46", "NO": "47", "FI": "358",
        "IS": "354", "PL": "48", "CZ": "420", "SK": "421", "HU": "36", "RO": "40", "BG": "359", "GR": "30", "TR": "90",
        "RU": "7", "KZ": "7", "UA": "380", "BY": "375", "EE": "372", "LV": "371", "LT": "370", "SI": "386", "HR": "385",
        "RS": "381", "JP": "81", "CN": "86", "HK": "852", "TW": "886", "KR": "82", "SG": "65", "MY": "60", "TH": "66",
        "VN": "84", "ID": "62", "PH": "63", "IN": "91", "PK": "92", "AU": "61", "NZ": "64", "ZA": "27", "NG": "234",
        "KE": "254", "EG": "20", "MA": "212", "AE": "971", "SA": "966", "IL": "972", "BR": "55", "MX": "52", "AR": "54",
        "CL": "56", "CO": "57", "PE": "51",
    ]
}
