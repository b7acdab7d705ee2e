import JSONCoding
import Columnar
import ObjectStore
import Parquet

extension DeltaTable {
    /// Copy-on-write merge of already collapsed changes (one row per key), e.g. CDC upserts.
    ///
    /// `changes` must have exactly the table schema (names and types, in order); `actions[i]` says
    /// what row `i` does. Key columns must be top-level primitive columns, non-null in `changes`
    /// and unique there. The table is assumed to hold each key at most once (which merges keep).
    ///
    /// 1. Candidate files: live files whose `add.stats` min/max of the key columns may hold one
    ///    of the incoming keys (files without usable stats always are).
    /// 2. Only the key columns (plus `rule.columns`) of candidate files are read, skipping row
    ///    groups by footer statistics of the first key column.
    /// 3. A match wins unless `rule` says otherwise; files holding a winning match are rewritten
    ///    without the matched rows, one row group at a time (memory bounded by one file).
    /// 4. Winning upserts (matched or new) are written as new files; deletes without a match do nothing.
    /// 5. One `MERGE` commit removes the rewritten files and adds the new ones, with the
    ///    candidates as `readPaths` (a concurrent rewrite of one of them is a conflict) and `txn`.
    ///
    /// ```swift
    /// // incomingOrder: the [Int64] order column of `batch`; existing = [id, _metadata_order].
    /// let rule = MergeReplacementRule(columns: ["_metadata_order"]) { existing, row, incoming in
    ///     guard case .int64(let tableOrder) = existing.columns[1].storage else { return true }
    ///     return incomingOrder[incoming] >= tableOrder[row]   // a newer table row stays
    /// }
    /// let result = try await table.merge(batch, actions: [.upsert, .delete], keyColumns: ["id"],
    ///                                    rule: rule, txn: DeltaTransaction(appId: "stream-1", version: 42))
    /// ```
    @discardableResult
    public func merge(
        _ changes: RecordBatch, actions: [MergeAction], keyColumns: [String],
        rule: MergeReplacementRule? = nil, txn: DeltaTransaction? = nil
    ) async throws(DeltaError) -> MergeResult {
        let snapshot = try await snapshot()
        var result = MergeResult()
        if let txn, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
            result.commit = DeltaCommitResult(version: snapshot.version, attempts: 0, skipped: true, addedFiles: [], checkpointError: nil)
            return result
        }
        let schema = snapshot.schema
        guard snapshot.metadata.partitionColumns.isEmpty else {
            throw DeltaError(.invalidArgument, "merge into partitioned tables is not supported yet")
        }
        try DeltaFeatures.checkWritable(snapshot.protocol, metadata: snapshot.metadata, schema: schema)
        guard changes.schema.fields.map(\.name) == schema.fields.map(\.name), changes.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw DeltaError(.invalidArgument, "the merge batch schema \(changes.schema.fields.map { "\($0.name):\($0.type)" }) differs from the table's \(schema.fields.map { "\($0.name):\($0.type)" })")
        }
        guard actions.count == changes.rowCount else {
            throw DeltaError(.invalidArgument, "\(actions.count) merge actions for \(changes.rowCount) rows")
        }
        try MergeKeyEncoder.checkKeyColumns(keyColumns, schema: schema)
        for name in rule?.columns ?? [] where schema.index(of: name) == nil {
            throw DeltaError(.invalidArgument, "replacement rule column '\(name)' is not in the table schema")
        }

        // Incoming keys.
        let incoming = try MergeKeyEncoder(batch: changes, keyColumns: keyColumns, file: "merge batch")
        var incomingRows: [[UInt8]: Int] = [:]
        incomingRows.reserveCapacity(changes.rowCount)
        for row in 0..<changes.rowCount {
            guard !incoming.hasNull(row) else {
                throw DeltaError(.invalidArgument, "merge batch row \(row) has a null key")
            }
            if let first = incomingRows.updateValue(row, forKey: incoming.key(row)) {
                throw DeltaError(.invalidArgument, "merge batch rows \(first) and \(row) have the same key (collapse changes first)")
            }
        }
        let probe = MergeCandidateProbe(changes: changes, keyColumns: keyColumns)

        // 1–2. Candidates and exact matches.
        let candidates = snapshot.addFiles.filter { probe.mayContain(statistics: $0.stats) }
        result.candidateFiles = candidates.count
        let projection = keyColumns + (rule?.columns ?? []).filter { !keyColumns.contains($0) }
        let projectionSchema = Schema(projection.compactMap { name in schema.index(of: name).map { schema.fields[$0] } })
        var matches: [(file: DeltaAddFile, rows: [(rowGroup: Int, row: Int, incoming: Int)])] = []
        var beaten = Set<Int>()  // incoming rows the table keeps its row against
        var matched = Set<Int>()
        for file in candidates {
            let source = try await MergeFileSource.open(file, store: store, layout: layout)
            result.bytesRead += Int64(source.reader.bytes.count)
            let groups = probe.firstKeyRange.map {
                source.reader.rowGroups(where: keyColumns[0], mayContainFrom: $0.lowerBound.datum, to: $0.upperBound.datum)
            } ?? Array(0..<source.reader.rowGroupCount)
            var rows: [(rowGroup: Int, row: Int, incoming: Int)] = []
            for group in groups {
                let existing = try source.rowGroup(group, schema: projectionSchema)
                let encoder = try MergeKeyEncoder(batch: existing, keyColumns: keyColumns, file: source.path.rawValue)
                for row in 0..<existing.rowCount {
                    guard let incomingRow = incomingRows[encoder.key(row)] else { continue }
                    matched.insert(incomingRow)
                    if let rule, !rule.shouldReplace(existing, row, incomingRow) {
                        beaten.insert(incomingRow)
                    } else {
                        rows.append((group, row, incomingRow))
                    }
                }
            }
            if !rows.isEmpty { matches.append((file, rows)) }
        }

        // 3. Rewrite files holding winning matches.
        let now = WallClock.nowMillis()
        let indexedColumns = snapshot.configurationInt("delta.dataSkippingNumIndexedCols") ?? 32
        var removes: [DeltaAction] = []
        var adds: [DeltaAddFile] = []
        for (file, rows) in matches {
            let dropped = rows.filter { !beaten.contains($0.incoming) }
            guard !dropped.isEmpty else { continue }
            var droppedByGroup: [Int: Set<Int>] = [:]
            for entry in dropped { droppedByGroup[entry.rowGroup, default: []].insert(entry.row) }
            let source = try await MergeFileSource.open(file, store: store, layout: layout)
            result.bytesRead += Int64(source.reader.bytes.count)
            var sink = try MergeFileSink(schema: schema, options: options, indexedColumns: indexedColumns)
            for group in 0..<source.reader.rowGroupCount {
                let batch = try source.rowGroup(group, schema: schema)
                if let drop = droppedByGroup[group] {
                    try sink.write(try batch.gathered((0..<batch.rowCount).filter { !drop.contains($0) }))
                } else {
                    try sink.write(batch)
                }
            }
            removes.append(.remove(DeltaRemoveFile(path: file.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true,
                                                   partitionValues: file.partitionValues, size: file.size)))
            result.filesRemoved += 1
            if sink.rowCount > 0 {
                adds.append(try await sink.finish(store: store, layout: layout, dataChange: true, now: now))
            }
        }

        // 4. Winning upserts.
        var upsertRows: [Int] = []
        for row in 0..<changes.rowCount {
            let isMatched = matched.contains(row)
            if beaten.contains(row) { result.keptExisting += 1; continue }
            switch actions[row] {
            case .upsert:
                upsertRows.append(row)
                if isMatched { result.updated += 1 } else { result.inserted += 1 }
            case .delete:
                if isMatched { result.deleted += 1 } else { result.deletesWithoutMatch += 1 }
            }
        }
        if !upsertRows.isEmpty {
            adds += try await writeDataFiles([try changes.gathered(upsertRows)], snapshot: snapshot)
        }
        result.filesAdded = adds.count
        result.bytesWritten = adds.reduce(0) { $0 + $1.size }

        // 5. One commit.
        guard !removes.isEmpty || !adds.isEmpty || txn != nil else { return result }
        let parameters: JSONValue = .object([
            ("predicate", .string("key (\(keyColumns.joined(separator: ", "))) in \(changes.rowCount) incoming row(s)")),
            ("matchedPredicates", .string("[{\"actionType\":\"update\"},{\"actionType\":\"delete\"}]")),
            ("notMatchedPredicates", .string("[{\"actionType\":\"insert\"}]")),
        ])
        result.commit = try await commit(removes + adds.map(DeltaAction.add), readSnapshot: snapshot, operation: "MERGE",
                                         operationParameters: parameters, readPaths: Set(candidates.map(\.path)), txn: txn)
        return result
    }
}

