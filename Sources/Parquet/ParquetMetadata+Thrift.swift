import BinaryCoding

// Compact-protocol encoding and decoding of the footer and page-header structures.

typealias ThriftError = BinaryDecodingError

extension ThriftCompactReader {
    /// Reads a struct, calling `handle` for each field; fields it does not claim are skipped.
    mutating func readStruct(
        _ handle: (inout ThriftCompactReader, ThriftFieldHeader) throws(ThriftError) -> Bool
    ) throws(ThriftError) {
        try readStructBegin()
        while let header = try readFieldHeader() {
            if try !handle(&self, header) { try skip(header.type) }
        }
        try readStructEnd()
    }

    /// Reads a list of elements with `element`.
    mutating func readList<T>(_ element: (inout ThriftCompactReader) throws(ThriftError) -> T) throws(ThriftError) -> [T] {
        let (_, count) = try readListHeader()
        var items: [T] = []
        items.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }

    mutating func readEnum<E: RawRepresentable>(_ type: E.Type, _ what: String) throws(ThriftError) -> E where E.RawValue == Int32 {
        let offset = absoluteOffset
        let raw = try readI32()
        guard let value = E(rawValue: raw) else {
            throw BinaryDecodingError(code: .invalidValue, offset: offset, message: "unknown \(what) \(raw)")
        }
        return value
    }

    /// Skips an empty marker struct (the members of Thrift unions such as `StringType`).
    mutating func readEmptyStruct() throws(ThriftError) {
        try readStruct { _, _ throws(ThriftError) in false }
    }
}

extension ThriftCompactWriter {
    /// Writes field `id` as a nested struct whose fields `body` writes.
    mutating func writeStructField(id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        writeFieldBegin(id: id, type: .struct)
        writeStructBegin()
        body(&self)
        writeFieldStop()
        writeStructEnd()
    }

    /// Writes a list of structs.
    mutating func writeStructListField<T>(id: Int16, _ items: [T], _ body: (inout ThriftCompactWriter, T) -> Void) {
        writeFieldBegin(id: id, type: .list)
        writeListHeader(elementType: .struct, count: items.count)
        for item in items {
            writeStructBegin()
            body(&self, item)
            writeFieldStop()
            writeStructEnd()
        }
    }
}

extension TimeUnit {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var unit = TimeUnit.micros
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: return false
            }
            try r.readEmptyStruct()
            return true
        }
        self = unit
    }

    func write(to writer: inout ThriftCompactWriter) {
        let id: Int16 = switch self {
        case .millis: 1
        case .micros: 2
        case .nanos: 3
        }
        writer.writeStructField(id: id) { _ in }
    }
}

