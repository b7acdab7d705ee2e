import Columnar

extension Column {
    /// The rows at `indices` (each in `0..<count`, any order, repeats allowed), copied into new
    /// contiguous buffers. Nested children are gathered through their offsets.
    func gathered(_ indices: [Int]) -> Column {
        let validity = self.validity.map { bits in Bitmap(indices.lazy.map { bits[$0] }) }
        let storage: ColumnStorage
        switch self.storage {
        case .boolean(let bits): storage = .boolean(Bitmap(indices.lazy.map { bits[$0] }))
        case .int8(let v): storage = .int8(indices.map { v[$0] })
        case .int16(let v): storage = .int16(indices.map { v[$0] })
        case .int32(let v): storage = .int32(indices.map { v[$0] })
        case .int64(let v): storage = .int64(indices.map { v[$0] })
        case .float32(let v): storage = .float32(indices.map { v[$0] })
        case .float64(let v): storage = .float64(indices.map { v[$0] })
        case .int128(let v): storage = .int128(indices.map { v[$0] })
        case .bytes(let offsets, let data):
            var newOffsets: [Int32] = [0]
            newOffsets.reserveCapacity(indices.count + 1)
            var newData: [UInt8] = []
            for index in indices {
                newData.append(contentsOf: data[Int(offsets[index])..<Int(offsets[index + 1])])
                newOffsets.append(Int32(truncatingIfNeeded: newData.count))
            }
            storage = .bytes(offsets: newOffsets, data: newData)
        case .list(let offsets, let elements):
            let (newOffsets, childIndices) = Column.expand(offsets, indices)
            storage = .list(offsets: newOffsets, elements: elements.gathered(childIndices))
        case .map(let offsets, let keys, let values):
            let (newOffsets, childIndices) = Column.expand(offsets, indices)
            storage = .map(offsets: newOffsets, keys: keys.gathered(childIndices), values: values.gathered(childIndices))
        case .structure(let children):
            storage = .structure(children.map { $0.gathered(indices) })
        }
        return Column(type: type, count: indices.count, validity: validity, storage: storage)
    }

    private static func expand(_ offsets: [Int32], _ indices: [Int]) -> ([Int32], [Int]) {
        var newOffsets: [Int32] = [0]
        newOffsets.reserveCapacity(indices.count + 1)
        var childIndices: [Int] = []
        for index in indices {
            childIndices.append(contentsOf: Int(offsets[index])..<Int(offsets[index + 1]))
            newOffsets.append(Int32(truncatingIfNeeded: childIndices.count))
        }
        return (newOffsets, childIndices)
    }
}

extension RecordBatch {
    /// The rows at `indices`, in that order.
    func gathered(_ indices: [Int]) throws(DeltaError) -> RecordBatch {
        do { return try RecordBatch(schema: schema, columns: columns.map { $0.gathered(indices) }, rowCount: indices.count) } catch {
            throw DeltaError(.invalidArgument, "cannot select rows", underlying: error.description)
        }
    }

    /// The batch without the columns named in `names`.
    func dropping(_ names: Set<String>) throws(DeltaError) -> RecordBatch {
        if names.isEmpty { return self }
        var fields: [Field] = []
        var kept: [Column] = []
        for (field, column) in zip(schema.fields, columns) where !names.contains(field.name) {
            fields.append(field)
            kept.append(column)
        }
        do { return try RecordBatch(schema: Schema(fields), columns: kept, rowCount: rowCount) } catch {
            throw DeltaError(.invalidArgument, "cannot drop partition columns", underlying: error.description)
        }
    }
}
