import BinaryCoding
import Columnar

/// How one Avro value is decoded into a column's buffers.
enum ColumnBuilderKind: Sendable {
    /// Avro `null` on its own: a nullable string column that is always null.
    case null
    case boolean
    /// `int` (also `date`) into Int32.
    case int32
    /// `int` scaled into Int64 (`time-millis` → microseconds).
    case int32ScaledToInt64(Int64)
    /// `long` into Int64.
    case int64
    /// `long` multiplied with overflow check (`timestamp-millis` → microseconds).
    case int64Scaled(Int64)
    /// `long` floor-divided (`timestamp-nanos` → microseconds).
    case int64FloorDivided(Int64)
    case float32
    case float64
    /// `bytes` or `string` into offsets + data.
    case bytes
    case fixed(size: Int)
    case enumeration(symbols: [[UInt8]])
    /// Decimal from `bytes` (`size` nil) or `fixed`, into Int128.
    case decimal(size: Int?, precision: Int)
    /// Decimal wider than 38 digits, as exact text.
    case wideDecimal(size: Int?, scale: Int)
    /// List of `children[0]`.
    case list
    /// Map with string keys `children[0]` and values `children[1]`.
    case map
    /// Record: one child per field.
    case record
    /// Union with several non-null branches: `memberOfBranch[i]` is the child of branch `i`, or -1 for null.
    case union(memberOfBranch: [Int])
    /// A recursive reference, decoded to JSON text.
    case recursiveJSON(AvroSchema, AvroNamedTypes)
}

/// A union with one non-null branch (`["null", T]`, `[T, "null"]`, `[T]`) wrapped around a builder.
struct UnionWrapper: Sendable {
    var nullIndex: Int64
    var valueIndex: Int64
    var branchCount: Int
}

/// Appends decoded Avro values to typed column buffers: the decode plan and its output in one.
struct ColumnBuilder: Sendable {
    let kind: ColumnBuilderKind
    let type: DataType
    let isNullable: Bool
    let wrapper: UnionWrapper?
    /// The smallest number of bytes one value can take (for count sanity checks).
    let minimumSize: Int
    var children: [ColumnBuilder]

    private(set) var count = 0
    private var validity = Bitmap()
    private var hasNulls = false
    private var booleans = Bitmap()
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var float32s: [Float] = []
    private var float64s: [Double] = []
    private var int128s: [Int128] = []
    private var offsets: [Int32] = [0]
    private var data: [UInt8] = []

    /// Element counts in one array/map block beyond this are refused when elements can be 0
    /// bytes long (`array<null>`, arrays of empty records), which bounds memory per input byte.
    static let maximumZeroSizeElements = 64

    init(kind: ColumnBuilderKind, type: DataType, isNullable: Bool, wrapper: UnionWrapper?, minimumSize: Int, children: [ColumnBuilder] = []) {
        self.kind = kind
        self.type = type
        self.isNullable = isNullable
        self.wrapper = wrapper
        self.minimumSize = minimumSize
        self.children = children
    }

    /// An empty builder with the same plan.
    func emptyCopy() -> ColumnBuilder {
        ColumnBuilder(kind: kind, type: type, isNullable: isNullable, wrapper: wrapper, minimumSize: minimumSize, children: children.map { $0.emptyCopy() })
    }

    // MARK: Errors

    @inline(never)
    static func invalid(_ reader: ByteReader, _ message: String) -> BinaryDecodingError {
        BinaryDecodingError(code: .invalidValue, offset: reader.absoluteOffset, message: message)
    }

    @inline(never)
    static func badLength(_ offset: Int, _ message: String) -> BinaryDecodingError {
        BinaryDecodingError(code: .lengthOutOfRange, offset: offset, message: message)
    }

    // MARK: Decoding

    /// Decodes one value (with its union index when wrapped) and appends it.
    mutating func decode(_ reader: inout ByteReader) throws(BinaryDecodingError) {
        if let wrapper {
            let start = reader.absoluteOffset
            let index = try reader.readZigZagInt64()
            if index == wrapper.nullIndex {
                appendNull()
                return
            }
            guard index == wrapper.valueIndex else {
                throw BinaryDecodingError(code: .invalidValue, offset: start, message: "union index \(index) out of range 0..<\(wrapper.branchCount)")
            }
        }
        switch kind {
        case .union(let memberOfBranch):
            try decodeUnion(&reader, memberOfBranch)
            return
        case .null:
            appendNull()
            return
        default:
            break
        }
        try decodeValue(&reader)
        if isNullable { validity.append(true) }
        count &+= 1
    }

    private mutating func decodeUnion(_ reader: inout ByteReader, _ memberOfBranch: [Int]) throws(BinaryDecodingError) {
        let start = reader.absoluteOffset
        let index = try reader.readZigZagInt64()
        guard index >= 0, index < Int64(memberOfBranch.count) else {
            throw BinaryDecodingError(code: .invalidValue, offset: start, message: "union index \(index) out of range 0..<\(memberOfBranch.count)")
        }
        let member = memberOfBranch[Int(index)]
        if member < 0 {
            appendNull()
            return
        }
        for child in children.indices {
            if child == member {
                try children[child].decode(&reader)
            } else {
                children[child].appendNull()
            }
        }
        if isNullable { validity.append(true) }
        count &+= 1
    }

