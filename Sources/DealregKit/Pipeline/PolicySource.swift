import Crypto
import DealregPolicy
import Foundation

/// The effective policy of a run: its settings, its account lists, and its
/// version (a hash of every setting and of the lists' contents).
public struct EffectivePolicy: Sendable {
    public let policy: Policy
    /// First 12 hex digits of SHA-256 over the settings and the account lists' bytes.
    public let version: String
    /// Accounts reserved for direct sales (`direct_reserved.accounts_file`).
    public let directAccounts: AccountList?
    /// Sanctioned or do-not-sell accounts (`blocked_accounts_file`).
    public let blockedAccounts: AccountList?

    public init(_ policy: Policy, directAccounts: AccountList? = nil, blockedAccounts: AccountList? = nil,
                listDigest: String = "") {
        self.policy = policy
        self.directAccounts = directAccounts
        self.blockedAccounts = blockedAccounts
        version = sha256Hex(Array((policy.canonicalText + listDigest).utf8)).prefix(12).description
    }

    /// Loads `--policy` and the account lists it names (relative to its folder),
    /// or the documented defaults when no path is given.
    public static func load(path: String?) throws -> EffectivePolicy {
        guard let path else { return EffectivePolicy(Policy()) }
        let policy = try loadSettings(path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") ? file : folder.appendingPathComponent(file).path
        }
        var digest = ""
        func list(_ file: String?, role: String) throws -> AccountList? {
            guard let file else { return nil }
            let full = resolve(file)
            guard let bytes = FileManager.default.contents(atPath: full) else {
                throw InputError(.unreadable, "\(full): cannot read the \(role) named by \(path)")
            }
            digest += "\(role): \(sha256Hex(bytes))\n"
            return try AccountList.load(path: full, role: role)
        }
        let direct = try list(policy.directReserved.accountsFile, role: "direct-reserved account list")
        let blocked = try list(policy.blockedAccountsFile, role: "blocked account list")
        return EffectivePolicy(policy, directAccounts: direct, blockedAccounts: blocked, listDigest: digest)
    }

    private static func loadSettings(path: String) throws -> Policy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError(.unreadable, "\(path): cannot read the policy file (\(describeFileError(error)))")
        }
        do {
            return try PolicyLoader.parse(yaml: text, source: path)
        } catch let error as PolicyError {
            throw InputError(.invalid, error.description)
        }
    }
}

func sha256Hex<D: DataProtocol>(_ bytes: D) -> String {
    hex(SHA256.hash(data: bytes))
}

/// Lower-case hexadecimal digits of some bytes.
func hex<S: Sequence<UInt8>>(_ bytes: S) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

func describeFileError(_ error: Error) -> String {
    if let fileError = error as? FileError { return "\(LogText.path(fileError.path)): \(fileError.message)" }
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if nsError.domain == NSCocoaErrorDomain {
        switch nsError.code {
        case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "no space left on the device"
        case NSFileWriteVolumeReadOnlyError: return "read-only file system"
        case NSFileWriteFileExistsError: return "a file of that name is in the way"
        default: return "the file system refused (error \(nsError.code))"
        }
    }
    return nsError.localizedDescription
}
