import Columnar
import ObjectStore
import Parquet

/// Writes batches as Parquet data files with their `add` actions. Partitioned tables get one
/// file per partition value tuple under Hive-style directories (`col=value/`), and the
/// partition columns are left out of the files.
struct DataFileWriter {
    let store: any ObjectStore
    let layout: DeltaLogLayout
    /// The table schema (with the partition columns).
    let schema: Schema
    var partitionColumns: [String] = []
    let options: DeltaWriteOptions
    let indexedColumns: Int

    /// The schema of the data files: the table schema without the partition columns.
    var dataSchema: Schema {
        let partitions = Set(partitionColumns)
        return Schema(schema.fields.filter { !partitions.contains($0.name) })
    }

    func write(_ batches: [RecordBatch], now: Int64) async throws(DeltaError) -> [DeltaAddFile] {
        var adds: [DeltaAddFile] = []
        var part = 0
        for batch in batches {
            try check(batch)
            var start = 0
            while start < batch.rowCount {
                let end = min(batch.rowCount, start + max(1, options.maxRowsPerFile))
                let chunk = start == 0 && end == batch.rowCount ? batch : batch.slice(start..<end)
                for (values, rows) in try partitioned(chunk) {
                    adds.append(try await writeFile(rows, partitionValues: values, part: part, now: now))
                    part += 1
                }
                start = end
            }
        }
        return adds
    }

    /// Writes `batches` (table schema, all in one partition) as one data file.
    func writeFile(_ batches: [RecordBatch], partitionValues: [String: String?], part: Int, now: Int64) async throws(DeltaError) -> DeltaAddFile {
        var directory = ""
        for name in partitionColumns {
            directory += PartitionValues.directory(name, partitionValues[name] ?? nil) + "/"
        }
        let name = "part-" + DeltaLogLayout.padded(Int64(part), width: 5) + "-" + UUIDText.random() + ".c000." + codecSuffix + "parquet"
        let relative = directory + name
        let fileSchema = dataSchema
        let dropped = Set(partitionColumns)
        let bytes: [UInt8]
        let stats: String
        do {
            var writer = try ParquetFileWriter(schema: fileSchema, options: options.parquet)
            var nullCounts: [String: Int] = [:]
            var rows = 0
            for batch in batches where batch.rowCount > 0 {
                let data = try batch.dropping(dropped)
                let typed = try RecordBatch(schema: fileSchema, columns: data.columns, rowCount: data.rowCount)
                try writer.write(typed)
                for (field, column) in zip(fileSchema.fields, data.columns) { nullCounts[field.name, default: 0] += column.nullCount }
                rows += batch.rowCount
            }
            bytes = try writer.finish()
            stats = FileStatistics(schema: fileSchema, statistics: writer.columnStatistics, topLevelNullCounts: nullCounts,
                                   rowCount: Int64(rows), indexedColumns: indexedColumns).json()
        } catch let error as ParquetError {
            throw DeltaError(.dataFile, "cannot encode data file \(relative)", underlying: error.description)
        } catch let error as DeltaError {
            throw error
        } catch {
            throw DeltaError(.dataFile, "cannot encode data file \(relative)", underlying: "\(error)")
        }
        let path = try layout.path(relative)
        do { try await store.put(path, bytes, mode: .overwrite) } catch { throw error.delta("cannot write data file") }
        return DeltaAddFile(path: PartitionValues.uriEncoded(relative), partitionValues: partitionValues, size: Int64(bytes.count),
                            modificationTime: now, dataChange: true, stats: stats)
    }

    /// Splits `batch` by its partition value tuple, in order of first appearance.
    func partitioned(_ batch: RecordBatch) throws(DeltaError) -> [([String: String?], [RecordBatch])] {
        guard !partitionColumns.isEmpty else { return [([:], [batch])] }
        var columns: [Column] = []
        for name in partitionColumns {
            guard let column = batch.column(named: name) else {
                throw DeltaError(.invalidArgument, "the batch has no partition column '\(name)'")
            }
            columns.append(column)
        }
        var groups: [[String?]: Int] = [:]
        var keys: [[String?]] = []
        var rows: [[Int]] = []
        for row in 0..<batch.rowCount {
            let key = columns.map { PartitionValues.serialize($0, row: row) }
            if let index = groups[key] {
                rows[index].append(row)
            } else {
                groups[key] = keys.count
                keys.append(key)
                rows.append([row])
            }
        }
        var result: [([String: String?], [RecordBatch])] = []
        for (key, indices) in zip(keys, rows) {
            var values: [String: String?] = [:]
            for (name, value) in zip(partitionColumns, key) { values[name] = .some(value) }
            result.append((values, [keys.count == 1 ? batch : try batch.gathered(indices)]))
        }
        return result
    }

    func check(_ batch: RecordBatch) throws(DeltaError) {
        guard batch.schema.fields.map(\.name) == schema.fields.map(\.name), batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw DeltaError(.invalidArgument, "the batch schema \(batch.schema.fields.map { "\($0.name):\($0.type)" }) differs from the table's \(schema.fields.map { "\($0.name):\($0.type)" })")
        }
        for (field, column) in zip(schema.fields, batch.columns) where !field.isNullable && column.nullCount > 0 {
            throw DeltaError(.invalidArgument, "column '\(field.name)' is not nullable but the batch has \(column.nullCount) null(s)")
        }
    }

    private var codecSuffix: String {
        switch options.parquet.compression {
        case .snappy: return "snappy."
        case .zstd: return "zstd."
        case .gzip: return "gz."
        default: return ""
        }
    }
}
