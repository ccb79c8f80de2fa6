import ArgumentParser
import Foundation
import DealregKit

/// How `batch` writes its lines: each with an ISO-8601 UTC timestamp and a level, as text
/// (`2026-12-01T02:30:07Z info dealreg: …`) or as JSON Lines (`{"time":…,"level":…,"message":…}`),
/// so nights in one `batch.log` stay apart and a log collector can parse them.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct LogWriter {
    enum Level: String { case info, warning, error }

    let format: LogFormat
    var now: () -> Date = Date.init

    /// Standard output for info, standard error for warnings and errors.
    func write(_ level: Level, _ message: String) {
        let line = render(level, message)
        if level == .info { print(line) } else { printError(line) }
    }

    func render(_ level: Level, _ message: String) -> String {
        let time = Self.timestamp(now())
        switch format {
        case .text: return "\(time) \(level.rawValue) \(message)"
        case .json:
            let text = String(message.drop { $0 == " " })
            return "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"message\":\(Inspector.jsonString(text))}"
        }
    }

    /// ISO 8601 in UTC, to the second: 2026-12-01T02:30:07Z.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
