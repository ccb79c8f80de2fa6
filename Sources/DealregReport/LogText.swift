/// What logs, summaries and error messages may show of input: ids and column names that
/// look like ids, never free values (names, emails, whole lines), and never a control
/// character that could forge a log line or move the terminal.
public enum LogText {
    /// The value when it looks like an identifier (letters, digits, `._:-`, at most 40
    /// characters); otherwise nil.
    public static func identifier(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 40,
              value.unicodeScalars.allSatisfy({ $0.isASCII && (isAlphanumeric($0) || "._:-".unicodeScalars.contains($0)) })
        else { return nil }
        return value
    }

    /// Column names as a list when each looks like a column name (letters, digits, spaces,
    /// `_-./#()`, at most 40 characters: a header row, not a row of data); otherwise only
    /// how many there are.
    public static func columns(_ names: [String], limit: Int = 8) -> String {
        let plausible = names.allSatisfy { name in
            name.count <= 40 && !name.contains("@") && name.unicodeScalars.allSatisfy {
                ($0.properties.isAlphabetic || isAlphanumeric($0) || " _-./#()".unicodeScalars.contains($0)) && $0.value >= 0x20
            }
        }
        guard plausible, !names.isEmpty else { return "\(names.count) column\(names.count == 1 ? "" : "s"), not shown" }
        return names.prefix(limit).joined(separator: ", ") + (names.count > limit ? ", …" : "")
    }

    /// A file name with control characters replaced (file names can hold CR, LF and escapes).
    public static func path(_ path: String) -> String {
        String(String.UnicodeScalarView(path.unicodeScalars.map { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) ? "?" : $0 }))
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
