/// An append-only byte buffer with little-endian and varint writers.
///
/// ```swift
/// var writer = ByteWriter(capacity: 64)
/// writer.writeULEB128(300)
/// writer.writeInteger(UInt32(7))
/// let bytes = writer.bytes
/// ```
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes.
    @inlinable
    public init(capacity: Int = 0) {
        self.bytes = []
        if capacity > 0 { self.bytes.reserveCapacity(capacity) }
    }

    /// Creates a writer that appends to existing bytes.
    @inlinable
    public init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The number of bytes written so far.
    @inlinable
    public var count: Int { bytes.count }

    /// Reserves room for at least `capacity` bytes in total.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Removes all bytes, optionally keeping the allocation.
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Appends one byte.
    @inlinable
    public mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a fixed-width integer in little-endian byte order.
    @inlinable
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Overwrites `MemoryLayout<T>.size` bytes at `offset` with `value` in little-endian order,
    /// for example to patch a length prefix after the payload is known.
    ///
    /// - Precondition: The bytes at `offset` were already written.
    @inlinable
    public mutating func setInteger<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        let size = MemoryLayout<T>.size
        precondition(offset >= 0 && offset <= bytes.count - size, "setInteger out of bounds")
        withUnsafeBytes(of: value.littleEndian) { source in
            bytes.withUnsafeMutableBytes { target in
                target.baseAddress.unsafelyUnwrapped.advanced(by: offset)
                    .copyMemory(from: source.baseAddress.unsafelyUnwrapped, byteCount: size)
            }
        }
    }

    /// Appends an IEEE 754 single-precision value in little-endian byte order.
    @inlinable
    public mutating func writeFloat(_ value: Float) {
        writeInteger(value.bitPattern)
    }

    /// Appends an IEEE 754 double-precision value in little-endian byte order.
    @inlinable
    public mutating func writeDouble(_ value: Double) {
        writeInteger(value.bitPattern)
    }

    /// Appends raw bytes.
    @inlinable
    public mutating func writeBytes(_ source: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: source)
    }

    /// Appends raw bytes.
    @inlinable
    public mutating func writeBytes<C: Collection>(_ source: C) where C.Element == UInt8 {
        bytes.append(contentsOf: source)
    }

    /// Appends `count` copies of `byte`.
    @inlinable
    public mutating func writeRepeating(_ byte: UInt8, count: Int) {
        bytes.append(contentsOf: repeatElement(byte, count: count))
    }

    /// Appends an unsigned LEB128 varint (1 to 10 bytes).
    @inlinable
    public mutating func writeULEB128(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a zigzag-encoded signed varint (an Avro `int`/`long`, a Thrift compact integer).
    ///
    /// Zigzag maps 0, -1, 1, -2, ... to 0, 1, 2, 3, ..., so a 32-bit value passed here is
    /// encoded exactly as a 32-bit zigzag encoder would.
    @inlinable
    public mutating func writeZigZag(_ value: Int64) {
        writeULEB128(UInt64(bitPattern: (value &<< 1) ^ (value &>> 63)))
    }
}
