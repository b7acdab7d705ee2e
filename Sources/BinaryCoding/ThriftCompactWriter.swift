/// Writes Thrift's compact protocol.
///
/// As in Apache Thrift, a struct is ``writeStructBegin()``, its fields, ``writeFieldStop()``,
/// then ``writeStructEnd()``. A nested struct field is ``writeStructFieldBegin(id:)``, its fields,
/// ``writeStructFieldEnd()`` (which writes the STOP byte itself). Field ids are delta-encoded
/// when they increase by 1...15 and written in full otherwise (including decreasing ids).
///
/// ```swift
/// var writer = ThriftCompactWriter()
/// writer.writeStructBegin()
/// writer.writeI32Field(id: 1, 2)
/// writer.writeListFieldBegin(id: 2, elementType: .binary, count: names.count)
/// for name in names { writer.writeString(name) }
/// writer.writeFieldStop()
/// writer.writeStructEnd()
/// let bytes = writer.bytes
/// ```
public struct ThriftCompactWriter: Sendable {
    /// The underlying byte buffer.
    public var byteWriter: ByteWriter

    @usableFromInline
    var lastFieldId: Int16 = 0

    @usableFromInline
    var fieldIdStack: [Int16] = []

    /// Creates an empty writer.
    public init(capacity: Int = 256) {
        byteWriter = ByteWriter(capacity: capacity)
    }

    /// The bytes written so far.
    @inlinable
    public var bytes: [UInt8] { byteWriter.bytes }

    // MARK: Structs and fields

    /// Starts a struct: a new field-id context.
    @inlinable
    public mutating func writeStructBegin() {
        fieldIdStack.append(lastFieldId)
        lastFieldId = 0
    }

    /// Ends a struct, restoring the enclosing field-id context. Write ``writeFieldStop()`` first.
    @inlinable
    public mutating func writeStructEnd() {
        lastFieldId = fieldIdStack.popLast() ?? 0
    }

    /// Writes the STOP byte that ends a struct's fields.
    @inlinable
    public mutating func writeFieldStop() {
        byteWriter.writeUInt8(0)
    }

