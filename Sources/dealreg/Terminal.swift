import DealregKit
import DealregReport
import Foundation

/// A one-line progress display on standard error, only when it is a terminal: the phase (and
/// its step), how much of its work is done — bytes read of the files it reads, rows for
/// deciding — as a percentage, the rate and the time left, redrawn at most four times a second:
///
///     snapshot: 45% (54.0 of 120.0 MB), 12.3 MB/s, 0:05 left, 450000 rows
///     deciding (matching): 45% (45000 of 100000 rows), 9000 rows/s, 0:06 left
///
/// A step without a measure ("deciding (fitting the model)") shows its name only.
final class ProgressLine: @unchecked Sendable {
    private var lastDraw = Date.distantPast
    private var step: StepClock?

    static func ifTerminal() -> ProgressLine? { isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil }

    func update(_ progress: RunProgress) {
        let now = Date()
        let changed = step?.matches(progress) != true
        if changed { step = StepClock(progress, at: now) }
        guard changed || progress.phase == .done || now.timeIntervalSince(lastDraw) >= 0.25 else { return }
        lastDraw = now
        guard progress.phase != .done, let step else { return clear() }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + ProgressText.line(progress, clock: step, now: now)).utf8))
    }

    func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}

/// When a phase (or a step of one) started, and how much was done then: the base of its rate.
struct StepClock {
    let phase: RunProgress.Phase
    let step: String?
    let started: Date
    let doneAtStart: Int64

    init(_ progress: RunProgress, at date: Date) {
        phase = progress.phase
        step = progress.step
        started = date
        doneAtStart = progress.done
    }

    func matches(_ progress: RunProgress) -> Bool { progress.phase == phase && progress.step == step }

    /// Units per second since the step started, once it has run long enough to tell.
    func rate(_ progress: RunProgress, now: Date) -> Double? {
        let elapsed = now.timeIntervalSince(started)
        guard elapsed >= 0.5, progress.done > doneAtStart else { return nil }
        return Double(progress.done - doneAtStart) / elapsed
    }
}

/// The words of progress lines and phase log lines.
enum ProgressText {
    static func line(_ progress: RunProgress, clock: StepClock, now: Date) -> String {
        var parts: [String] = []
        if progress.phase == .reading || progress.phase == .writing, progress.filesTotal > 0 {
            parts.append("file \(min(progress.filesDone + 1, progress.filesTotal))/\(progress.filesTotal)")
        }
        if let fraction = progress.fraction {
            parts.append("\(Int(fraction * 100))% (\(amount(progress.done, of: progress.total, unit: progress.unit)))")
        }
        if let rate = clock.rate(progress, now: now) {
            parts.append(rateText(rate, unit: progress.unit))
            if progress.total > progress.done { parts.append(duration(Double(progress.total - progress.done) / rate) + " left") }
        }
        if progress.phase == .snapshot || progress.phase == .reading, progress.rows > 0 { parts.append("\(progress.rows) rows") }
        return parts.isEmpty ? label(progress) : label(progress) + ": " + parts.joined(separator: ", ")
    }

    static func label(_ progress: RunProgress) -> String {
        progress.step.map { "\(progress.phase.rawValue) (\($0))" } ?? progress.phase.rawValue
    }

    /// "54.0 of 120.0 MB", "45000 of 100000 rows".
    static func amount(_ done: Int64, of total: Int64, unit: RunProgress.Unit) -> String {
        switch unit {
        case .rows: return "\(done) of \(total) rows"
        case .bytes:
            let (divisor, name) = scale(total)
            return one(Double(done) / divisor) + " of " + one(Double(total) / divisor) + " " + name
        }
    }

    static func bytes(_ count: Int64) -> String {
        let (divisor, name) = scale(count)
        return one(Double(count) / divisor) + " " + name
    }

    static func rateText(_ rate: Double, unit: RunProgress.Unit) -> String {
        switch unit {
        case .rows: return String(format: "%.0f rows/s", rate)
        case .bytes:
            let (divisor, name) = scale(Int64(rate))
            return one(rate / divisor) + " " + name + "/s"
        }
    }

    /// "0:05", "12:40", "1:02:03".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
    }

    /// One decimal: "12.3".
    static func one(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func scale(_ count: Int64) -> (Double, String) {
        count >= 1_000_000_000 ? (1e9, "GB") : count >= 1_000_000 ? (1e6, "MB") : count >= 1_000 ? (1e3, "kB") : (1, "bytes")
    }
}

/// One log line per phase, written as the phase ends, with what it did and how fast:
///
///     2026-12-01T02:30:48Z info dealreg: snapshot: 1000000 rows, 120.0 MB in 41.2 s (2.9 MB/s)
///     2026-12-01T02:30:49Z info dealreg: reading: 5 file(s), 54 rows, 11.3 kB in 0.3 s (37.7 kB/s)
///     2026-12-01T02:30:49Z info dealreg: deciding: 54 rows in 0.1 s (540 rows/s)
///
/// For logs (`batch --verbose`, `run --verbose` when standard error is not a terminal): the
/// line before each one says when its phase began.
final class PhaseLog: @unchecked Sendable {
    private let write: (String) -> Void
    private var current: (event: RunProgress, started: Date)?

    init(write: @escaping (String) -> Void) { self.write = write }

