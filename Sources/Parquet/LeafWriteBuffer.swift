import Columnar

/// Accumulates one leaf column's levels and non-null values for the current row group.
struct LeafWriteBuffer {
    let leaf: LeafColumn
    var definitionLevels: [Int32] = []
    var repetitionLevels: [Int32] = []
    /// Number of level entries (equals values + nulls at any depth).
    var entryCount = 0
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    let fixedWidth: Int

    init(leaf: LeafColumn) {
        self.leaf = leaf
        self.fixedWidth = Int(leaf.element.typeLength ?? 0)
    }

    /// Approximate bytes buffered, for row-group sizing.
    var estimatedBytes: Int {
        (definitionLevels.count + repetitionLevels.count) / 2 + booleans.count / 8 + int32s.count * 4
            + int64s.count * 8 + floats.count * 4 + doubles.count * 8 + offsets.count * 4 + data.count
    }

    var valueCount: Int {
        switch leaf.physicalType {
        case .boolean: return booleans.count
        case .int32: return int32s.count
        case .int64, .int96: return int64s.count
        case .float: return floats.count
        case .double: return doubles.count
        case .byteArray: return offsets.count - 1
        case .fixedLenByteArray: return fixedWidth == 0 ? 0 : data.count / fixedWidth
        }
    }

    @inline(__always)
    mutating func appendLevels(repetition: Int32, definition: Int32) {
        if leaf.maxRepetitionLevel > 0 { repetitionLevels.append(repetition) }
        if leaf.maxDefinitionLevel > 0 { definitionLevels.append(definition) }
        entryCount += 1
    }

    /// Appends the value at `slot` of `column` (which must be non-null).
    mutating func appendValue(of column: Column, at slot: Int) {
        switch column.storage {
        case .boolean(let bits): booleans.append(bits[slot])
        case .int8(let v): int32s.append(Int32(v[slot]))
        case .int16(let v): int32s.append(Int32(v[slot]))
        case .int32(let v): int32s.append(v[slot])
        case .int64(let v): int64s.append(v[slot])
        case .float32(let v): floats.append(v[slot])
        case .float64(let v): doubles.append(v[slot])
        case .int128(let v): appendDecimal(v[slot])
        case .bytes(let o, let d):
            data.append(contentsOf: d[Int(o[slot])..<Int(o[slot + 1])])
            offsets.append(Int32(data.count))
        case .list, .map, .structure:
            preconditionFailure("nested storage at a leaf")
        }
    }

    @inline(__always)
    mutating func appendDecimal(_ value: Int128) {
        switch leaf.physicalType {
        case .int32: int32s.append(Int32(truncatingIfNeeded: value))
        case .int64: int64s.append(Int64(truncatingIfNeeded: value))
        default: DecimalBytes.append(value, width: fixedWidth, to: &data)
        }
    }

    /// Bulk path for a top-level primitive column: levels from validity, values gathered.
    mutating func appendFlat(_ column: Column) {
        let count = column.count
        if leaf.maxDefinitionLevel > 0 {
            definitionLevels.reserveCapacity(definitionLevels.count + count)
            if let validity = column.validity {
                for index in 0..<count { definitionLevels.append(validity[index] ? 1 : 0) }
            } else {
                definitionLevels.append(contentsOf: repeatElement(1, count: count))
            }
        }
        entryCount += count
        let validity = column.validity
        @inline(__always) func gather<T>(_ source: [T], into target: inout [T]) {
            if let validity {
                target.reserveCapacity(target.count + count)
                for index in 0..<count where validity[index] { target.append(source[index]) }
            } else {
                target.append(contentsOf: source)
            }
        }
        switch column.storage {
        case .boolean(let bits):
            for index in 0..<count where validity?[index] ?? true { booleans.append(bits[index]) }
        case .int8(let v):
            for index in 0..<count where validity?[index] ?? true { int32s.append(Int32(v[index])) }
        case .int16(let v):
            for index in 0..<count where validity?[index] ?? true { int32s.append(Int32(v[index])) }
        case .int32(let v): gather(v, into: &int32s)
        case .int64(let v): gather(v, into: &int64s)
        case .float32(let v): gather(v, into: &floats)
        case .float64(let v): gather(v, into: &doubles)
        case .int128(let v):
            for index in 0..<count where validity?[index] ?? true { appendDecimal(v[index]) }
        case .bytes(let o, let d):
            if validity == nil, let first = o.first, let last = o.last {
                let base = Int32(data.count) - first
                data.append(contentsOf: d[Int(first)..<Int(last)])
                offsets.reserveCapacity(offsets.count + count)
                for index in 1...count { offsets.append(o[index] + base) }
            } else {
                for index in 0..<count where validity?[index] ?? true {
                    data.append(contentsOf: d[Int(o[index])..<Int(o[index + 1])])
                    offsets.append(Int32(data.count))
                }
            }
        case .list, .map, .structure:
            preconditionFailure("nested storage at a leaf")
        }
    }

