/// The logical type of a column, shared by the Avro decoder, Parquet and Delta Lake.
///
/// The set mirrors Delta Lake's primitive and nested types. Physical storage per type is
/// described on ``ColumnStorage``.
public indirect enum DataType: Hashable, Sendable {
    case boolean
    case int8
    case int16
    case int32
    case int64
    case float32
    case float64
    /// Fixed-point decimal with up to 38 digits, stored as a 128-bit unscaled integer.
    case decimal(precision: Int, scale: Int)
    /// UTF-8 text.
    case string
    case binary
    /// Days since 1970-01-01.
    case date
    /// Microseconds since 1970-01-01T00:00:00Z (an instant).
    case timestamp
    /// Microseconds since 1970-01-01T00:00:00 on a wall clock without time zone.
    case timestampWithoutTimeZone
    /// A list whose elements are described by the field (conventionally named `element`).
    case list(Field)
    /// A map; keys are never null.
    case map(key: Field, value: Field)
    /// A struct with named fields.
    case structure([Field])

    /// The largest decimal precision a 128-bit unscaled value can hold.
    public static let maximumDecimalPrecision = 38

    /// Whether the type has children.
    public var isNested: Bool {
        switch self {
        case .list, .map, .structure: return true
        default: return false
        }
    }
}

/// A named, typed, nullable-or-not member of a schema or struct.
public struct Field: Hashable, Sendable {
    public var name: String
    public var type: DataType
    public var isNullable: Bool
    /// Free-form metadata carried along (for example Delta column metadata).
    public var metadata: [String: String]

    public init(_ name: String, _ type: DataType, isNullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.metadata = metadata
    }
}

/// An ordered list of top-level fields.
public struct Schema: Hashable, Sendable {
    public var fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    /// The position of the field with `name`, if any.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }
}

extension DataType: CustomStringConvertible {
    /// A compact, Spark-like spelling: `decimal(10,2)`, `array<string>`, `struct<a:int,b:string>`.
    public var description: String {
        switch self {
        case .boolean: return "boolean"
        case .int8: return "byte"
        case .int16: return "short"
        case .int32: return "integer"
        case .int64: return "long"
        case .float32: return "float"
        case .float64: return "double"
        case .decimal(let p, let s): return "decimal(\(p),\(s))"
        case .string: return "string"
        case .binary: return "binary"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .timestampWithoutTimeZone: return "timestamp_ntz"
        case .list(let element): return "array<\(element.type)>"
        case .map(let key, let value): return "map<\(key.type),\(value.type)>"
        case .structure(let fields):
            return "struct<" + fields.map { "\($0.name):\($0.type)" }.joined(separator: ",") + ">"
        }
    }
}