    @inlinable
    mutating func _writeFieldHeader(id: Int16, compactType: UInt8) {
        let delta = Int(id) &- Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            byteWriter.writeUInt8(UInt8(truncatingIfNeeded: delta) &<< 4 | compactType)
        } else {
            byteWriter.writeUInt8(compactType)
            byteWriter.writeZigZag(Int64(id))
        }
        lastFieldId = id
    }

    /// Writes a field header; the value follows. Use ``writeBoolField(id:_:)`` for booleans,
    /// whose value is part of the header.
    ///
    /// - Precondition: `type != .bool`.
    @inlinable
    public mutating func writeFieldBegin(id: Int16, type: ThriftType) {
        precondition(type != .bool, "boolean fields are written with writeBoolField(id:_:)")
        _writeFieldHeader(id: id, compactType: type.rawValue)
    }

    /// Same as ``writeFieldBegin(id:type:)``.
    @inlinable
    public mutating func writeField(id: Int16, type: ThriftType) {
        writeFieldBegin(id: id, type: type)
    }

    /// Writes a boolean field (the value is carried in the header's type nibble).
    @inlinable
    public mutating func writeBoolField(id: Int16, _ value: Bool) {
        _writeFieldHeader(id: id, compactType: value ? 1 : 2)
    }

    /// Writes an `i8` field.
    @inlinable
    public mutating func writeI8Field(id: Int16, _ value: Int8) {
        writeFieldBegin(id: id, type: .i8)
        writeI8(value)
    }

    /// Writes an `i16` field.
    @inlinable
    public mutating func writeI16Field(id: Int16, _ value: Int16) {
        writeFieldBegin(id: id, type: .i16)
        writeI16(value)
    }

    /// Writes an `i32` field.
    @inlinable
    public mutating func writeI32Field(id: Int16, _ value: Int32) {
        writeFieldBegin(id: id, type: .i32)
        writeI32(value)
    }

    /// Writes an `i64` field.
    @inlinable
    public mutating func writeI64Field(id: Int16, _ value: Int64) {
        writeFieldBegin(id: id, type: .i64)
        writeI64(value)
    }

    /// Writes a `double` field.
    @inlinable
    public mutating func writeDoubleField(id: Int16, _ value: Double) {
        writeFieldBegin(id: id, type: .double)
        writeDouble(value)
    }

    /// Writes a `binary` field.
    @inlinable
    public mutating func writeBinaryField<C: Collection>(id: Int16, _ value: C) where C.Element == UInt8 {
        writeFieldBegin(id: id, type: .binary)
        writeBinary(value)
    }

    /// Writes a `string` field (UTF-8 `binary`).
    @inlinable
    public mutating func writeStringField(id: Int16, _ value: String) {
        writeFieldBegin(id: id, type: .binary)
        writeString(value)
    }

    /// Writes the header of a nested struct field and enters the struct.
    @inlinable
    public mutating func writeStructFieldBegin(id: Int16) {
        writeFieldBegin(id: id, type: .struct)
        writeStructBegin()
    }

    /// Ends a nested struct field: writes STOP and leaves the struct.
    @inlinable
    public mutating func writeStructFieldEnd() {
        writeFieldStop()
        writeStructEnd()
    }

    /// Writes a list field's header and the list header; write `count` elements next.
    @inlinable
    public mutating func writeListFieldBegin(id: Int16, elementType: ThriftType, count: Int) {
        writeFieldBegin(id: id, type: .list)
        writeListHeader(elementType: elementType, count: count)
    }

    // MARK: Containers

    /// Writes a list header.
    ///
    /// - Precondition: `count` is in `0...Int32.max`.
    @inlinable
    public mutating func writeListHeader(elementType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "list size out of range")
        if count < 15 {
            byteWriter.writeUInt8(UInt8(truncatingIfNeeded: count) &<< 4 | elementType.rawValue)
        } else {
            byteWriter.writeUInt8(0xF0 | elementType.rawValue)
            byteWriter.writeULEB128(UInt64(count))
        }
    }

    /// Writes a set header (encoded like a list header).
    @inlinable
    public mutating func writeSetHeader(elementType: ThriftType, count: Int) {
        writeListHeader(elementType: elementType, count: count)
    }

    /// Writes a map header; an empty map has no type byte.
    ///
    /// - Precondition: `count` is in `0...Int32.max`.
    @inlinable
    public mutating func writeMapHeader(keyType: ThriftType, valueType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "map size out of range")
        byteWriter.writeULEB128(UInt64(count))
        if count > 0 {
            byteWriter.writeUInt8(keyType.rawValue &<< 4 | valueType.rawValue)
        }
    }

    // MARK: Values (list, set and map elements, or after writeFieldBegin)

    /// Writes a boolean element (1 true, 2 false). Boolean fields use ``writeBoolField(id:_:)``.
    @inlinable
    public mutating func writeBool(_ value: Bool) {
        byteWriter.writeUInt8(value ? 1 : 2)
    }

    /// Writes an `i8`.
    @inlinable
    public mutating func writeI8(_ value: Int8) {
        byteWriter.writeUInt8(UInt8(bitPattern: value))
    }

    /// Writes an `i16` (zigzag varint).
    @inlinable
    public mutating func writeI16(_ value: Int16) {
        byteWriter.writeZigZag(Int64(value))
    }

    /// Writes an `i32` (zigzag varint).
    @inlinable
    public mutating func writeI32(_ value: Int32) {
        byteWriter.writeZigZag(Int64(value))
    }

    /// Writes an `i64` (zigzag varint).
    @inlinable
    public mutating func writeI64(_ value: Int64) {
        byteWriter.writeZigZag(value)
    }

    /// Writes a `double` (8 bytes, little-endian).
    @inlinable
    public mutating func writeDouble(_ value: Double) {
        byteWriter.writeDouble(value)
    }

    /// Writes a `binary` value: a varint length, then the bytes.
    @inlinable
    public mutating func writeBinary<C: Collection>(_ value: C) where C.Element == UInt8 {
        byteWriter.writeULEB128(UInt64(value.count))
        byteWriter.writeBytes(value)
    }

    /// Writes a `binary` value from raw memory.
    @inlinable
    public mutating func writeBinary(_ value: UnsafeRawBufferPointer) {
        byteWriter.writeULEB128(UInt64(value.count))
        byteWriter.writeBytes(value)
    }

    /// Writes a string as UTF-8 `binary`.
    @inlinable
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { writeBinary(UnsafeRawBufferPointer($0)) }
    }

    /// Writes a UUID's 16 bytes.
    ///
    /// - Precondition: `bytes.count == 16`.
    @inlinable
    public mutating func writeUUID<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 16, "a UUID has 16 bytes")
        byteWriter.writeBytes(bytes)
    }
}
