import Columnar

/// Statistics of one leaf column over a column chunk (or a whole file), in Columnar terms.
public struct ColumnStatistics: Sendable, Hashable {
    /// Leaf path from the root.
    public var path: [String]
    /// Smallest non-null value (not truncated), nil when all values are null or NaN.
    public var min: Datum?
    public var max: Datum?
    /// Level entries without a value (nulls, and for nested leaves also empty/null ancestors).
    public var nullCount: Int
    /// Non-null values.
    public var valueCount: Int

    /// Merges statistics of the same leaf from another chunk.
    public mutating func merge(_ other: ColumnStatistics, type: DataType) {
        nullCount += other.nullCount
        valueCount += other.valueCount
        if let m = other.min { min = min.map { DatumOrder.less($0, m, type: type) ? $0 : m } ?? m }
        if let m = other.max { max = max.map { DatumOrder.less($0, m, type: type) ? m : $0 } ?? m }
    }
}

/// Orders non-null datums of one primitive type the way Parquet statistics do.
public enum DatumOrder {
    public static func less(_ a: Datum, _ b: Datum, type: DataType) -> Bool {
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.integer(let x), .integer(let y)): return x < y
        case (.date(let x), .date(let y)): return x < y
        case (.timestamp(let x), .timestamp(let y)): return x < y
        case (.decimal(let x), .decimal(let y)): return x < y
        case (.float32(let x), .float32(let y)): return x < y
        case (.float64(let x), .float64(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.binary(let x), .binary(let y)): return x.lexicographicallyPrecedes(y)
        default: return false
        }
    }
}

/// Computes chunk statistics from a leaf's physical values.
enum StatisticsBuilder {
    /// Longest min/max written into the footer for byte arrays; longer values are truncated.
    static let truncationLength = 64

