import JSONCoding
/// An Avro schema: the writer schema of a file, parsed from its JSON.
///
/// Named types (records, enums, fixed) are defined once, where they first appear in document
/// order; later uses are ``reference(_:)`` by full name (also used for recursive types).
public indirect enum AvroSchema: Hashable, Sendable {
    case null
    case boolean
    case int
    case long
    case float
    case double
    case bytes
    case string
    case record(AvroRecordSchema)
    case enumeration(AvroEnumSchema)
    case array(items: AvroSchema)
    case map(values: AvroSchema)
    case union([AvroSchema])
    case fixed(AvroFixedSchema)
    /// A primitive or fixed type annotated with a logical type (`decimal`, `timestamp-micros`,
    /// Datastream's `varchar`, ...).
    case logical(AvroSchema, AvroLogicalType)
    /// A use of a named type defined earlier, by full name.
    case reference(String)

    /// Parses writer-schema JSON (the `avro.schema` metadata of a container file).
    public init(json: String) throws(AvroError) {
        try self.init(jsonBytes: Array(json.utf8))
    }

    /// Parses writer-schema JSON given as UTF-8 bytes.
    public init(jsonBytes: [UInt8]) throws(AvroError) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue(parsing: jsonBytes)
        } catch {
            throw AvroError(.invalidSchema, "schema JSON: \(error.message) at character \(error.offset)")
        }
        var parser = AvroSchemaParser()
        self = try parser.parse(value, namespace: nil)
    }

    /// The schema as deterministic JSON (full names, logical-type attributes kept), suitable
    /// for `avro.schema` of a file we write and parseable by ``init(json:)``.
    public var canonicalJSON: String {
        var out = ""
        appendJSON(to: &out)
        return out
    }

    /// The full name of a named type (record, enum, fixed), or `nil`.
    public var fullName: String? {
        switch self {
        case .record(let r): return r.fullName
        case .enumeration(let e): return e.fullName
        case .fixed(let f): return f.fullName
        case .logical(let base, _): return base.fullName
        default: return nil
        }
    }
}

/// An Avro record type.
public struct AvroRecordSchema: Hashable, Sendable {
    /// The full name, `namespace.name`.
    public var fullName: String
    public var fields: [AvroRecordField]

    public init(fullName: String, fields: [AvroRecordField]) {
        self.fullName = fullName
        self.fields = fields
    }
}

/// One field of an Avro record.
public struct AvroRecordField: Hashable, Sendable {
    public var name: String
    public var type: AvroSchema
    /// The field's `default`, as JSON text, when present.
    public var defaultJSON: String?

    public init(name: String, type: AvroSchema, defaultJSON: String? = nil) {
        self.name = name
        self.type = type
        self.defaultJSON = defaultJSON
    }
}

/// An Avro enum type.
public struct AvroEnumSchema: Hashable, Sendable {
    public var fullName: String
    public var symbols: [String]

    public init(fullName: String, symbols: [String]) {
        self.fullName = fullName
        self.symbols = symbols
    }
}

/// An Avro fixed type.
public struct AvroFixedSchema: Hashable, Sendable {
    public var fullName: String
    public var size: Int

    public init(fullName: String, size: Int) {
        self.fullName = fullName
        self.size = size
    }
}

/// A logical-type annotation: its name and every other attribute of the type object (except
/// `type`, `name`, `namespace`, `size`), values kept as text (`"38"` for `"precision": 38`).
public struct AvroLogicalType: Hashable, Sendable {
    public var name: String
    public var attributes: [String: String]

    public init(name: String, attributes: [String: String] = [:]) {
        self.name = name
        self.attributes = attributes
    }

    /// An integer attribute (`precision`, `scale`, `length`), if present and numeric.
    public func integer(_ key: String) -> Int? {
        attributes[key].flatMap { Int($0) }
    }
}

// MARK: - JSON output

extension AvroSchema {
    func appendJSON(to out: inout String) {
        switch self {
        case .null: out += "\"null\""
        case .boolean: out += "\"boolean\""
        case .int: out += "\"int\""
        case .long: out += "\"long\""
        case .float: out += "\"float\""
        case .double: out += "\"double\""
        case .bytes: out += "\"bytes\""
        case .string: out += "\"string\""
        case .reference(let name): JSONValue.appendQuoted(name, to: &out)
        case .array(let items):
            out += "{\"type\":\"array\",\"items\":"
            items.appendJSON(to: &out)
            out += "}"
        case .map(let values):
            out += "{\"type\":\"map\",\"values\":"
            values.appendJSON(to: &out)
            out += "}"
        case .union(let branches):
            out += "["
            for (index, branch) in branches.enumerated() {
                if index > 0 { out += "," }
                branch.appendJSON(to: &out)
            }
            out += "]"
        case .record(let record):
            out += "{\"type\":\"record\",\"name\":"
            JSONValue.appendQuoted(record.fullName, to: &out)
            out += ",\"fields\":["
            for (index, field) in record.fields.enumerated() {
                if index > 0 { out += "," }
                out += "{\"name\":"
                JSONValue.appendQuoted(field.name, to: &out)
                out += ",\"type\":"
                field.type.appendJSON(to: &out)
                if let defaultJSON = field.defaultJSON { out += ",\"default\":" + defaultJSON }
                out += "}"
            }
            out += "]}"
        case .enumeration(let e):
            out += "{\"type\":\"enum\",\"name\":"
            JSONValue.appendQuoted(e.fullName, to: &out)
            out += ",\"symbols\":["
            for (index, symbol) in e.symbols.enumerated() {
                if index > 0 { out += "," }
                JSONValue.appendQuoted(symbol, to: &out)
            }
            out += "]}"
        case .fixed(let f):
            out += "{\"type\":\"fixed\",\"name\":"
            JSONValue.appendQuoted(f.fullName, to: &out)
            out += ",\"size\":\(f.size)}"
        case .logical(let base, let logical):
            // The base's own object with the logical attributes added.
            var members: [String] = []
            switch base {
            case .fixed(let f):
                members.append("\"type\":\"fixed\"")
                var name = ""
                JSONValue.appendQuoted(f.fullName, to: &name)
                members.append("\"name\":" + name)
                members.append("\"size\":\(f.size)")
            default:
                var inner = ""
                base.appendJSON(to: &inner)
                members.append("\"type\":" + inner)
            }
            var name = ""
            JSONValue.appendQuoted(logical.name, to: &name)
            members.append("\"logicalType\":" + name)
            for key in logical.attributes.keys.sorted() {
                let value = logical.attributes[key] ?? ""
                var text = ""
                JSONValue.appendQuoted(key, to: &text)
                text += ":"
                if Int(value) != nil {
                    text += value
                } else {
                    JSONValue.appendQuoted(value, to: &text)
                }
                members.append(text)
            }
            out += "{" + members.joined(separator: ",") + "}"
        }
    }
}
