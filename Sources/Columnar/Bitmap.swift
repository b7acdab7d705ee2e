/// A packed sequence of bits, least significant bit first, used for validity and booleans.
public struct Bitmap: Hashable, Sendable {
    @usableFromInline var words: [UInt64]
    @usableFromInline var _count: Int
    /// The number of bits.
    public var count: Int { _count }

    public init() {
        self.words = []
        self._count = 0
    }

    /// A bitmap of `count` bits all set to `value`.
    public init(repeating value: Bool, count: Int) {
        let wordCount = (count + 63) >> 6
        self.words = [UInt64](repeating: value ? ~0 : 0, count: wordCount)
        self._count = count
        if value, count & 63 != 0 {
            words[wordCount - 1] = (1 << UInt64(count & 63)) - 1
        }
    }

    public init<S: Sequence>(_ bits: S) where S.Element == Bool {
        self.init()
        for bit in bits { append(bit) }
    }

    @inlinable
    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "bit index out of range")
            return words[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "bit index out of range")
            if newValue {
                words[index >> 6] |= 1 << UInt64(index & 63)
            } else {
                words[index >> 6] &= ~(1 << UInt64(index & 63))
            }
        }
    }

    @inlinable
    public mutating func append(_ bit: Bool) {
        let bitIndex = count & 63
        if bitIndex == 0 { words.append(0) }
        if bit { words[words.count - 1] |= 1 << UInt64(bitIndex) }
        _count += 1
    }

    /// Appends `n` copies of `bit`.
    public mutating func append(_ bit: Bool, count n: Int) {
        for _ in 0..<n { append(bit) }
    }

    public mutating func reserveCapacity(_ bits: Int) {
        words.reserveCapacity((bits + 63) >> 6)
    }

    /// The number of set bits.
    public var setCount: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }
}

extension Bitmap {
    /// A bitmap with bit `i` set where `values[i] == value`, built a word at a time.
    public init(matching values: [Int32], value: Int32) {
        let count = values.count
        var words = [UInt64](repeating: 0, count: (count + 63) >> 6)
        values.withUnsafeBufferPointer { source in
            words.withUnsafeMutableBufferPointer { target in
                var index = 0
                for wordIndex in 0..<target.count {
                    var word: UInt64 = 0
                    let end = Swift.min(index + 64, count)
                    var bit: UInt64 = 0
                    while index < end {
                        word |= (source[index] == value ? 1 : 0) << bit
                        bit += 1
                        index += 1
                    }
                    target[wordIndex] = word
                }
            }
        }
        self.words = words
        self._count = count
    }
}
