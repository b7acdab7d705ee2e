import BinaryCoding
import Columnar

/// Encodes values straight from column buffers into Avro binary (the inverse of the decoder's
/// type mapping), walking the writer schema alongside the column. Used by ``AvroContainerWriter``.
struct AvroColumnEncoder {
    let named: AvroNamedTypes

    private func mismatch(_ column: Column, _ schema: AvroSchema) -> AvroError {
        AvroError(.schemaMismatch, "a \(column.type) column cannot be written as Avro \(schema.canonicalJSON.prefix(200))")
    }

    /// The bytes of slot `row` of a string/binary column.
    private func slice(_ offsets: [Int32], _ data: [UInt8], _ row: Int) -> ArraySlice<UInt8> {
        data[Int(offsets[row])..<Int(offsets[row + 1])]
    }

    func encode(_ column: Column, _ row: Int, _ schema: AvroSchema, into writer: inout ByteWriter) throws(AvroError) {
        switch (schema, column.storage) {
        case (.reference, _):
            let resolved = named.resolve(schema)
            if case .reference(let name) = resolved { throw AvroError(.invalidSchema, "unknown type \(name)") }
            if case .record = resolved, column.type == .string {
                throw AvroError(.unsupported, "writing recursive type '\(resolved.fullName ?? "")' values (decoded as JSON text) is not supported")
            }
            try encode(column, row, resolved, into: &writer)
        case (.union(let branches), _):
            try encodeUnion(column, row, branches, into: &writer)
        case (.null, _):
            break
        case (.boolean, .boolean(let bits)):
            writer.writeUInt8(bits[row] ? 1 : 0)
        case (.int, .int32(let values)):
            writer.writeZigZag(Int64(values[row]))
        case (.long, .int64(let values)):
            writer.writeZigZag(values[row])
        case (.float, .float32(let values)):
            writer.writeFloat(values[row])
        case (.double, .float64(let values)):
            writer.writeDouble(values[row])
        case (.bytes, .bytes(let offsets, let data)), (.string, .bytes(let offsets, let data)):
            let bytes = slice(offsets, data, row)
            writer.writeZigZag(Int64(bytes.count))
            writer.writeBytes(bytes)
        case (.enumeration(let e), .bytes(let offsets, let data)):
            let bytes = slice(offsets, data, row)
            guard let index = e.symbols.firstIndex(where: { $0.utf8.elementsEqual(bytes) }) else {
                throw AvroError(.schemaMismatch, "'\(String(decoding: bytes, as: UTF8.self))' is not a symbol of enum \(e.fullName)")
            }
            writer.writeZigZag(Int64(index))
        case (.fixed(let f), .bytes(let offsets, let data)):
            let bytes = slice(offsets, data, row)
            guard bytes.count == f.size else { throw AvroError(.schemaMismatch, "fixed \(f.fullName) needs \(f.size) bytes, got \(bytes.count)") }
            writer.writeBytes(bytes)
        case (.array(let items), .list(let offsets, let elements)):
            let range = Int(offsets[row])..<Int(offsets[row + 1])
            if !range.isEmpty {
                writer.writeZigZag(Int64(range.count))
                for index in range { try encode(elements, index, items, into: &writer) }
            }
            writer.writeZigZag(0)
        case (.map(let valueSchema), .map(let offsets, let keys, let values)):
            let range = Int(offsets[row])..<Int(offsets[row + 1])
            if !range.isEmpty {
                writer.writeZigZag(Int64(range.count))
                for index in range {
                    try encode(keys, index, .string, into: &writer)
                    try encode(values, index, valueSchema, into: &writer)
                }
            }
            writer.writeZigZag(0)
        case (.record(let record), .structure(let children)):
            guard children.count == record.fields.count else { throw mismatch(column, schema) }
            for (field, child) in zip(record.fields, children) { try encode(child, row, field.type, into: &writer) }
        case (.logical(let base, let logical), _):
            try encodeLogical(column, row, base, logical, into: &writer)
        default:
            throw mismatch(column, schema)
        }
    }