    @inline(__always)
    private mutating func appendBytes(_ bytes: [UInt8], at offset: Int) throws(BinaryDecodingError) {
        data.append(contentsOf: bytes)
        guard data.count <= Int(Int32.max) else { throw Self.badLength(offset, "column data exceeds 2 GiB") }
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    @inline(__always)
    private mutating func appendBytes(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(BinaryDecodingError) {
        data.append(contentsOf: bytes)
        guard data.count <= Int(Int32.max) else { throw Self.badLength(offset, "column data exceeds 2 GiB") }
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    @inline(__always)
    private func readLength(_ reader: inout ByteReader) throws(BinaryDecodingError) -> Int {
        let start = reader.absoluteOffset
        let length = try reader.readZigZagInt64()
        guard length >= 0 else { throw Self.badLength(start, "negative length \(length)") }
        guard length <= Int64(reader.remaining) else {
            throw BinaryDecodingError(code: .truncated, offset: start, message: "length \(length) exceeds the \(reader.remaining) remaining byte(s)")
        }
        return Int(length)
    }

    /// Reads one array/map block count; 0 ends the sequence.
    private func readBlockCount(_ reader: inout ByteReader, elementSize: Int) throws(BinaryDecodingError) -> Int {
        let start = reader.absoluteOffset
        var blockCount = try reader.readZigZagInt64()
        if blockCount < 0 {
            guard blockCount != .min else { throw Self.badLength(start, "invalid block count") }
            blockCount = -blockCount
            let sizeStart = reader.absoluteOffset
            let byteSize = try reader.readZigZagInt64()
            guard byteSize >= 0 else { throw Self.badLength(sizeStart, "negative block byte size \(byteSize)") }
        }
        if elementSize > 0 {
            guard blockCount <= Int64(reader.remaining / elementSize) else {
                throw BinaryDecodingError(code: .truncated, offset: start, message: "block of \(blockCount) item(s) exceeds the \(reader.remaining) remaining byte(s)")
            }
        } else if blockCount > Int64(Self.maximumZeroSizeElements) {
            throw Self.badLength(start, "block of \(blockCount) zero-size item(s) exceeds the limit of \(Self.maximumZeroSizeElements)")
        }
        return Int(blockCount)
    }

    private mutating func decodeValue(_ reader: inout ByteReader) throws(BinaryDecodingError) {
        switch kind {
        case .int64:
            int64s.append(try reader.readZigZagInt64())
        case .int32:
            int32s.append(try reader.readZigZagInt32())
        case .bytes:
            let start = reader.absoluteOffset
            let length = try readLength(&reader)
            try appendBytes(try reader.readBytes(count: length), at: start)
        case .float64:
            float64s.append(try reader.readDouble())
        case .float32:
            float32s.append(try reader.readFloat())
        case .boolean:
            let start = reader.absoluteOffset
            let byte = try reader.readUInt8()
            guard byte <= 1 else { throw BinaryDecodingError(code: .invalidValue, offset: start, message: "boolean byte \(byte) is not 0 or 1") }
            booleans.append(byte == 1)
        case .int64Scaled(let factor):
            let start = reader.absoluteOffset
            let value = try reader.readZigZagInt64()
            let (scaled, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw BinaryDecodingError(code: .invalidValue, offset: start, message: "\(value) × \(factor) overflows 64 bits") }
            int64s.append(scaled)
        case .int32ScaledToInt64(let factor):
            int64s.append(Int64(try reader.readZigZagInt32()) &* factor)
        case .int64FloorDivided(let divisor):
            int64s.append(CivilTime.floorDivide(try reader.readZigZagInt64(), divisor).quotient)
        case .fixed(let size):
            let start = reader.absoluteOffset
            try appendBytes(try reader.readBytes(count: size), at: start)
        case .enumeration(let symbols):
            let start = reader.absoluteOffset
            let index = try reader.readZigZagInt32()
            guard index >= 0, Int(index) < symbols.count else {
                throw BinaryDecodingError(code: .invalidValue, offset: start, message: "enum index \(index) out of range 0..<\(symbols.count)")
            }
            try appendBytes(symbols[Int(index)], at: start)
        case .decimal(let size, let precision):
            let start = reader.absoluteOffset
            let length: Int
            if let size { length = size } else { length = try readLength(&reader) }
            let bytes = try reader.readBytes(count: length)
            guard let unscaled = AvroDecimal.int128(bigEndian: bytes) else {
                throw BinaryDecodingError(code: .invalidValue, offset: start, message: "decimal of \(length) bytes does not fit 128 bits")
            }
            guard Decimal128Text.fits(unscaled, precision: precision) else {
                throw BinaryDecodingError(code: .invalidValue, offset: start, message: "decimal unscaled value \(unscaled) exceeds precision \(precision)")
            }
            int128s.append(unscaled)
        case .wideDecimal(let size, let scale):
            let start = reader.absoluteOffset
            let length: Int
            if let size { length = size } else { length = try readLength(&reader) }
            guard length <= AvroDecimal.maximumWideBytes else {
                throw Self.badLength(start, "decimal of \(length) bytes exceeds the limit of \(AvroDecimal.maximumWideBytes)")
            }
            let text = AvroDecimal.text(bigEndian: try reader.readBytes(count: length), scale: scale)
            try appendBytes(Array(text.utf8), at: start)
        case .list:
            let elementSize = children[0].minimumSize
            while true {
                let blockCount = try readBlockCount(&reader, elementSize: elementSize)
                if blockCount == 0 { break }
                for _ in 0..<blockCount { try children[0].decode(&reader) }
            }
            try appendChildOffset(children[0].count, reader)
        case .map:
            let elementSize = 1 + children[1].minimumSize
            while true {
                let blockCount = try readBlockCount(&reader, elementSize: elementSize)
                if blockCount == 0 { break }
                for _ in 0..<blockCount {
                    try children[0].decode(&reader)
                    try children[1].decode(&reader)
                }
            }
            try appendChildOffset(children[0].count, reader)
        case .record:
            for index in children.indices { try children[index].decode(&reader) }
        case .recursiveJSON(let schema, let named):
            let start = reader.absoluteOffset
            var text = ""
            try AvroJSONTextDecoder(named: named).decode(schema, &reader, into: &text, depth: 0)
            try appendBytes(Array(text.utf8), at: start)
        case .null:
            throw Self.invalid(reader, "internal: null decoded as a value")
        case .union:
            throw Self.invalid(reader, "internal: union decoded as a value")
        }
    }

    private mutating func appendChildOffset(_ childCount: Int, _ reader: ByteReader) throws(BinaryDecodingError) {
        guard childCount <= Int(Int32.max) else { throw Self.badLength(reader.absoluteOffset, "more than 2^31 nested items in one batch") }
        offsets.append(Int32(truncatingIfNeeded: childCount))
    }

    /// Appends a null (a zero placeholder; the validity bit only when the column is nullable).
    mutating func appendNull() {
        switch kind {
        case .boolean: booleans.append(false)
        case .int32: int32s.append(0)
        case .int64, .int64Scaled, .int32ScaledToInt64, .int64FloorDivided: int64s.append(0)
        case .float32: float32s.append(0)
        case .float64: float64s.append(0)
        case .decimal: int128s.append(0)
        case .bytes, .fixed, .enumeration, .wideDecimal, .recursiveJSON, .null: offsets.append(offsets[offsets.count - 1])
        case .list, .map: offsets.append(offsets[offsets.count - 1])
        case .record, .union:
            for index in children.indices { children[index].appendNull() }
        }
        if isNullable {
            validity.append(false)
            hasNulls = true
        }
        count &+= 1
    }

    /// Reserves room for `rows` more values (bounded by the caller). Grows geometrically, so
    /// reserving once per block stays linear.
    mutating func reserve(_ rows: Int) {
        switch kind {
        case .int32: Self.grow(&int32s, by: rows)
        case .int64, .int64Scaled, .int32ScaledToInt64, .int64FloorDivided: Self.grow(&int64s, by: rows)
        case .float32: Self.grow(&float32s, by: rows)
        case .float64: Self.grow(&float64s, by: rows)
        case .decimal: Self.grow(&int128s, by: rows)
        case .bytes, .fixed, .enumeration, .wideDecimal, .recursiveJSON, .null: Self.grow(&offsets, by: rows)
        case .record, .union:
            for index in children.indices { children[index].reserve(rows) }
        default: break
        }
    }

    private static func grow<T>(_ array: inout [T], by rows: Int) {
        let needed = array.count + rows
        if needed > array.capacity { array.reserveCapacity(max(needed, array.capacity * 2)) }
    }

    /// The finished column; the builder is left empty.
    mutating func finish() -> Column {
        let storage: ColumnStorage
        switch kind {
        case .boolean: storage = .boolean(booleans)
        case .int32: storage = .int32(int32s)
        case .int64, .int64Scaled, .int32ScaledToInt64, .int64FloorDivided: storage = .int64(int64s)
        case .float32: storage = .float32(float32s)
        case .float64: storage = .float64(float64s)
        case .decimal: storage = .int128(int128s)
        case .bytes, .fixed, .enumeration, .wideDecimal, .recursiveJSON, .null: storage = .bytes(offsets: offsets, data: data)
        case .list:
            storage = .list(offsets: offsets, elements: children[0].finish())
        case .map:
            storage = .map(offsets: offsets, keys: children[0].finish(), values: children[1].finish())
        case .record, .union:
            var columns: [Column] = []
            for index in children.indices { columns.append(children[index].finish()) }
            storage = .structure(columns)
        }
        let column = Column(type: type, count: count, validity: hasNulls ? validity : nil, storage: storage)
        self = emptyCopy()
        return column
    }
}
