import BinaryCoding
import Columnar
import FoundationEssentials

/// Named types of a schema by full name, for resolving references at decode time.
struct AvroNamedTypes: Sendable {
    var byName: [String: AvroSchema] = [:]

    /// Collects every definition in `schema` (document order).
    mutating func collect(_ schema: AvroSchema) {
        switch schema {
        case .record(let record):
            byName[record.fullName] = schema
            for field in record.fields { collect(field.type) }
        case .enumeration(let e): byName[e.fullName] = schema
        case .fixed(let f): byName[f.fullName] = schema
        case .logical(let base, _): collect(base)
        case .array(let items): collect(items)
        case .map(let values): collect(values)
        case .union(let branches): for branch in branches { collect(branch) }
        default: break
        }
    }

    func resolve(_ schema: AvroSchema) -> AvroSchema {
        if case .reference(let name) = schema, let found = byName[name] { return found }
        return schema
    }
}

/// Slow path: decodes one value into JSON text in the project's conventions, following the
/// same type mapping as the columnar decoder. Used only for recursive types.
struct AvroJSONTextDecoder {
    let named: AvroNamedTypes
    static let maximumDepth = 64

    func decode(_ schema: AvroSchema, _ reader: inout ByteReader, into out: inout String, depth: Int) throws(BinaryDecodingError) {
        guard depth < Self.maximumDepth else { throw .init(code: .nestingTooDeep, offset: reader.absoluteOffset, message: "recursive value nested deeper than \(Self.maximumDepth) levels") }
        switch schema {
        case .null: out += "null"
        case .boolean:
            let start = reader.absoluteOffset
            let byte = try reader.readUInt8()
            guard byte <= 1 else { throw .init(code: .invalidValue, offset: start, message: "boolean byte \(byte) is not 0 or 1") }
            out += byte == 1 ? "true" : "false"
        case .int: out += String(try reader.readZigZagInt32())
        case .long: out += String(try reader.readZigZagInt64())
        case .float:
            let value = try reader.readFloat()
            out += value.isFinite ? value.description : JSONRowRenderer().render(.float64(Double(value)), type: .float64)
        case .double: out += JSONRowRenderer().render(.float64(try reader.readDouble()), type: .float64)
        case .string:
            let bytes = try readSized(&reader)
            JSONRowRenderer.appendString(String(decoding: bytes, as: UTF8.self), to: &out)
        case .bytes:
            out += "\"" + Data(try readSized(&reader)).base64EncodedString() + "\""
        case .fixed(let f):
            out += "\"" + Data(try reader.readBytes(count: f.size)).base64EncodedString() + "\""
        case .enumeration(let e):
            let start = reader.absoluteOffset
            let index = try reader.readZigZagInt32()
            guard index >= 0, Int(index) < e.symbols.count else { throw .init(code: .invalidValue, offset: start, message: "enum index \(index) out of range") }
            JSONRowRenderer.appendString(e.symbols[Int(index)], to: &out)
        case .reference:
            let resolved = named.resolve(schema)
            if case .reference(let name) = resolved { throw .init(code: .invalidValue, offset: reader.absoluteOffset, message: "unknown type \(name)") }
            try decode(resolved, &reader, into: &out, depth: depth + 1)
        case .logical(let base, let logical):
            try decodeLogical(base, logical, &reader, into: &out, depth: depth)
        case .array(let items):
            out += "["
            var first = true
            try forEachBlockItem(&reader) { (reader: inout ByteReader) throws(BinaryDecodingError) in
                if !first { out += "," }
                first = false
                try decode(items, &reader, into: &out, depth: depth + 1)
            }
            out += "]"
        case .map(let values):
            out += "["
            var first = true
            try forEachBlockItem(&reader) { (reader: inout ByteReader) throws(BinaryDecodingError) in
                if !first { out += "," }
                first = false
                out += "{\"key\":"
                JSONRowRenderer.appendString(String(decoding: try readSized(&reader), as: UTF8.self), to: &out)
                out += ",\"value\":"
                try decode(values, &reader, into: &out, depth: depth + 1)
                out += "}"
            }
            out += "]"
        case .record(let record):
            out += "{"
            for (index, field) in record.fields.enumerated() {
                if index > 0 { out += "," }
                JSONRowRenderer.appendString(field.name, to: &out)
                out += ":"
                try decode(field.type, &reader, into: &out, depth: depth + 1)
            }
            out += "}"
        case .union(let branches):
            let start = reader.absoluteOffset
            let index = try reader.readZigZagInt64()
            guard index >= 0, index < Int64(branches.count) else { throw .init(code: .invalidValue, offset: start, message: "union index \(index) out of range 0..<\(branches.count)") }
            let branch = branches[Int(index)]
            let nonNull = branches.enumerated().filter { $0.element != .null }
            if branch == .null {
                out += "null"
            } else if nonNull.count == 1 {
                try decode(branch, &reader, into: &out, depth: depth + 1)
            } else {
                out += "{"
                for (member, entry) in nonNull.enumerated() {
                    if member > 0 { out += "," }
                    out += "\"member\(member)\":"
                    if entry.offset == Int(index) {
                        try decode(branch, &reader, into: &out, depth: depth + 1)
                    } else {
                        out += "null"
                    }
                }
                out += "}"
            }
        }
    }