extension LogicalType {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var result = LogicalType.unknown
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: result = .string; try r.readEmptyStruct()
            case 2: result = .map; try r.readEmptyStruct()
            case 3: result = .list; try r.readEmptyStruct()
            case 4: result = .enumeration; try r.readEmptyStruct()
            case 5:
                var scale: Int32 = 0
                var precision: Int32 = 0
                try r.readStruct { r, h throws(ThriftError) in
                    switch h.id {
                    case 1: scale = try r.readI32()
                    case 2: precision = try r.readI32()
                    default: return false
                    }
                    return true
                }
                result = .decimal(scale: scale, precision: precision)
            case 6: result = .date; try r.readEmptyStruct()
            case 7, 8:
                var utc = false
                var unit = TimeUnit.micros
                try r.readStruct { r, h throws(ThriftError) in
                    switch h.id {
                    case 1: utc = try r.readBool()
                    case 2: unit = try TimeUnit(reading: &r)
                    default: return false
                    }
                    return true
                }
                result = h.id == 7 ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
            case 10:
                var bitWidth: Int8 = 0
                var signed = true
                try r.readStruct { r, h throws(ThriftError) in
                    switch h.id {
                    case 1: bitWidth = try r.readI8()
                    case 2: signed = try r.readBool()
                    default: return false
                    }
                    return true
                }
                result = .integer(bitWidth: bitWidth, isSigned: signed)
            case 11: result = .unknown; try r.readEmptyStruct()
            case 12: result = .json; try r.readEmptyStruct()
            case 13: result = .bson; try r.readEmptyStruct()
            case 14: result = .uuid; try r.readEmptyStruct()
            case 15: result = .float16; try r.readEmptyStruct()
            default:
                result = .other(h.id)
                return false
            }
            return true
        }
        self = result
    }

    func write(to writer: inout ThriftCompactWriter) {
        switch self {
        case .string: writer.writeStructField(id: 1) { _ in }
        case .map: writer.writeStructField(id: 2) { _ in }
        case .list: writer.writeStructField(id: 3) { _ in }
        case .enumeration: writer.writeStructField(id: 4) { _ in }
        case .decimal(let scale, let precision):
            writer.writeStructField(id: 5) { w in
                w.writeI32Field(id: 1, scale)
                w.writeI32Field(id: 2, precision)
            }
        case .date: writer.writeStructField(id: 6) { _ in }
        case .time(let utc, let unit), .timestamp(let utc, let unit):
            let id: Int16 = if case .time = self { 7 } else { 8 }
            writer.writeStructField(id: id) { w in
                w.writeBoolField(id: 1, utc)
                w.writeStructField(id: 2) { w in
                    let unitID: Int16 = switch unit {
                    case .millis: 1
                    case .micros: 2
                    case .nanos: 3
                    }
                    w.writeStructField(id: unitID) { _ in }
                }
            }
        case .integer(let bitWidth, let signed):
            writer.writeStructField(id: 10) { w in
                w.writeI8Field(id: 1, bitWidth)
                w.writeBoolField(id: 2, signed)
            }
        case .unknown: writer.writeStructField(id: 11) { _ in }
        case .json: writer.writeStructField(id: 12) { _ in }
        case .bson: writer.writeStructField(id: 13) { _ in }
        case .uuid: writer.writeStructField(id: 14) { _ in }
        case .float16: writer.writeStructField(id: 15) { _ in }
        case .other(let id): writer.writeStructField(id: id) { _ in }
        }
    }
}

extension SchemaElement {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var element = SchemaElement(name: "")
        var sawName = false
        let start = reader.absoluteOffset
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: element.type = try r.readEnum(PhysicalType.self, "physical type")
            case 2: element.typeLength = try r.readI32()
            case 3: element.repetition = try r.readEnum(Repetition.self, "repetition")
            case 4:
                element.name = try r.readString()
                sawName = true
            case 5: element.numChildren = try r.readI32()
            case 6: element.convertedType = ConvertedType(rawValue: try r.readI32())
            case 7: element.scale = try r.readI32()
            case 8: element.precision = try r.readI32()
            case 9: element.fieldID = try r.readI32()
            case 10: element.logicalType = try LogicalType(reading: &r)
            default: return false
            }
            return true
        }
        guard sawName else {
            throw BinaryDecodingError(code: .invalidValue, offset: start, message: "schema element without a name")
        }
        self = element
    }

    func write(to w: inout ThriftCompactWriter) {
        if let type { w.writeI32Field(id: 1, type.rawValue) }
        if let typeLength { w.writeI32Field(id: 2, typeLength) }
        if let repetition { w.writeI32Field(id: 3, repetition.rawValue) }
        w.writeStringField(id: 4, name)
        if let numChildren { w.writeI32Field(id: 5, numChildren) }
        if let convertedType { w.writeI32Field(id: 6, convertedType.rawValue) }
        if let scale { w.writeI32Field(id: 7, scale) }
        if let precision { w.writeI32Field(id: 8, precision) }
        if let fieldID { w.writeI32Field(id: 9, fieldID) }
        if let logicalType { w.writeStructField(id: 10) { logicalType.write(to: &$0) } }
    }
}

