import JSONCoding

/// JSON encoding and decoding of log actions (one JSON object per commit line, and the same
/// object shape inside checkpoint rows).
extension DeltaAction {
    /// Decodes one action from a commit line's object `{"add": {...}}`.
    public init(json: JSONValue) throws(DeltaError) {
        guard case .object(let members) = json, let (kind, body) = members.first(where: { !$0.1.isNull }) else {
            throw DeltaError(.invalidAction, "a log line must be an object with one action")
        }
        let reader = FieldReader(object: body, action: kind)
        switch kind {
        case "protocol":
            self = .protocol(DeltaProtocol(
                minReaderVersion: try reader.int("minReaderVersion"),
                minWriterVersion: try reader.int("minWriterVersion"),
                readerFeatures: try reader.optionalStrings("readerFeatures"),
                writerFeatures: try reader.optionalStrings("writerFeatures")))
        case "metaData":
            let formatObject = try reader.optionalObject("format")
            let formatReader = FieldReader(object: formatObject ?? .object([]), action: "metaData.format")
            self = .metadata(DeltaMetadata(
                id: try reader.string("id"),
                name: try reader.optionalString("name"),
                description: try reader.optionalString("description"),
                format: DeltaFormat(
                    provider: try formatReader.optionalString("provider") ?? "parquet",
                    options: try formatReader.optionalStringMap("options") ?? [:]),
                schemaString: try reader.string("schemaString"),
                partitionColumns: try reader.optionalStrings("partitionColumns") ?? [],
                configuration: try reader.optionalStringMap("configuration") ?? [:],
                createdTime: try reader.optionalInt64("createdTime")))
        case "add":
            var known: Set<String> = ["path", "partitionValues", "size", "modificationTime", "dataChange", "stats", "tags"]
            let add = DeltaAddFile(
                path: try reader.string("path"),
                partitionValues: try reader.optionalNullableStringMap("partitionValues") ?? [:],
                size: try reader.int64("size"),
                modificationTime: try reader.int64("modificationTime"),
                dataChange: try reader.optionalBool("dataChange") ?? true,
                stats: try reader.optionalString("stats"),
                tags: try reader.optionalStringMap("tags"),
                otherFields: [:])
            var copy = add
            if case .object(let fields) = body {
                for (key, value) in fields where !known.contains(key) && !value.isNull {
                    copy.otherFields[key] = value
                    known.insert(key)
                }
            }
            self = .add(copy)
        case "remove":
            self = .remove(DeltaRemoveFile(
                path: try reader.string("path"),
                deletionTimestamp: try reader.optionalInt64("deletionTimestamp"),
                dataChange: try reader.optionalBool("dataChange") ?? true,
                extendedFileMetadata: try reader.optionalBool("extendedFileMetadata"),
                partitionValues: try reader.optionalNullableStringMap("partitionValues"),
                size: try reader.optionalInt64("size")))
        case "txn":
            self = .transaction(DeltaTransaction(
                appId: try reader.string("appId"),
                version: try reader.int64("version"),
                lastUpdated: try reader.optionalInt64("lastUpdated")))
        case "commitInfo":
            self = .commitInfo(body)
        case "domainMetadata":
            self = .domainMetadata(DeltaDomainMetadata(
                domain: try reader.string("domain"),
                configuration: try reader.optionalString("configuration") ?? "",
                removed: try reader.optionalBool("removed") ?? false))
        default:
            self = .unknown(json)
        }
    }

