/// Prior weights for words that say little about which company is meant.
public enum TokenPriors {
    /// Words that appear in many unrelated company names.
    public static let generic: Set<String> = [
        "group", "groupe", "gruppe", "grupo", "gruppo", "holding", "international", "global",
        "technology", "solution", "service", "system", "laboratories", "pharmaceuticals", "center", "product",
        "industries", "industry", "industrial", "bank", "banco", "banque", "trading", "consulting", "partners",
        "enterprises", "enterprise", "management", "capital", "company", "corporation", "energy", "health",
        "healthcare", "insurance", "financial", "finance", "software", "networks", "network", "media",
        "communications", "logistics", "foods", "food", "pharma", "electric", "electronics", "motor", "motors",
        "airlines", "express", "national", "general", "united", "american", "america", "european", "europe",
        "asia", "pacific", "north", "south", "east", "west", "new", "first", "city", "digital", "data", "labs",
        "ventures", "investments", "investment", "properties", "realty", "construction", "manufacturing",
        "products", "retail", "store", "stores", "shop", "direct", "world", "worldwide", "trust", "securities",
        "deutsche", "german", "germany", "french", "france", "british", "japan", "japanese", "china", "chinese",
        "korea", "india", "canada", "australia", "usa", "us", "uk",
    ]

    /// Words that carry almost nothing.
    public static let stopwords: Set<String> = [
        "and", "of", "the", "de", "la", "le", "el", "der", "die", "das", "und", "et", "y", "du", "des", "del", "for",
        "da", "do", "di", "van", "von", "at", "a",
    ]

    public static func isGeneric(_ token: String) -> Bool {
        generic.contains(token) || stopwords.contains(token) || token.count == 1 || isLegalFormWord(token)
    }

    /// A legal form written as one word that stayed inside a name ("Elmeg GmbH Kommunikationstechnik",
    /// "Deuretzbacher GmbH & Co. Engineering"): forms are stripped only at the ends, and one left in
    /// the middle names no company. Short forms that are also ordinary words ("sa", "as") are not.
    static func isLegalFormWord(_ token: String) -> Bool {
        token.count >= 2 && LegalFormTable.shared.byKey[token] != nil && !LegalFormTable.isAmbiguous(token)
    }

    static func weight(_ token: String) -> Double {
        if stopwords.contains(token) { return 0.1 }
        if token.count == 1 { return 0.3 }
        if generic.contains(token) || isLegalFormWord(token) { return 0.35 }
        return 1
    }
}
