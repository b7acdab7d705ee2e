import Columnar

/// Maps a leaf's physical type and annotations to a Columnar type, and decoded physical values
/// to Columnar storage.
enum LeafConversion {
    static func valueType(of element: SchemaElement, physical: PhysicalType) throws(ParquetError) -> DataType {
        let logical = element.logicalType
        let converted = element.convertedType
        func decimal() throws(ParquetError) -> DataType? {
            var precision: Int32?
            var scale: Int32 = 0
            if case .decimal(let s, let p) = logical {
                precision = p
                scale = s
            } else if converted == .decimal {
                precision = element.precision
                scale = element.scale ?? 0
            }
            guard let precision else { return nil }
            guard precision >= 1, scale >= 0, scale <= precision else {
                throw ParquetError(.corruptMetadata, "column '\(element.name)': invalid decimal(\(precision),\(scale))")
            }
            // Wider than 128 bits: read as exact decimal text (Delta's decimal stops at 38 digits).
            guard precision <= 38 else { return .string }
            return .decimal(precision: Int(precision), scale: Int(scale))
        }
        switch physical {
        case .boolean:
            return .boolean
        case .int32:
            if let d = try decimal() { return d }
            switch (logical, converted) {
            case (.date, _), (_, .date): return .date
            case (.time, _), (nil, .timeMillis): return .string
            case (.integer(8, true), _), (nil, .int8): return .int8
            case (.integer(16, true), _), (nil, .int16): return .int16
            case (.integer(8, false), _), (nil, .uint8): return .int16
            case (.integer(16, false), _), (nil, .uint16): return .int32
            case (.integer(32, false), _), (nil, .uint32): return .int64
            default: return .int32
            }
        case .int64:
            if let d = try decimal() { return d }
            switch (logical, converted) {
            case (.timestamp(let utc, _), _): return utc ? .timestamp : .timestampWithoutTimeZone
            case (.time, _), (nil, .timeMicros): return .string
            case (nil, .timestampMicros), (nil, .timestampMillis): return .timestamp
            case (.integer(64, false), _), (nil, .uint64): return .decimal(precision: 20, scale: 0)
            default: return .int64
            }
        case .int96:
            return .timestamp
        case .float:
            return .float32
        case .double:
            return .float64
        case .byteArray:
            if let d = try decimal() { return d }
            switch (logical, converted) {
            case (.string, _), (.enumeration, _), (.json, _), (nil, .utf8), (nil, .enumeration), (nil, .json): return .string
            default: return .binary
            }
        case .fixedLenByteArray:
            if let d = try decimal() { return d }
            if logical == .float16 { return .float32 }
            if logical == .uuid { return .string }
            return .binary
        }
    }

