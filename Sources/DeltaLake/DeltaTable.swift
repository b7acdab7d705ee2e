import JSONCoding
import Columnar
import ObjectStore

/// A Delta table addressed as (store, root prefix): reads snapshots, appends, commits with
/// optimistic concurrency and writes checkpoints.
///
/// ```swift
/// let table = try await DeltaTable.create(store: store, root: "tables/orders", schema: schema)
/// try await table.append([batch], txn: DeltaTransaction(appId: "stream-1", version: 7))
/// let snapshot = try await table.snapshot()
/// ```
public struct DeltaTable: Sendable {
    /// `engineInfo` written into every `commitInfo`.
    public static let engineInfo = "datastream-delta/0.1.0"

    public let store: any ObjectStore
    /// The table root inside the store ("" = the store root).
    public var root: String { layout.root }
    public var options: DeltaWriteOptions
    let layout: DeltaLogLayout

    public init(store: any ObjectStore, root: String, options: DeltaWriteOptions = DeltaWriteOptions()) {
        self.store = store
        self.layout = DeltaLogLayout(root: root)
        self.options = options
    }

    var logReader: DeltaLogReader { DeltaLogReader(store: store, layout: layout) }

    // MARK: Reading

    /// The latest snapshot, or the one at `version`.
    public func snapshot(version: Int64? = nil) async throws(DeltaError) -> DeltaSnapshot {
        try await logReader.snapshot(version: version)
    }

    /// The snapshot of the latest version committed at or before `timestampMillis`
    /// (commit time = `commitInfo.inCommitTimestamp`/`timestamp`, else the commit file's modification time).
    public func snapshot(atTimestamp timestampMillis: Int64) async throws(DeltaError) -> DeltaSnapshot {
        let timestamps = try await logReader.commitTimestamps()
        guard let match = timestamps.last(where: { $0.timestamp <= timestampMillis }) else {
            throw DeltaError(.versionNotFound, "no commit at or before timestamp \(timestampMillis) (earliest is \(timestamps.first.map { String($0.timestamp) } ?? "none"))")
        }
        return try await snapshot(version: match.version)
    }

    /// The actions of one commit file.
    public func commitActions(version: Int64) async throws(DeltaError) -> [DeltaAction] {
        try await logReader.readCommit(version)
    }

    /// Whether the table has a log.
    public func exists() async throws(DeltaError) -> Bool {
        do { return try await !store.list(prefix: layout.logPrefix, startAfter: nil, limit: 1).objects.isEmpty } catch {
            throw error.delta("cannot list \(layout.logPrefix)")
        }
    }

    // MARK: Creating and writing

    /// Creates a table (version 0: `commitInfo`, `protocol`, `metaData`). Fails with
    /// ``DeltaError/Code/tableExists`` if version 0 exists. The protocol is 1/2, or 3/7 with
    /// `timestampNtz` when the schema has a timestamp_ntz column.
    @discardableResult
    public static func create(
        store: any ObjectStore, root: String, schema: Schema, partitionColumns: [String] = [],
        configuration: [String: String] = [:], name: String? = nil, description: String? = nil,
        options: DeltaWriteOptions = DeltaWriteOptions()
    ) async throws(DeltaError) -> DeltaTable {
        let table = DeltaTable(store: store, root: root, options: options)
        for column in partitionColumns {
            guard let index = schema.index(of: column) else {
                throw DeltaError(.invalidArgument, "partition column '\(column)' is not in the schema")
            }
            guard PartitionValues.isSupported(schema.fields[index].type) else {
                throw DeltaError(.invalidArgument, "partition column '\(column)' has type \(schema.fields[index].type), which cannot be a partition column")
            }
        }
        guard partitionColumns.count < schema.fields.count else {
            throw DeltaError(.invalidArgument, "at least one column must not be a partition column")
        }
        let metadata = DeltaMetadata(
            id: UUIDText.random(), name: name, description: description, schemaString: DeltaSchemaCoding.encode(schema),
            partitionColumns: partitionColumns, configuration: configuration, createdTime: WallClock.nowMillis())
        let parameters: JSONValue = .object([
            ("isManaged", .string("false")), ("description", description.map(JSONValue.string) ?? .null),
            ("partitionBy", .string(JSONValue.array(partitionColumns.map(JSONValue.string)).serialized)),
            ("properties", .string(JSONValue.object(configuration.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).serialized)),
        ])
        _ = try await table.commit(
            [.protocol(DeltaFeatures.protocolForNewTable(schema: schema)), .metadata(metadata)],
            readSnapshot: nil, operation: "CREATE TABLE", operationParameters: parameters)
        return table
    }

