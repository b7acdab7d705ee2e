import Columnar

/// Renders simulated events in Datastream's JSON-lines shape.
struct JSONEventEncoder {
    let flavor: SourceFlavor
    let template: TableTemplate
    let columns: [SimulatedColumn]
    let schemaKey: String
    let objectName: String
    let streamName: String

    func line(_ event: SimulatedEvent) -> String {
        var out = "{"
        field("uuid", string: event.uuid, to: &out)
        out += ","
        field("read_timestamp", string: Self.isoMillis(event.readTimestampMillis), to: &out)
        out += ","
        field("source_timestamp", string: Self.isoMillis(event.sourceTimestampMillis), to: &out)
        out += ","
        field("object", string: objectName, to: &out)
        out += ","
        field("read_method", string: event.isBackfill ? flavor.backfillReadMethod : flavor.cdcReadMethod, to: &out)
        out += ","
        field("stream_name", string: streamName, to: &out)
        out += ","
        field("schema_key", string: schemaKey, to: &out)
        out += ",\"sort_keys\":["
        out += SortKeys.values(event, flavor: flavor).map { part in
            switch part {
            case .string(let s): return quoted(s)
            case .integer(let i): return String(i)
            default: return "null"
            }
        }.joined(separator: ",")
        out += "],\"source_metadata\":{"
        out += SourceMetadata.fields(event, flavor: flavor, template: template).map { name, value in
            quoted(name) + ":" + json(value)
        }.joined(separator: ",")
        out += "},\"payload\":{"
        for (index, column) in columns.enumerated() {
            if index > 0 { out += "," }
            out += quoted(column.name) + ":" + payloadJSON(event.payload[index], encoding: column.encoding)
        }
        out += "}}"
        return out
    }

    private func field(_ name: String, string: String, to out: inout String) {
        out += quoted(name) + ":" + quoted(string)
    }

    private func quoted(_ text: String) -> String {
        var out = ""
        JSONRowRenderer.appendString(text, to: &out)
        return out
    }

    private func json(_ datum: Datum) -> String {
        switch datum {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .string(let s): return quoted(s)
        case .list(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        default: return "null"
        }
    }

    private func payloadJSON(_ datum: Datum, encoding: ColumnEncoding) -> String {
        switch (datum, encoding) {
        case (.null, _): return "null"
        case (.integer(let i), _): return String(i)
        case (.boolean(let b), _): return b ? "true" : "false"
        case (.float32(let f), _): return f.description
        case (.float64(let d), _): return d.description
        case (.decimal(let unscaled), .decimal(_, let scale)): return Decimal128Text.format(unscaled, scale: scale)
        case (.string(let s), _): return quoted(s)
        case (.binary(let bytes), _): return quoted(bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())
        case (.timestamp(let micros), _): return quoted(Self.isoMicros(micros))
        case (.date(let days), _): return quoted(CivilTime.formatDate(days: Int64(days)))
        default: return "null"
        }
    }

    /// `2024-02-07T08:10:55.000Z`, as Datastream writes envelope timestamps.
    static func isoMillis(_ millis: Int64) -> String {
        let full = CivilTime.formatTimestamp(micros: millis * 1000, utc: true)
        return String(full.dropLast(4)) + "Z"
    }

    /// Millisecond spelling when the value has no sub-millisecond part, microseconds otherwise.
    static func isoMicros(_ micros: Int64) -> String {
        micros % 1000 == 0 ? isoMillis(CivilTime.floorDivide(micros, 1000).quotient) : CivilTime.formatTimestamp(micros: micros, utc: true)
    }
}

/// `sort_keys` per source, as Datastream writes them.
enum SortKeys {
    static func values(_ event: SimulatedEvent, flavor: SourceFlavor) -> [Datum] {
        let ts = Datum.integer(event.sourceTimestampMillis)
        let p = event.position
        switch flavor {
        case .mysql:
            return event.isBackfill ? [ts, .string(""), .integer(0)] : [ts, .string(p.logFile), .integer(p.logPosition)]
        case .oracle:
            return event.isBackfill ? [ts, .integer(p.scn), .string(""), .integer(0)] : [ts, .integer(p.scn), .string(p.rsID), .integer(p.ssn)]
        case .postgresql:
            return [ts, .string(event.isBackfill ? "" : PositionText.lsn(p.lsn))]
        case .sqlserver:
            return [ts, .string(event.isBackfill ? "" : PositionText.sqlServerLSN(p.lsn))]
        }
    }
}

/// `source_metadata` fields per source, in Datastream's order.
enum SourceMetadata {
    static func fields(_ event: SimulatedEvent, flavor: SourceFlavor, template: TableTemplate) -> [(String, Datum)] {
        let p = event.position
        let keys = Datum.list(template.primaryKey.map { .string($0) })
        let change = Datum.string(event.changeType)
        let deleted = Datum.boolean(event.isDeleted)
        switch flavor {
        case .mysql:
            return [("table", .string(template.table)), ("database", .string(template.schema)), ("primary_keys", keys),
                    ("log_file", .string(event.isBackfill ? "" : p.logFile)), ("log_position", .integer(event.isBackfill ? 0 : p.logPosition)),
                    ("change_type", change), ("is_deleted", deleted)]
        case .oracle:
            return [("schema", .string(template.schema)), ("table", .string(template.table)), ("database", .string("ORCL")),
                    ("row_id", .string("AAAE5XAAEAAAAD\(event.uuid.suffix(4))")), ("scn", .integer(p.scn)), ("is_deleted", deleted),
                    ("change_type", change), ("ssn", .integer(event.isBackfill ? 0 : p.ssn)), ("rs_id", event.isBackfill ? .null : .string(p.rsID)),
                    ("tx_id", event.isBackfill ? .null : .string("CAACAAUKAAA=")), ("log_file", .null), ("primary_keys", keys)]
        case .postgresql:
            return [("schema", .string(template.schema)), ("table", .string(template.table)), ("is_deleted", deleted),
                    ("change_type", change), ("tx_id", event.isBackfill ? .null : .integer(p.transactionID)),
                    ("lsn", event.isBackfill ? .null : .string(PositionText.lsn(p.lsn))), ("primary_keys", keys)]
        case .sqlserver:
            return [("table", .string(template.table)), ("database", .string("shopdb")), ("schema", .string("dbo")),
                    ("change_type", change), ("is_deleted", deleted),
                    ("lsn", event.isBackfill ? .null : .string(PositionText.sqlServerLSN(p.lsn))),
                    ("tx_id", event.isBackfill ? .null : .string(String(p.transactionID))), ("primary_keys", keys)]
        }
    }
}

/// Text forms of log positions.
enum PositionText {
    /// PostgreSQL LSN: `HI/LO` in unpadded upper-case hex.
    static func lsn(_ value: UInt64) -> String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// SQL Server LSN: `VLF:BLOCK:SLOT` as zero-padded hex.
    static func sqlServerLSN(_ value: UInt64) -> String {
        func hex(_ v: UInt64, _ width: Int) -> String {
            let text = String(v, radix: 16)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return hex(value >> 28, 8) + ":" + hex((value >> 12) & 0xFFFF, 8) + ":" + hex(value & 0xFFF, 4)
    }
}
