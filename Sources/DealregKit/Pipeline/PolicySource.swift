import Crypto
import DealregPolicy
import Foundation

/// The effective policy of a run and its version (a hash of every setting).
public struct EffectivePolicy: Sendable {
    public let policy: Policy
    /// First 12 hex digits of SHA-256 over `Policy.canonicalText`.
    public let version: String

    public init(_ policy: Policy) {
        self.policy = policy
        version = sha256Hex(Array(policy.canonicalText.utf8)).prefix(12).description
    }

    /// Loads `--policy`, or the documented defaults when no path is given.
    public static func load(path: String?) throws -> EffectivePolicy {
        guard let path else { return EffectivePolicy(Policy()) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError(.unreadable, "\(path): cannot read the policy file (\(describeFileError(error)))")
        }
        do {
            return EffectivePolicy(try PolicyLoader.parse(yaml: text, source: path))
        } catch let error as PolicyError {
            throw InputError(.invalid, error.description)
        }
    }
}

func sha256Hex<D: DataProtocol>(_ bytes: D) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

func describeFileError(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoSuchFileError { return "no such file" }
    return nsError.localizedDescription
}
