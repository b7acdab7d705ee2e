import Avro
import Columnar

/// Everything an Avro encoder needs to know about one output file's schema.
struct AvroFileDescription: Sendable {
    let flavor: SourceFlavor
    let template: TableTemplate
    let columns: [SimulatedColumn]
    let schemaKey: String
    let objectName: String
    let streamName: String

    /// The Avro writer schema (JSON) of the file, in Datastream's shape.
    var writerSchemaJSON: String {
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

    /// The boxed row of one event, in the Avro module's mapping of ``writerSchemaJSON``.
    func datums(_ row: AvroEventRow) -> [Datum] {
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

/// One event to encode.
struct AvroEventRow: Sendable {
    let event: SimulatedEvent
    let flavor: SourceFlavor
    let template: TableTemplate
}

extension AvroFileDescription {
    /// The events as an Avro object container file (codec null, as Datastream writes), with a
    /// sync marker derived from the content so a seed always gives the same bytes.
    func encode(_ rows: [AvroEventRow]) throws -> [UInt8] {
        let schema = try AvroSchema(json: writerSchemaJSON)
        var seed: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (schemaKey + (rows.first?.event.uuid ?? "")).utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var rng = SeededGenerator(seed: seed)
        let marker = (0..<16).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var writer = try AvroContainerWriter(schema: schema, codec: .null, syncMarker: marker)
        try writer.write(try RecordBatch(schema: writer.schema, rows: rows.map(datums)))
        return try writer.finish()
    }
}

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
}
