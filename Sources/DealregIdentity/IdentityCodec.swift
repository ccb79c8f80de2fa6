/// A 128-bit key: the hash of a row's identity fields, or of the engine's version.
public struct IdentityKey: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}

/// A fast, stable (same on every run and machine) non-cryptographic 128-bit hash: two
/// independent multiply-rotate lanes over 8-byte words, each finished with MurmurHash3's
/// 64-bit finalizer. For cache keys and checksums, never for anything an attacker chooses to collide.
public struct StableHasher128 {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    public init() {}

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        a ^= word &* 0x87C3_7B91_1142_53D5
        a = ((a << 31) | (a >> 33)) &* 0x4CF5_AD43_2745_937F
        b ^= word &* 0x9FB2_1C65_1E98_DF25
        b = ((b << 27) | (b >> 37)) &* 0xFF51_AFD7_ED55_8CCD
        b = b &+ a
    }

    /// Hashes `bytes` as one unit: its length is part of the hash, so two calls never run together.
    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        let count = bytes.count
        while offset + 8 <= count {
            mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        mix(tail ^ (UInt64(count) << 56) ^ 0x5851_F42D_4C95_7F2D)
        length &+= UInt64(count)
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    public mutating func combine(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { combine($0) }
    }

    public func finalize() -> IdentityKey {
        IdentityKey(high: Self.fmix(a ^ length), low: Self.fmix(b ^ (length &* 0x9E37_79B9_7F4A_7C15)))
    }

    @inline(__always)
    static func fmix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k = k &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    /// The hash of a buffer in one call.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> IdentityKey {
        var hasher = StableHasher128()
        hasher.combine(bytes)
        return hasher.finalize()
    }
}

/// What an identity depends on besides its row, for the identity cache (issue 16): a cached
/// identity is used only by the engine whose fingerprint wrote it.
public enum IdentityEngine {
    /// Bump whenever normalization changes what it produces for any input (company names,
    /// domains, countries, cities, postal codes, phones, street addresses) or the codec's layout.
    public static let normalizerVersion = "identity-normalizer 1; codec 1"

    /// A hash over `normalizerVersion`, the embedded reference data (legal forms, public
    /// suffixes, free-mail domains) and the ICU version in use. (No model parameter shapes an
    /// identity: the match model is fitted per run from the index, which is rebuilt every run.)
    public static let fingerprint: IdentityKey = {
        var hasher = StableHasher128()
        hasher.combine(normalizerVersion)
        hasher.combine(LegalFormData.text)
        hasher.combine(PublicSuffixData.text)
        hasher.combine(FreeMailData.text)
        hasher.combine(icuVersion)
        return hasher.finalize()
    }()
}

/// A compact binary form of `AccountIdentity` and the key of the raw fields it was built from.
///
/// Strings are written as a LEB128 varint (0 for nil, else UTF-8 length + 1) and their bytes.
public enum IdentityCodec {
    /// The key of a row's identity fields: every field that feeds `IdentityBuilder.identity`.
    public static func key(_ fields: AccountFields) -> IdentityKey {
        var hasher = StableHasher128()
        for field in [fields.name, fields.website, fields.email, fields.country, fields.city, fields.postalCode,
                      fields.phone, fields.address] {
            if let field { hasher.combine(field) } else { hasher.combine(UInt64.max) }
        }
        return hasher.finalize()
    }

    public static func encode(_ identity: AccountIdentity, into out: inout [UInt8]) {
        let name = identity.name
        writeVarint(UInt64(name.tokens.count), into: &out)
        for token in name.tokens { write(token, into: &out) }
        write(name.nativeKey, into: &out)
        write(name.confusableKey, into: &out)
        write(name.germanKey, into: &out)
        writeVarint(UInt64(name.legalForms.count), into: &out)
        for form in name.legalForms {
            write(form.display, into: &out)
            write(form.generic, into: &out)
        }
        write(name.primaryKey, into: &out)
        write(identity.domain, into: &out)
        write(identity.domainSource, into: &out)
        out.append(identity.domainIsFreeMail ? 1 : 0)
        write(identity.country, into: &out)
        write(identity.city, into: &out)
        write(identity.postalCode, into: &out)
        write(identity.phone, into: &out)
        if let street = identity.street {
            out.append(1)
            write(street.number, into: &out)
            write(street.street, into: &out)
            write(street.unit, into: &out)
            write(street.core, into: &out)
        } else {
            out.append(0)
        }
    }

    /// The identity encoded in `bytes`, or nil when they are not exactly one encoded identity.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> AccountIdentity? {
        var reader = Reader(bytes: bytes)
        guard let tokenCount = reader.varint(), tokenCount <= UInt64(bytes.count) else { return nil }
        var tokens: [String] = []
        tokens.reserveCapacity(Int(tokenCount))
        for _ in 0..<tokenCount {
            guard case .some(.some(let token)) = reader.string() else { return nil }
            tokens.append(token)
        }
        guard case .some(.some(let nativeKey)) = reader.string(), case .some(.some(let confusableKey)) = reader.string(),
              case .some(let germanKey) = reader.string(), let formCount = reader.varint(), formCount <= UInt64(bytes.count)
        else { return nil }
        var forms: [LegalForm] = []
        for _ in 0..<formCount {
            guard case .some(.some(let display)) = reader.string(), case .some(.some(let generic)) = reader.string() else { return nil }
            forms.append(LegalForm(display: display, generic: generic))
        }
        guard case .some(let primaryKey) = reader.string(), case .some(let domain) = reader.string(),
              case .some(let domainSource) = reader.string(), let freeMail = reader.byte(), freeMail <= 1,
              case .some(let country) = reader.string(), case .some(let city) = reader.string(),
              case .some(let postalCode) = reader.string(), case .some(let phone) = reader.string(),
              let hasStreet = reader.byte(), hasStreet <= 1
        else { return nil }
        var street: StreetAddress?
        if hasStreet == 1 {
            guard case .some(let number) = reader.string(), case .some(let streetName) = reader.string(),
                  case .some(let unit) = reader.string(), case .some(let core) = reader.string() else { return nil }
            street = StreetAddress(number: number, street: streetName, unit: unit, core: core)
        }
        guard reader.atEnd else { return nil }
        var name = CompanyName(tokens: tokens, nativeKey: nativeKey, confusableKey: confusableKey, germanKey: germanKey,
                               legalForms: forms)
        name.primaryKey = primaryKey
        var identity = AccountIdentity(name: name, domain: domain, domainSource: domainSource, country: country, city: city,
                                       postalCode: postalCode, phone: phone, street: street)
        identity.domainIsFreeMail = freeMail == 1
        return identity
    }

    private static func write(_ text: String?, into out: inout [UInt8]) {
        guard var text else { return out.append(0) }
        text.withUTF8 { bytes in
            writeVarint(UInt64(bytes.count) + 1, into: &out)
            out.append(contentsOf: bytes)
        }
    }

    public static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// Bounds-checked reading: every method returns nil past the end or on a malformed value.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard shift < 64, let byte = byte() else { return nil }
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }

        /// `.some(nil)` for an absent string, nil when malformed.
        mutating func string() -> String?? {
            guard let header = varint() else { return nil }
            if header == 0 { return .some(nil) }
            let length = header - 1
            guard length <= UInt64(bytes.count - offset) else { return nil }
            let start = offset
            offset += Int(length)
            return .some(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
        }
    }
}

extension StreetAddress {
    /// An address as the identity cache stored it.
    init(number: String?, street: String?, unit: String?, core: String?) {
        self.number = number
        self.street = street
        self.unit = unit
        self.core = core
    }
}
