import Columnar

/// The type lattice used to infer column types of schemaless JSON payloads.
///
/// Widening rules (see docs/DATASTREAM.md): null-only stays ``unknown`` (written as a nullable
/// string); integers are int64 (wider integers become decimals); integers and plain decimals
/// meet at a decimal with the largest integer-digit count and the largest scale (over 38 digits:
/// string); anything numeric meets an exponent-spelled number at float64; timestamps only meet
/// timestamps; every other mix is string, the top type.
enum JSONValueType: Hashable, Sendable {
    case unknown
    case boolean
    /// An integer with at most `digits` digits that fits Int64.
    case integer(digits: Int)
    /// A decimal with `integerDigits` digits before the point and `scale` after it.
    case decimal(integerDigits: Int, scale: Int)
    case float64
    case timestamp
    case stringList
    case string

    static let int64Digits = 19

    func widened(with other: JSONValueType) -> JSONValueType {
        switch (self, other) {
        case (.unknown, _): return other
        case (_, .unknown): return self
        case _ where self == other: return self
        case let (.integer(a), .integer(b)): return .integer(digits: max(a, b))
        case let (.integer(a), .decimal(i, s)), let (.decimal(i, s), .integer(a)):
            return Self.decimalOrString(integerDigits: max(a, i), scale: s)
        case let (.decimal(i1, s1), .decimal(i2, s2)):
            return Self.decimalOrString(integerDigits: max(i1, i2), scale: max(s1, s2))
        case (.integer, .float64), (.float64, .integer), (.decimal, .float64), (.float64, .decimal):
            return .float64
        default:
            return .string
        }
    }

    private static func decimalOrString(integerDigits: Int, scale: Int) -> JSONValueType {
        integerDigits + scale > DataType.maximumDecimalPrecision ? .string : .decimal(integerDigits: integerDigits, scale: scale)
    }

    /// The Columnar type a column of this inferred type is built as.
    var dataType: DataType {
        switch self {
        case .unknown, .string: return .string
        case .boolean: return .boolean
        case .integer: return .int64
        case let .decimal(i, s): return .decimal(precision: max(i + s, 1), scale: s)
        case .float64: return .float64
        case .timestamp: return .timestamp
        case .stringList: return .list(Field("element", .string, isNullable: false))
        }
    }

    /// The lattice element for a type already chosen for earlier files (reconciliation).
    init(_ type: DataType) {
        switch type {
        case .boolean: self = .boolean
        case .int8, .int16, .int32, .int64: self = .integer(digits: Self.int64Digits)
        case let .decimal(p, s): self = .decimal(integerDigits: max(p - s, 0), scale: s)
        case .float32, .float64: self = .float64
        case .timestamp: self = .timestamp
        case .list(let element) where element.type == .string: self = .stringList
        default: self = .string
        }
    }
}

/// Reconciling the types inferred for the same JSON column in different files.
public enum JSONTypeReconciliation {
    /// The narrowest type both `a` and `b` widen to, by the rules of the JSON inference
    /// (for example `long` + `decimal(5,2)` → `decimal(21,2)`, `decimal` + `double` → `double`,
    /// `timestamp` + `string` → `string`).
    public static func common(_ a: DataType, _ b: DataType) -> DataType {
        if a == b { return a }
        return JSONValueType(a).widened(with: JSONValueType(b)).dataType
    }
}
