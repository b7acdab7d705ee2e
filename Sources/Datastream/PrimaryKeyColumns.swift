/// Where the primary-key columns of an event's table come from.
public enum PrimaryKeyColumns: Sendable, Hashable {
    /// `source_metadata.primary_keys`: payload column names.
    case declared([String])
    /// SQL Server without declared keys: the columns of `source_metadata.replication_index`
    /// (the unique index Datastream replicates by), as Google's templates do.
    case replicationIndex([String])
    /// Oracle without declared keys: the row is identified by `source_metadata.row_id` (a
    /// metadata value, not a payload column), as Google's BigQuery template does.
    case oracleRowID
    /// No key is known: the table can only be appended to (change log), not merged.
    case none
}
