/// Decodes Parquet PLAIN booleans: one bit per value, least significant bit first.
///
/// The decoder is stateful, so values can be taken in batches.
public struct PlainBooleanDecoder {
    @usableFromInline
    let bytes: UnsafeRawBufferPointer

    /// The absolute offset of `bytes`, used in errors.
    public let baseOffset: Int

    @usableFromInline
    var bitPosition: Int = 0

    /// Creates a decoder over `bytes`, which the caller keeps alive.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    /// The number of values that could still be read (including the padding bits of the last
    /// byte).
    @inlinable
    public var remainingCapacity: Int { bytes.count &* 8 &- bitPosition }

    /// The number of bytes touched so far (a partially read byte counts as consumed).
    @inlinable
    public var bytesConsumed: Int { (bitPosition &+ 7) / 8 }

    @usableFromInline
    func _check(_ count: Int) throws(BinaryDecodingError) {
        guard count >= 0 else {
            throw .lengthOutOfRange(at: baseOffset &+ bytesConsumed, "negative value count \(count)")
        }
        guard count <= remainingCapacity else {
            throw .truncated(
                at: baseOffset &+ bitPosition / 8,
                "\(count) boolean(s) requested but only \(remainingCapacity) bit(s) remain"
            )
        }
    }

    /// Decodes exactly `buffer.count` values into `buffer`.
    @inlinable
    public mutating func decode(into buffer: UnsafeMutableBufferPointer<Bool>) throws(BinaryDecodingError) {
        let count = buffer.count
        try _check(count)
        guard count > 0, let out = buffer.baseAddress, let input = bytes.baseAddress else { return }
        var i = 0
        var bit = bitPosition
        // Leading bits up to a byte boundary.
        while i < count && bit & 7 != 0 {
            out[i] = (input.load(fromByteOffset: bit &>> 3, as: UInt8.self) &>> UInt8(bit & 7)) & 1 != 0
            i &+= 1
            bit &+= 1
        }
        // Whole bytes.
        while count &- i >= 8 {
            let byte = input.load(fromByteOffset: bit &>> 3, as: UInt8.self)
            for j in 0..<8 { out[i &+ j] = (byte &>> UInt8(j)) & 1 != 0 }
            i &+= 8
            bit &+= 8
        }
        while i < count {
            out[i] = (input.load(fromByteOffset: bit &>> 3, as: UInt8.self) &>> UInt8(bit & 7)) & 1 != 0
            i &+= 1
            bit &+= 1
        }
        bitPosition = bit
    }

    /// Decodes `count` values and appends them to `values`. The count is checked against the
    /// remaining input before anything is allocated.
    @inlinable
    public mutating func decode(count: Int, appendingTo values: inout [Bool]) throws(BinaryDecodingError) {
        try _check(count)
        let start = values.count
        values.append(contentsOf: repeatElement(false, count: count))
        try values.withUnsafeMutableBufferPointer { (buffer) throws(BinaryDecodingError) in
            try decode(into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
    }
}

/// Encodes Parquet PLAIN booleans: one bit per value, least significant bit first, the last
/// byte padded with zero bits.
public struct PlainBooleanEncoder: Sendable {
    @usableFromInline
    var writer: ByteWriter

    @usableFromInline
    var current: UInt8 = 0

    @usableFromInline
    var bitCount: Int = 0

    /// Creates an empty encoder.
    public init(capacity: Int = 0) {
        writer = ByteWriter(capacity: capacity)
    }

    /// Appends one value.
    @inlinable
    public mutating func append(_ value: Bool) {
        if value { current |= 1 &<< UInt8(bitCount) }
        bitCount &+= 1
        if bitCount == 8 {
            writer.writeUInt8(current)
            current = 0
            bitCount = 0
        }
    }

    /// Appends values.
    @inlinable
    public mutating func append<S: Sequence>(contentsOf values: S) where S.Element == Bool {
        for value in values { append(value) }
    }

    /// Returns the encoded bytes; the encoder is empty afterwards.
    public mutating func finish() -> [UInt8] {
        if bitCount > 0 {
            writer.writeUInt8(current)
            current = 0
            bitCount = 0
        }
        let bytes = writer.bytes
        writer.removeAll(keepingCapacity: false)
        return bytes
    }

    /// Encodes `values` in one call.
    public static func encode<S: Sequence>(_ values: S) -> [UInt8] where S.Element == Bool {
        var encoder = PlainBooleanEncoder()
        encoder.append(contentsOf: values)
        return encoder.finish()
    }
}
