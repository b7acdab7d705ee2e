extension Bitmap {
    /// The bits in `range`.
    public func slice(_ range: Range<Int>) -> Bitmap {
        var result = Bitmap()
        result.reserveCapacity(range.count)
        for index in range { result.append(self[index]) }
        return result
    }
}

extension Column {
    /// The slots in `range`. Variable-length and nested storage keep their child buffers and
    /// refer to them through the sliced offsets, so offsets need not start at zero.
    public func slice(_ range: Range<Int>) -> Column {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of bounds")
        let storage: ColumnStorage
        switch self.storage {
        case .boolean(let bits): storage = .boolean(bits.slice(range))
        case .int8(let v): storage = .int8(Array(v[range]))
        case .int16(let v): storage = .int16(Array(v[range]))
        case .int32(let v): storage = .int32(Array(v[range]))
        case .int64(let v): storage = .int64(Array(v[range]))
        case .float32(let v): storage = .float32(Array(v[range]))
        case .float64(let v): storage = .float64(Array(v[range]))
        case .int128(let v): storage = .int128(Array(v[range]))
        case .bytes(let offsets, let data):
            storage = .bytes(offsets: Array(offsets[range.lowerBound...range.upperBound]), data: data)
        case .list(let offsets, let elements):
            storage = .list(offsets: Array(offsets[range.lowerBound...range.upperBound]), elements: elements)
        case .map(let offsets, let keys, let values):
            storage = .map(offsets: Array(offsets[range.lowerBound...range.upperBound]), keys: keys, values: values)
        case .structure(let children):
            storage = .structure(children.map { $0.slice(range) })
        }
        return Column(type: type, count: range.count, validity: validity?.slice(range), storage: storage)
    }
}

extension RecordBatch {
    /// The rows in `range`.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        // Safe: sliced columns keep their types and all have `range.count` rows.
        try! RecordBatch(schema: schema, columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }
}