    func record(_ event: RunProgress) {
        let now = Date()
        if let current, current.event.phase == event.phase {
            self.current = (event, current.started)
            return
        }
        if let current { write("dealreg: " + Self.describe(current.event, seconds: now.timeIntervalSince(current.started))) }
        current = event.phase == .done ? nil : (event, now)
    }

    static func describe(_ event: RunProgress, seconds: Double) -> String {
        var parts: [String] = []
        switch event.phase {
        case .reading, .writing: parts.append("\(event.filesTotal) file(s), \(event.rows) rows")
        case .snapshot: parts.append("\(event.rows) rows")
        case .deciding, .done: break
        }
        let amount = event.unit == .rows ? "\(event.total) rows" : ProgressText.bytes(event.total)
        let rate = seconds > 0 ? ProgressText.rateText(Double(event.total) / seconds, unit: event.unit) : "-"
        parts.append("\(amount) in \(ProgressText.one(seconds)) s (\(rate))")
        return "\(event.phase.rawValue): " + parts.joined(separator: ", ")
    }
}

/// Seconds spent in each phase of a run: `timing: snapshot 1.20 s, reading 0.31 s, ...`.
final class PhaseClock: @unchecked Sendable {
    private var starts: [(RunProgress.Phase, Date)] = []

    func record(_ event: RunProgress) {
        if starts.last?.0 != event.phase { starts.append((event.phase, Date())) }
    }

    func summary(rows: Int) -> String {
        var parts: [String] = []
        for (index, (phase, start)) in starts.enumerated() where index + 1 < starts.count {
            parts.append(String(format: "%@ %.2f s", phase.rawValue, starts[index + 1].1.timeIntervalSince(start)))
        }
        let deciding = zip(starts, starts.dropFirst()).first { $0.0.0 == .deciding }.map { $0.1.1.timeIntervalSince($0.0.1) } ?? 0
        let reading = zip(starts, starts.dropFirst()).first { $0.0.0 == .reading }.map { $0.1.1.timeIntervalSince($0.0.1) } ?? 0
        let rate = reading + deciding > 0 ? Double(rows) / (reading + deciding) : 0
        return "timing: " + parts.joined(separator: ", ") + String(format: "; %d rows, %.0f rows/s read+decided", rows, rate)
    }
}

/// Buffered standard output that treats a closed pipe (`dealreg inspect x | head`) as a normal end.
final class StandardOutput {
    private var buffer: [UInt8] = []

    init() { signal(SIGPIPE, SIG_IGN) }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                exit(0)   // EPIPE: the reader went away
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Plain-text renderings of a batch summary.
enum SummaryText {
    /// The first line: files, rows and decisions, where the results went, and with an outbox,
    /// how many emails were written there.
    static func oneLine(_ summary: BatchSummary, outputDirectory: String, outbox: String?) -> String {
        let order = ["approved", "declined", "needs_review", "needs_info"]
        let counts = order.map { "\(summary.decisions[$0, default: 0]) \($0)" }.joined(separator: ", ")
        let mail = outbox.map { "; \(summary.messages.count) email(s) -> \($0)" } ?? ""
        return "dealreg: \(summary.files.count) file(s), \(summary.rows) row(s): \(counts) -> \(outputDirectory)\(mail)"
    }

    /// Who was not emailed, and why: partners without an address, and ids not in the partner list.
    static func notNotified(_ summary: BatchSummary) -> [String] {
        var lines: [String] = []
        if !summary.notNotified.isEmpty {
            lines.append("not notified (no email address in the partner list): \(summary.notNotified.joined(separator: ", "))")
        }
        if !summary.unknownPartners.isEmpty {
            lines.append("not notified (not in the partner list; rows declined as unknown_partner): "
                + summary.unknownPartners.joined(separator: ", "))
        }
        return lines
    }

    /// The nightly batch's one-screen summary.
    static func batch(_ report: NightlyBatch.Report, outputDirectory: String, outbox: String?) -> [String] {
        var lines: [String] = []
        if let summary = report.summary {
            lines.append(oneLine(summary, outputDirectory: outputDirectory, outbox: outbox))
            for file in summary.files {
                let counts = ["approved", "declined", "needs_review", "needs_info"].map { "\(file.decisions[$0, default: 0])" }
                let state = file.reemittedFrom.map { "already processed (\($0)): results re-emitted, nothing registered again" } ?? "decided"
                lines.append("  \(file.file): \(file.rows) rows [\(counts.joined(separator: "/"))] \(state)")
            }
        } else {
            lines.append("dealreg: the inbox had no readable CSV files")
        }
        if !report.closedWon.isEmpty {
            lines.append("closed as won: \(report.closedWon.count) registration(s): \(report.closedWon.joined(separator: ", "))")
        }
        if let summary = report.summary { lines += notNotified(summary) }
        if !report.archived.isEmpty { lines.append("archived: \(report.archived.joined(separator: ", "))") }
        for (file, reason) in report.rejected { lines.append("rejected: \(file): \(reason) (see rejected/\(file).error.txt)") }
        return lines
    }

    static func details(_ summary: BatchSummary) -> [String] {
        var lines = summary.files.map {
            "  \($0.file): \($0.rows) rows, \($0.encoding), \($0.delimiter)-separated -> \($0.results)"
        }
        lines += summary.snapshotWarnings.map { "  snapshot warning: \($0)" }
        return lines
    }
}
