import DealregKit
import Foundation
import Testing

/// `Snapshot.load` adds each chunk of rows on a serial queue while the next chunk is read and
/// normalized: what it builds must not depend on that, across many chunks (4,096 rows each).
@Suite("Snapshot load")
struct SnapshotLoadTests {
    /// 10,000 deals (two chunks and more), with problem rows on both sides of the chunk boundaries
    /// (rows 4,096 and 8,192): an unknown status, a deal_id given twice, a row without a deal_id.
    private func bigSnapshot() throws -> String {
        var lines = ["deal_id,account_name,owner_type,status,account_domain,city,country,postal_code,owner_id,created_on,expires_on,deal_value,last_activity_on,address,phone"]
        for number in 1...10_000 {
            let id = [4_097, 8_193].contains(number) ? "D-\(number - 1)" : "D-\(number)"
            let status = [4_095, 8_190].contains(number) ? "pending-ish" : "registered"
            let dealID = [4_094, 9_999].contains(number) ? "" : id
            lines.append("\(dealID),Vendor\(number) Systems,partner,\(status),vendor\(number).example,Austin,US,78701,P-COASTAL,"
                + "2026-10-01,2026-12-30,1000,,\(number) Main Street,+1 512 555 \(String(format: "%04d", number % 10_000))")
        }
        let path = try temporaryDirectory().appendingPathComponent("snapshot.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func load(_ path: String, threads: Int, cache: String? = nil) throws -> Snapshot {
        let policy = try EffectivePolicy.load(path: samplePath("policy.yaml")).policy
        return try Snapshot.load(path: path, policy: policy, asOf: sampleAsOf, threads: threads, identityCache: cache)
    }

    @Test func manyChunksAreAddedInFileOrderWhateverTheThreads() throws {
        let path = try bigSnapshot()
        let one = try load(path, threads: 1)
        #expect(one.deals.count == 10_000)
        #expect(one.index.count == 10_000)
        // In file order: entry i is line i + 2 (a row without deal_id is named by its line).
        let expected = (1...10_000).map { number in
            [4_094, 9_999].contains(number) ? "line-\(number + 1)" : [4_097, 8_193].contains(number) ? "D-\(number - 1)" : "D-\(number)"
        }
        #expect(one.deals.map(\.dealID) == expected)
        #expect(one.index.entries[4_096].name.tokens.first == "vendor4097")
        // Warnings in line order, one per problem, across the chunk boundaries.
        let lines = one.warnings.compactMap { warning in
            warning.range(of: #"line [0-9]+"#, options: .regularExpression).flatMap { Int(warning[$0].dropFirst(5)) }
        }
        #expect(lines == [4_095, 4_096, 4_098, 8_191, 8_194, 10_000], "\(one.warnings)")
        for threads in [2, 3] {
            let other = try load(path, threads: threads)
            #expect(other.deals.map(\.dealID) == one.deals.map(\.dealID), "\(threads) threads")
            #expect(other.warnings == one.warnings, "\(threads) threads")
            #expect(other.index.entries.map(\.name.latinKey) == one.index.entries.map(\.name.latinKey), "\(threads) threads")
        }
        // With an identity cache, cold and warm: the same deals, and every row found warm.
        let cache = try temporaryDirectory().appendingPathComponent("identity-cache.bin").path
        let cold = try load(path, threads: 2, cache: cache)
        let warm = try load(path, threads: 2, cache: cache)
        #expect(cold.deals.map(\.dealID) == one.deals.map(\.dealID))
        #expect(warm.deals.map(\.dealID) == one.deals.map(\.dealID))
        #expect(warm.identityCacheHits == 10_000)
        #expect(warm.index.entries.map(\.name.latinKey) == one.index.entries.map(\.name.latinKey))
    }
}
