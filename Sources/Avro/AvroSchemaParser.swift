import JSONCoding
/// Turns schema JSON into ``AvroSchema``, resolving names against the enclosing namespace.
struct AvroSchemaParser {
    /// Named types defined so far (full name → whether it is a record, enum or fixed).
    private var definedNames: Set<String> = []

    private static let primitives: [String: AvroSchema] = [
        "null": .null, "boolean": .boolean, "int": .int, "long": .long,
        "float": .float, "double": .double, "bytes": .bytes, "string": .string,
    ]

    private func invalid(_ message: String) -> AvroError {
        AvroError(.invalidSchema, message)
    }

    mutating func parse(_ json: JSONValue, namespace: String?) throws(AvroError) -> AvroSchema {
        switch json {
        case .string(let name):
            return try resolve(name, namespace: namespace)
        case .array(let branches):
            var parsed: [AvroSchema] = []
            for branch in branches {
                let schema = try parse(branch, namespace: namespace)
                if case .union = schema { throw invalid("a union may not directly contain another union") }
                parsed.append(schema)
            }
            guard !parsed.isEmpty else { throw invalid("a union needs at least one branch") }
            return .union(parsed)
        case .object:
            return try parseObject(json, namespace: namespace)
        default:
            throw invalid("expected a type name, object or array, found \(json.serialized)")
        }
    }

    private func resolve(_ name: String, namespace: String?) throws(AvroError) -> AvroSchema {
        if let primitive = Self.primitives[name] { return primitive }
        if !name.contains("."), let namespace, !namespace.isEmpty, definedNames.contains(namespace + "." + name) {
            return .reference(namespace + "." + name)
        }
        if definedNames.contains(name) { return .reference(name) }
        throw invalid("unknown type '\(name)' (named types must be defined before use)")
    }

    private func string(_ json: JSONValue, _ key: String) -> String? {
        if case .string(let s)? = json[key] { return s }
        return nil
    }

    /// The full name and the namespace for nested definitions.
    private func fullName(_ json: JSONValue, namespace: String?) throws(AvroError) -> (full: String, namespace: String?) {
        guard let name = string(json, "name"), !name.isEmpty else { throw invalid("named type without a 'name': \(json.serialized)") }
        if name.contains(".") {
            let space = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
            return (name, space)
        }
        let space: String?
        if case .string(let s)? = json["namespace"] { space = s } else { space = namespace }
        if let space, !space.isEmpty { return (space + "." + name, space) }
        return (name, space)
    }

    private mutating func define(_ name: String) throws(AvroError) {
        guard Self.primitives[name] == nil else { throw invalid("'\(name)' cannot be redefined") }
        guard definedNames.insert(name).inserted else { throw invalid("type '\(name)' is defined twice") }
    }

    private mutating func parseObject(_ json: JSONValue, namespace: String?) throws(AvroError) -> AvroSchema {
        guard let typeValue = json["type"] else { throw invalid("type object without 'type': \(json.serialized)") }
        let base: AvroSchema
        var typeName: String? = nil
        if case .string(let t) = typeValue { typeName = t }
        switch typeName {
        case "record", "error":
            let (full, space) = try fullName(json, namespace: namespace)
            try define(full)
            guard case .array(let fieldList)? = json["fields"] else { throw invalid("record '\(full)' has no 'fields' array") }
            var fields: [AvroRecordField] = []
            var seen: Set<String> = []
            for fieldJSON in fieldList {
                guard let name = string(fieldJSON, "name") else { throw invalid("a field of '\(full)' has no name") }
                guard seen.insert(name).inserted else { throw invalid("record '\(full)' has two fields named '\(name)'") }
                guard let fieldType = fieldJSON["type"] else { throw invalid("field '\(name)' of '\(full)' has no type") }
                let type = try parse(fieldType, namespace: space)
                fields.append(AvroRecordField(name: name, type: type, defaultJSON: fieldJSON["default"]?.serialized))
            }
            base = .record(AvroRecordSchema(fullName: full, fields: fields))
        case "enum":
            let (full, _) = try fullName(json, namespace: namespace)
            try define(full)
            guard case .array(let symbolList)? = json["symbols"] else { throw invalid("enum '\(full)' has no 'symbols' array") }
            var symbols: [String] = []
            for symbol in symbolList {
                guard case .string(let s) = symbol else { throw invalid("enum '\(full)' has a non-string symbol") }
                // A symbol is copied for every value, so its length bounds memory per input byte.
                guard s.utf8.count <= 1024 else { throw invalid("enum '\(full)' has a symbol longer than 1024 bytes") }
                symbols.append(s)
            }
            base = .enumeration(AvroEnumSchema(fullName: full, symbols: symbols))
        case "fixed":
            let (full, _) = try fullName(json, namespace: namespace)
            try define(full)
            guard case .number(let sizeText)? = json["size"], let size = Int(sizeText), size >= 0, size <= 1 << 20 else {
                throw invalid("fixed '\(full)' needs a 'size' between 0 and 1048576")
            }
            base = .fixed(AvroFixedSchema(fullName: full, size: size))
        case "array":
            guard let items = json["items"] else { throw invalid("array without 'items'") }
            base = .array(items: try parse(items, namespace: namespace))
        case "map":
            guard let values = json["values"] else { throw invalid("map without 'values'") }
            base = .map(values: try parse(values, namespace: namespace))
        default:
            // {"type": "long", "logicalType": ...} or {"type": {...}} or {"type": "SomeName"}.
            base = try parse(typeValue, namespace: namespace)
        }
        guard case .string(let logicalName)? = json["logicalType"] else { return base }
        switch base {
        case .record, .enumeration, .array, .map, .union, .null:
            return base // logical types only annotate primitives and fixed; others are ignored
        default:
            break
        }
        var attributes: [String: String] = [:]
        guard case .object(let members) = json else { return base }
        for member in members where !["type", "logicalType", "name", "namespace", "size", "aliases", "doc"].contains(member.0) {
            switch member.1 {
            case .string(let s): attributes[member.0] = s
            case .number(let n): attributes[member.0] = n
            default: attributes[member.0] = member.1.serialized
            }
        }
        return .logical(base, AvroLogicalType(name: logicalName, attributes: attributes))
    }
}
