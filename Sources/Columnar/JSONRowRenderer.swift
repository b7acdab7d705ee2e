import FoundationEssentials
import JSONCoding

/// Renders rows as JSON lines in the project's value conventions (used by `inspect --format jsonl`
/// and by tests):
///
/// - integers as numbers; decimals as strings of their exact text (`"-12.340"`);
/// - floats as numbers (`NaN`, `Infinity`, `-Infinity` as strings);
/// - timestamps as `2024-01-02T03:04:05.123456Z` (without `Z` when without time zone);
/// - dates as `YYYY-MM-DD`; binary as base64; lists as arrays; structs as objects;
///   maps as arrays of `{"key":…,"value":…}`; null as `null`.
public struct JSONRowRenderer: Sendable {
    public init() {}

    /// One JSON object for row `row` of `batch`, keys in schema order.
    public func render(_ batch: RecordBatch, row: Int) -> String {
        var out = "{"
        for (index, field) in batch.schema.fields.enumerated() {
            if index > 0 { out += "," }
            Self.appendString(field.name, to: &out)
            out += ":"
            append(batch.columns[index].datum(at: row), type: field.type, to: &out)
        }
        out += "}"
        return out
    }

    /// JSON text of one value of `type`.
    public func render(_ datum: Datum, type: DataType) -> String {
        var out = ""
        append(datum, type: type, to: &out)
        return out
    }

    /// Appends JSON text of one value of `type` to `out`.
    public func append(_ datum: Datum, type: DataType, to out: inout String) {
        switch datum {
        case .null: out += "null"
        case .boolean(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .float32(let f):
            if f.isFinite { out += f.description } else { Self.appendFloat(Double(f), to: &out) }
        case .float64(let d): Self.appendFloat(d, to: &out)
        case .decimal(let unscaled):
            var scale = 0
            if case .decimal(_, let s) = type { scale = s }
            out += "\"" + Decimal128Text.format(unscaled, scale: scale) + "\""
        case .string(let s): Self.appendString(s, to: &out)
        case .binary(let bytes): out += "\"" + Data(bytes).base64EncodedString() + "\""
        case .date(let days): out += "\"" + CivilTime.formatDate(days: Int64(days)) + "\""
        case .timestamp(let micros):
            out += "\"" + CivilTime.formatTimestamp(micros: micros, utc: type != .timestampWithoutTimeZone) + "\""
        case .list(let items):
            var elementType = DataType.string
            if case .list(let element) = type { elementType = element.type }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                append(item, type: elementType, to: &out)
            }
            out += "]"
        case .map(let entries):
            var keyType = DataType.string
            var valueType = DataType.string
            if case .map(let key, let value) = type {
                keyType = key.type
                valueType = value.type
            }
            out += "["
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += "," }
                out += "{\"key\":"
                append(entry.key, type: keyType, to: &out)
                out += ",\"value\":"
                append(entry.value, type: valueType, to: &out)
                out += "}"
            }
            out += "]"
        case .structure(let items):
            var fields: [Field] = []
            if case .structure(let f) = type { fields = f }
            out += "{"
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                Self.appendString(index < fields.count ? fields[index].name : "f\(index)", to: &out)
                out += ":"
                append(item, type: index < fields.count ? fields[index].type : .string, to: &out)
            }
            out += "}"
        }
    }

    static func appendFloat(_ value: Double, to out: inout String) {
        if value.isNaN {
            out += "\"NaN\""
        } else if value.isInfinite {
            out += value > 0 ? "\"Infinity\"" : "\"-Infinity\""
        } else {
            out += value.description
        }
    }

    /// Appends `text` as a JSON string literal.
    public static func appendString(_ text: String, to out: inout String) {
        JSONValue.appendQuoted(text, to: &out)
    }
}