extension Statistics {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var s = Statistics()
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: s.legacyMax = try r.readBinary()
            case 2: s.legacyMin = try r.readBinary()
            case 3: s.nullCount = try r.readI64()
            case 4: s.distinctCount = try r.readI64()
            case 5: s.maxValue = try r.readBinary()
            case 6: s.minValue = try r.readBinary()
            case 7: s.isMaxValueExact = try r.readBool()
            case 8: s.isMinValueExact = try r.readBool()
            default: return false
            }
            return true
        }
        self = s
    }

    func write(to w: inout ThriftCompactWriter) {
        if let legacyMax { w.writeBinaryField(id: 1, legacyMax) }
        if let legacyMin { w.writeBinaryField(id: 2, legacyMin) }
        if let nullCount { w.writeI64Field(id: 3, nullCount) }
        if let distinctCount { w.writeI64Field(id: 4, distinctCount) }
        if let maxValue { w.writeBinaryField(id: 5, maxValue) }
        if let minValue { w.writeBinaryField(id: 6, minValue) }
        if let isMaxValueExact { w.writeBoolField(id: 7, isMaxValueExact) }
        if let isMinValueExact { w.writeBoolField(id: 8, isMinValueExact) }
    }
}

extension ColumnMetaData {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var m = ColumnMetaData()
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: m.type = try r.readEnum(PhysicalType.self, "physical type")
            case 2:
                // Unknown encodings are dropped here; a page that uses one fails when decoded.
                m.encodings = try r.readList { r throws(ThriftError) in try r.readI32() }.compactMap(Encoding.init(rawValue:))
            case 3: m.pathInSchema = try r.readList { r throws(ThriftError) in try r.readString() }
            case 4: m.codec = try r.readEnum(CompressionKind.self, "compression codec")
            case 5: m.numValues = try r.readI64()
            case 6: m.totalUncompressedSize = try r.readI64()
            case 7: m.totalCompressedSize = try r.readI64()
            case 9: m.dataPageOffset = try r.readI64()
            case 10: m.indexPageOffset = try r.readI64()
            case 11: m.dictionaryPageOffset = try r.readI64()
            case 12: m.statistics = try Statistics(reading: &r)
            default: return false
            }
            return true
        }
        self = m
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32Field(id: 1, type.rawValue)
        w.writeFieldBegin(id: 2, type: .list)
        w.writeListHeader(elementType: .i32, count: encodings.count)
        for encoding in encodings { w.writeI32(encoding.rawValue) }
        w.writeFieldBegin(id: 3, type: .list)
        w.writeListHeader(elementType: .binary, count: pathInSchema.count)
        for part in pathInSchema { w.writeString(part) }
        w.writeI32Field(id: 4, codec.rawValue)
        w.writeI64Field(id: 5, numValues)
        w.writeI64Field(id: 6, totalUncompressedSize)
        w.writeI64Field(id: 7, totalCompressedSize)
        w.writeI64Field(id: 9, dataPageOffset)
        if let indexPageOffset { w.writeI64Field(id: 10, indexPageOffset) }
        if let dictionaryPageOffset { w.writeI64Field(id: 11, dictionaryPageOffset) }
        if let statistics { w.writeStructField(id: 12) { statistics.write(to: &$0) } }
    }
}

extension ColumnChunk {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var c = ColumnChunk()
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: c.filePath = try r.readString()
            case 2: c.fileOffset = try r.readI64()
            case 3: c.metaData = try ColumnMetaData(reading: &r)
            default: return false
            }
            return true
        }
        self = c
    }

    func write(to w: inout ThriftCompactWriter) {
        if let filePath { w.writeStringField(id: 1, filePath) }
        w.writeI64Field(id: 2, fileOffset)
        if let metaData { w.writeStructField(id: 3) { metaData.write(to: &$0) } }
    }
}

