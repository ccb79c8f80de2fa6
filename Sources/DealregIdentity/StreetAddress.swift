/// A street address reduced to what identity compares: the house number, the
/// street name with its usual abbreviations written out, and the unit.
///
///     StreetAddress("492 Broome St., Suite 4")   // number "492", street "broome street", unit "4"
///     StreetAddress("Hauptstr. 5a")              // number "5a", street "haupt strasse"
///     StreetAddress("12, rue de la Paix")        // number "12", street "rue paix"
///
/// Words are folded to ASCII; street types are canonical ("St", "Str." and
/// "Straße" compare as one); directions are written out; articles and
/// prepositions ("de la", "of") are dropped; a unit ("Suite 4", "Apt 2B",
/// "#300", "Floor 3") is kept apart, so two offices of one building compare
/// as the same street and number. Text after "near", "between" or "at the
/// corner of", or after a street name and its type ("2290 Peachtree Rd. Peachtree Square
/// Shopping Center"), describes the neighbourhood, not the address, and is dropped. Ordinal
/// streets compare however written ("5th Ave" / "Fifth Avenue").
public struct StreetAddress: Sendable, Hashable {
    /// The first house number, with any letter suffix ("5a"); nil for a PO box or a named building.
    public let number: String?
    /// Street words, canonical and space-separated ("broome street"); nil when only a number was given.
    public let street: String?
    /// The unit, suite or floor, when given.
    public let unit: String?
    /// The street without its type and direction words ("broome street" → "broome"), so
    /// "Broome St" and "Broome" agree; the full street when nothing else is left.
    /// Derived once here: every candidate comparison reads it.
    public let core: String?

    /// Street and number as one key ("492 broome street").
    public var key: String { [number, street].compactMap { $0 }.joined(separator: " ") }

    public init?(_ raw: String) {
        let words = ASCIIFolding.words(Self.splitNumberAndLetters(raw)).split(separator: " ").map(String.init)
        var number: String?
        var street: [String] = []
        var unit: String?
        var index = 0
        var typed = false   // a street name and its type seen ("peachtree road"): what follows names a place
        while index < words.count {
            let word = words[index]
            if Self.stopMarkers.contains(word) { break }
            if Self.unitMarkers.contains(word) {
                if index + 1 < words.count { unit = words[index + 1]; index += 2 } else { index += 1 }
                continue
            }
            if word.first?.isNumber == true, !Self.isOrdinal(word) {
                if number == nil && (unit == nil) { number = word } else if unit == nil && !street.isEmpty {
                    // A second number after the street is a unit written without a marker ("Main St 4").
                    unit = word
                }
                index += 1
                continue
            }
            if Self.dropped.contains(word) { index += 1; continue }
            let canonical = Self.canonical[word] ?? Self.splitCompound(word)
            if typed && !Self.directions.contains(canonical) { break }   // "… rd. peachtree square shopping center"
            if Self.typeWords.contains(canonical.split(separator: " ").last.map(String.init) ?? ""),
               street.contains(where: { !Self.typeWords.contains($0) && !Self.directions.contains($0) }) || canonical.contains(" ") {
                typed = true
            }
            street.append(canonical)
            index += 1
        }
        let streetKey = street.joined(separator: " ")
        guard number != nil || !streetKey.isEmpty else { return nil }
        self.number = number
        self.street = streetKey.isEmpty ? nil : streetKey
        self.unit = unit
        core = self.street.map(Self.streetCore)
    }

    /// How two addresses compare, from most to least alike.
    public enum Agreement: Sendable {
        case sameStreetAndNumber, sameStreetOtherNumber, differentStreet
    }

    /// Nil when either side lacks a street (a number alone says too little).
    public func agreement(with other: StreetAddress) -> Agreement? {
        guard let a = core, let b = other.core else { return nil }
        guard a == b else { return .differentStreet }
        guard let n = number, let m = other.number else { return nil }
        return n == m ? .sameStreetAndNumber : .sameStreetOtherNumber
    }

