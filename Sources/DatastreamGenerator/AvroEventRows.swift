import Columnar

/// Everything an Avro encoder needs to know about one output file's schema.
public struct AvroFileDescription: Sendable {
    public let flavor: SourceFlavor
    let template: TableTemplate
    let columns: [SimulatedColumn]
    public let schemaKey: String
    public let objectName: String
    public let streamName: String

    /// The Avro writer schema (JSON) of the file, in Datastream's shape.
    public var writerSchemaJSON: String {
        let record = objectName.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        var fields: [String] = [
            #"{"name":"uuid","type":"string"}"#,
            #"{"name":"read_timestamp","type":{"type":"long","logicalType":"timestamp-millis"}}"#,
            #"{"name":"source_timestamp","type":{"type":"long","logicalType":"timestamp-millis"}}"#,
            #"{"name":"object","type":"string"}"#,
            #"{"name":"read_method","type":"string"}"#,
            #"{"name":"stream_name","type":"string"}"#,
            #"{"name":"schema_key","type":"string"}"#,
            #"{"name":"sort_keys","type":{"type":"array","items":["string","long"]}}"#,
        ]
        let metadata = SourceMetadata.avroFields(flavor).map { name, type in "{\"name\":\"\(name)\",\"type\":\(type)}" }
        fields.append(#"{"name":"source_metadata","type":{"type":"record","name":"source_metadata","fields":["# + metadata.joined(separator: ",") + "]}}")
        let payload = columns.map { column in
            "{\"name\":\"\(column.name)\",\"type\":[\"null\",\(column.encoding.avroType)],\"default\":null}"
        }
        fields.append(#"{"name":"payload","type":{"type":"record","name":"payload","fields":["# + payload.joined(separator: ",") + "]}}")
        return "{\"type\":\"record\",\"name\":\"\(String(record))\",\"fields\":[" + fields.joined(separator: ",") + "]}"
    }

    /// The Columnar schema of rows produced by ``AvroEventRow/datums(_:)`` (the Avro module's mapping of the writer schema).
    public var rowSchema: Schema {
        let sortKey = DataType.structure([Field("member0", .string), Field("member1", .int64)])
        let metadata = SourceMetadata.avroFields(flavor).map { name, type -> Field in
            Field(name, SourceMetadata.columnarType(type), isNullable: type.hasPrefix("[\"null\""))
        }
        let payload = columns.map { column -> Field in
            var type = column.encoding.deltaType
            if case .number = column.encoding { type = .string }
            return Field(column.name, type)
        }
        return Schema([
            Field("uuid", .string, isNullable: false), Field("read_timestamp", .timestamp, isNullable: false),
            Field("source_timestamp", .timestamp, isNullable: false), Field("object", .string, isNullable: false),
            Field("read_method", .string, isNullable: false), Field("stream_name", .string, isNullable: false),
            Field("schema_key", .string, isNullable: false),
            Field("sort_keys", .list(Field("element", sortKey, isNullable: false)), isNullable: false),
            Field("source_metadata", .structure(metadata), isNullable: false),
            Field("payload", .structure(payload), isNullable: false),
        ])
    }

    /// The boxed row of one event, matching ``rowSchema``.
    public func datums(_ row: AvroEventRow) -> [Datum] {
        let event = row.event
        let sortKeys: [Datum] = SortKeys.values(event, flavor: flavor).map { part in
            if case .integer = part { return .structure([.null, part]) }
            return .structure([part, .null])
        }
        let metadata = SourceMetadata.fields(event, flavor: flavor, template: template).map { $0.1 }
        return [
            .string(event.uuid), .timestamp(event.readTimestampMillis * 1000), .timestamp(event.sourceTimestampMillis * 1000),
            .string(objectName), .string(event.isBackfill ? flavor.backfillReadMethod : flavor.cdcReadMethod),
            .string(streamName), .string(schemaKey), .list(sortKeys), .structure(metadata), .structure(event.payload),
        ]
    }
}

/// One event to encode (opaque outside this module; use ``AvroFileDescription/datums(_:)``).
public struct AvroEventRow: Sendable {
    let event: SimulatedEvent
    let flavor: SourceFlavor
    let template: TableTemplate
}

/// Encodes one file's events as an Avro object container file (supplied by the caller, so this
/// module does not depend on the Avro writer).
public typealias AvroFileEncoding = @Sendable (AvroFileDescription, [AvroEventRow]) throws -> [UInt8]

extension SourceMetadata {
    /// Avro field types of `source_metadata` per source, in the order of ``fields(_:flavor:template:)``.
    static func avroFields(_ flavor: SourceFlavor) -> [(String, String)] {
        let keys = #"{"type":"array","items":"string"}"#
        switch flavor {
        case .mysql:
            return [("table", "\"string\""), ("database", "\"string\""), ("primary_keys", keys), ("log_file", #"["null","string"]"#),
                    ("log_position", #"["null","long"]"#), ("change_type", #"["null","string"]"#), ("is_deleted", #"["null","boolean"]"#)]
        case .oracle:
            return [("schema", "\"string\""), ("table", "\"string\""), ("database", "\"string\""), ("row_id", #"["null","string"]"#),
                    ("scn", #"["null","long"]"#), ("is_deleted", #"["null","boolean"]"#), ("change_type", #"["null","string"]"#),
                    ("ssn", #"["null","long"]"#), ("rs_id", #"["null","string"]"#), ("tx_id", #"["null","string"]"#),
                    ("log_file", #"["null","string"]"#), ("primary_keys", #"["null",{"type":"array","items":"string"}]"#)]
        case .postgresql:
            return [("schema", "\"string\""), ("table", "\"string\""), ("is_deleted", #"["null","boolean"]"#), ("change_type", #"["null","string"]"#),
                    ("tx_id", #"["null","long"]"#), ("lsn", #"["null","string"]"#), ("primary_keys", #"["null",{"type":"array","items":"string"}]"#)]
        case .sqlserver:
            return [("table", "\"string\""), ("database", "\"string\""), ("schema", "\"string\""), ("change_type", #"["null","string"]"#),
                    ("is_deleted", #"["null","boolean"]"#), ("lsn", #"["null","string"]"#), ("tx_id", #"["null","string"]"#),
                    ("primary_keys", #"["null",{"type":"array","items":"string"}]"#)]
        }
    }

    static func columnarType(_ avroType: String) -> DataType {
        if avroType.contains("array") { return .list(Field("element", .string, isNullable: false)) }
        if avroType.contains("long") { return .int64 }
        if avroType.contains("boolean") { return .boolean }
        return .string
    }
}
