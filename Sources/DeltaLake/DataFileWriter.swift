import Columnar
import ObjectStore
import Parquet

/// Writes batches as Parquet data files with their `add` actions.
struct DataFileWriter {
    let store: any ObjectStore
    let layout: DeltaLogLayout
    let schema: Schema
    let options: DeltaWriteOptions
    let indexedColumns: Int

    func write(_ batches: [RecordBatch], now: Int64) async throws(DeltaError) -> [DeltaAddFile] {
        var adds: [DeltaAddFile] = []
        var part = 0
        for batch in batches {
            try check(batch)
            var start = 0
            while start < batch.rowCount {
                let end = min(batch.rowCount, start + max(1, options.maxRowsPerFile))
                let chunk = start == 0 && end == batch.rowCount ? batch : batch.slice(start..<end)
                adds.append(try await writeFile(chunk, part: part, now: now))
                part += 1
                start = end
            }
        }
        return adds
    }

    private func check(_ batch: RecordBatch) throws(DeltaError) {
        guard batch.schema.fields.map(\.name) == schema.fields.map(\.name), batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw DeltaError(.invalidArgument, "the batch schema \(batch.schema.fields.map { "\($0.name):\($0.type)" }) differs from the table's \(schema.fields.map { "\($0.name):\($0.type)" })")
        }
        for (field, column) in zip(schema.fields, batch.columns) where !field.isNullable && column.nullCount > 0 {
            throw DeltaError(.invalidArgument, "column '\(field.name)' is not nullable but the batch has \(column.nullCount) null(s)")
        }
    }

    private func writeFile(_ batch: RecordBatch, part: Int, now: Int64) async throws(DeltaError) -> DeltaAddFile {
        let name = "part-" + DeltaLogLayout.padded(Int64(part), width: 5) + "-" + UUIDText.random() + ".c000." + codecSuffix + "parquet"
        let bytes: [UInt8]
        let stats: String
        do {
            let typed = try RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
            var writer = try ParquetFileWriter(schema: schema, options: options.parquet)
            try writer.write(typed)
            bytes = try writer.finish()
            var nullCounts: [String: Int] = [:]
            for (field, column) in zip(schema.fields, batch.columns) { nullCounts[field.name] = column.nullCount }
            stats = FileStatistics(schema: schema, statistics: writer.columnStatistics, topLevelNullCounts: nullCounts,
                                   rowCount: Int64(batch.rowCount), indexedColumns: indexedColumns).json()
        } catch let error as ParquetError {
            throw DeltaError(.dataFile, "cannot encode data file \(name)", underlying: error.description)
        } catch {
            throw DeltaError(.dataFile, "cannot encode data file \(name)", underlying: "\(error)")
        }
        let path = try layout.path(name)
        do { try await store.put(path, bytes, mode: .overwrite) } catch { throw error.delta("cannot write data file") }
        return DeltaAddFile(path: name, partitionValues: [:], size: Int64(bytes.count), modificationTime: now, dataChange: true, stats: stats)
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
