import BinaryCoding
import Columnar

/// Decodes Avro binary records of one writer schema straight into column buffers.
///
/// The schema is compiled once into a tree of column builders; each record is decoded by
/// walking that tree with a ``ByteReader`` (no boxed values, no per-value allocation for
/// primitives; string bytes are appended to one buffer per column).
public struct AvroRecordDecoder: Sendable {
    /// The mapped Columnar schema (see docs/AVRO.md).
    public let schema: Schema
    private var columns: [ColumnBuilder]
    /// The number of records decoded since the last ``finish()``.
    public private(set) var rowCount = 0
    /// The smallest encoded size of one record (0 when a record can be empty).
    public let minimumRecordSize: Int

    /// Compiles `writerSchema`.
    public init(writerSchema: AvroSchema) throws(AvroError) {
        var compiler = AvroPlanCompiler(root: writerSchema)
        let (schema, columns) = try compiler.compileTopLevel(writerSchema)
        self.schema = schema
        self.columns = columns
        self.minimumRecordSize = columns.reduce(0) { $0 + $1.minimumSize }
    }

    /// Reserves room for `rows` more records (callers bound `rows` by the input size).
    public mutating func reserve(_ rows: Int) {
        for index in columns.indices { columns[index].reserve(rows) }
    }

    /// Decodes one record from `reader`. On error the decoder's partial state must be discarded.
    @inlinable
    public mutating func decodeRecord(_ reader: inout ByteReader) throws(BinaryDecodingError) {
        try _decodeRecord(&reader)
    }

    @usableFromInline
    mutating func _decodeRecord(_ reader: inout ByteReader) throws(BinaryDecodingError) {
        for index in columns.indices { try columns[index].decode(&reader) }
        rowCount += 1
    }

    /// Discards everything decoded since the last ``finish()`` (after an error).
    public mutating func reset() {
        for index in columns.indices { columns[index] = columns[index].emptyCopy() }
        rowCount = 0
    }

    /// The decoded records as a batch; the decoder starts over empty.
    public mutating func finish() -> RecordBatch {
        var result: [Column] = []
        result.reserveCapacity(columns.count)
        for index in columns.indices { result.append(columns[index].finish()) }
        let count = rowCount
        rowCount = 0
        // The builders produce exactly the schema's types and `count` rows.
        if let batch = try? RecordBatch(schema: schema, columns: result, rowCount: count) { return batch }
        preconditionFailure("internal: decoded columns do not match the mapped schema")
    }
}
