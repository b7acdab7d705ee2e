/// The kind of database a Datastream event came from; it decides ordering and key fallbacks.
public enum DatastreamSource: String, Sendable, Hashable, CaseIterable, Comparable {
    case mysql
    case oracle
    case postgresql
    case sqlServer = "sqlserver"
    /// Any other `read_method` (`cdc`, `backfill`, `salesforce-…`, unknown future values).
    case generic

    /// The source named by a `read_method` prefix: `mysql-…`, `oracle…` (including the 2020
    /// `oracle_dump`), `postgres…`/`postgresql…`, `sqlserver…`; anything else is ``generic``.
    public init(readMethod: some StringProtocol) {
        let lower = readMethod.lowercased()
        if lower.hasPrefix("mysql") {
            self = .mysql
        } else if lower.hasPrefix("oracle") {
            self = .oracle
        } else if lower.hasPrefix("postgres") {
            self = .postgresql
        } else if lower.hasPrefix("sqlserver") {
            self = .sqlServer
        } else {
            self = .generic
        }
    }

    /// The source suggested by the field names of a `source_metadata` struct, used when the
    /// `read_method` is the generic `cdc` / `backfill`: `log_file`+`log_position` → MySQL, `scn` →
    /// Oracle, `lsn` with `replication_index` or `physical_location` → SQL Server, `lsn` → PostgreSQL.
    public init(sourceMetadataFieldNames names: Set<String>) {
        if names.contains("log_file") && names.contains("log_position") {
            self = .mysql
        } else if names.contains("scn") {
            self = .oracle
        } else if names.contains("lsn") && (names.contains("replication_index") || names.contains("physical_location")) {
            self = .sqlServer
        } else if names.contains("lsn") {
            self = .postgresql
        } else {
            self = .generic
        }
    }

    private var rank: Int {
        switch self {
        case .mysql: return 0
        case .oracle: return 1
        case .postgresql: return 2
        case .sqlServer: return 3
        case .generic: return 4
        }
    }

    public static func < (lhs: DatastreamSource, rhs: DatastreamSource) -> Bool { lhs.rank < rhs.rank }
}