/// Decides from `add.stats` whether a file may hold one of the incoming keys.
struct MergeCandidateProbe {
    /// Orderable incoming values per key column (nil for a column whose type is not ordered here).
    let values: [[MergeKeyBound]?]
    let keyColumns: [String]
    /// Min...max of the first key column over the incoming rows.
    let firstKeyRange: ClosedRange<MergeKeyBound>?

    init(changes: RecordBatch, keyColumns: [String]) {
        self.keyColumns = keyColumns
        var values: [[MergeKeyBound]?] = []
        for name in keyColumns {
            guard let column = changes.column(named: name) else { values.append(nil); continue }
            var bounds: [MergeKeyBound] = []
            bounds.reserveCapacity(changes.rowCount)
            for row in 0..<changes.rowCount {
                guard let bound = MergeKeyBound.of(column, row: row) else { break }
                bounds.append(bound)
            }
            values.append(bounds.count == changes.rowCount && changes.rowCount > 0 ? bounds : nil)
        }
        self.values = values
        if let first = values.first ?? nil, let low = first.min(), let high = first.max() {
            firstKeyRange = low...high
        } else {
            firstKeyRange = nil
        }
    }

    func mayContain(statistics: String?) -> Bool {
        guard let statistics, let json = try? JSONValue(parsing: statistics) else { return true }
        if json["numRecords"]?.int64Value == 0 { return false }
        // Per key column, the [min, max] box from the stats (nil = unbounded).
        var boxes: [(low: MergeKeyBound?, high: MergeKeyBound?)?] = []
        for (index, name) in keyColumns.enumerated() {
            guard let incoming = values[index], let sample = incoming.first else { boxes.append(nil); continue }
            func bound(_ value: JSONValue?) -> MergeKeyBound? {
                switch (sample, value) {
                case (.integer, let v?): return v.int64Value.map(MergeKeyBound.integer)
                case (.text, let v?): return v.stringValue.map { .text(Array($0.utf8)) }
                default: return nil
                }
            }
            boxes.append((bound(json["minValues"]?[name]), bound(json["maxValues"]?[name])))
        }
        guard boxes.contains(where: { $0 != nil && ($0?.low != nil || $0?.high != nil) }) else { return true }
        let rowCount = values.compactMap { $0?.count }.first ?? 0
        for row in 0..<rowCount {
            var inside = true
            for (index, box) in boxes.enumerated() {
                guard let box, let value = values[index]?[row] else { continue }
                if let low = box.low, value < low { inside = false; break }
                if let high = box.high, high < value { inside = false; break }
            }
            if inside { return true }
        }
        return false
    }
}
