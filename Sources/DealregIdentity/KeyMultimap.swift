/// An append-only multimap from 64-bit keys to `Int32` values, in flat arrays.
///
/// Built for blocking keys of millions of accounts: one open-addressing table
/// (linear probing) of key → first node, and singly linked nodes, so a key
/// costs no allocation of its own. Keys are hashes of strings (`BlockingKey`);
/// two strings sharing a hash only add a candidate, which scoring then judges.
struct KeyMultimap: Sendable {
    private var keys: [UInt64]
    private var heads: [Int32]
    private var counts: [Int32]
    private var nodeValues: [Int32] = []
    private var nodeNext: [Int32] = []
    private var used = 0
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        heads = Array(repeating: -1, count: size)
        counts = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Key 0 marks an empty slot; a real key of 0 is stored as 1.
    private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    private func slot(of key: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: key) & mask
        while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// Adds `value` under `key`.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (used + 1) * 10 > keys.count * 7 { grow() }
        let key = Self.stored(key)
        let slot = slot(of: key)
        if keys[slot] == 0 {
            keys[slot] = key
            used += 1
        }
        nodeValues.append(value)
        nodeNext.append(heads[slot])
        heads[slot] = Int32(nodeValues.count - 1)
        counts[slot] += 1
    }

    /// How many values `key` has.
    func count(_ key: UInt64) -> Int {
        let slot = slot(of: Self.stored(key))
        return keys[slot] == 0 ? 0 : Int(counts[slot])
    }

    /// Calls `body` with every value of `key`, newest first, unless the key has more than `limit` values.
    func forEach(_ key: UInt64, limit: Int = .max, _ body: (Int32) -> Void) {
        let slot = slot(of: Self.stored(key))
        guard keys[slot] != 0, counts[slot] <= limit else { return }
        var node = heads[slot]
        while node >= 0 {
            body(nodeValues[Int(node)])
            node = nodeNext[Int(node)]
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldHeads = heads, oldCounts = counts
        let size = keys.count * 2
        keys = Array(repeating: 0, count: size)
        heads = Array(repeating: -1, count: size)
        counts = Array(repeating: 0, count: size)
        mask = size - 1
        for index in oldKeys.indices where oldKeys[index] != 0 {
            let slot = slot(of: oldKeys[index])
            keys[slot] = oldKeys[index]
            heads[slot] = oldHeads[index]
            counts[slot] = oldCounts[index]
        }
    }
}

/// 64-bit hashes of blocking keys: FNV-1a over a kind tag and the UTF-8 bytes,
/// then a finalizer that spreads the bits (the table uses the low bits).
enum BlockingKey {
    static func hash(_ kind: UInt8, _ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = (hash ^ UInt64(kind)) &* 0x100_0000_01b3
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return mix(hash)
    }

    static func hash(_ kind: UInt8, _ scalars: [UInt32]) -> UInt64 {
        scalars.withUnsafeBufferPointer { hash(kind, $0, UnsafeBufferPointer(start: nil, count: 0)) }
    }

    /// The hash of two scalar runs written one after the other.
    static func hash(_ kind: UInt8, _ first: UnsafeBufferPointer<UInt32>, _ second: UnsafeBufferPointer<UInt32>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = (hash ^ UInt64(kind)) &* 0x100_0000_01b3
        for scalar in first { hash = (hash ^ UInt64(scalar)) &* 0x100_0000_01b3 }
        for scalar in second { hash = (hash ^ UInt64(scalar)) &* 0x100_0000_01b3 }
        return mix(hash)
    }

    /// MurmurHash3's 64-bit finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
