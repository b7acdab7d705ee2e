import Columnar

/// The non-null values of one leaf column chunk (or page), in physical form.
enum LeafValues {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case bytes(offsets: [Int32], data: [UInt8])
    case fixed(width: Int, data: [UInt8])

    /// An empty buffer for `physical` (INT96 is decoded straight to INT64 microseconds).
    init(empty physical: PhysicalType, typeLength: Int) {
        switch physical {
        case .boolean: self = .boolean([])
        case .int32: self = .int32([])
        case .int64, .int96: self = .int64([])
        case .float: self = .float([])
        case .double: self = .double([])
        case .byteArray: self = .bytes(offsets: [0], data: [])
        case .fixedLenByteArray: self = .fixed(width: typeLength, data: [])
        }
    }

    /// Reserves room for `count` values in total (byte arrays reserve their offsets).
    mutating func reserveCapacity(_ count: Int) {
        guard count > 0 else { return }
        switch self {
        case .boolean(var v): self = .int32([]); v.reserveCapacity(count); self = .boolean(v)
        case .int32(var v): self = .boolean([]); v.reserveCapacity(count); self = .int32(v)
        case .int64(var v): self = .boolean([]); v.reserveCapacity(count); self = .int64(v)
        case .float(var v): self = .boolean([]); v.reserveCapacity(count); self = .float(v)
        case .double(var v): self = .boolean([]); v.reserveCapacity(count); self = .double(v)
        case .bytes(var o, let d): self = .boolean([]); o.reserveCapacity(count + 1); self = .bytes(offsets: o, data: d)
        case .fixed(let w, var d): self = .boolean([]); d.reserveCapacity(count * w); self = .fixed(width: w, data: d)
        }
    }

    var count: Int {
        switch self {
        case .boolean(let v): return v.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .float(let v): return v.count
        case .double(let v): return v.count
        case .bytes(let offsets, _): return offsets.count - 1
        case .fixed(let width, let data): return width == 0 ? 0 : data.count / width
        }
    }

}

/// Byte widths and big-endian two's-complement conversion of decimals.
enum DecimalBytes {
    /// The fewest bytes whose two's complement holds every `precision`-digit number.
    static func minimumByteWidth(precision: Int) -> Int {
        var width = 1
        while width < 16 {
            // Largest magnitude representable: 2^(8w-1) - 1.
            let limit = (Int128(1) << (8 * width - 1)) - 1
            if limit >= Decimal128Text.maximum(precision: precision) { return width }
            width += 1
        }
        return 16
    }

    /// Appends the low `width` bytes of `value`, big-endian.
    static func append(_ value: Int128, width: Int, to data: inout [UInt8]) {
        for index in stride(from: width - 1, through: 0, by: -1) {
            data.append(UInt8(truncatingIfNeeded: value >> (8 * index)))
        }
    }

    /// Reads a big-endian two's-complement integer; nil if it does not fit 128 bits.
    static func read(_ bytes: UnsafeRawBufferPointer) -> Int128? {
        Decimal128Text.int128(bigEndian: bytes)
    }
}

extension Decimal128Text {
    /// 10^precision − 1.
    static func maximum(precision: Int) -> Int128 {
        var value: Int128 = 1
        for _ in 0..<precision { value *= 10 }
        return value - 1
    }
}