extension RowGroup {
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var g = RowGroup()
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: g.columns = try r.readList { r throws(ThriftError) in try ColumnChunk(reading: &r) }
            case 2: g.totalByteSize = try r.readI64()
            case 3: g.numRows = try r.readI64()
            case 5: g.fileOffset = try r.readI64()
            case 6: g.totalCompressedSize = try r.readI64()
            case 7: g.ordinal = try r.readI16()
            default: return false
            }
            return true
        }
        self = g
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeStructListField(id: 1, columns) { w, c in c.write(to: &w) }
        w.writeI64Field(id: 2, totalByteSize)
        w.writeI64Field(id: 3, numRows)
        if let fileOffset { w.writeI64Field(id: 5, fileOffset) }
        if let totalCompressedSize { w.writeI64Field(id: 6, totalCompressedSize) }
        if let ordinal { w.writeI16Field(id: 7, ordinal) }
    }
}

extension FileMetaData {
    /// Decodes a footer from compact-protocol bytes.
    public init(decoding bytes: UnsafeRawBufferPointer, baseOffset: Int) throws(ParquetError) {
        var reader = ThriftCompactReader(ByteReader(bytes, baseOffset: baseOffset))
        do {
            self = try FileMetaData(reading: &reader)
        } catch {
            throw ParquetError(error, "invalid file metadata")
        }
    }

    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var m = FileMetaData()
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: m.version = try r.readI32()
            case 2: m.schema = try r.readList { r throws(ThriftError) in try SchemaElement(reading: &r) }
            case 3: m.numRows = try r.readI64()
            case 4: m.rowGroups = try r.readList { r throws(ThriftError) in try RowGroup(reading: &r) }
            case 5:
                m.keyValueMetadata = try r.readList { r throws(ThriftError) in
                    var key = ""
                    var value: String?
                    try r.readStruct { r, h throws(ThriftError) in
                        switch h.id {
                        case 1: key = try r.readString()
                        case 2: value = try r.readString()
                        default: return false
                        }
                        return true
                    }
                    return KeyValue(key: key, value: value)
                }
            case 6: m.createdBy = try r.readString()
            case 7:
                m.columnOrders = try r.readList { r throws(ThriftError) in
                    var order = ColumnOrder.typeDefined
                    try r.readStruct { r, h throws(ThriftError) in
                        switch h.id {
                        case 1: order = .typeDefined
                        case 2: order = .ieee754TotalOrder
                        default: order = .other(h.id)
                        }
                        try r.skip(h.type)
                        return true
                    }
                    return order
                }
            default: return false
            }
            return true
        }
        self = m
    }

    /// Encodes the footer in the compact protocol.
    public func encoded() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.writeStructBegin()
        w.writeI32Field(id: 1, version)
        w.writeStructListField(id: 2, schema) { w, e in e.write(to: &w) }
        w.writeI64Field(id: 3, numRows)
        w.writeStructListField(id: 4, rowGroups) { w, g in g.write(to: &w) }
        if let keyValueMetadata {
            w.writeStructListField(id: 5, keyValueMetadata) { w, kv in
                w.writeStringField(id: 1, kv.key)
                if let value = kv.value { w.writeStringField(id: 2, value) }
            }
        }
        if let createdBy { w.writeStringField(id: 6, createdBy) }
        if let columnOrders {
            w.writeStructListField(id: 7, columnOrders) { w, order in
                switch order {
                case .typeDefined: w.writeStructField(id: 1) { _ in }
                case .ieee754TotalOrder: w.writeStructField(id: 2) { _ in }
                case .other(let id): w.writeStructField(id: id) { _ in }
                }
            }
        }
        w.writeFieldStop()
        w.writeStructEnd()
        return w.bytes
    }
}

