/// One boxed value, for slow paths: tests, `inspect`, statistics, literals.
///
/// A datum is interpreted with a ``DataType``: `.integer` serves int8…int64, `.decimal` holds the
/// unscaled value, `.timestamp` is microseconds since the epoch (with or without time zone).
public indirect enum Datum: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case float32(Float)
    case float64(Double)
    case decimal(Int128)
    case string(String)
    case binary([UInt8])
    case date(Int32)
    case timestamp(Int64)
    case list([Datum])
    case map([MapEntry])
    case structure([Datum])

    /// One key/value pair of a map.
    public struct MapEntry: Hashable, Sendable {
        public var key: Datum
        public var value: Datum
        public init(key: Datum, value: Datum) {
            self.key = key
            self.value = value
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension Column {
    /// The boxed value at `index` (slow path).
    public func datum(at index: Int) -> Datum {
        if isNull(index) { return .null }
        switch storage {
        case .boolean(let bits): return .boolean(bits[index])
        case .int8(let v): return .integer(Int64(v[index]))
        case .int16(let v): return .integer(Int64(v[index]))
        case .int32(let v): return type == .date ? .date(v[index]) : .integer(Int64(v[index]))
        case .int64(let v):
            switch type {
            case .timestamp, .timestampWithoutTimeZone: return .timestamp(v[index])
            default: return .integer(v[index])
            }
        case .float32(let v): return .float32(v[index])
        case .float64(let v): return .float64(v[index])
        case .int128(let v): return .decimal(v[index])
        case .bytes(let offsets, let data):
            let slice = data[Int(offsets[index])..<Int(offsets[index + 1])]
            if type == .string { return .string(String(decoding: slice, as: UTF8.self)) }
            return .binary(Array(slice))
        case .list(let offsets, let elements):
            return .list((Int(offsets[index])..<Int(offsets[index + 1])).map { elements.datum(at: $0) })
        case .map(let offsets, let keys, let values):
            return .map((Int(offsets[index])..<Int(offsets[index + 1])).map {
                Datum.MapEntry(key: keys.datum(at: $0), value: values.datum(at: $0))
            })
        case .structure(let children):
            return .structure(children.map { $0.datum(at: index) })
        }
    }

    /// Builds a column of `type` from boxed values (slow path, for tests and literals).
    public init(type: DataType, datums: [Datum]) throws(ColumnarError) {
        var builder = DatumColumnBuilder(type: type)
        for datum in datums { try builder.append(datum) }
        self = builder.finish()
    }
}

extension RecordBatch {
    /// Builds a batch from boxed rows (slow path, for tests and literals).
    public init(schema: Schema, rows: [[Datum]]) throws(ColumnarError) {
        var columns: [Column] = []
        for (index, field) in schema.fields.enumerated() {
            var builder = DatumColumnBuilder(type: field.type)
            for row in rows {
                guard row.count == schema.fields.count else {
                    throw ColumnarError(.schemaMismatch, "row has \(row.count) values, schema has \(schema.fields.count) fields")
                }
                try builder.append(row[index])
            }
            columns.append(builder.finish())
        }
        try self.init(schema: schema, columns: columns, rowCount: rows.count)
    }

    /// The boxed values of row `index` (slow path).
    public func row(_ index: Int) -> [Datum] {
        columns.map { $0.datum(at: index) }
    }
}

/// Appends boxed values to a column of any type (slow path).
///
/// Only the buffer that matches `type` is used; the others stay empty.
struct DatumColumnBuilder {
    let type: DataType
    private(set) var count = 0
    private var validity = Bitmap()
    private var sawNull = false
    private var booleans = Bitmap()
    private var int8s: [Int8] = []
    private var int16s: [Int16] = []
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var float32s: [Float] = []
    private var float64s: [Double] = []
    private var int128s: [Int128] = []
    private var offsets: [Int32] = [0]
    private var data: [UInt8] = []
    /// Element builder for lists, key and value builders for maps, one per field for structs.
    private var children: [DatumColumnBuilder] = []

    init(type: DataType) {
        self.type = type
        switch type {
        case .list(let element): children = [DatumColumnBuilder(type: element.type)]
        case .map(let key, let value): children = [DatumColumnBuilder(type: key.type), DatumColumnBuilder(type: value.type)]
        case .structure(let fields): children = fields.map { DatumColumnBuilder(type: $0.type) }
        default: break
        }
    }

    private func mismatch(_ datum: Datum) -> ColumnarError {
        ColumnarError(.typeMismatch, "value \(datum) does not fit type \(type)")
    }

    private func integer<T: FixedWidthInteger>(_ datum: Datum, as: T.Type) throws(ColumnarError) -> T {
        switch datum {
        case .null: return 0
        case .integer(let i):
            guard let value = T(exactly: i) else { throw ColumnarError(.valueOutOfRange, "\(i) does not fit type \(type)") }
            return value
        default: throw mismatch(datum)
        }
    }

    mutating func append(_ datum: Datum) throws(ColumnarError) {
        let isNull = datum.isNull
        switch (type, datum) {
        case (.boolean, .null): booleans.append(false)
        case (.boolean, .boolean(let b)): booleans.append(b)
        case (.int8, _): int8s.append(try integer(datum, as: Int8.self))
        case (.int16, _): int16s.append(try integer(datum, as: Int16.self))
        case (.int32, _): int32s.append(try integer(datum, as: Int32.self))
        case (.date, .null): int32s.append(0)
        case (.date, .date(let d)): int32s.append(d)
        case (.int64, _): int64s.append(try integer(datum, as: Int64.self))
        case (.timestamp, .null), (.timestampWithoutTimeZone, .null): int64s.append(0)
        case (.timestamp, .timestamp(let t)), (.timestampWithoutTimeZone, .timestamp(let t)): int64s.append(t)
        case (.float32, .null): float32s.append(0)
        case (.float32, .float32(let f)): float32s.append(f)
        case (.float64, .null): float64s.append(0)
        case (.float64, .float64(let f)): float64s.append(f)
        case (.decimal, .null): int128s.append(0)
        case (.decimal(let precision, _), .decimal(let d)):
            guard Decimal128Text.fits(d, precision: precision) else {
                throw ColumnarError(.valueOutOfRange, "unscaled \(d) exceeds precision \(precision)")
            }
            int128s.append(d)
        case (.string, .null), (.binary, .null): offsets.append(Int32(data.count))
        case (.string, .string(let s)):
            data.append(contentsOf: s.utf8)
            offsets.append(Int32(data.count))
        case (.binary, .binary(let b)):
            data.append(contentsOf: b)
            offsets.append(Int32(data.count))
        case (.list, .null): offsets.append(Int32(children[0].count))
        case (.list, .list(let items)):
            for item in items { try children[0].append(item) }
            offsets.append(Int32(children[0].count))
        case (.map, .null): offsets.append(Int32(children[0].count))
        case (.map, .map(let entries)):
            for entry in entries {
                guard !entry.key.isNull else { throw ColumnarError(.typeMismatch, "map keys cannot be null") }
                try children[0].append(entry.key)
                try children[1].append(entry.value)
            }
            offsets.append(Int32(children[0].count))
        case (.structure, .null):
            for index in children.indices { try children[index].append(.null) }
        case (.structure, .structure(let items)) where items.count == children.count:
            for index in children.indices { try children[index].append(items[index]) }
        default:
            throw mismatch(datum)
        }
        validity.append(!isNull)
        if isNull { sawNull = true }
        count += 1
    }

    func finish() -> Column {
        let storage: ColumnStorage
        switch type {
        case .boolean: storage = .boolean(booleans)
        case .int8: storage = .int8(int8s)
        case .int16: storage = .int16(int16s)
        case .int32, .date: storage = .int32(int32s)
        case .int64, .timestamp, .timestampWithoutTimeZone: storage = .int64(int64s)
        case .float32: storage = .float32(float32s)
        case .float64: storage = .float64(float64s)
        case .decimal: storage = .int128(int128s)
        case .string, .binary: storage = .bytes(offsets: offsets, data: data)
        case .list: storage = .list(offsets: offsets, elements: children[0].finish())
        case .map: storage = .map(offsets: offsets, keys: children[0].finish(), values: children[1].finish())
        case .structure: storage = .structure(children.map { $0.finish() })
        }
        return Column(type: type, count: count, validity: sawNull ? validity : nil, storage: storage)
    }
}
