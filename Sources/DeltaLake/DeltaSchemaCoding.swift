import JSONCoding
import Columnar

/// Spark's JSON schema format (Delta `schemaString`) ⇄ Columnar ``Schema``.
///
/// Field metadata values that are JSON strings map to strings; other JSON values are kept as
/// their JSON text and written back as strings.
public enum DeltaSchemaCoding {
    /// `{"type":"struct","fields":[…]}` for `schema`.
    public static func encode(_ schema: Schema) -> String {
        structJSON(schema.fields).serialized
    }

    /// Parses a schema string.
    public static func decode(_ text: String) throws(DeltaError) -> Schema {
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch {
            throw DeltaError(.invalidSchema, "schemaString is not JSON: \(error.message)")
        }
        guard case .structure(let fields) = try dataType(json, path: "") else {
            throw DeltaError(.invalidSchema, "the root of a schema must be a struct")
        }
        return Schema(fields)
    }

    /// The Spark type name of a primitive type, or the JSON object of a nested one.
    public static func typeJSON(_ type: DataType) -> JSONValue {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .decimal, .string, .binary, .date, .timestamp, .timestampWithoutTimeZone:
            return .string(type.description)
        case .list(let element):
            return .object([("type", .string("array")), ("elementType", typeJSON(element.type)), ("containsNull", .bool(element.isNullable))])
        case .map(let key, let value):
            return .object([("type", .string("map")), ("keyType", typeJSON(key.type)), ("valueType", typeJSON(value.type)), ("valueContainsNull", .bool(value.isNullable))])
        case .structure(let fields):
            return structJSON(fields)
        }
    }

    private static func structJSON(_ fields: [Field]) -> JSONValue {
        .object([("type", .string("struct")), ("fields", .array(fields.map(fieldJSON)))])
    }

    private static func fieldJSON(_ field: Field) -> JSONValue {
        let metadata = JSONValue.object(field.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        return .object([("name", .string(field.name)), ("type", typeJSON(field.type)), ("nullable", .bool(field.isNullable)), ("metadata", metadata)])
    }

    private static func dataType(_ json: JSONValue, path: String) throws(DeltaError) -> DataType {
        let at = path.isEmpty ? "the schema" : "'\(path)'"
        if let name = json.stringValue { return try primitive(name, at: at) }
        guard let kind = json["type"]?.stringValue else { throw DeltaError(.invalidSchema, "type of \(at) is neither a name nor an object with 'type'") }
        switch kind {
        case "struct":
            guard case .array(let items)? = json["fields"] else { throw DeltaError(.invalidSchema, "struct \(at) has no 'fields' array") }
            var fields: [Field] = []
            var seen = Set<String>()
            for item in items {
                guard let name = item["name"]?.stringValue, let typeJSON = item["type"] else {
                    throw DeltaError(.invalidSchema, "a field of \(at) has no name or type")
                }
                guard seen.insert(name.lowercased()).inserted else {
                    throw DeltaError(.invalidSchema, "duplicate field name '\(name)' in \(at) (names are case-insensitive)")
                }
                let childPath = path.isEmpty ? name : path + "." + name
                var metadata: [String: String] = [:]
                if case .object(let members)? = item["metadata"] {
                    for (key, value) in members { metadata[key] = value.stringValue ?? value.serialized }
                }
                fields.append(Field(name, try dataType(typeJSON, path: childPath), isNullable: item["nullable"]?.boolValue ?? true, metadata: metadata))
            }
            return .structure(fields)
        case "array":
            guard let element = json["elementType"] else { throw DeltaError(.invalidSchema, "array \(at) has no elementType") }
            return .list(Field("element", try dataType(element, path: path + ".element"), isNullable: json["containsNull"]?.boolValue ?? true))
        case "map":
            guard let key = json["keyType"], let value = json["valueType"] else { throw DeltaError(.invalidSchema, "map \(at) has no keyType/valueType") }
            return .map(
                key: Field("key", try dataType(key, path: path + ".key"), isNullable: false),
                value: Field("value", try dataType(value, path: path + ".value"), isNullable: json["valueContainsNull"]?.boolValue ?? true))
        default:
            return try primitive(kind, at: at)
        }
    }

    private static func primitive(_ name: String, at: String) throws(DeltaError) -> DataType {
        switch name {
        case "boolean": return .boolean
        case "byte": return .int8
        case "short": return .int16
        case "integer": return .int32
        case "long": return .int64
        case "float": return .float32
        case "double": return .float64
        case "string": return .string
        case "binary": return .binary
        case "date": return .date
        case "timestamp": return .timestamp
        case "timestamp_ntz": return .timestampWithoutTimeZone
        case "decimal": return .decimal(precision: 10, scale: 0)
        default:
            let compact = name.filter { $0 != " " }
            if compact.hasPrefix("decimal("), compact.hasSuffix(")") {
                let inner = compact.dropFirst("decimal(".count).dropLast()
                let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
                if parts.count == 2, let p = Int(parts[0]), let s = Int(parts[1]), p >= 1, p <= DataType.maximumDecimalPrecision, s >= 0, s <= p {
                    return .decimal(precision: p, scale: s)
                }
                throw DeltaError(.invalidSchema, "invalid decimal type '\(name)' for \(at)")
            }
            throw DeltaError(.invalidSchema, "unsupported type '\(name)' for \(at)")
        }
    }
}
