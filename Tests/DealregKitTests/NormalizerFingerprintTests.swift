import DealregKit
import Foundation
import Testing

/// The identity cache (issue 16) trusts a cached identity only under the engine fingerprint that
/// wrote it, and the fingerprint changes only when `IdentityEngine.normalizerVersion` is bumped
/// (or the reference data or ICU change). This pins what the normalizer produces over a fixed
/// corpus — every snapshot shipped in the repository and both sides of `quality/pairs.csv` — to
/// the version: a change to normalization that forgets the bump fails here instead of letting a
/// warm cache hand the new code identities the old code built.
@Suite("Normalizer fingerprint")
struct NormalizerFingerprintTests {
    /// What the normalizer produced over the corpus, by "normalizerVersion | ICU version".
    /// Append a line for a new version; never edit a recorded one.
    static let recorded: [String: String] = [
        "identity-normalizer 1; codec 1 | ICU 72.1": "0869a4ea5a78e4582c58e6ca0f226a26",
    ]

    static let corpus = ["samples/snapshot.csv", "quality/eval/ieee-dev/snapshot.csv", "quality/eval/restaurants-dev/snapshot.csv"]

    /// Every identity of the corpus, encoded, hashed in order.
    static func fingerprint() throws -> String {
        let policy = try EffectivePolicy.load(path: samplePath("policy.yaml")).policy
        var hasher = StableHasher128()
        var bytes: [UInt8] = []
        for file in corpus {
            let snapshot = try Snapshot.load(path: repositoryFile(file), policy: policy, asOf: sampleAsOf)
            for identity in snapshot.index.entries {
                bytes.removeAll(keepingCapacity: true)
                IdentityCodec.encode(identity, into: &bytes)
                bytes.withUnsafeBytes { hasher.combine($0) }
            }
        }
        let builder = IdentityBuilder()
        let pairs = repositoryFile("quality/pairs.csv")
        let reader = try CSVFile.open(path: pairs, format: try CSVFile.detectFormat(path: pairs, delimiter: UInt8(ascii: ",")))
        let header = try #require(try reader.next()?.fields)
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        while let row = try reader.next() {
            for side in ["a", "b"] {
                func value(_ name: String) -> String? {
                    column["\(side)_\(name)"].flatMap { $0 < row.fields.count ? row.fields[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 }
                }
                let identity = builder.identity(AccountFields(name: value("name"), website: value("domain"), email: value("email"),
                                                              country: value("country"), city: value("city"),
                                                              postalCode: value("postal")))
                bytes.removeAll(keepingCapacity: true)
                IdentityCodec.encode(identity, into: &bytes)
                bytes.withUnsafeBytes { hasher.combine($0) }
            }
        }
        let key = hasher.finalize()
        return String(format: "%016llx%016llx", key.high, key.low)
    }

    static func repositoryFile(_ path: String) -> String { repositoryRoot.appendingPathComponent(path).path }

    @Test func normalizationOutputIsPinnedToTheEngineVersion() throws {
        let version = "\(IdentityEngine.normalizerVersion) | ICU \(icuVersion)"
        let computed = try Self.fingerprint()
        guard let expected = Self.recorded[version] else {
            // Another ICU under the same normalizer version: ICU is part of the engine fingerprint
            // already, so a cache never crosses it; this corpus was recorded under another ICU.
            let sameNormalizer = Self.recorded.keys.contains { $0.hasPrefix(IdentityEngine.normalizerVersion + " | ") }
            #expect(sameNormalizer, "no fingerprint recorded for \(version): record \(computed) for it in NormalizerFingerprintTests.recorded")
            return
        }
        #expect(computed == expected, """
            the normalizer now produces other identities than \(IdentityEngine.normalizerVersion) did: bump \
            IdentityEngine.normalizerVersion (so warm identity caches are rebuilt) and record \(computed) for the new version
            """)
    }
}