    private func readSized(_ reader: inout ByteReader) throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        let start = reader.absoluteOffset
        let length = try reader.readZigZagInt64()
        guard length >= 0 else { throw .init(code: .lengthOutOfRange, offset: start, message: "negative length \(length)") }
        guard length <= Int64(reader.remaining) else { throw .init(code: .truncated, offset: start, message: "length \(length) exceeds the remaining bytes") }
        return try reader.readBytes(count: Int(length))
    }

    private func forEachBlockItem(_ reader: inout ByteReader, _ body: (inout ByteReader) throws(BinaryDecodingError) -> Void) throws(BinaryDecodingError) {
        while true {
            let start = reader.absoluteOffset
            var count = try reader.readZigZagInt64()
            if count == 0 { return }
            if count < 0 {
                guard count != .min else { throw .init(code: .lengthOutOfRange, offset: start, message: "invalid block count") }
                count = -count
                guard try reader.readZigZagInt64() >= 0 else { throw .init(code: .lengthOutOfRange, offset: start, message: "negative block byte size") }
            }
            guard count <= Int64(reader.remaining) + Int64(ColumnBuilder.maximumZeroSizeElements) else { // bounds zero-size items
                throw .init(code: .lengthOutOfRange, offset: start, message: "block count \(count) is too large")
            }
            for _ in 0..<count { try body(&reader) }
        }
    }

    private func decodeLogical(_ base: AvroSchema, _ logical: AvroLogicalType, _ reader: inout ByteReader, into out: inout String, depth: Int) throws(BinaryDecodingError) {
        let start = reader.absoluteOffset
        switch (logical.name, base) {
        case ("date", .int):
            out += "\"" + CivilTime.formatDate(days: Int64(try reader.readZigZagInt32())) + "\""
        case ("timestamp-millis", .long), ("local-timestamp-millis", .long):
            let value = try reader.readZigZagInt64()
            let (micros, overflow) = value.multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw .init(code: .invalidValue, offset: start, message: "timestamp overflows") }
            out += "\"" + CivilTime.formatTimestamp(micros: micros, utc: logical.name == "timestamp-millis") + "\""
        case ("timestamp-micros", .long), ("local-timestamp-micros", .long):
            out += "\"" + CivilTime.formatTimestamp(micros: try reader.readZigZagInt64(), utc: logical.name == "timestamp-micros") + "\""
        case ("timestamp-nanos", .long), ("local-timestamp-nanos", .long):
            let micros = CivilTime.floorDivide(try reader.readZigZagInt64(), 1000).quotient
            out += "\"" + CivilTime.formatTimestamp(micros: micros, utc: logical.name == "timestamp-nanos") + "\""
        case ("time-millis", .int):
            out += String(Int64(try reader.readZigZagInt32()) * 1000)
        case ("decimal", .bytes), ("decimal", .fixed):
            let bytes: UnsafeRawBufferPointer
            if case .fixed(let f) = base { bytes = try reader.readBytes(count: f.size) } else { bytes = try readSized(&reader) }
            guard bytes.count <= AvroDecimal.maximumWideBytes else { throw .init(code: .lengthOutOfRange, offset: start, message: "decimal too long") }
            out += "\"" + AvroDecimal.text(bigEndian: bytes, scale: logical.integer("scale") ?? 0) + "\""
        default:
            try decode(base, &reader, into: &out, depth: depth + 1)
        }
    }
}