    /// The action as a commit line's object.
    public var json: JSONValue {
        switch self {
        case .protocol(let p):
            var m: [(String, JSONValue)] = [("minReaderVersion", .int(p.minReaderVersion)), ("minWriterVersion", .int(p.minWriterVersion))]
            if let r = p.readerFeatures { m.append(("readerFeatures", .array(r.map(JSONValue.string)))) }
            if let w = p.writerFeatures { m.append(("writerFeatures", .array(w.map(JSONValue.string)))) }
            return .object([("protocol", .object(m))])
        case .metadata(let md):
            var m: [(String, JSONValue)] = [("id", .string(md.id))]
            if let name = md.name { m.append(("name", .string(name))) }
            if let description = md.description { m.append(("description", .string(description))) }
            m.append(("format", .object([("provider", .string(md.format.provider)), ("options", stringMap(md.format.options))])))
            m.append(("schemaString", .string(md.schemaString)))
            m.append(("partitionColumns", .array(md.partitionColumns.map(JSONValue.string))))
            m.append(("configuration", stringMap(md.configuration)))
            if let created = md.createdTime { m.append(("createdTime", .int(created))) }
            return .object([("metaData", .object(m))])
        case .add(let a):
            var m: [(String, JSONValue)] = [
                ("path", .string(a.path)),
                ("partitionValues", nullableStringMap(a.partitionValues)),
                ("size", .int(a.size)),
                ("modificationTime", .int(a.modificationTime)),
                ("dataChange", .bool(a.dataChange)),
            ]
            if let stats = a.stats { m.append(("stats", .string(stats))) }
            if let tags = a.tags { m.append(("tags", stringMap(tags))) }
            for (key, value) in a.otherFields.sorted(by: { $0.key < $1.key }) { m.append((key, value)) }
            return .object([("add", .object(m))])
        case .remove(let r):
            var m: [(String, JSONValue)] = [("path", .string(r.path))]
            if let t = r.deletionTimestamp { m.append(("deletionTimestamp", .int(t))) }
            m.append(("dataChange", .bool(r.dataChange)))
            if let e = r.extendedFileMetadata { m.append(("extendedFileMetadata", .bool(e))) }
            if let p = r.partitionValues { m.append(("partitionValues", nullableStringMap(p))) }
            if let s = r.size { m.append(("size", .int(s))) }
            return .object([("remove", .object(m))])
        case .transaction(let t):
            var m: [(String, JSONValue)] = [("appId", .string(t.appId)), ("version", .int(t.version))]
            if let l = t.lastUpdated { m.append(("lastUpdated", .int(l))) }
            return .object([("txn", .object(m))])
        case .commitInfo(let info):
            return .object([("commitInfo", info)])
        case .domainMetadata(let d):
            return .object([("domainMetadata", .object([("domain", .string(d.domain)), ("configuration", .string(d.configuration)), ("removed", .bool(d.removed))]))])
        case .unknown(let raw):
            return raw
        }
    }
}

private func stringMap(_ map: [String: String]) -> JSONValue {
    .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
}

private func nullableStringMap(_ map: [String: String?]) -> JSONValue {
    .object(map.sorted { $0.key < $1.key }.map { ($0.key, $0.value.map(JSONValue.string) ?? .null) })
}

/// Typed access to the fields of one action object, with errors naming the action and field.
struct FieldReader {
    let object: JSONValue
    let action: String

    private func wrongType(_ key: String, _ expected: String) -> DeltaError {
        DeltaError(.invalidAction, "field '\(key)' of '\(action)' must be \(expected)")
    }

    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(DeltaError) -> String {
        guard let value = present(key) else { throw DeltaError(.invalidAction, "'\(action)' misses required field '\(key)'") }
        guard let s = value.stringValue else { throw wrongType(key, "a string") }
        return s
    }

    func optionalString(_ key: String) throws(DeltaError) -> String? {
        guard let value = present(key) else { return nil }
        guard let s = value.stringValue else { throw wrongType(key, "a string") }
        return s
    }

    func int64(_ key: String) throws(DeltaError) -> Int64 {
        guard let value = present(key) else { throw DeltaError(.invalidAction, "'\(action)' misses required field '\(key)'") }
        guard let n = value.int64Value else { throw wrongType(key, "a 64-bit integer") }
        return n
    }

    func int(_ key: String) throws(DeltaError) -> Int {
        let n = try int64(key)
        guard let small = Int(exactly: n), small >= 0, small < 1 << 31 else { throw wrongType(key, "a small non-negative integer") }
        return small
    }

    func optionalInt64(_ key: String) throws(DeltaError) -> Int64? {
        guard present(key) != nil else { return nil }
        return try int64(key)
    }

    func optionalBool(_ key: String) throws(DeltaError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let b = value.boolValue else { throw wrongType(key, "a boolean") }
        return b
    }

    func optionalStrings(_ key: String) throws(DeltaError) -> [String]? {
        guard let value = present(key) else { return nil }
        guard case .array(let items) = value else { throw wrongType(key, "an array of strings") }
        var result: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw wrongType(key, "an array of strings") }
            result.append(s)
        }
        return result
    }

    func optionalObject(_ key: String) throws(DeltaError) -> JSONValue? {
        guard let value = present(key) else { return nil }
        guard case .object = value else { throw wrongType(key, "an object") }
        return value
    }

    func optionalStringMap(_ key: String) throws(DeltaError) -> [String: String]? {
        guard let map = try optionalNullableStringMap(key) else { return nil }
        return map.compactMapValues { $0 }
    }

    func optionalNullableStringMap(_ key: String) throws(DeltaError) -> [String: String?]? {
        guard let value = present(key) else { return nil }
        guard case .object(let members) = value else { throw wrongType(key, "an object of strings") }
        var result: [String: String?] = [:]
        for (k, v) in members {
            switch v {
            case .string(let s): result[k] = .some(s)
            case .null: result[k] = .some(nil)
            default: throw wrongType(key, "an object of strings")
            }
        }
        return result
    }
}
