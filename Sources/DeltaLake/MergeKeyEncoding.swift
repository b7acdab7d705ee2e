import Columnar

/// Encodes the key columns of a row as bytes, so rows of the incoming batch and of data files can
/// be matched through a hash table without boxing values. Integer-like types (int8…int64, date,
/// timestamps) encode as Int64, so a file whose key column has a narrower integer type still
/// matches. Null is its own value (tag 0).
struct MergeKeyEncoder {
    let columns: [Column]

    /// Checks that every key column is a top-level primitive column of `schema`.
    static func checkKeyColumns(_ names: [String], schema: Schema) throws(DeltaError) {
        guard !names.isEmpty else { throw DeltaError(.invalidArgument, "merge needs at least one key column") }
        guard Set(names).count == names.count else { throw DeltaError(.invalidArgument, "duplicate key columns \(names)") }
        for name in names {
            guard let index = schema.index(of: name) else {
                throw DeltaError(.invalidArgument, "key column '\(name)' is not in the table schema")
            }
            switch schema.fields[index].type {
            case .list, .map, .structure:
                throw DeltaError(.invalidArgument, "key column '\(name)' must have a primitive type, not \(schema.fields[index].type)")
            default: break
            }
        }
    }

    /// The encoder over `keyColumns` of `batch` (all present: checked by the caller).
    init(batch: RecordBatch, keyColumns: [String], file: String) throws(DeltaError) {
        var columns: [Column] = []
        for name in keyColumns {
            guard let column = batch.column(named: name) else {
                throw DeltaError(.dataFile, "data file has no key column '\(name)'", path: file)
            }
            columns.append(column)
        }
        self.columns = columns
    }

    /// Whether any key column is null at `row`.
    func hasNull(_ row: Int) -> Bool { columns.contains { $0.isNull(row) } }

    func key(_ row: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(columns.count * 9)
        for column in columns {
            if column.isNull(row) { out.append(0); continue }
            switch column.storage {
            case .boolean(let bits): out.append(1); out.append(bits[row] ? 1 : 0)
            case .int8(let v): append(Int64(v[row]), to: &out)
            case .int16(let v): append(Int64(v[row]), to: &out)
            case .int32(let v): append(Int64(v[row]), to: &out)
            case .int64(let v): append(v[row], to: &out)
            case .float32(let v): out.append(3); appendBits(UInt64(v[row].bitPattern), to: &out)
            case .float64(let v): out.append(4); appendBits(v[row].bitPattern, to: &out)
            case .int128(let v):
                out.append(5)
                appendBits(UInt64(truncatingIfNeeded: v[row]), to: &out)
                appendBits(UInt64(truncatingIfNeeded: v[row] >> 64), to: &out)
            case .bytes(let offsets, let data):
                let start = Int(offsets[row]), end = Int(offsets[row + 1])
                out.append(6)
                appendBits(UInt64(end - start), to: &out)
                out.append(contentsOf: data[start..<end])
            case .list, .map, .structure:
                out.append(7)  // refused by checkKeyColumns
            }
        }
        return out
    }

    private func append(_ value: Int64, to out: inout [UInt8]) {
        out.append(2)
        appendBits(UInt64(bitPattern: value), to: &out)
    }

    private func appendBits(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}

/// An orderable key value for statistics-based skipping: integers and UTF-8 strings only.
enum MergeKeyBound: Comparable {
    case integer(Int64)
    case text([UInt8])

    static func < (a: MergeKeyBound, b: MergeKeyBound) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y
        case (.text(let x), .text(let y)): return x.lexicographicallyPrecedes(y)
        case (.integer, .text): return true
        case (.text, .integer): return false
        }
    }

    /// The value of `column` at `row`, nil when null or of a type we do not order.
    static func of(_ column: Column, row: Int) -> MergeKeyBound? {
        guard !column.isNull(row) else { return nil }
        switch (column.storage, column.type) {
        case (.int8(let v), _): return .integer(Int64(v[row]))
        case (.int16(let v), _): return .integer(Int64(v[row]))
        case (.int32(let v), .int32): return .integer(Int64(v[row]))
        case (.int64(let v), .int64): return .integer(v[row])
        case (.bytes(let offsets, let data), .string): return .text(Array(data[Int(offsets[row])..<Int(offsets[row + 1])]))
        default: return nil
        }
    }

    /// The Parquet footer datum of this bound, for row-group skipping.
    var datum: Datum {
        switch self {
        case .integer(let i): return .integer(i)
        case .text(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
        }
    }
}