    /// Scatters `values` (non-null only, in order) into a column of `count` slots whose
    /// validity is `validity` (nil: all valid), converting to `leaf.valueType`.
    static func makeColumn(_ leaf: LeafColumn, values: LeafValues, validity: Bitmap?, count: Int) throws(ParquetError) -> Column {
        let type = leaf.valueType
        func scatter<S, T>(_ source: [S], zero: T, _ convert: (S) -> T) -> [T] {
            guard let validity else { return source.map(convert) }
            return spread(source, zero: zero, validity: validity, count: count, convert)
        }
        /// Same values, no conversion: with no nulls the decoded array is the column as is.
        func scatter<T>(_ source: [T], zero: T) -> [T] {
            guard let validity else { return source }
            return spread(source, zero: zero, validity: validity, count: count) { $0 }
        }
        let storage: ColumnStorage
        switch (values, type) {
        case (.boolean(let v), _):
            var bits = Bitmap(repeating: false, count: count)
            var next = 0
            for index in 0..<count where validity?[index] ?? true {
                bits[index] = v[next]
                next += 1
            }
            storage = .boolean(bits)
        case (.int32(let v), .int8): storage = .int8(scatter(v, zero: 0) { Int8(truncatingIfNeeded: $0) })
        case (.int32(let v), .int16):
            if leaf.element.logicalType == .integer(bitWidth: 8, isSigned: false) || leaf.element.convertedType == .uint8 {
                storage = .int16(scatter(v, zero: 0) { Int16(UInt8(truncatingIfNeeded: $0)) })
            } else {
                storage = .int16(scatter(v, zero: 0) { Int16(truncatingIfNeeded: $0) })
            }
        case (.int32(let v), .int32):
            if leaf.element.logicalType == .integer(bitWidth: 16, isSigned: false) || leaf.element.convertedType == .uint16 {
                storage = .int32(scatter(v, zero: 0) { Int32(UInt16(truncatingIfNeeded: $0)) })
            } else {
                storage = .int32(scatter(v, zero: 0))
            }
        case (.int32(let v), .string):
            storage = timeText(v.map { Int64($0) * 1000 }, validity: validity, count: count)
        case (.int64(let v), .string):
            let nanos: Bool
            if case .time(_, .nanos) = leaf.element.logicalType { nanos = true } else { nanos = false }
            storage = timeText(nanos ? v.map { CivilTime.floorDivide($0, 1000).quotient } : v, validity: validity, count: count)
        case (.int32(let v), .date): storage = .int32(scatter(v, zero: 0))
        case (.int32(let v), .int64): storage = .int64(scatter(v, zero: 0) { Int64(UInt32(bitPattern: $0)) })
        case (.int32(let v), .decimal): storage = .int128(scatter(v, zero: 0) { Int128($0) })
        case (.int64(let v), .int64): storage = .int64(scatter(v, zero: 0))
        case (.int64(let v), .timestamp), (.int64(let v), .timestampWithoutTimeZone):
            let unit: TimeUnit
            switch leaf.element.logicalType {
            case .timestamp(_, let u): unit = u
            default: unit = leaf.element.convertedType == .timestampMillis ? .millis : .micros
            }
            switch (leaf.physicalType, unit) {
            case (.int96, _), (_, .micros): storage = .int64(scatter(v, zero: 0))
            case (_, .millis): storage = .int64(scatter(v, zero: 0) { $0 &* 1000 })
            case (_, .nanos): storage = .int64(scatter(v, zero: 0) { CivilTime.floorDivide($0, 1000).quotient })
            }
        case (.int64(let v), .decimal(let precision, _)):
            if precision == 20, leaf.element.logicalType == .integer(bitWidth: 64, isSigned: false) || leaf.element.convertedType == .uint64 {
                storage = .int128(scatter(v, zero: 0) { Int128(UInt64(bitPattern: $0)) })
            } else {
                storage = .int128(scatter(v, zero: 0) { Int128($0) })
            }
        case (.float(let v), .float32): storage = .float32(scatter(v, zero: 0))
        case (.double(let v), .float64): storage = .float64(scatter(v, zero: 0))
        case (.bytes(let offsets, let data), .decimal):
            storage = .int128(try decimals(offsets: offsets, data: data, validity: validity, count: count, leaf: leaf))
        case (.bytes(let offsets, let data), .string) where isWideDecimal(leaf.element):
            storage = wideDecimalText(offsets: offsets, data: data, validity: validity, count: count, scale: Int(leaf.element.scale ?? 0), leaf: leaf)
        case (.fixed(let width, let data), .string) where isWideDecimal(leaf.element):
            let offsets = (0...(width == 0 ? 0 : data.count / width)).map { Int32($0 * width) }
            storage = wideDecimalText(offsets: offsets, data: data, validity: validity, count: count, scale: Int(leaf.element.scale ?? 0), leaf: leaf)
        case (.bytes(let offsets, let data), _):
            storage = scatterBytes(offsets: offsets, data: data, validity: validity, count: count)
        case (.fixed(let width, let data), .decimal):
            let offsets = (0...(width == 0 ? 0 : data.count / width)).map { Int32($0 * width) }
            storage = .int128(try decimals(offsets: offsets, data: data, validity: validity, count: count, leaf: leaf))
        case (.fixed(let width, let data), .float32):
            guard width == 2 else { throw ParquetError(.corruptMetadata, "FLOAT16 column '\(leaf.path.joined(separator: "."))' has width \(width)") }
            var halves: [Float] = []
            halves.reserveCapacity(data.count / 2)
            for index in stride(from: 0, to: data.count - 1, by: 2) {
                halves.append(Float(Float16(bitPattern: UInt16(data[index]) | UInt16(data[index + 1]) << 8)))
            }
            storage = .float32(scatter(halves, zero: 0) { $0 })
        case (.fixed(let width, let data), .string) where width == 16:
            var offsets: [Int32] = [0]
            var text: [UInt8] = []
            for index in 0..<(data.count / 16) {
                text.append(contentsOf: uuidText(data[(index * 16)..<(index * 16 + 16)]).utf8)
                offsets.append(Int32(text.count))
            }
            storage = scatterBytes(offsets: offsets, data: text, validity: validity, count: count)
        case (.fixed(let width, let data), _):
            let offsets = (0...(width == 0 ? 0 : data.count / width)).map { Int32($0 * width) }
            storage = scatterBytes(offsets: offsets, data: data, validity: validity, count: count)
        default:
            throw ParquetError(.unsupported, "column '\(leaf.path.joined(separator: "."))': cannot read \(leaf.physicalType) as \(type)")
        }
        return Column(type: type, count: count, validity: validity, storage: storage)
    }