    private func encodeUnion(_ column: Column, _ row: Int, _ branches: [AvroSchema], into writer: inout ByteWriter) throws(AvroError) {
        // One pass, no allocation: the null branch, the number of other branches, the first of them.
        var nullIndex = -1
        var nonNullCount = 0
        var firstNonNull = -1
        for (index, branch) in branches.enumerated() {
            if case .null = branch {
                if nullIndex < 0 { nullIndex = index }
            } else {
                nonNullCount += 1
                if firstNonNull < 0 { firstNonNull = index }
            }
        }
        if nonNullCount == 0 || column.isNull(row) {
            guard nullIndex >= 0 else { throw AvroError(.schemaMismatch, "null value for a union without a null branch") }
            writer.writeZigZag(Int64(nullIndex))
            return
        }
        if nonNullCount == 1 {
            writer.writeZigZag(Int64(firstNonNull))
            try encode(column, row, branches[firstNonNull], into: &writer)
            return
        }
        guard case .structure(let members) = column.storage, members.count == nonNullCount else {
            throw AvroError(.schemaMismatch, "a union with several branches needs a struct of \(nonNullCount) members, got \(column.type)")
        }
        var setMember = -1
        for index in members.indices where !members[index].isNull(row) {
            guard setMember < 0 else { throw AvroError(.schemaMismatch, "more than one union member is set") }
            setMember = index
        }
        guard setMember >= 0 else { throw AvroError(.schemaMismatch, "no union member is set in a non-null union value") }
        // The branch index of the setMember-th non-null branch.
        var seen = -1
        for (index, branch) in branches.enumerated() {
            if case .null = branch { continue }
            seen += 1
            if seen == setMember {
                writer.writeZigZag(Int64(index))
                try encode(members[setMember], row, branch, into: &writer)
                return
            }
        }
    }

    private func encodeLogical(_ column: Column, _ row: Int, _ base: AvroSchema, _ logical: AvroLogicalType, into writer: inout ByteWriter) throws(AvroError) {
        let resolvedBase = named.resolve(base)
        switch (logical.name, resolvedBase, column.storage) {
        case ("timestamp-millis", .long, .int64(let values)), ("local-timestamp-millis", .long, .int64(let values)):
            let micros = values[row]
            guard micros % 1000 == 0 else { throw AvroError(.schemaMismatch, "timestamp \(micros) µs is not a whole number of milliseconds") }
            writer.writeZigZag(micros / 1000)
        case ("timestamp-nanos", .long, .int64(let values)), ("local-timestamp-nanos", .long, .int64(let values)):
            let (nanos, overflow) = values[row].multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw AvroError(.schemaMismatch, "timestamp \(values[row]) µs overflows nanoseconds") }
            writer.writeZigZag(nanos)
        case ("time-millis", .int, .int64(let values)):
            let micros = values[row]
            guard micros % 1000 == 0, let millis = Int32(exactly: micros / 1000) else {
                throw AvroError(.schemaMismatch, "time \(micros) µs is not a whole number of milliseconds in range")
            }
            writer.writeZigZag(Int64(millis))
        case ("decimal", .bytes, .int128(let values)):
            let bytes = AvroDecimal.bytes(values[row])
            writer.writeZigZag(Int64(bytes.count))
            writer.writeBytes(bytes)
        case ("decimal", .fixed(let f), .int128(let values)):
            try writeFixedDecimal(AvroDecimal.bytes(values[row]), size: f.size, into: &writer)
        case ("decimal", .bytes, .bytes(let offsets, let data)), ("decimal", .fixed, .bytes(let offsets, let data)):
            let text = String(decoding: slice(offsets, data, row), as: UTF8.self)
            guard let bytes = AvroDecimal.bytes(text: text, scale: logical.integer("scale") ?? 0) else {
                throw AvroError(.schemaMismatch, "'\(text)' is not a decimal with scale \(logical.integer("scale") ?? 0)")
            }
            if case .fixed(let f) = resolvedBase {
                try writeFixedDecimal(bytes, size: f.size, into: &writer)
            } else {
                writer.writeZigZag(Int64(bytes.count))
                writer.writeBytes(bytes)
            }
        default:
            // date, timestamp-micros, time-micros and every other annotation share the base's storage.
            try encode(column, row, base, into: &writer)
        }
    }

    private func writeFixedDecimal(_ bytes: [UInt8], size: Int, into writer: inout ByteWriter) throws(AvroError) {
        guard bytes.count <= size else { throw AvroError(.schemaMismatch, "decimal needs \(bytes.count) bytes, fixed has \(size)") }
        let fill: UInt8 = (bytes.first ?? 0) & 0x80 != 0 ? 0xFF : 0
        writer.writeRepeating(fill, count: size - bytes.count)
        writer.writeBytes(bytes)
    }
}