    static func compute(_ values: LeafValues, leaf: LeafColumn, nullCount: Int) -> (ColumnStatistics, Statistics) {
        var stats = ColumnStatistics(path: leaf.path, min: nil, max: nil, nullCount: nullCount, valueCount: values.count)
        var thrift = Statistics()
        thrift.nullCount = Int64(nullCount)
        let type = leaf.valueType
        switch values {
        case .boolean(let v):
            guard !v.isEmpty else { break }
            let minValue = !v.contains(false) ? true : false
            let maxValue = v.contains(true)
            stats.min = .boolean(minValue)
            stats.max = .boolean(maxValue)
            thrift.minValue = [minValue ? 1 : 0]
            thrift.maxValue = [maxValue ? 1 : 0]
        case .int32(let v):
            guard let lo = v.min(), let hi = v.max() else { break }
            stats.min = datum(Int64(lo), type: type)
            stats.max = datum(Int64(hi), type: type)
            thrift.minValue = littleEndian(lo)
            thrift.maxValue = littleEndian(hi)
        case .int64(let v):
            guard let lo = v.min(), let hi = v.max() else { break }
            stats.min = datum(lo, type: type)
            stats.max = datum(hi, type: type)
            thrift.minValue = littleEndian(lo)
            thrift.maxValue = littleEndian(hi)
        case .float(let v):
            var lo = Float.infinity, hi = -Float.infinity, any = false
            for x in v where !x.isNaN {
                any = true
                if x < lo || (x == 0 && lo == 0 && x.sign == .minus) { lo = x }
                if x > hi || (x == 0 && hi == 0 && x.sign == .plus) { hi = x }
            }
            guard any else { break }
            if lo == 0 { lo = -0.0 }
            if hi == 0 { hi = 0.0 }
            stats.min = .float32(lo)
            stats.max = .float32(hi)
            thrift.minValue = littleEndian(lo.bitPattern)
            thrift.maxValue = littleEndian(hi.bitPattern)
        case .double(let v):
            var lo = Double.infinity, hi = -Double.infinity, any = false
            for x in v where !x.isNaN {
                any = true
                if x < lo { lo = x }
                if x > hi { hi = x }
            }
            guard any else { break }
            if lo == 0 { lo = -0.0 }
            if hi == 0 { hi = 0.0 }
            stats.min = .float64(lo)
            stats.max = .float64(hi)
            thrift.minValue = littleEndian(lo.bitPattern)
            thrift.maxValue = littleEndian(hi.bitPattern)
        case .bytes(let offsets, let data):
            guard offsets.count > 1 else { break }
            var minIndex = 0, maxIndex = 0
            data.withUnsafeBytes { raw in
                func slice(_ i: Int) -> UnsafeRawBufferPointer {
                    UnsafeRawBufferPointer(rebasing: raw[Int(offsets[i])..<Int(offsets[i + 1])])
                }
                var lo = slice(0), hi = slice(0)
                for index in 1..<(offsets.count - 1) {
                    let s = slice(index)
                    if s.lexicographicallyPrecedes(lo) { lo = s; minIndex = index }
                    if hi.lexicographicallyPrecedes(s) { hi = s; maxIndex = index }
                }
            }
            let lo = Array(data[Int(offsets[minIndex])..<Int(offsets[minIndex + 1])])
            let hi = Array(data[Int(offsets[maxIndex])..<Int(offsets[maxIndex + 1])])
            if type == .string {
                stats.min = .string(String(decoding: lo, as: UTF8.self))
                stats.max = .string(String(decoding: hi, as: UTF8.self))
            } else if case .decimal = type {
                // Byte-array decimals are only read, never written by us; no footer min/max.
                break
            } else {
                stats.min = .binary(lo)
                stats.max = .binary(hi)
            }
            let utf8 = type == .string
            thrift.minValue = truncatedLowerBound(lo, utf8: utf8)
            if let upper = truncatedUpperBound(hi, utf8: utf8) {
                thrift.maxValue = upper
                if upper.count != hi.count { thrift.isMaxValueExact = false }
            }
            if thrift.minValue!.count != lo.count { thrift.isMinValueExact = false }
        case .fixed(let width, let data):
            guard width > 0, data.count >= width, case .decimal = type else { break }
            var lo = Int128.max, hi = Int128.min
            var loIndex = 0, hiIndex = 0
            data.withUnsafeBytes { raw in
                for index in 0..<(data.count / width) {
                    let value = DecimalBytes.read(UnsafeRawBufferPointer(rebasing: raw[(index * width)..<((index + 1) * width)])) ?? 0
                    if value < lo { lo = value; loIndex = index }
                    if value > hi { hi = value; hiIndex = index }
                }
            }
            stats.min = .decimal(lo)
            stats.max = .decimal(hi)
            thrift.minValue = Array(data[(loIndex * width)..<((loIndex + 1) * width)])
            thrift.maxValue = Array(data[(hiIndex * width)..<((hiIndex + 1) * width)])
        }
        return (stats, thrift)
    }

    private static func datum(_ value: Int64, type: DataType) -> Datum {
        switch type {
        case .date: return .date(Int32(truncatingIfNeeded: value))
        case .timestamp, .timestampWithoutTimeZone: return .timestamp(value)
        case .decimal: return .decimal(Int128(value))
        default: return .integer(value)
        }
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// A prefix of at most `truncationLength` bytes (cut at a character boundary for UTF-8): still a lower bound.
    static func truncatedLowerBound(_ bytes: [UInt8], utf8: Bool) -> [UInt8] {
        guard bytes.count > truncationLength else { return bytes }
        var end = truncationLength
        if utf8 { while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 } }
        return Array(bytes[..<end])
    }

    /// A value of at most `truncationLength` bytes that is >= `bytes`, or nil if none exists.
    static func truncatedUpperBound(_ bytes: [UInt8], utf8: Bool) -> [UInt8]? {
        guard bytes.count > truncationLength else { return bytes }
        if utf8 {
            var scalars = Array(String(decoding: bytes[..<truncatedLowerBound(bytes, utf8: true).count], as: UTF8.self).unicodeScalars)
            while let last = scalars.popLast() {
                var next = last.value + 1
                if next == 0xD800 { next = 0xE000 }
                if let scalar = Unicode.Scalar(next) {
                    scalars.append(scalar)
                    var text = ""
                    text.unicodeScalars.append(contentsOf: scalars)
                    return Array(text.utf8)
                }
            }
            return nil
        }
        var prefix = Array(bytes[..<truncationLength])
        while let last = prefix.popLast() {
            if last < 0xFF {
                prefix.append(last + 1)
                return prefix
            }
        }
        return nil
    }
}