    /// Appends `batches` (each with the table schema) as new data files in one commit.
    /// With `txn`, the commit also records `txn` and is skipped when the table already has that
    /// appId at `txn.version` or later.
    @discardableResult
    public func append(_ batches: [RecordBatch], txn: DeltaTransaction? = nil) async throws(DeltaError) -> DeltaCommitResult {
        let snapshot = try await snapshot()
        if let txn, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
            return DeltaCommitResult(version: snapshot.version, attempts: 0, skipped: true, addedFiles: [], checkpointError: nil)
        }
        let adds = try await writeDataFiles(batches, snapshot: snapshot)
        let parameters: JSONValue = .object([("mode", .string("Append")), ("partitionBy", .string(snapshot.partitionByText))])
        return try await commit(adds.map(DeltaAction.add), readSnapshot: snapshot, operation: "WRITE", operationParameters: parameters, txn: txn)
    }

    /// Replaces the table's rows with `batches`: removes every live file and adds the new ones.
    @discardableResult
    public func overwrite(_ batches: [RecordBatch], txn: DeltaTransaction? = nil) async throws(DeltaError) -> DeltaCommitResult {
        let snapshot = try await snapshot()
        if let txn, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
            return DeltaCommitResult(version: snapshot.version, attempts: 0, skipped: true, addedFiles: [], checkpointError: nil)
        }
        let adds = try await writeDataFiles(batches, snapshot: snapshot)
        let now = WallClock.nowMillis()
        let removes = snapshot.addFiles.map { file in
            DeltaAction.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: file.partitionValues, size: file.size))
        }
        let parameters: JSONValue = .object([("mode", .string("Overwrite")), ("partitionBy", .string(snapshot.partitionByText))])
        return try await commit(removes + adds.map(DeltaAction.add), readSnapshot: snapshot, operation: "WRITE",
                                operationParameters: parameters, readPaths: Set(snapshot.files.keys), txn: txn)
    }

    /// Removes the live files for which `predicate` is true (whole files, e.g. chosen by their
    /// statistics or path) in one commit. A concurrent remove of one of them is a conflict.
    @discardableResult
    public func removeFiles(where predicate: (DeltaAddFile) -> Bool, txn: DeltaTransaction? = nil) async throws(DeltaError) -> DeltaCommitResult {
        let snapshot = try await snapshot()
        let now = WallClock.nowMillis()
        let chosen = snapshot.addFiles.filter(predicate)
        let removes = chosen.map { file in
            DeltaAction.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: file.partitionValues, size: file.size))
        }
        let parameters: JSONValue = .object([("predicate", .string("[\(chosen.count) file(s) chosen by the caller]"))])
        return try await commit(removes, readSnapshot: snapshot, operation: "DELETE", operationParameters: parameters,
                                readPaths: Set(chosen.map(\.path)), txn: txn)
    }

    func writeDataFiles(_ batches: [RecordBatch], snapshot: DeltaSnapshot) async throws(DeltaError) -> [DeltaAddFile] {
        try DeltaFeatures.checkWritable(snapshot.protocol, metadata: snapshot.metadata, schema: snapshot.schema)
        return try await dataFileWriter(snapshot).write(batches, now: WallClock.nowMillis())
    }

    func dataFileWriter(_ snapshot: DeltaSnapshot) throws(DeltaError) -> DataFileWriter {
        for name in snapshot.metadata.partitionColumns {
            guard let index = snapshot.schema.index(of: name) else {
                throw DeltaError(.invalidAction, "partition column '\(name)' is not in the table schema")
            }
            guard PartitionValues.isSupported(snapshot.schema.fields[index].type) else {
                throw DeltaError(.unsupportedWriterFeature, "partition column '\(name)' has type \(snapshot.schema.fields[index].type), which this writer cannot partition by")
            }
        }
        return DataFileWriter(store: store, layout: layout, schema: snapshot.schema, partitionColumns: snapshot.metadata.partitionColumns,
                              options: options, indexedColumns: snapshot.configurationInt("delta.dataSkippingNumIndexedCols") ?? 32)
    }
}

extension DeltaSnapshot {
    /// The partition columns as a JSON array text (`operationParameters.partitionBy`).
    var partitionByText: String { JSONValue.array(metadata.partitionColumns.map(JSONValue.string)).serialized }
}
