import Columnar

/// Writes record batches as one Parquet file held in memory.
///
/// ```swift
/// var writer = try ParquetFileWriter(schema: schema)
/// try writer.write(batch)
/// let bytes = try writer.finish()
/// ```
/// Row groups are cut when the buffered data passes ``ParquetWriterOptions/rowGroupSize`` or
/// ``ParquetWriterOptions/rowGroupRowLimit``. Not thread-safe; use from one task.
public struct ParquetFileWriter {
    public let schema: Schema
    public let options: ParquetWriterOptions
    public let parquetSchema: ParquetSchema
    private var buffers: [LeafWriteBuffer]
    private var bufferedRows = 0
    private var output: [UInt8] = Array("PAR1".utf8)
    private var rowGroups: [RowGroup] = []
    private var totalRows: Int64 = 0
    private var statistics: [ColumnStatistics?]
    private var finished = false

    public init(schema: Schema, options: ParquetWriterOptions = ParquetWriterOptions()) throws(ParquetError) {
        self.schema = schema
        self.options = options
        self.parquetSchema = try ParquetSchema(writing: schema)
        self.buffers = parquetSchema.leaves.map { LeafWriteBuffer(leaf: $0) }
        self.statistics = Array(repeating: nil, count: parquetSchema.leaves.count)
    }

    /// Appends the rows of `batch`, whose schema must equal the writer's.
    public mutating func write(_ batch: RecordBatch) throws(ParquetError) {
        guard !finished else { throw ParquetError(.invalidArgument, "the writer is already finished") }
        guard batch.schema.fields.map(\.type) == schema.fields.map(\.type),
              batch.schema.fields.map(\.name) == schema.fields.map(\.name) else {
            throw ParquetError(.schemaMismatch, "the batch's schema differs from the writer's")
        }
        var start = 0
        while start < batch.rowCount {
            let room = options.rowGroupRowLimit - bufferedRows
            let end = min(batch.rowCount, start + room)
            let part = start == 0 && end == batch.rowCount ? batch : batch.slice(start..<end)
            for (index, column) in part.columns.enumerated() {
                try ColumnShredder.shred(column, node: parquetSchema.assembly[index], fieldName: schema.fields[index].name, into: &buffers)
            }
            bufferedRows += part.rowCount
            start = end
            if bufferedRows >= options.rowGroupRowLimit || estimatedBufferedBytes >= options.rowGroupSize {
                try flushRowGroup()
            }
        }
    }

    /// Bytes currently buffered for the open row group (estimate).
    public var estimatedBufferedBytes: Int {
        buffers.reduce(0) { $0 + $1.estimatedBytes }
    }

    /// Bytes of the file written so far (closed row groups).
    public var writtenBytes: Int { output.count }

    /// Writes any buffered rows as a row group.
    public mutating func flushRowGroup() throws(ParquetError) {
        guard bufferedRows > 0 else { return }
        let chunkWriter = ColumnChunkWriter(options: options)
        var group = RowGroup()
        group.numRows = Int64(bufferedRows)
        group.fileOffset = Int64(output.count)
        group.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        var compressedTotal: Int64 = 0
        // Column chunks are encoded and compressed independently, in parallel for larger groups.
        let pending = buffers
        let threads = estimatedBufferedBytes >= 256 << 10 ? options.encodingThreads : 1
        let chunks = try ParallelWork.map(pending.count, threads: threads) { (index) throws(ParquetError) in
            try chunkWriter.write(pending[index])
        }
        for index in buffers.indices {
            let chunkStart = output.count
            let written = chunks[index]
            output.append(contentsOf: written.bytes)
            var meta = written.metaData
            meta.dataPageOffset = Int64(chunkStart + written.dataPageOffset)
            meta.dictionaryPageOffset = written.dictionaryPageOffset.map { Int64(chunkStart + $0) }
            var chunk = ColumnChunk()
            chunk.fileOffset = Int64(chunkStart)
            chunk.metaData = meta
            group.columns.append(chunk)
            group.totalByteSize += meta.totalUncompressedSize
            compressedTotal += meta.totalCompressedSize
            let leafType = parquetSchema.leaves[index].valueType
            if statistics[index] == nil {
                statistics[index] = written.statistics
            } else {
                statistics[index]!.merge(written.statistics, type: leafType)
            }
            buffers[index] = LeafWriteBuffer(leaf: parquetSchema.leaves[index])
        }
        group.totalCompressedSize = compressedTotal
        rowGroups.append(group)
        totalRows += Int64(bufferedRows)
        bufferedRows = 0
    }

    /// Statistics per leaf over everything written so far (closed row groups).
    public var columnStatistics: [ColumnStatistics] {
        zip(parquetSchema.leaves, statistics).map { leaf, stats in
            stats ?? ColumnStatistics(path: leaf.path, min: nil, max: nil, nullCount: 0, valueCount: 0)
        }
    }

    /// Rows written so far, including buffered ones.
    public var rowCount: Int64 { totalRows + Int64(bufferedRows) }

    /// Flushes, writes the footer and returns the complete file.
    public mutating func finish() throws(ParquetError) -> [UInt8] {
        guard !finished else { throw ParquetError(.invalidArgument, "the writer is already finished") }
        try flushRowGroup()
        finished = true
        var footer = FileMetaData()
        footer.version = 1
        footer.schema = parquetSchema.elements
        footer.numRows = totalRows
        footer.rowGroups = rowGroups
        footer.createdBy = options.createdBy
        footer.keyValueMetadata = options.keyValueMetadata.isEmpty ? nil : options.keyValueMetadata
        footer.columnOrders = Array(repeating: .typeDefined, count: parquetSchema.leaves.count)
        let encoded = footer.encoded()
        var file = output
        output = []
        file.append(contentsOf: encoded)
        withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: Array("PAR1".utf8))
        return file
    }
}