    /// Times of day (microseconds since midnight) as `HH:MM:SS.ffffff`; Delta has no time type.
    private static func timeText(_ micros: [Int64], validity: Bitmap?, count: Int) -> ColumnStorage {
        var offsets: [Int32] = [0]
        var text: [UInt8] = []
        for value in micros {
            // A timestamp on day zero formats as 1970-01-01THH:MM:SS.ffffff; keep the time part.
            let full = CivilTime.formatTimestamp(micros: value, utc: false)
            text.append(contentsOf: full.utf8.suffix(15))
            offsets.append(Int32(text.count))
        }
        return scatterBytes(offsets: offsets, data: text, validity: validity, count: count)
    }

    private static func isWideDecimal(_ element: SchemaElement) -> Bool {
        if case .decimal = element.logicalType { return true }
        return element.convertedType == .decimal
    }

    /// Decimals wider than 128 bits as exact text.
    private static func wideDecimalText(offsets: [Int32], data: [UInt8], validity: Bitmap?, count: Int, scale: Int, leaf: LeafColumn) -> ColumnStorage {
        var textOffsets: [Int32] = [0]
        var text: [UInt8] = []
        for index in 0..<(offsets.count - 1) {
            data.withUnsafeBytes { raw in
                text.append(contentsOf: Decimal128Text.format(bigEndian: UnsafeRawBufferPointer(rebasing: raw[Int(offsets[index])..<Int(offsets[index + 1])]), scale: scale).utf8)
            }
            textOffsets.append(Int32(text.count))
        }
        return scatterBytes(offsets: textOffsets, data: text, validity: validity, count: count)
    }

    /// Places dense `source` values at the valid slots of a `count`-long array (nulls get `zero`).
    private static func spread<S, T>(_ source: [S], zero: T, validity: Bitmap, count: Int, _ convert: (S) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            var next = 0
            source.withUnsafeBufferPointer { values in
                for index in 0..<count {
                    if validity[index] {
                        (buffer.baseAddress! + index).initialize(to: convert(values[next]))
                        next += 1
                    } else {
                        (buffer.baseAddress! + index).initialize(to: zero)
                    }
                }
            }
            initialized = count
        }
    }

    private static func scatterBytes(offsets: [Int32], data: [UInt8], validity: Bitmap?, count: Int) -> ColumnStorage {
        guard let validity else { return .bytes(offsets: offsets, data: data) }
        var result: [Int32] = [offsets[0]]
        result.reserveCapacity(count + 1)
        var next = 0
        for index in 0..<count {
            if validity[index] { next += 1 }
            result.append(offsets[next])
        }
        return .bytes(offsets: result, data: data)
    }

    private static func decimals(offsets: [Int32], data: [UInt8], validity: Bitmap?, count: Int, leaf: LeafColumn) throws(ParquetError) -> [Int128] {
        var result = [Int128](repeating: 0, count: count)
        var next = 0
        var failed = false
        data.withUnsafeBytes { raw in
            for index in 0..<count where validity?[index] ?? true {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[Int(offsets[next])..<Int(offsets[next + 1])])
                next += 1
                guard let value = DecimalBytes.read(bytes) else {
                    failed = true
                    return
                }
                result[index] = value
            }
        }
        if failed {
            throw ParquetError(.corruptPage, "column '\(leaf.path.joined(separator: "."))' has a decimal wider than 128 bits")
        }
        return result
    }

    private static func uuidText(_ bytes: ArraySlice<UInt8>) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(45) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
