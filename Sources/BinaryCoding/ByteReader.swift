/// A forward-only cursor over bytes that the caller keeps alive.
///
/// `ByteReader` does not own its memory: it is a view of an `UnsafeRawBufferPointer` that must
/// stay valid for as long as the reader (and every buffer it hands out) is used, typically the
/// duration of a `withUnsafeBytes` call:
///
/// ```swift
/// try bytes.withUnsafeBytes { raw in
///     var reader = ByteReader(raw, baseOffset: fileOffset)
///     let magic = try reader.readInteger(as: UInt32.self)
///     let length = try reader.readULEB128()
///     ...
/// }
/// ```
///
/// Every read checks bounds and throws ``BinaryDecodingError`` instead of trapping. A read that
/// fails leaves the position unchanged. Multi-byte integers and floating-point values are
/// little-endian.
public struct ByteReader {
    @usableFromInline
    let _bytes: UnsafeRawBufferPointer

    @usableFromInline
    var _position: Int

    /// The absolute offset of the first byte of the buffer (for example its offset in a file),
    /// used to report error locations.
    public let baseOffset: Int

    /// Creates a reader positioned at the start of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The input. The caller keeps this memory alive while the reader is in use.
    ///   - baseOffset: The absolute offset of `bytes[0]`, added to positions in errors.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        self._bytes = bytes
        self._position = 0
        self.baseOffset = baseOffset
    }

    /// The whole buffer this reader was created over.
    @inlinable
    public var bytes: UnsafeRawBufferPointer { _bytes }

    /// The number of bytes consumed so far (relative to the start of the buffer).
    @inlinable
    public var position: Int { _position }

    /// The number of bytes left to read.
    @inlinable
    public var remaining: Int { _bytes.count &- _position }

    /// Whether all bytes have been consumed.
    @inlinable
    public var isAtEnd: Bool { _position >= _bytes.count }

    /// The absolute offset of the next byte: `baseOffset + position`.
    @inlinable
    public var absoluteOffset: Int { baseOffset &+ _position }

    /// The unread bytes, without consuming them.
    @inlinable
    public var remainingBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: _bytes[_position...])
    }

    @usableFromInline
    var _pointer: UnsafeRawPointer {
        // Only used after a bounds check proved at least one byte is present, so the base
        // address is non-nil.
        _bytes.baseAddress.unsafelyUnwrapped + _position
    }

    @usableFromInline
    @inline(never)
    func _truncated(needed: Int, _ what: String = "value") -> BinaryDecodingError {
        .truncated(at: absoluteOffset, needed: needed, available: remaining, what)
    }

    @usableFromInline
    @inline(never)
    func _negativeCount(_ count: Int) -> BinaryDecodingError {
        .lengthOutOfRange(at: absoluteOffset, "negative byte count \(count)")
    }

    // MARK: Fixed-size values

    /// Reads one byte.
    @inlinable
    public mutating func readUInt8() throws(BinaryDecodingError) -> UInt8 {
        guard _position < _bytes.count else { throw _truncated(needed: 1) }
        let value = _pointer.load(as: UInt8.self)
        _position &+= 1
        return value
    }

    /// Returns the next byte without consuming it, or `nil` at the end of the input.
    @inlinable
    public func peekUInt8() -> UInt8? {
        guard _position < _bytes.count else { return nil }
        return _pointer.load(as: UInt8.self)
    }

    /// Reads a little-endian fixed-width integer.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger & BitwiseCopyable>(as type: T.Type = T.self) throws(BinaryDecodingError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw _truncated(needed: size) }
        let value = T(littleEndian: _pointer.loadUnaligned(as: T.self))
        _position &+= size
        return value
    }

    /// Reads a little-endian IEEE 754 single-precision value.
    @inlinable
    public mutating func readFloat() throws(BinaryDecodingError) -> Float {
        Float(bitPattern: try readInteger(as: UInt32.self))
    }

    /// Reads a little-endian IEEE 754 double-precision value.
    @inlinable
    public mutating func readDouble() throws(BinaryDecodingError) -> Double {
        Double(bitPattern: try readInteger(as: UInt64.self))
    }

    // MARK: Byte ranges

    /// Returns the next `count` bytes without copying them and advances past them.
    ///
    /// The returned buffer points into the reader's memory and is valid as long as that memory
    /// is. Throws `.lengthOutOfRange` for a negative count and `.truncated` if fewer than
    /// `count` bytes remain.
    @inlinable
    public mutating func readBytes(count: Int) throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        guard count >= 0 else { throw _negativeCount(count) }
        guard count <= remaining else { throw _truncated(needed: count, "byte range") }
        let start = _position
        _position = start &+ count
        return UnsafeRawBufferPointer(rebasing: _bytes[start..<(start &+ count)])
    }

    /// Copies the next `count` bytes into a new array and advances past them.
    ///
    /// The count is checked against the remaining input before anything is allocated.
    @inlinable
    public mutating func readArray(count: Int) throws(BinaryDecodingError) -> [UInt8] {
        let slice = try readBytes(count: count)
        return Array(slice)
    }

    /// Consumes the next `count` bytes and returns a reader over exactly those bytes whose
    /// `baseOffset` keeps error offsets absolute.
    @inlinable
    public mutating func readSlice(count: Int) throws(BinaryDecodingError) -> ByteReader {
        let offset = absoluteOffset
        let slice = try readBytes(count: count)
        return ByteReader(slice, baseOffset: offset)
    }

    /// Returns all unread bytes and moves to the end.
    @inlinable
    public mutating func readRemainingBytes() -> UnsafeRawBufferPointer {
        let slice = remainingBytes
        _position = _bytes.count
        return slice
    }

    /// Advances past `count` bytes.
    @inlinable
    public mutating func skip(_ count: Int) throws(BinaryDecodingError) {
        guard count >= 0 else { throw _negativeCount(count) }
        guard count <= remaining else { throw _truncated(needed: count, "skipped range") }
        _position &+= count
    }

    // MARK: Variable-length integers

    /// Reads an unsigned LEB128 varint (the encoding of Protocol Buffers, Avro and Thrift's
    /// compact protocol) of at most 10 bytes.
    ///
    /// Non-minimal encodings (such as `0x80 0x00`) are accepted. Throws `.varintOverflow` if the
    /// value does not fit in 64 bits (more than 10 bytes, or a 10th byte above 1) and
    /// `.truncated` if the input ends inside the varint.
    @inlinable
    public mutating func readULEB128() throws(BinaryDecodingError) -> UInt64 {
        let start = _position
        let available = _bytes.count &- start
        guard available > 0 else { throw _truncated(needed: 1, "varint") }
        let p = _pointer
        let first = p.load(as: UInt8.self)
        if first < 0x80 {
            _position = start &+ 1
            return UInt64(first)
        }
        var result = UInt64(first & 0x7F)
        let limit = Swift.min(available, 9)
        var index = 1
        while index < limit {
            let byte = p.load(fromByteOffset: index, as: UInt8.self)
            result |= UInt64(byte & 0x7F) &<< UInt64(7 &* index)
            index &+= 1
            if byte < 0x80 {
                _position = start &+ index
                return result
            }
        }
        if index == 9 && available >= 10 {
            // The tenth byte may only contribute bit 63.
            let byte = p.load(fromByteOffset: 9, as: UInt8.self)
            if byte > 1 { throw _varintTooLong() }
            _position = start &+ 10
            return result | UInt64(byte) &<< 63
        }
        throw _truncated(needed: available &+ 1, "varint")
    }

    @usableFromInline
    @inline(never)
    func _varintTooLong() -> BinaryDecodingError {
        .varintOverflow(at: absoluteOffset, "varint does not fit in 64 bits")
    }

    /// Reads a zigzag-encoded signed varint (an Avro `long`, a Thrift compact `i64`).
    @inlinable
    public mutating func readZigZagInt64() throws(BinaryDecodingError) -> Int64 {
        let raw = try readULEB128()
        return Int64(bitPattern: (raw &>> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a zigzag-encoded signed varint that must fit in 32 bits (an Avro `int`, a Thrift
    /// compact `i32`). Throws `.varintOverflow` if the value is outside `Int32`'s range.
    @inlinable
    public mutating func readZigZagInt32() throws(BinaryDecodingError) -> Int32 {
        let start = _position
        let raw = try readULEB128()
        guard raw <= UInt64(UInt32.max) else {
            let error = BinaryDecodingError.varintOverflow(at: baseOffset &+ start, "zigzag varint \(raw) does not fit in Int32")
            _position = start
            throw error
        }
        let value = UInt32(truncatingIfNeeded: raw)
        return Int32(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }
}
