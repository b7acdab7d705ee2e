#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Builds a dictionary of distinct values and the index of every value, giving up when the
/// dictionary's PLAIN size passes a limit (the writer then falls back to PLAIN).
enum DictionaryBuilder {
    /// The distinct values (PLAIN-encodable) and one index per input value.
    struct Result {
        var dictionary: LeafValues
        var indices: [Int32]
    }

    static func build(_ values: LeafValues, byteLimit: Int) -> Result? {
        switch values {
        case .boolean:
            return nil
        case .int32(let v):
            return buildFixed(v, key: { UInt64(UInt32(bitPattern: $0)) }, width: 4, byteLimit: byteLimit).map {
                Result(dictionary: .int32($0.0), indices: $0.1)
            }
        case .int64(let v):
            return buildFixed(v, key: { UInt64(bitPattern: $0) }, width: 8, byteLimit: byteLimit).map {
                Result(dictionary: .int64($0.0), indices: $0.1)
            }
        case .float(let v):
            return buildFixed(v, key: { UInt64($0.bitPattern) }, width: 4, byteLimit: byteLimit).map {
                Result(dictionary: .float($0.0), indices: $0.1)
            }
        case .double(let v):
            return buildFixed(v, key: { $0.bitPattern }, width: 8, byteLimit: byteLimit).map {
                Result(dictionary: .double($0.0), indices: $0.1)
            }
        case .bytes(let offsets, let data):
            return buildBytes(offsets: offsets, data: data, byteLimit: byteLimit, lengthPrefix: 4).map {
                Result(dictionary: .bytes(offsets: $0.0, data: $0.1), indices: $0.2)
            }
        case .fixed(let width, let data):
            guard width > 0 else { return nil }
            let count = data.count / width
            let offsets = (0...count).map { Int32($0 * width) }
            return buildBytes(offsets: offsets, data: data, byteLimit: byteLimit, lengthPrefix: 0).map {
                Result(dictionary: .fixed(width: width, data: $0.1), indices: $0.2)
            }
        }
    }

    private static func buildFixed<T>(_ values: [T], key: (T) -> UInt64, width: Int, byteLimit: Int) -> ([T], [Int32])? {
        var lookup: [UInt64: Int32] = [:]
        var distinct: [T] = []
        var indices: [Int32] = []
        indices.reserveCapacity(values.count)
        let maxDistinct = byteLimit / width
        for value in values {
            let k = key(value)
            if let index = lookup[k] {
                indices.append(index)
            } else {
                guard distinct.count < maxDistinct else { return nil }
                let index = Int32(distinct.count)
                lookup[k] = index
                distinct.append(value)
                indices.append(index)
            }
        }
        return (distinct, indices)
    }

    /// Open-addressing hash table over byte slices; stores dictionary index + 1 per slot.
    private static func buildBytes(offsets: [Int32], data: [UInt8], byteLimit: Int, lengthPrefix: Int) -> ([Int32], [UInt8], [Int32])? {
        let count = offsets.count - 1
        var capacity = 1024
        var slots = [Int32](repeating: 0, count: capacity)
        var dictOffsets: [Int32] = [0]
        var dictData: [UInt8] = []
        var hashes: [UInt64] = []
        var indices: [Int32] = []
        indices.reserveCapacity(count)
        var plainSize = 0
        return data.withUnsafeBytes { raw -> ([Int32], [UInt8], [Int32])? in
            for index in 0..<count {
                let start = Int(offsets[index]), end = Int(offsets[index + 1])
                let value = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                let hash = hashBytes(value)
                var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
                var found: Int32 = -1
                while slots[slot] != 0 {
                    let candidate = Int(slots[slot] - 1)
                    if hashes[candidate] == hash {
                        let cs = Int(dictOffsets[candidate]), ce = Int(dictOffsets[candidate + 1])
                        if ce - cs == end - start, dictData.withUnsafeBytes({ d in
                            memcmpEqual(UnsafeRawBufferPointer(rebasing: d[cs..<ce]), value)
                        }) {
                            found = Int32(candidate)
                            break
                        }
                    }
                    slot = (slot + 1) & (capacity - 1)
                }
                if found >= 0 {
                    indices.append(found)
                    continue
                }
                plainSize += lengthPrefix + value.count
                guard plainSize <= byteLimit else { return nil }
                let newIndex = Int32(hashes.count)
                hashes.append(hash)
                dictData.append(contentsOf: value)
                dictOffsets.append(Int32(dictData.count))
                slots[slot] = newIndex + 1
                indices.append(newIndex)
                if hashes.count * 2 > capacity {
                    capacity *= 2
                    slots = [Int32](repeating: 0, count: capacity)
                    for (i, h) in hashes.enumerated() {
                        var s = Int(truncatingIfNeeded: h) & (capacity - 1)
                        while slots[s] != 0 { s = (s + 1) & (capacity - 1) }
                        slots[s] = Int32(i + 1)
                    }
                }
            }
            return (dictOffsets, dictData, indices)
        }
    }

    @inline(__always)
    private static func memcmpEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// A fast 64-bit hash of a byte slice (multiply-xorshift over 8-byte words).
    @inline(__always)
    static func hashBytes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h
    }
}
