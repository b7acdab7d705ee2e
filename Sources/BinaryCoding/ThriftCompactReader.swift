/// A value type of Thrift's compact protocol, identified by its compact type code.
///
/// Booleans have two codes on the wire (1 = true, 2 = false, carried in a field header's type
/// nibble); both map to ``bool``, whose raw value is 1.
public enum ThriftType: UInt8, Sendable, CaseIterable {
    case bool = 1
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
    case uuid = 13

    /// Maps a compact type code (a 4-bit nibble) to a type; 1 and 2 both mean ``bool``.
    @inlinable
    public init?(compactType: UInt8) {
        switch compactType {
        case 1, 2: self = .bool
        case 3...13: self.init(rawValue: compactType)
        default: return nil
        }
    }
}

/// The header of one struct field: its id and type.
public struct ThriftFieldHeader: Hashable, Sendable {
    /// The field id.
    public var id: Int16
    /// The field's type.
    public var type: ThriftType

    @inlinable
    public init(id: Int16, type: ThriftType) {
        self.id = id
        self.type = type
    }
}

/// Reads Thrift's compact protocol (Apache Thrift `doc/specs/thrift-compact-protocol.md`), the
/// encoding of Parquet's footer and page headers.
///
/// A struct is read with ``readStructBegin()``, then ``readFieldHeader()`` until it returns
/// `nil` (the STOP byte), reading or ``skip(_:)``-ping each field's value, then
/// ``readStructEnd()``:
///
/// ```swift
/// var reader = ThriftCompactReader(ByteReader(raw, baseOffset: footerOffset))
/// try reader.readStructBegin()
/// while let field = try reader.readFieldHeader() {
///     switch (field.id, field.type) {
///     case (1, .i32): version = try reader.readI32()
///     default: try reader.skip(field.type)
///     }
/// }
/// try reader.readStructEnd()
/// ```
///
/// Untrusted input is safe: container sizes are checked against the remaining bytes, integers
/// against their type's range, and nesting (structs plus containers) against `maxDepth`.
public struct ThriftCompactReader {
    /// The underlying byte cursor.
    public var byteReader: ByteReader

    /// The maximum nesting of structs and containers.
    public let maxDepth: Int

    /// The default for `maxDepth`.
    public static var defaultMaxDepth: Int { 64 }

    @usableFromInline
    var lastFieldId: Int16 = 0

    @usableFromInline
    var fieldIdStack: [Int16] = []

    @usableFromInline
    var depth: Int = 0

    /// The boolean carried by the last field header: 0 none, 1 true, 2 false.
    @usableFromInline
    var pendingBool: UInt8 = 0

    /// Creates a reader that continues from `byteReader`'s position.
    @inlinable
    public init(_ byteReader: ByteReader, maxDepth: Int = ThriftCompactReader.defaultMaxDepth) {
        self.byteReader = byteReader
        self.maxDepth = maxDepth
    }

