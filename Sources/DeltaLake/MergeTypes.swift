import Columnar

/// What a merge does with one incoming row.
public enum MergeAction: Sendable, Hashable {
    /// Insert the row, or replace the table row with the same key.
    case upsert
    /// Delete the table row with the same key (nothing happens when there is none).
    case delete
}

/// Decides, for one key present both in the table and in the incoming batch, whether the
/// incoming change wins. `existing` holds the key columns, then those of ``columns`` that are not
/// keys, of one row group of a data file (conformed to the table types); `existingRow` indexes it and
/// `incomingRow` indexes the merge's incoming batch.
public struct MergeReplacementRule: Sendable {
    /// Non-key table columns the rule reads from existing rows (e.g. `_metadata_source_timestamp`).
    public var columns: [String]
    public var shouldReplace: @Sendable (_ existing: RecordBatch, _ existingRow: Int, _ incomingRow: Int) -> Bool

    public init(columns: [String], shouldReplace: @escaping @Sendable (_ existing: RecordBatch, _ existingRow: Int, _ incomingRow: Int) -> Bool) {
        self.columns = columns
        self.shouldReplace = shouldReplace
    }
}

/// What a merge did, for logging.
public struct MergeResult: Sendable {
    /// The commit, nil when there was nothing to commit.
    public var commit: DeltaCommitResult?
    /// Upserts of keys not in the table.
    public var inserted = 0
    /// Upserts that replaced a table row.
    public var updated = 0
    /// Deletes that removed a table row.
    public var deleted = 0
    /// Incoming rows dropped because the replacement rule kept the existing row.
    public var keptExisting = 0
    /// Deletes of keys not in the table (no effect).
    public var deletesWithoutMatch = 0
    /// Live files whose statistics allowed a match (their key columns were read).
    public var candidateFiles = 0
    /// Files removed because they held replaced or deleted rows.
    public var filesRemoved = 0
    /// Files added: rewritten remainders plus new upsert files.
    public var filesAdded = 0
    /// Bytes of data files fetched (candidates, and again the files rewritten).
    public var bytesRead: Int64 = 0
    /// Bytes of data files written.
    public var bytesWritten: Int64 = 0

    public init() {}
}
