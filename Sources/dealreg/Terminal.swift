import DealregKit
import DealregReport
import Foundation

/// A one-line progress display on standard error, only when it is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let started = Date()
    private var lastDraw = Date.distantPast

    static func ifTerminal() -> ProgressLine? { isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil }

    func update(_ progress: RunProgress) {
        let now = Date()
        guard progress.phase == .done || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Int(Double(progress.rows) / elapsed)
        let text = "\(progress.phase.rawValue): file \(min(progress.filesDone + 1, progress.filesTotal))/\(progress.filesTotal), \(progress.rows) rows, \(rate) rows/s"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
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
