/// Physical buffers of a column. Null slots hold a zero/empty placeholder.
///
/// | ``DataType`` | storage |
/// |---|---|
/// | boolean | ``boolean(_:)`` |
/// | int8, int16 | ``int8(_:)``, ``int16(_:)`` |
/// | int32, date | ``int32(_:)`` |
/// | int64, timestamp, timestampWithoutTimeZone | ``int64(_:)`` |
/// | float32, float64 | ``float32(_:)``, ``float64(_:)`` |
/// | decimal | ``int128(_:)`` (unscaled) |
/// | string, binary | ``bytes(offsets:data:)`` (`count + 1` offsets into `data`; they need not start at 0) |
/// | list | ``list(offsets:elements:)`` |
/// | map | ``map(offsets:keys:values:)`` |
/// | structure | ``structure(_:)`` (one child per field, each `count` long) |
public indirect enum ColumnStorage: Sendable {
    case boolean(Bitmap)
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case float32([Float])
    case float64([Double])
    case int128([Int128])
    case bytes(offsets: [Int32], data: [UInt8])
    case list(offsets: [Int32], elements: Column)
    case map(offsets: [Int32], keys: Column, values: Column)
    case structure([Column])
}

/// One typed column of a ``RecordBatch``: contiguous buffers plus an optional validity bitmap.
public struct Column: Sendable {
    public var type: DataType
    /// Number of slots (rows for a top-level column).
    public var count: Int
    /// Bit `i` is set when slot `i` is non-null; `nil` means no nulls.
    public var validity: Bitmap?
    public var storage: ColumnStorage

    /// Wraps already-built buffers. The caller guarantees the buffers match `type` and `count`.
    public init(type: DataType, count: Int, validity: Bitmap?, storage: ColumnStorage) {
        self.type = type
        self.count = count
        self.validity = validity
        self.storage = storage
    }

    /// Whether slot `index` is null.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// The number of null slots.
    public var nullCount: Int {
        guard let validity else { return 0 }
        return count - validity.setCount
    }
}

/// A set of equally long columns with a schema.
public struct RecordBatch: Sendable {
    public var schema: Schema
    public var columns: [Column]
    public var rowCount: Int

    /// Creates a batch; every column must have `rowCount` slots and the type of its field.
    public init(schema: Schema, columns: [Column], rowCount: Int) throws(ColumnarError) {
        guard schema.fields.count == columns.count else {
            throw ColumnarError(.schemaMismatch, "schema has \(schema.fields.count) fields but \(columns.count) columns were given")
        }
        for (field, column) in zip(schema.fields, columns) {
            guard column.count == rowCount else {
                throw ColumnarError(.schemaMismatch, "column '\(field.name)' has \(column.count) rows, expected \(rowCount)")
            }
            guard column.type == field.type else {
                throw ColumnarError(.schemaMismatch, "column '\(field.name)' has type \(column.type), schema says \(field.type)")
            }
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The column named `name`, if any.
    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }
}