    /// "4th", "21st", "2nd": a street name, not a house number.
    static func isOrdinal(_ word: String) -> Bool {
        guard word.count >= 3, word.first?.isNumber == true else { return false }
        let suffix = word.drop { $0.isNumber }
        return ["st", "nd", "rd", "th"].contains(String(suffix))
    }

    /// See `core`.
    static func streetCore(_ street: String) -> String {
        let core = street.split(separator: " ").filter { !Self.typeWords.contains(String($0)) && !Self.directions.contains(String($0)) }
        return core.isEmpty ? street : core.joined(separator: " ")
    }

    /// "5a" stays one token but "5-7" becomes "5 7"; "Hauptstr.5" → "Hauptstr. 5".
    private static func splitNumberAndLetters(_ raw: String) -> String {
        var out = ""
        var previous: Character?
        for character in raw {
            if let previous, character.isNumber, previous.isLetter { out.append(" ") }
            out.append(character)
            previous = character
        }
        return out
    }

    /// German and Dutch compounds written as one word: "hauptstrasse" → "haupt strasse".
    private static func splitCompound(_ word: String) -> String {
        for (suffix, canonical) in compoundSuffixes where word.count > suffix.count + 2 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count)) + " " + canonical
        }
        return word
    }

    static let compoundSuffixes: [(String, String)] = [
        ("strasse", "strasse"), ("str", "strasse"), ("weg", "weg"), ("platz", "platz"), ("allee", "allee"),
        ("straat", "straat"), ("gasse", "gasse"), ("ring", "ring"), ("damm", "damm"), ("laan", "laan"),
    ]

    /// Street types, directions and common abbreviations written one way.
    static let canonical: [String: String] = [
        "st": "street", "str": "strasse", "strasse": "strasse", "ave": "avenue", "av": "avenue", "avda": "avenida",
        "blvd": "boulevard", "bd": "boulevard", "boul": "boulevard", "rd": "road", "dr": "drive", "ln": "lane",
        "ct": "court", "pl": "place", "sq": "square", "hwy": "highway", "pkwy": "parkway", "pky": "parkway",
        "ter": "terrace", "terr": "terrace", "cir": "circle", "trl": "trail", "expy": "expressway", "fwy": "freeway",
        "mt": "mount", "ft": "fort", "bldg": "building", "ctr": "center", "centre": "center", "plz": "plaza",
        "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast", "nw": "northwest",
        "se": "southeast", "sw": "southwest", "c": "calle", "cl": "calle", "pza": "plaza", "pso": "paseo",
        "bvd": "boulevard", "rte": "route", "vle": "viale", "p": "piazza", "pzza": "piazza", "blv": "boulevard",
        "first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
        "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th", "eleventh": "11th", "twelfth": "12th",
    ]

    static let typeWords: Set<String> = [
        "street", "strasse", "avenue", "avenida", "boulevard", "road", "drive", "lane", "court", "place", "square",
        "highway", "parkway", "terrace", "circle", "trail", "expressway", "freeway", "way", "weg", "platz", "allee",
        "rue", "calle", "via", "viale", "piazza", "plaza", "paseo", "straat", "gasse", "ring", "damm", "laan",
        "route", "chemin", "avenue", "alley", "row", "walk",
    ]

    static let directions: Set<String> = [
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    ]

    /// Articles and prepositions inside street names.
    static let dropped: Set<String> = [
        "the", "of", "de", "la", "le", "les", "du", "des", "del", "della", "di", "da", "do", "dos", "das", "van",
        "von", "der", "den", "y", "and", "et", "no", "nr", "number",
    ]

    /// Words that introduce a unit.
    static let unitMarkers: Set<String> = [
        "suite", "ste", "apt", "apartment", "unit", "floor", "fl", "flr", "room", "rm", "office", "stock", "etage",
        "piso", "bureau", "dept", "box",
    ]

    /// Words after which the text describes surroundings.
    static let stopMarkers: Set<String> = ["near", "between", "btwn", "betw", "corner", "off", "at", "in", "inside", "across"]
}
