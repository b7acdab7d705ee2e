import JSONCoding
import Columnar
import ObjectStore
import Parquet

/// What ``DeltaTable/optimize(targetFileSize:minFilesPerBin:)`` did.
public struct OptimizeResult: Sendable {
    /// The commit, nil when there was nothing to compact.
    public var commit: DeltaCommitResult?
    public var filesRemoved = 0
    public var filesAdded = 0
    public var bytesRemoved: Int64 = 0
    public var bytesAdded: Int64 = 0
    public var rows: Int64 = 0

    public init() {}
}

extension DeltaTable {
    /// Bin-packing compaction: live files smaller than `targetFileSize` (default 128 MiB) are
    /// grouped, in path order, into bins of about `targetFileSize` bytes; each bin of at least
    /// `minFilesPerBin` files is rewritten as one file, one row group at a time. One `OPTIMIZE`
    /// commit removes and adds with `dataChange = false` (readers of the change stream skip it);
    /// a concurrent remove of a compacted file is a conflict. Rows are unchanged.
    @discardableResult
    public func optimize(targetFileSize: Int64 = 128 << 20, minFilesPerBin: Int = 2) async throws(DeltaError) -> OptimizeResult {
        guard targetFileSize > 0 else { throw DeltaError(.invalidArgument, "target file size must be positive, not \(targetFileSize)") }
        let snapshot = try await snapshot()
        guard snapshot.metadata.partitionColumns.isEmpty else {
            throw DeltaError(.invalidArgument, "optimize of partitioned tables is not supported yet")
        }
        try DeltaFeatures.checkWritable(snapshot.protocol, metadata: snapshot.metadata, schema: snapshot.schema)
        var bins: [[DeltaAddFile]] = []
        var current: [DeltaAddFile] = []
        var currentSize: Int64 = 0
        for file in snapshot.addFiles where file.size < targetFileSize && file.otherFields["deletionVector"] == nil {
            if !current.isEmpty, currentSize + file.size > targetFileSize {
                bins.append(current)
                current = []
                currentSize = 0
            }
            current.append(file)
            currentSize += file.size
        }
        if !current.isEmpty { bins.append(current) }
        bins = bins.filter { $0.count >= max(2, minFilesPerBin) }

        var result = OptimizeResult()
        guard !bins.isEmpty else { return result }
        let now = WallClock.nowMillis()
        let indexedColumns = snapshot.configurationInt("delta.dataSkippingNumIndexedCols") ?? 32
        var actions: [DeltaAction] = []
        for bin in bins {
            var sink = try MergeFileSink(schema: snapshot.schema, options: options, indexedColumns: indexedColumns)
            for file in bin {
                let source = try await MergeFileSource.open(file, store: store, layout: layout)
                for group in 0..<source.reader.rowGroupCount {
                    try sink.write(try source.rowGroup(group, schema: snapshot.schema))
                }
                actions.append(.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: false, extendedFileMetadata: true,
                                                       partitionValues: file.partitionValues, size: file.size)))
                result.filesRemoved += 1
                result.bytesRemoved += file.size
            }
            result.rows += sink.rowCount
            let add = try await sink.finish(store: store, layout: layout, dataChange: false, now: now)
            actions.append(.add(add))
            result.filesAdded += 1
            result.bytesAdded += add.size
        }
        let parameters: JSONValue = .object([
            ("predicate", .string("[]")), ("targetSize", .string(String(targetFileSize))),
        ])
        let readPaths = Set(bins.joined().map(\.path))
        result.commit = try await commit(actions, readSnapshot: snapshot, operation: "OPTIMIZE", operationParameters: parameters, readPaths: readPaths)
        return result
    }
}
