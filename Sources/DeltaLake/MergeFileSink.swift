import Columnar
import ObjectStore
import Parquet

/// Writes one data file from a stream of batches (with the table schema), so a rewrite or a
/// compaction holds one file's encoded bytes at a time rather than all of its rows.
/// Produces the same names and `add.stats` as ``DataFileWriter``.
struct MergeFileSink {
    let name: String
    private var writer: ParquetFileWriter
    private var nullCounts: [String: Int] = [:]
    private let schema: Schema
    private let indexedColumns: Int

    init(schema: Schema, options: DeltaWriteOptions, indexedColumns: Int) throws(DeltaError) {
        let suffix: String
        switch options.parquet.compression {
        case .snappy: suffix = "snappy."
        case .zstd: suffix = "zstd."
        case .gzip: suffix = "gz."
        default: suffix = ""
        }
        self.name = "part-00000-" + UUIDText.random() + ".c000." + suffix + "parquet"
        self.schema = schema
        self.indexedColumns = indexedColumns
        do { writer = try ParquetFileWriter(schema: schema, options: options.parquet) } catch {
            throw DeltaError(.dataFile, "cannot start data file \(name)", underlying: error.description)
        }
    }

    var rowCount: Int64 { writer.rowCount }
    var writtenBytes: Int { writer.writtenBytes + writer.estimatedBufferedBytes }

    mutating func write(_ batch: RecordBatch) throws(DeltaError) {
        guard batch.rowCount > 0 else { return }
        for (field, column) in zip(schema.fields, batch.columns) {
            if !field.isNullable, column.nullCount > 0 {
                throw DeltaError(.invalidArgument, "column '\(field.name)' is not nullable but has \(column.nullCount) null(s)")
            }
            nullCounts[field.name, default: 0] += column.nullCount
        }
        do {
            let typed = try RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
            try writer.write(typed)
        } catch let error as ParquetError {
            throw DeltaError(.dataFile, "cannot encode data file \(name)", underlying: error.description)
        } catch {
            throw DeltaError(.dataFile, "cannot encode data file \(name)", underlying: "\(error)")
        }
    }

    /// Finishes the file, stores it under the table root and returns its `add` (`dataChange` as given).
    mutating func finish(store: any ObjectStore, layout: DeltaLogLayout, dataChange: Bool, now: Int64) async throws(DeltaError) -> DeltaAddFile {
        let bytes: [UInt8]
        do { bytes = try writer.finish() } catch {
            throw DeltaError(.dataFile, "cannot encode data file \(name)", underlying: error.description)
        }
        let stats = FileStatistics(schema: schema, statistics: writer.columnStatistics, topLevelNullCounts: nullCounts,
                                   rowCount: writer.rowCount, indexedColumns: indexedColumns).json()
        let path = try layout.path(name)
        do { try await store.put(path, bytes, mode: .overwrite) } catch { throw error.delta("cannot write data file") }
        return DeltaAddFile(path: name, partitionValues: [:], size: Int64(bytes.count), modificationTime: now, dataChange: dataChange, stats: stats)
    }
}

/// Reads one live data file for merge/optimize: fetches it and opens the Parquet reader, with
/// errors naming the file.
struct MergeFileSource {
    let path: ObjectPath
    let reader: ParquetFileReader

    static func open(_ file: DeltaAddFile, store: any ObjectStore, layout: DeltaLogLayout) async throws(DeltaError) -> MergeFileSource {
        if file.otherFields["deletionVector"] != nil {
            throw DeltaError(.unsupportedReaderFeature, "file has a deletion vector", path: file.path)
        }
        let path = try layout.dataPath(file.path)
        let bytes: [UInt8]
        do { bytes = try await store.get(path) } catch { throw error.delta("cannot read data file") }
        do { return MergeFileSource(path: path, reader: try ParquetFileReader(bytes: bytes, fileName: path.rawValue)) } catch {
            throw DeltaError(.dataFile, "cannot read data file", path: path.rawValue, underlying: error.description)
        }
    }

    /// Row group `index` with the columns of `schema` present in the file, conformed to `schema`.
    func rowGroup(_ index: Int, schema: Schema) throws(DeltaError) -> RecordBatch {
        let present = schema.fields.map(\.name).filter { reader.schema.index(of: $0) != nil }
        let batch: RecordBatch
        do { batch = try reader.readRowGroup(index, columns: present) } catch {
            throw DeltaError(.dataFile, "cannot read row group \(index)", path: path.rawValue, underlying: error.description)
        }
        return try SchemaConformance.conform(batch, to: schema, file: path.rawValue)
    }
}