extension PageHeader {
    /// Decodes a page header at the reader's position.
    init(reading reader: inout ThriftCompactReader) throws(ThriftError) {
        var p = PageHeader()
        try reader.readStruct { r, h throws(ThriftError) in
            switch h.id {
            case 1: p.type = try r.readEnum(PageType.self, "page type")
            case 2: p.uncompressedPageSize = try r.readI32()
            case 3: p.compressedPageSize = try r.readI32()
            case 4: p.crc = try r.readI32()
            case 5:
                var d = DataPageHeader()
                try r.readStruct { r, h throws(ThriftError) in
                    switch h.id {
                    case 1: d.numValues = try r.readI32()
                    case 2: d.encoding = try r.readEnum(Encoding.self, "encoding")
                    case 3: d.definitionLevelEncoding = try r.readEnum(Encoding.self, "encoding")
                    case 4: d.repetitionLevelEncoding = try r.readEnum(Encoding.self, "encoding")
                    case 5: d.statistics = try Statistics(reading: &r)
                    default: return false
                    }
                    return true
                }
                p.dataPageHeader = d
            case 7:
                var d = DictionaryPageHeader()
                try r.readStruct { r, h throws(ThriftError) in
                    switch h.id {
                    case 1: d.numValues = try r.readI32()
                    case 2: d.encoding = try r.readEnum(Encoding.self, "encoding")
                    case 3: d.isSorted = try r.readBool()
                    default: return false
                    }
                    return true
                }
                p.dictionaryPageHeader = d
            case 8:
                var d = DataPageHeaderV2()
                try r.readStruct { r, h throws(ThriftError) in
                    switch h.id {
                    case 1: d.numValues = try r.readI32()
                    case 2: d.numNulls = try r.readI32()
                    case 3: d.numRows = try r.readI32()
                    case 4: d.encoding = try r.readEnum(Encoding.self, "encoding")
                    case 5: d.definitionLevelsByteLength = try r.readI32()
                    case 6: d.repetitionLevelsByteLength = try r.readI32()
                    case 7: d.isCompressed = try r.readBool()
                    case 8: d.statistics = try Statistics(reading: &r)
                    default: return false
                    }
                    return true
                }
                p.dataPageHeaderV2 = d
            default: return false
            }
            return true
        }
        self = p
    }

    /// Encodes the header in the compact protocol, appending to `w`.
    func write(to w: inout ThriftCompactWriter) {
        w.writeStructBegin()
        w.writeI32Field(id: 1, type.rawValue)
        w.writeI32Field(id: 2, uncompressedPageSize)
        w.writeI32Field(id: 3, compressedPageSize)
        if let crc { w.writeI32Field(id: 4, crc) }
        if let d = dataPageHeader {
            w.writeStructField(id: 5) { w in
                w.writeI32Field(id: 1, d.numValues)
                w.writeI32Field(id: 2, d.encoding.rawValue)
                w.writeI32Field(id: 3, d.definitionLevelEncoding.rawValue)
                w.writeI32Field(id: 4, d.repetitionLevelEncoding.rawValue)
                if let s = d.statistics { w.writeStructField(id: 5) { s.write(to: &$0) } }
            }
        }
        if let d = dictionaryPageHeader {
            w.writeStructField(id: 7) { w in
                w.writeI32Field(id: 1, d.numValues)
                w.writeI32Field(id: 2, d.encoding.rawValue)
                if let sorted = d.isSorted { w.writeBoolField(id: 3, sorted) }
            }
        }
        if let d = dataPageHeaderV2 {
            w.writeStructField(id: 8) { w in
                w.writeI32Field(id: 1, d.numValues)
                w.writeI32Field(id: 2, d.numNulls)
                w.writeI32Field(id: 3, d.numRows)
                w.writeI32Field(id: 4, d.encoding.rawValue)
                w.writeI32Field(id: 5, d.definitionLevelsByteLength)
                w.writeI32Field(id: 6, d.repetitionLevelsByteLength)
                w.writeBoolField(id: 7, d.isCompressed)
                if let s = d.statistics { w.writeStructField(id: 8) { s.write(to: &$0) } }
            }
        }
        w.writeFieldStop()
        w.writeStructEnd()
    }
}
