import Columnar

/// The source database whose Datastream output is simulated.
public enum SourceFlavor: String, Sendable, CaseIterable {
    case mysql, oracle, postgresql, sqlserver

    /// `read_method` of backfill and CDC events, as Datastream writes them.
    var backfillReadMethod: String {
        switch self {
        case .mysql: return "mysql-backfill-fulldump"
        case .oracle: return "oracle-backfill"
        case .postgresql: return "postgresql-backfill"
        case .sqlserver: return "sqlserver-backfill"
        }
    }

    var cdcReadMethod: String {
        switch self {
        case .mysql: return "mysql-cdc-binlog"
        case .oracle: return "oracle-cdc-logminer"
        case .postgresql: return "postgresql-cdc"
        case .sqlserver: return "sqlserver-cdc"
        }
    }

    /// Source timestamps: MySQL's binlog has whole seconds, the others milliseconds.
    var timestampResolutionMillis: Int64 { self == .mysql ? 1000 : 1 }

    /// The Datastream object name of a table.
    func objectName(schema: String, table: String) -> String { "\(schema)_\(table)" }
}

/// How a column's values are encoded in Datastream output (Avro type and JSON spelling).
enum ColumnEncoding: Sendable, Hashable {
    case long, int, float, double, boolean
    case string
    /// Oracle VARCHAR2: string with logicalType `varchar`.
    case varchar(length: Int)
    /// MySQL / Oracle binary columns: a lowercase hex string.
    case hexString
    /// PostgreSQL bytea: Avro bytes.
    case bytes
    case decimal(precision: Int, scale: Int)
    /// MySQL BIGINT UNSIGNED: string with logicalType `number`.
    case number
    case timestampMicros
    case date

    /// The Avro type JSON of the (non-null) value.
    var avroType: String {
        switch self {
        case .long: return "\"long\""
        case .int: return "\"int\""
        case .float: return "\"float\""
        case .double: return "\"double\""
        case .boolean: return "\"boolean\""
        case .string, .hexString: return "\"string\""
        case .varchar(let length): return #"{"type":"string","logicalType":"varchar","length":\#(length)}"#
        case .bytes: return "\"bytes\""
        case .decimal(let p, let s): return #"{"type":"bytes","logicalType":"decimal","precision":\#(p),"scale":\#(s)}"#
        case .number: return #"{"type":"string","logicalType":"number"}"#
        case .timestampMicros: return #"{"type":"long","logicalType":"timestamp-micros"}"#
        case .date: return #"{"type":"int","logicalType":"date"}"#
        }
    }

    /// The Delta (Columnar) type the connector is expected to produce for this encoding.
    var deltaType: DataType {
        switch self {
        case .long: return .int64
        case .int: return .int32
        case .float: return .float32
        case .double: return .float64
        case .boolean: return .boolean
        case .string, .varchar, .hexString: return .string
        case .bytes: return .binary
        case .decimal(let p, let s): return p <= 38 ? .decimal(precision: p, scale: s) : .string
        case .number: return .decimal(precision: 20, scale: 0)
        case .timestampMicros: return .timestamp
        case .date: return .date
        }
    }
}