    /// Creates a reader over `bytes`, which the caller keeps alive.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, maxDepth: Int = ThriftCompactReader.defaultMaxDepth) {
        self.init(ByteReader(bytes, baseOffset: baseOffset), maxDepth: maxDepth)
    }

    /// Bytes consumed so far, relative to the start of the buffer.
    @inlinable
    public var position: Int { byteReader.position }

    /// Bytes left to read.
    @inlinable
    public var remaining: Int { byteReader.remaining }

    /// The absolute offset of the next byte.
    @inlinable
    public var absoluteOffset: Int { byteReader.absoluteOffset }

    // MARK: Structs

    /// Enters a struct: starts a new field-id context.
    ///
    /// Throws `.nestingTooDeep` beyond `maxDepth` levels.
    @inlinable
    public mutating func readStructBegin() throws(BinaryDecodingError) {
        guard depth < maxDepth else { throw .nestingTooDeep(at: absoluteOffset, limit: maxDepth) }
        depth &+= 1
        fieldIdStack.append(lastFieldId)
        lastFieldId = 0
        pendingBool = 0
    }

    /// Leaves a struct (after ``readFieldHeader()`` returned `nil`), restoring the enclosing
    /// struct's field-id context.
    @inlinable
    public mutating func readStructEnd() throws(BinaryDecodingError) {
        guard let previous = fieldIdStack.popLast() else {
            throw .invalidValue(at: absoluteOffset, "readStructEnd without a matching readStructBegin")
        }
        depth &-= 1
        lastFieldId = previous
        pendingBool = 0
    }

    /// Reads a field header, or returns `nil` at the struct's STOP byte.
    ///
    /// Field ids are delta-encoded against the previous field of the same struct, or written in
    /// full as a zigzag `i16`. For a boolean field the value is part of the header; read it with
    /// ``readBool()``.
    @inlinable
    public mutating func readFieldHeader() throws(BinaryDecodingError) -> ThriftFieldHeader? {
        let headerOffset = absoluteOffset
        let byte = try byteReader.readUInt8()
        if byte == 0 { return nil }
        let typeCode = byte & 0x0F
        guard let type = ThriftType(compactType: typeCode) else {
            byteReader._position &-= 1
            throw .invalidValue(at: headerOffset, "unknown compact field type \(typeCode)")
        }
        pendingBool = type == .bool ? typeCode : 0
        let delta = byte &>> 4
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let sum = Int(lastFieldId) &+ Int(delta)
            guard sum <= Int(Int16.max) else {
                throw .invalidValue(at: headerOffset, "field id \(sum) exceeds Int16")
            }
            id = Int16(truncatingIfNeeded: sum)
        }
        lastFieldId = id
        return ThriftFieldHeader(id: id, type: type)
    }

    // MARK: Scalars

    /// Reads a boolean: the value carried by the preceding boolean field header, or otherwise
    /// (a list, set or map element) one byte, 1 for true and 0 or 2 for false.
    @inlinable
    public mutating func readBool() throws(BinaryDecodingError) -> Bool {
        if pendingBool != 0 {
            defer { pendingBool = 0 }
            return pendingBool == 1
        }
        let offset = absoluteOffset
        switch try byteReader.readUInt8() {
        case 1: return true
        case 0, 2: return false
        case let other:
            byteReader._position &-= 1
            throw .invalidValue(at: offset, "invalid boolean element \(other)")
        }
    }

    /// Reads a single-byte integer.
    @inlinable
    public mutating func readI8() throws(BinaryDecodingError) -> Int8 {
        Int8(bitPattern: try byteReader.readUInt8())
    }

    /// Reads a zigzag varint that must fit in `Int16`.
    @inlinable
    public mutating func readI16() throws(BinaryDecodingError) -> Int16 {
        let start = byteReader._position
        let value = try byteReader.readZigZagInt32()
        guard let narrow = Int16(exactly: value) else {
            byteReader._position = start
            throw .varintOverflow(at: absoluteOffset, "i16 value \(value) out of range")
        }
        return narrow
    }

    /// Reads a zigzag varint that must fit in `Int32`.
    @inlinable
    public mutating func readI32() throws(BinaryDecodingError) -> Int32 {
        try byteReader.readZigZagInt32()
    }

    /// Reads a zigzag varint `i64`.
    @inlinable
    public mutating func readI64() throws(BinaryDecodingError) -> Int64 {
        try byteReader.readZigZagInt64()
    }

    /// Reads a double (8 bytes, little-endian).
    @inlinable
    public mutating func readDouble() throws(BinaryDecodingError) -> Double {
        try byteReader.readDouble()
    }

    /// Reads a UUID's 16 bytes without copying them.
    @inlinable
    public mutating func readUUIDBytes() throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        try byteReader.readBytes(count: 16)
    }

    // MARK: Binary and string

    /// Reads a binary value without copying it; the result points into the input.
    ///
    /// Throws `.lengthOutOfRange` for a length above `Int32.max` and `.truncated` for a length
    /// beyond the remaining input.
    @inlinable
    public mutating func readBinaryBytes() throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        let start = byteReader._position
        let length = try byteReader.readULEB128()
        guard length <= UInt64(Int32.max) else {
            byteReader._position = start
            throw .lengthOutOfRange(at: byteReader.baseOffset &+ start, "binary length \(length) exceeds Int32")
        }
        guard length <= UInt64(byteReader.remaining) else {
            let error = BinaryDecodingError.truncated(
                at: byteReader.absoluteOffset,
                needed: Int(length),
                available: byteReader.remaining,
                "binary value"
            )
            byteReader._position = start
            throw error
        }
        return try byteReader.readBytes(count: Int(length))
    }

    /// Reads a binary value into a new array (allocated only after its length was checked).
    @inlinable
    public mutating func readBinary() throws(BinaryDecodingError) -> [UInt8] {
        Array(try readBinaryBytes())
    }

    /// Reads a string; invalid UTF-8 is repaired with U+FFFD replacement characters.
    @inlinable
    public mutating func readString() throws(BinaryDecodingError) -> String {
        String(decoding: try readBinaryBytes(), as: UTF8.self)
    }

    // MARK: Containers

    /// Reads a list header: the element type and count.
    ///
    /// The count is checked against the remaining input (every element takes at least one
    /// byte), so it is safe to reserve capacity for it.
    @inlinable
    public mutating func readListHeader() throws(BinaryDecodingError) -> (elementType: ThriftType, count: Int) {
        let headerOffset = absoluteOffset
        let start = byteReader._position
        let byte = try byteReader.readUInt8()
        var count = Int(byte &>> 4)
        if count == 15 {
            let long = try byteReader.readULEB128()
            guard long <= UInt64(Int32.max) else {
                byteReader._position = start
                throw .lengthOutOfRange(at: headerOffset, "list size \(long) exceeds Int32")
            }
            count = Int(long)
        }
        guard let type = ThriftType(compactType: byte & 0x0F) else {
            byteReader._position = start
            throw .invalidValue(at: headerOffset, "unknown compact element type \(byte & 0x0F)")
        }
        guard count <= byteReader.remaining else {
            let remaining = byteReader.remaining
            byteReader._position = start
            throw .lengthOutOfRange(at: headerOffset, "list of \(count) elements cannot fit in \(remaining) remaining bytes")
        }
        pendingBool = 0
        return (type, count)
    }

    /// Reads a set header (encoded like a list header).
    @inlinable
    public mutating func readSetHeader() throws(BinaryDecodingError) -> (elementType: ThriftType, count: Int) {
        try readListHeader()
    }

    /// Reads a map header. An empty map carries no key and value types, so they are `nil`
    /// exactly when the count is 0. The count is checked against the remaining input.
    @inlinable
    public mutating func readMapHeader() throws(BinaryDecodingError) -> (keyType: ThriftType?, valueType: ThriftType?, count: Int) {
        let headerOffset = absoluteOffset
        let start = byteReader._position
        let count = try byteReader.readULEB128()
        pendingBool = 0
        if count == 0 { return (nil, nil, 0) }
        guard count <= UInt64(Int32.max) else {
            byteReader._position = start
            throw .lengthOutOfRange(at: headerOffset, "map size \(count) exceeds Int32")
        }
        let types = try byteReader.readUInt8()
        guard let keyType = ThriftType(compactType: types &>> 4), let valueType = ThriftType(compactType: types & 0x0F) else {
            byteReader._position = start
            throw .invalidValue(at: headerOffset, "unknown compact map key/value types \(types)")
        }
        guard count <= UInt64(byteReader.remaining / 2) else {
            let remaining = byteReader.remaining
            byteReader._position = start
            throw .lengthOutOfRange(at: headerOffset, "map of \(count) entries cannot fit in \(remaining) remaining bytes")
        }
        return (keyType, valueType, Int(count))
    }

    // MARK: Skipping

    /// Skips a value of `type`, recursing into structs and containers.
    ///
    /// Throws `.nestingTooDeep` when nesting exceeds `maxDepth`.
    public mutating func skip(_ type: ThriftType) throws(BinaryDecodingError) {
        switch type {
        case .bool:
            _ = try readBool()
        case .i8:
            try byteReader.skip(1)
        case .i16, .i32, .i64:
            _ = try byteReader.readULEB128()
        case .double:
            try byteReader.skip(8)
        case .binary:
            _ = try readBinaryBytes()
        case .uuid:
            try byteReader.skip(16)
        case .list, .set:
            try _enterContainer()
            let (elementType, count) = try readListHeader()
            for _ in 0..<count { try skip(elementType) }
            depth &-= 1
        case .map:
            try _enterContainer()
            let header = try readMapHeader()
            if let keyType = header.keyType, let valueType = header.valueType {
                for _ in 0..<header.count {
                    try skip(keyType)
                    try skip(valueType)
                }
            }
            depth &-= 1
        case .struct:
            try readStructBegin()
            while let field = try readFieldHeader() {
                try skip(field.type)
            }
            try readStructEnd()
        }
    }

    @usableFromInline
    mutating func _enterContainer() throws(BinaryDecodingError) {
        guard depth < maxDepth else { throw .nestingTooDeep(at: absoluteOffset, limit: maxDepth) }
        depth &+= 1
    }
}
