import BinaryCoding
import Columnar
import CompressionCodecs

/// Writes record batches as an Avro object container file in memory.
///
/// ```swift
/// var writer = try AvroContainerWriter(schema: avroSchema, codec: .snappy)
/// try writer.write(batch)          // batch.schema == writer.schema (the mapped schema)
/// let bytes = try writer.finish()
/// ```
///
/// Values are encoded straight from the batch's column buffers.
public struct AvroContainerWriter: Sendable {
    /// The Avro schema written to `avro.schema`.
    public let writerSchema: AvroSchema
    /// The mapped Columnar schema batches must have.
    public let schema: Schema
    public let codec: AvroCodec
    /// A block is cut after this many records…
    public let maximumRecordsPerBlock: Int
    /// …or once its uncompressed data reaches this many bytes.
    public let targetBlockBytes: Int

    private let syncMarker: [UInt8]
    private let encoder: AvroColumnEncoder
    /// The writer schema with a top-level reference resolved.
    private let encoderRoot: AvroSchema
    private var output: [UInt8]
    private var block = ByteWriter()
    private var blockRecords = 0
    private var finished = false

    /// Starts a file: writes the header.
    ///
    /// - Parameters:
    ///   - syncMarker: 16 bytes; random when nil.
    ///   - metadata: Extra header entries (`avro.schema` and `avro.codec` are set by the writer).
    public init(
        schema writerSchema: AvroSchema,
        codec: AvroCodec = .null,
        maximumRecordsPerBlock: Int = 10_000,
        targetBlockBytes: Int = 64 << 10,
        syncMarker: [UInt8]? = nil,
        metadata: [String: [UInt8]] = [:]
    ) throws(AvroError) {
        self.writerSchema = writerSchema
        self.codec = codec
        self.maximumRecordsPerBlock = max(1, maximumRecordsPerBlock)
        self.targetBlockBytes = max(1, targetBlockBytes)
        self.schema = try AvroRecordDecoder(writerSchema: writerSchema).schema
        var named = AvroNamedTypes()
        named.collect(writerSchema)
        self.encoder = AvroColumnEncoder(named: named)
        self.encoderRoot = named.resolve(writerSchema)
        if let syncMarker {
            guard syncMarker.count == 16 else { throw AvroError(.schemaMismatch, "sync marker must be 16 bytes") }
            self.syncMarker = syncMarker
        } else {
            var generator = SystemRandomNumberGenerator()
            self.syncMarker = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        var header = ByteWriter()
        header.writeBytes([0x4F, 0x62, 0x6A, 0x01])
        var entries = metadata
        entries["avro.schema"] = Array(writerSchema.canonicalJSON.utf8)
        entries["avro.codec"] = Array(codec.rawValue.utf8)
        header.writeZigZag(Int64(entries.count))
        for key in entries.keys.sorted() {
            let keyBytes = Array(key.utf8)
            header.writeZigZag(Int64(keyBytes.count))
            header.writeBytes(keyBytes)
            let value = entries[key] ?? []
            header.writeZigZag(Int64(value.count))
            header.writeBytes(value)
        }
        header.writeZigZag(0)
        header.writeBytes(self.syncMarker)
        self.output = header.bytes
    }

    /// Appends the rows of `batch`, whose schema must equal ``schema``.
    public mutating func write(_ batch: RecordBatch) throws(AvroError) {
        guard !finished else { throw AvroError(.schemaMismatch, "writer already finished") }
        guard batch.schema == schema else {
            throw AvroError(.schemaMismatch, "batch schema does not match the writer's mapped schema")
        }
        let fieldSchemas: [AvroSchema]
        if case .record(let record) = encoderRoot {
            fieldSchemas = record.fields.map(\.type)
        } else {
            fieldSchemas = [writerSchema]
        }
        for row in 0..<batch.rowCount {
            for (column, schema) in zip(batch.columns, fieldSchemas) {
                try encoder.encode(column, row, schema, into: &block)
            }
            blockRecords += 1
            if blockRecords >= maximumRecordsPerBlock || block.count >= targetBlockBytes { try flushBlock() }
        }
    }

    private mutating func flushBlock() throws(AvroError) {
        guard blockRecords > 0 else { return }
        let data: [UInt8]
        do throws(CompressionError) {
            switch codec {
            case .null:
                data = block.bytes
            case .snappy:
                var compressed = try CompressionCodec.snappy.compress(block.bytes)
                let crc = CRC32.checksum(block.bytes)
                compressed += [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)]
                data = compressed
            case .deflate, .zstandard:
                data = try codec.compressionCodec.compress(block.bytes)
            }
        } catch {
            throw AvroError(.compression, "\(codec.rawValue): \(error.message)")
        }
        var header = ByteWriter()
        header.writeZigZag(Int64(blockRecords))
        header.writeZigZag(Int64(data.count))
        output += header.bytes
        output += data
        output += syncMarker
        block.removeAll()
        blockRecords = 0
    }

    /// Flushes the last block and returns the whole file.
    public mutating func finish() throws(AvroError) -> [UInt8] {
        if !finished {
            try flushBlock()
            finished = true
        }
        return output
    }
}