    /// The buffered values in physical form.
    var values: LeafValues {
        switch leaf.physicalType {
        case .boolean: return .boolean(booleans)
        case .int32: return .int32(int32s)
        case .int64, .int96: return .int64(int64s)
        case .float: return .float(floats)
        case .double: return .double(doubles)
        case .byteArray: return .bytes(offsets: offsets, data: data)
        case .fixedLenByteArray: return .fixed(width: fixedWidth, data: data)
        }
    }
}

/// Splits nested columns into leaf level streams (the Dremel encoding).
struct ColumnShredder {
    /// Appends `column` (a top-level field described by `node`) to `buffers` (all leaves of the file).
    static func shred(_ column: Column, node: AssemblyNode, fieldName: String, into buffers: inout [LeafWriteBuffer]) throws(ParquetError) {
        if case .leaf(let leaf, let presentAt) = node {
            if presentAt == 0, column.nullCount > 0 {
                throw ParquetError(.schemaMismatch, "column '\(fieldName)' is not nullable but has \(column.nullCount) nulls")
            }
            buffers[leaf].appendFlat(column)
            return
        }
        for slot in 0..<column.count {
            try shred(column, node: node, slot: slot, repetition: 0, definition: 0, fieldName: fieldName, into: &buffers)
        }
    }

    private static func shred(
        _ column: Column, node: AssemblyNode, slot: Int, repetition: Int32, definition: Int32,
        fieldName: String, into buffers: inout [LeafWriteBuffer]
    ) throws(ParquetError) {
        if column.isNull(slot) {
            guard node.presentAt > Int(definition) else {
                throw ParquetError(.schemaMismatch, "column '\(fieldName)' has a null in a non-nullable position")
            }
            emitEmpty(node, repetition: repetition, definition: definition, into: &buffers)
            return
        }
        switch node {
        case .leaf(let leaf, let presentAt):
            buffers[leaf].appendLevels(repetition: repetition, definition: Int32(presentAt))
            buffers[leaf].appendValue(of: column, at: slot)
        case .structure(let presentAt, let children, _):
            guard case .structure(let childColumns) = column.storage else { preconditionFailure("struct storage expected") }
            for (child, childColumn) in zip(children, childColumns) {
                try shred(childColumn, node: child, slot: slot, repetition: repetition, definition: Int32(presentAt), fieldName: fieldName, into: &buffers)
            }
        case .list(let presentAt, let nonEmptyAt, let level, let element, _):
            guard case .list(let offsets, let elements) = column.storage else { preconditionFailure("list storage expected") }
            let range = Int(offsets[slot])..<Int(offsets[slot + 1])
            if range.isEmpty {
                emitEmpty(node, repetition: repetition, definition: Int32(presentAt), into: &buffers)
                return
            }
            for index in range {
                let rep = index == range.lowerBound ? repetition : Int32(level)
                try shred(elements, node: element, slot: index, repetition: rep, definition: Int32(nonEmptyAt), fieldName: fieldName, into: &buffers)
            }
        case .map(let presentAt, let nonEmptyAt, let level, let keyNode, let valueNode, _):
            guard case .map(let offsets, let keys, let values) = column.storage else { preconditionFailure("map storage expected") }
            let range = Int(offsets[slot])..<Int(offsets[slot + 1])
            if range.isEmpty {
                emitEmpty(node, repetition: repetition, definition: Int32(presentAt), into: &buffers)
                return
            }
            for index in range {
                let rep = index == range.lowerBound ? repetition : Int32(level)
                try shred(keys, node: keyNode, slot: index, repetition: rep, definition: Int32(nonEmptyAt), fieldName: fieldName, into: &buffers)
                try shred(values, node: valueNode, slot: index, repetition: rep, definition: Int32(nonEmptyAt), fieldName: fieldName, into: &buffers)
            }
        }
    }

    /// Emits one level entry at `definition` to every leaf under `node` (a null or empty value).
    private static func emitEmpty(_ node: AssemblyNode, repetition: Int32, definition: Int32, into buffers: inout [LeafWriteBuffer]) {
        for leaf in node.leafRange {
            buffers[leaf].appendLevels(repetition: repetition, definition: definition)
        }
    }
}

extension AssemblyNode {
    /// The definition level at which this node's value is non-null.
    var presentAt: Int {
        switch self {
        case .leaf(_, let p), .structure(let p, _, _), .list(let p, _, _, _, _), .map(let p, _, _, _, _, _): return p
        }
    }

    /// The leaves beneath this node.
    var leafRange: ClosedRange<Int> {
        switch self {
        case .leaf(let leaf, _): return leaf...leaf
        case .structure(_, let children, let first): return first...children[children.count - 1].leafRange.upperBound
        case .list(_, _, _, let element, let first): return first...element.leafRange.upperBound
        case .map(_, _, _, _, let value, let first): return first...value.leafRange.upperBound
        }
    }
}
