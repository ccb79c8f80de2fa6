import DealregKit
import Foundation
import Testing

/// The identity cache (issue 16): never changes a result, and a damaged file is never trusted.
@Suite("Identity cache")
struct IdentityCacheTests {
    /// Every file of a run, by name.
    private func files(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    /// A run of the sample uploads against `snapshot`, with the cache file `cache` (or none); its files and warnings.
    private func run(snapshot: String = samplePath("snapshot.csv"), cache: String?, threads: Int? = nil) throws -> ([String: Data], [String]) {
        let folder = try temporaryDirectory()
        var configuration = RunConfiguration(snapshotPath: snapshot, partnersPath: samplePath("partners.csv"),
                                             policyPath: samplePath("policy.yaml"), asOf: sampleAsOf,
                                             outputDirectory: folder.path, uploads: sampleUploads)
        configuration.identityCachePath = cache
        if let threads { configuration.threads = threads }
        let runner = BatchRunner(configuration: configuration)
        var warnings: [String] = []
        runner.warning = { warnings.append($0) }
        _ = try runner.run()
        return (try files(folder), warnings)
    }

    private func load(_ snapshot: String = samplePath("snapshot.csv"), cache: String?) throws -> (Snapshot, [String]) {
        let policy = try EffectivePolicy.load(path: samplePath("policy.yaml")).policy
        var warnings: [String] = []
        let loaded = try Snapshot.load(path: snapshot, policy: policy, asOf: sampleAsOf, identityCache: cache, warn: { warnings.append($0) })
        return (loaded, warnings)
    }

    /// Each index entry's identity, encoded: equal encodings are equal identities.
    private func encodedEntries(_ snapshot: Snapshot) -> [[UInt8]] {
        snapshot.index.entries.map { identity in
            var bytes: [UInt8] = []
            IdentityCodec.encode(identity, into: &bytes)
            return bytes
        }
    }

    private func cachePath() throws -> String {
        try temporaryDirectory().appendingPathComponent("cache").appendingPathComponent(IdentityCache.fileName).path
    }

    @Test func codecRoundTripsEveryIdentity() throws {
        let builder = IdentityBuilder()
        let names = ["Fourth Coffee Inc.", "株式会社ソニー", "ООО «Газпром нефть»", "Müller & Söhne GmbH", "Conexant Systems (Rockwell), Inc.",
                     "Microchip Technology / SMSC", "", "Ελληνικά Πετρέλαια Α.Ε.", "삼성전자 주식회사", "A B C Engineering"]
        for name in names {
            let fields = AccountFields(name: name, website: "https://www.example.co.uk/x", email: "pat@web.de", country: "Deutschland",
                                       city: "New York City", postalCode: "10013", phone: "+1 212 555 0100",
                                       address: "492 Broome St., Suite 4")
            for identity in [builder.identity(fields), builder.identity(AccountFields(name: name))] {
                var bytes: [UInt8] = []
                IdentityCodec.encode(identity, into: &bytes)
                let decoded = try #require(bytes.withUnsafeBytes { IdentityCodec.decode($0) })
                var again: [UInt8] = []
                IdentityCodec.encode(decoded, into: &again)
                #expect(again == bytes)
                #expect(decoded.name == identity.name && decoded.street == identity.street && decoded.domainLabel == identity.domainLabel)
                // Any prefix is rejected, never misread.
                for cut in [0, 1, bytes.count / 2, bytes.count - 1] where cut < bytes.count {
                    #expect(Array(bytes.prefix(cut)).withUnsafeBytes { IdentityCodec.decode($0) } == nil)
                }
            }
        }
        #expect(IdentityCodec.key(AccountFields(name: "ab", city: "c")) != IdentityCodec.key(AccountFields(name: "a", city: "bc")))
        #expect(IdentityCodec.key(AccountFields(name: "a")) != IdentityCodec.key(AccountFields(website: "a")))
    }

    /// No cache, a cold cache and a warm one (on one thread or several) give byte-identical files.
    @Test func resultsAreByteIdenticalWithoutColdAndWarm() throws {
        let cache = try cachePath()
        let (plain, none) = try run(cache: nil)
        let (cold, coldWarnings) = try run(cache: cache)
        #expect(FileManager.default.fileExists(atPath: cache))
        let (warm, warmWarnings) = try run(cache: cache)
        let (warmSingle, _) = try run(cache: cache, threads: 1)
        #expect(none.isEmpty && coldWarnings.isEmpty && warmWarnings.isEmpty)
        #expect(plain.keys.sorted() == cold.keys.sorted())
        for (name, bytes) in plain {
            #expect(cold[name] == bytes, "\(name) cold")
            #expect(warm[name] == bytes, "\(name) warm")
            #expect(warmSingle[name] == bytes, "\(name) warm, one thread")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o007 } == 0, "the cache is not world-readable")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (cache as NSString).deletingLastPathComponent)
        #expect(leftovers == [IdentityCache.fileName])
    }

    /// A warm load takes every identity from the cache, and they are the identities a cold load builds.
    @Test func warmLoadUsesTheCacheAndMatchesACold() throws {
        let cache = try cachePath()
        let (plain, _) = try load(cache: nil)
        let (cold, _) = try load(cache: cache)
        let (warm, warnings) = try load(cache: cache)
        #expect(warnings.isEmpty)
        #expect(cold.identityCacheHits == 0)
        #expect(warm.identityCacheHits == plain.deals.count)
        #expect(encodedEntries(warm) == encodedEntries(plain))
        #expect(encodedEntries(cold) == encodedEntries(plain))
        #expect(warm.warnings == plain.warnings)
    }

    /// After one row changes, that row alone is normalized again, and the results are those without a cache;
    /// rows gone from the snapshot leave the cache.
    @Test func aChangedRowIsNormalizedAgainAndGoneRowsAreEvicted() throws {
        let folder = try temporaryDirectory()
        let snapshot = folder.appendingPathComponent("snapshot.csv")
        var lines = try String(contentsOfFile: samplePath("snapshot.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        try lines.joined(separator: "\r\n").write(to: snapshot, atomically: true, encoding: .utf8)
        let cache = try cachePath()
        _ = try run(snapshot: snapshot.path, cache: cache)
        // The second deal (Contoso, direct and active) moves to another account.
        #expect(lines[2].hasPrefix("D-10002,Contoso Ltd,"))
        lines[2] = lines[2].replacing("Contoso Ltd,", with: "Tailspin Toys GmbH,").replacing("contoso.com", with: "tailspintoys.de")
        try lines.joined(separator: "\r\n").write(to: snapshot, atomically: true, encoding: .utf8)
        let (plainSnapshot, _) = try load(snapshot.path, cache: nil)
        let (plain, _) = try run(snapshot: snapshot.path, cache: nil)
        let before = IdentityCache(path: cache).count
        let (warm, warnings) = try run(snapshot: snapshot.path, cache: cache)
        #expect(warnings.isEmpty)
        for (name, bytes) in plain { #expect(warm[name] == bytes, "\(name)") }
        let (warmSnapshot, _) = try load(snapshot.path, cache: cache)
        #expect(warmSnapshot.identityCacheHits == plainSnapshot.deals.count)
        #expect(encodedEntries(warmSnapshot) == encodedEntries(plainSnapshot))
        #expect(IdentityCache(path: cache).count == before, "the old row's identity was evicted, the new one added")

        // Half the rows gone: the cache keeps only the rest.
        try lines.prefix(lines.count / 2).joined(separator: "\r\n").write(to: snapshot, atomically: true, encoding: .utf8)
        let (half, _) = try load(snapshot.path, cache: cache)
        #expect(half.identityCacheHits == half.deals.count)
        #expect(IdentityCache(path: cache).count < before)
        let (again, _) = try load(snapshot.path, cache: cache)
        #expect(IdentityCache(path: cache).count <= again.deals.count)
    }

    enum Damage: String, CaseIterable { case empty, truncatedHeader, truncatedPayload, flippedHeaderByte, flippedPayloadByte,
                                            flippedLastByte, extended, foreign, otherEngineVersion, otherFormatVersion }

    private func damage(_ bytes: [UInt8], _ kind: Damage) -> [UInt8] {
        var bytes = bytes
        func resealHeader() {
            var hasher = StableHasher128()
            bytes.withUnsafeBytes { hasher.combine(UnsafeRawBufferPointer(rebasing: $0[0..<56])) }
            withUnsafeBytes(of: hasher.finalize().low.littleEndian) { bytes.replaceSubrange(56..<64, with: $0) }
        }
        switch kind {
        case .empty: return []
        case .truncatedHeader: return Array(bytes.prefix(40))
        case .truncatedPayload: return Array(bytes.prefix(bytes.count - 100))
        case .flippedHeaderByte: bytes[33] ^= 0x01
        case .flippedPayloadByte: bytes[bytes.count / 2] ^= 0x20
        case .flippedLastByte: bytes[bytes.count - 1] ^= 0x80
        case .extended: bytes += [0, 0, 0, 0]
        case .foreign:
            var rng = SystemRandomNumberGenerator()
            return (0..<bytes.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case .otherEngineVersion:
            bytes[20] ^= 0xFF
            resealHeader()
        case .otherFormatVersion:
            bytes[8] = 2
            resealHeader()
        }
        return bytes
    }

    /// A truncated, corrupt, foreign or other-version file: one warning naming the path, a rebuild, the same results.
    @Test(arguments: Damage.allCases)
    func aDamagedCacheIsIgnoredWithOneWarningAndRebuilt(_ kind: Damage) throws {
        let cache = try cachePath()
        let (plain, _) = try run(cache: nil)
        _ = try run(cache: cache)
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cache)))
        try Data(damage(good, kind)).write(to: URL(fileURLWithPath: cache))
        let (damaged, warnings) = try run(cache: cache)
        #expect(warnings.count == 1, "\(kind): \(warnings)")
        #expect(warnings.first.map { $0.contains(cache) && $0.contains("ignored, rebuilt") } == true, "\(warnings)")
        for (name, bytes) in plain { #expect(damaged[name] == bytes, "\(kind): \(name)") }
        // Rebuilt: the next load is warm and silent.
        let (next, nextWarnings) = try load(cache: cache)
        #expect(nextWarnings.isEmpty)
        #expect(next.identityCacheHits == next.deals.count)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: cache))) == good)
    }

    /// Another engine's file is refused even when intact.
    @Test func anotherFingerprintIsRefused() throws {
        let cache = try cachePath()
        _ = try load(cache: cache)
        #expect(IdentityCache(path: cache).warning == nil)
        let other = IdentityCache(path: cache, fingerprint: IdentityKey(high: 1, low: 2))
        #expect(other.count == 0 && other.warning?.contains("another engine version") == true)
        #expect(IdentityCache(path: cache + ".missing").warning == nil)
    }

    /// A cache that cannot be written costs the next run its head start, never this run its results.
    @Test func anUnwritableCacheOnlyWarns() throws {
        let folder = try temporaryDirectory()
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let (plain, _) = try run(cache: nil)
        let (cached, warnings) = try run(cache: blocker.path + "/" + IdentityCache.fileName)
        #expect(warnings.count == 1 && warnings[0].contains("cannot be written"), "\(warnings)")
        for (name, bytes) in plain { #expect(cached[name] == bytes, "\(name)") }
    }
}
