import Columnar

extension ParquetFileReader {
    /// Statistics of every leaf column in row group `index`, decoded from the footer (no page is
    /// read), for row-group skipping. Min/max are nil where the writer gave none, where the
    /// column order is not type-defined, or for types whose footer order we do not interpret.
    public func statistics(rowGroup index: Int) -> [ColumnStatistics] {
        guard index >= 0, index < metadata.rowGroups.count else { return [] }
        let group = metadata.rowGroups[index]
        return parquetSchema.leaves.enumerated().map { leafIndex, leaf in
            let meta = group.columns[leafIndex].metaData
            let stats = meta?.statistics
            let nullCount = stats?.nullCount.map { Int(clamping: $0) } ?? 0
            var result = ColumnStatistics(path: leaf.path, min: nil, max: nil, nullCount: nullCount,
                                          valueCount: max(0, Int(clamping: meta?.numValues ?? 0) - nullCount))
            let typeDefined = metadata.columnOrders.map { leafIndex < $0.count && $0[leafIndex] == .typeDefined } ?? false
            if typeDefined, let stats, let minBytes = stats.minValue, let maxBytes = stats.maxValue {
                result.min = FooterValue.datum(minBytes, leaf: leaf)
                result.max = FooterValue.datum(maxBytes, leaf: leaf)
                if result.min == nil || result.max == nil { result.min = nil; result.max = nil }
            }
            return result
        }
    }

    /// The row groups whose statistics for top-level column `name` may contain values in
    /// `lower...upper` (inclusive, either bound optional). Groups without usable statistics are kept.
    public func rowGroups(where name: String, mayContainFrom lower: Datum?, to upper: Datum?) -> [Int] {
        guard let leafIndex = parquetSchema.leaves.firstIndex(where: { $0.path == [name] }) else {
            return Array(0..<rowGroupCount)
        }
        let type = parquetSchema.leaves[leafIndex].valueType
        return (0..<rowGroupCount).filter { group in
            let stats = statistics(rowGroup: group)[leafIndex]
            guard let min = stats.min, let max = stats.max else { return true }
            if let lower, DatumOrder.less(max, lower, type: type) { return false }
            if let upper, DatumOrder.less(upper, min, type: type) { return false }
            return true
        }
    }
}

/// Decodes PLAIN-encoded footer min/max values to Columnar values.
enum FooterValue {
    static func datum(_ bytes: [UInt8], leaf: LeafColumn) -> Datum? {
        func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch (leaf.physicalType, leaf.valueType) {
        case (.boolean, .boolean): return bytes.first.map { .boolean($0 != 0) }
        case (.int32, .int8), (.int32, .int16), (.int32, .int32): return integer(Int32.self).map { .integer(Int64($0)) }
        case (.int32, .date): return integer(Int32.self).map { .date($0) }
        case (.int32, .decimal): return integer(Int32.self).map { .decimal(Int128($0)) }
        case (.int64, .int64): return integer(Int64.self).map { .integer($0) }
        case (.int64, .decimal(let precision, _)) where precision <= 18: return integer(Int64.self).map { .decimal(Int128($0)) }
        case (.int64, .timestamp), (.int64, .timestampWithoutTimeZone):
            guard case .timestamp(_, .micros)? = leaf.element.logicalType else {
                return leaf.element.logicalType == nil && leaf.element.convertedType == .timestampMicros ? integer(Int64.self).map { .timestamp($0) } : nil
            }
            return integer(Int64.self).map { .timestamp($0) }
        case (.float, .float32): return integer(UInt32.self).map { .float32(Float(bitPattern: $0)) }
        case (.double, .float64): return integer(UInt64.self).map { .float64(Double(bitPattern: $0)) }
        case (.byteArray, .string): return .string(String(decoding: bytes, as: UTF8.self))
        case (.byteArray, .binary): return .binary(bytes)
        case (.fixedLenByteArray, .decimal), (.byteArray, .decimal):
            return bytes.withUnsafeBytes { DecimalBytes.read($0) }.map { .decimal($0) }
        default: return nil
        }
    }
}
