import DealregCSV
import DealregKit
import Foundation
import Testing

/// Issue 15: progress that tells the truth — each phase reports how much of its work is done
/// of a total that is right: bytes of the snapshot, bytes of the uploads (read, then read again
/// to write the results), rows for deciding.
@Suite("Run progress")
struct ProgressTests {
    @Test func everyPhaseCountsUpToItsTrueTotal() throws {
        let folder = try temporaryDirectory()
        var configuration = RunConfiguration(snapshotPath: samplePath("snapshot.csv"), partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.path, uploads: sampleUploads)
        configuration.threads = 2
        var events: [RunProgress] = []
        let summary = try BatchRunner(configuration: configuration) { events.append($0) }.run()

        let phases = events.map(\.phase).reduce(into: [RunProgress.Phase]()) { if $0.last != $1 { $0.append($1) } }
        #expect(phases == [.snapshot, .reading, .deciding, .writing, .done])
        let snapshotSize = try #require(try FileManager.default.attributesOfItem(atPath: samplePath("snapshot.csv"))[.size] as? Int)
        let uploadSize = try sampleUploads.map { try #require(try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) }
            .reduce(0, +)
        for event in events where event.phase != .done {
            #expect(event.done >= 0 && event.done <= event.total || event.total == 0, "\(event)")
        }
        // Within each phase and step, the count only goes up, and ends at the total.
        let steps = Dictionary(grouping: events.filter { $0.phase != .done }, by: { "\($0.phase) \($0.step ?? "")" })
        for (step, seen) in steps {
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.done <= $1.done }, "\(step)")
        }
        let snapshot = events.filter { $0.phase == .snapshot }
        #expect(snapshot.allSatisfy { $0.total == Int64(snapshotSize) && $0.unit == .bytes })
        #expect(snapshot.last(where: { $0.step == "checking encoding" })?.done == Int64(snapshotSize), "the first pass reads it all")
        #expect(snapshot.last?.done == Int64(snapshotSize) && snapshot.last?.step == nil)
        #expect(snapshot.last?.rows == summary.snapshotDeals)
        let reading = events.filter { $0.phase == .reading }
        #expect(reading.allSatisfy { $0.total == Int64(uploadSize) })
        #expect(reading.last?.done == Int64(uploadSize) && reading.last?.rows == summary.rows)
        // Rows are decided as they are written (issue 12): deciding tells matching done, then the fit.
        #expect(events.contains { $0.phase == .deciding && $0.step == "fitting the model" })
        #expect(events.contains { $0.phase == .deciding && $0.step == "matching" && $0.done == Int64(summary.rows) })
        let writing = events.filter { $0.phase == .writing }
        #expect(writing.allSatisfy { $0.total == Int64(uploadSize) })
        #expect(writing.map(\.filesDone) == writing.map(\.filesDone).sorted())
        #expect(events.last?.phase == .done && events.last?.done == Int64(uploadSize))
    }
}
