import JSONCoding
import Columnar

extension DeltaTable {
    /// Deletes the rows for which `predicate(batch, row)` is true, copy-on-write, in one commit:
    /// a file whose rows all match is removed, a file with some matching rows is removed and
    /// its other rows are written to a new file in the same partition, other files are kept.
    /// Batches passed to `predicate` have the table schema (partition columns included).
    /// A concurrent commit that removes one of the files read, or adds data, is a conflict.
    ///
    /// - Parameter description: recorded as `operationParameters.predicate`.
    @discardableResult
    public func delete(
        description: String = "row predicate", txn: DeltaTransaction? = nil,
        where predicate: (RecordBatch, Int) -> Bool
    ) async throws(DeltaError) -> DeltaCommitResult {
        let snapshot = try await snapshot()
        if let txn, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
            return DeltaCommitResult(version: snapshot.version, attempts: 0, skipped: true, addedFiles: [], checkpointError: nil)
        }
        let writer = try dataFileWriter(snapshot)
        try DeltaFeatures.checkWritable(snapshot.protocol, metadata: snapshot.metadata, schema: snapshot.schema)
        let now = WallClock.nowMillis()
        var actions: [DeltaAction] = []
        var deletedRows = 0
        var copiedRows = 0
        var rewritten = 0
        var removed = 0
        var part = 0
        for file in snapshot.addFiles {
            let batches = try await readBatches(of: file, snapshot: snapshot)
            var kept: [RecordBatch] = []
            var matched = 0
            var keptRows = 0
            for batch in batches {
                var indices: [Int] = []
                for row in 0..<batch.rowCount where !predicate(batch, row) { indices.append(row) }
                matched += batch.rowCount - indices.count
                keptRows += indices.count
                if indices.count == batch.rowCount { kept.append(batch) } else if !indices.isEmpty { kept.append(try batch.gathered(indices)) }
            }
            guard matched > 0 else { continue }
            deletedRows += matched
            actions.append(.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true,
                                                   partitionValues: file.partitionValues, size: file.size)))
            if keptRows == 0 {
                removed += 1
            } else {
                rewritten += 1
                copiedRows += keptRows
                actions.append(.add(try await writer.writeFile(kept, partitionValues: file.partitionValues, part: part, now: now)))
                part += 1
            }
        }
        if actions.isEmpty, txn == nil {
            return DeltaCommitResult(version: snapshot.version, attempts: 0, skipped: true, addedFiles: [], checkpointError: nil)
        }
        let parameters: JSONValue = .object([("predicate", .string(description))])
        let readPaths = Set(actions.compactMap { if case .remove(let r) = $0 { return r.path }; return nil })
        return try await commit(actions, readSnapshot: snapshot, operation: "DELETE", operationParameters: parameters,
                                readPaths: readPaths, txn: txn, operationMetrics: .object([
                                    ("numDeletedRows", .string(String(deletedRows))), ("numCopiedRows", .string(String(copiedRows))),
                                    ("numAddedFiles", .string(String(rewritten))), ("numRemovedFiles", .string(String(rewritten + removed))),
                                ]))
    }
}
