/// Decodes Parquet's RLE / bit-packing hybrid encoding (`RLE = 3`): definition and repetition
/// levels, dictionary indices and RLE-encoded booleans.
///
/// The decoder reads the `<encoded-data>` part only; a 4-byte length prefix, where the page
/// kind has one, and the 1-byte bit width in front of dictionary indices are the caller's to
/// strip. Values are produced as `Int32`; with a bit width of 32 they are the bit patterns of
/// the stored unsigned values.
///
/// The decoder is stateful: values can be taken in several batches, and a run that holds more
/// values than requested is continued by the next call. Asking for more values than the input
/// holds throws `.truncated`. A final bit-packed run whose bytes end early (some writers
/// truncate the padding of the last group) is accepted as long as the requested values are
/// present.
///
/// ```swift
/// var decoder = try RLEBitPackedHybridDecoder(levelBytes, bitWidth: 1, baseOffset: pageOffset)
/// var levels: [Int32] = []
/// try decoder.decode(count: numValues, appendingTo: &levels)
/// ```
public struct RLEBitPackedHybridDecoder {
    @usableFromInline
    var reader: ByteReader

    /// The number of bits per value (0...32). With a width of 0 every value is 0.
    public let bitWidth: Int

    @usableFromInline
    let valueByteWidth: Int

    @usableFromInline
    let maxValue: UInt32

    /// Values left in the current RLE run.
    @usableFromInline
    var repeatRemaining: Int = 0

    @usableFromInline
    var repeatValue: Int32 = 0

    /// Values of the current bit-packed run that are backed by input bytes and not yet
    /// unpacked into `group`.
    @usableFromInline
    var packedRemaining: Int = 0

    /// Where the current bit-packed run ends (relative position in the input).
    @usableFromInline
    var packedEnd: Int = 0

    /// One unpacked group, served to the caller from `groupIndex` up to `groupCount`.
    @usableFromInline
    var group: SIMD8<UInt32> = .zero

    @usableFromInline
    var groupIndex: Int = 0

    @usableFromInline
    var groupCount: Int = 0

    /// Creates a decoder over `bytes` (which the caller keeps alive).
    ///
    /// - Parameters:
    ///   - bytes: The encoded runs, without a length prefix.
    ///   - bitWidth: The width of each value in bits, 0...32. Other widths throw `.invalidValue`.
    ///   - baseOffset: The absolute offset of `bytes`, used in errors.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, baseOffset: Int = 0) throws(BinaryDecodingError) {
        try self.init(reader: ByteReader(bytes, baseOffset: baseOffset), bitWidth: bitWidth)
    }

    /// Creates a decoder over the unread bytes of `reader`.
    @inlinable
    public init(reader: ByteReader, bitWidth: Int) throws(BinaryDecodingError) {
        guard (0...32).contains(bitWidth) else {
            throw .invalidValue(at: reader.absoluteOffset, "RLE/bit-packed bit width \(bitWidth) is not in 0...32")
        }
        self.reader = ByteReader(reader.remainingBytes, baseOffset: reader.absoluteOffset)
        self.bitWidth = bitWidth
        self.valueByteWidth = (bitWidth &+ 7) / 8
        self.maxValue = bitWidth == 32 ? .max : (1 &<< UInt32(bitWidth)) &- 1
    }

    /// The number of input bytes consumed so far.
    @inlinable
    public var bytesConsumed: Int { reader.position }

    /// Decodes exactly `buffer.count` values into `buffer`.
    @inlinable
    public mutating func decode(into buffer: UnsafeMutableBufferPointer<Int32>) throws(BinaryDecodingError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        try base.withMemoryRebound(to: UInt32.self, capacity: buffer.count) { (pointer) throws(BinaryDecodingError) in
            try _decode(pointer, count: buffer.count)
        }
    }

    /// Decodes `count` values and appends them to `values`.
    ///
    /// Memory grows with the values actually decoded, never with an unverified count. If the
    /// input ends early, `values` is restored to its original contents and `.truncated` is
    /// thrown.
    @inlinable
    public mutating func decode(count: Int, appendingTo values: inout [Int32]) throws(BinaryDecodingError) {
        guard count >= 0 else {
            throw .lengthOutOfRange(at: reader.absoluteOffset, "negative value count \(count)")
        }
        let originalCount = values.count
        var left = count
        do {
            while left > 0 {
                let chunk = Swift.min(left, 1 << 16)
                let start = values.count
                values.append(contentsOf: repeatElement(0, count: chunk))
                try values.withUnsafeMutableBufferPointer { (buffer) throws(BinaryDecodingError) in
                    try decode(into: UnsafeMutableBufferPointer(rebasing: buffer[start..<(start &+ chunk)]))
                }
                left &-= chunk
            }
        } catch {
            values.removeSubrange(originalCount...)
            throw error
        }
    }

    /// Skips `count` values.
    @inlinable
    public mutating func skip(_ count: Int) throws(BinaryDecodingError) {
        guard count >= 0 else {
            throw .lengthOutOfRange(at: reader.absoluteOffset, "negative value count \(count)")
        }
        var left = count
        while left > 0 {
            if groupIndex < groupCount {
                let take = Swift.min(groupCount &- groupIndex, left)
                groupIndex &+= take
                left &-= take
            } else if repeatRemaining > 0 {
                let take = Swift.min(repeatRemaining, left)
                repeatRemaining &-= take
                left &-= take
            } else if packedRemaining > 0 {
                // Whole groups are skipped without unpacking; their bytes are present.
                let groups = Swift.min(left, packedRemaining) / 8
                if groups > 0 {
                    reader._position &+= groups &* bitWidth
                    packedRemaining &-= groups &* 8
                    left &-= groups &* 8
                } else {
                    _unpackGroupIntoBuffer()
                }
                if packedRemaining == 0 { reader._position = packedEnd }
            } else {
                try _readRunHeader(valuesStillNeeded: left)
            }
        }
    }

    @inlinable
    mutating func _decode(_ out: UnsafeMutablePointer<UInt32>, count: Int) throws(BinaryDecodingError) {
        var i = 0
        while i < count {
            if groupIndex < groupCount {
                let take = Swift.min(groupCount &- groupIndex, count &- i)
                for j in 0..<take { out[i &+ j] = group[groupIndex &+ j] }
                groupIndex &+= take
                i &+= take
            } else if repeatRemaining > 0 {
                let take = Swift.min(repeatRemaining, count &- i)
                (out + i).update(repeating: UInt32(bitPattern: repeatValue), count: take)
                repeatRemaining &-= take
                i &+= take
            } else if packedRemaining > 0 {
                let width = bitWidth
                // Fast path: whole groups straight into the output.
                while count &- i >= 8, packedRemaining >= 8, reader.remaining >= width &+ 8 {
                    BitPacking._unpack8x32Specialized(reader._pointer, width: width, into: out + i)
                    reader._position &+= width
                    packedRemaining &-= 8
                    i &+= 8
                }
                if i < count && packedRemaining > 0 {
                    _unpackGroupIntoBuffer()
                }
                if packedRemaining == 0 { reader._position = packedEnd }
            } else {
                try _readRunHeader(valuesStillNeeded: count &- i)
            }
        }
    }

    /// Unpacks the next group of the current bit-packed run into `group`.
    @inlinable
    mutating func _unpackGroupIntoBuffer() {
        let available = reader.remaining
        let source: UnsafeRawPointer? = available > 0 ? reader._pointer : nil
        withUnsafeMutablePointer(to: &group) { pointer in
            pointer.withMemoryRebound(to: UInt32.self, capacity: 8) { values in
                BitPacking.unpack8x32(source, available: available, width: bitWidth, into: values)
            }
        }
        reader._position &+= Swift.min(bitWidth, available)
        groupCount = Swift.min(8, packedRemaining)
        groupIndex = 0
        packedRemaining &-= groupCount
    }

    @inlinable
    mutating func _readRunHeader(valuesStillNeeded: Int) throws(BinaryDecodingError) {
        guard !reader.isAtEnd else {
            throw .truncated(at: reader.absoluteOffset, "RLE/bit-packed data ended with \(valuesStillNeeded) value(s) still to decode")
        }
        let header = try reader.readULEB128()
        if header & 1 == 0 {
            // RLE run: a count, then the value in ceil(bitWidth / 8) little-endian bytes.
            let valueOffset = reader.absoluteOffset
            var value: UInt32 = 0
            var index = 0
            while index < valueByteWidth {
                value |= UInt32(try reader.readUInt8()) &<< UInt32(8 &* index)
                index &+= 1
            }
            guard value <= maxValue else {
                throw .invalidValue(at: valueOffset, "RLE run value \(value) does not fit in \(bitWidth) bit(s)")
            }
            repeatRemaining = Int(truncatingIfNeeded: header &>> 1)
            repeatValue = Int32(bitPattern: value)
        } else {
            // Bit-packed run of `groups` groups of 8 values, `bitWidth` bytes per group.
            let groups = header &>> 1
            let available = reader.remaining
            if bitWidth == 0 {
                // Zero-width values occupy no bytes: this is a run of zeros.
                repeatRemaining = Int(Swift.min(groups, 1 << 40)) &* 8
                repeatValue = 0
                return
            } else if groups <= UInt64(available / bitWidth) {
                packedRemaining = Int(groups) &* 8
                packedEnd = reader.position &+ Int(groups) &* bitWidth
            } else {
                // The run claims more bytes than exist: serve the values that are complete.
                let backed = available &* 8 / bitWidth
                packedRemaining = Swift.min(backed, Int(Swift.min(groups, 1 << 40)) &* 8)
                packedEnd = reader.bytes.count
            }
            if packedRemaining == 0 { reader._position = packedEnd }
        }
    }
}

/// Encodes values with Parquet's RLE / bit-packing hybrid encoding.
///
/// Repeats of at least 8 equal values become RLE runs; everything else is bit-packed in groups
/// of 8 (at most 63 groups per run, so a run header is one byte), the last group padded with
/// zeros. The output has no length prefix: Parquet v1 levels and RLE booleans add a 4-byte
/// little-endian length themselves, and dictionary indices are preceded by a 1-byte bit width.
///
/// ```swift
/// let bytes = RLEBitPackedHybridEncoder.encode(levels, bitWidth: 1)
/// ```
public struct RLEBitPackedHybridEncoder: Sendable {
    /// The number of bits per value (0...32).
    public let bitWidth: Int

    @usableFromInline
    let maxValue: UInt32

    @usableFromInline
    var writer: ByteWriter

    /// Values waiting to be bit-packed (fewer than `maxLiteralCount`).
    @usableFromInline
    var literals: [UInt64] = []

    /// The current run of equal values not yet committed.
    @usableFromInline
    var runValue: UInt32 = 0

    @usableFromInline
    var runLength: Int = 0

    @usableFromInline
    static var maxLiteralCount: Int { 63 * 8 }

    /// Creates an encoder.
    ///
    /// - Precondition: `bitWidth` is in 0...32.
    public init(bitWidth: Int, capacity: Int = 0) {
        precondition((0...32).contains(bitWidth), "RLE/bit-packed bit width must be in 0...32")
        self.bitWidth = bitWidth
        self.maxValue = bitWidth == 32 ? .max : (1 &<< UInt32(bitWidth)) &- 1
        self.writer = ByteWriter(capacity: capacity)
    }

    /// The smallest bit width that can represent every value in `0...maxValue`
    /// (0 for 0, 1 for 1, 2 for 2...3, ...).
    @inlinable
    public static func bitWidth(forMaxValue maxValue: UInt64) -> Int {
        BitPacking.bitWidth(of: maxValue)
    }

    /// Appends a value.
    ///
    /// - Precondition: `value` fits in `bitWidth` bits.
    @inlinable
    public mutating func append(_ value: UInt32) {
        precondition(value <= maxValue, "value does not fit in the encoder's bit width")
        if runLength > 0 && value == runValue {
            runLength &+= 1
            return
        }
        _commitRun()
        runValue = value
        runLength = 1
    }

    /// Appends a value (its bit pattern, for a width of 32).
    @inlinable
    public mutating func append(_ value: Int32) {
        append(UInt32(bitPattern: value))
    }

    /// Appends `count` copies of `value`.
    @inlinable
    public mutating func append(_ value: UInt32, count: Int) {
        precondition(value <= maxValue, "value does not fit in the encoder's bit width")
        guard count > 0 else { return }
        if runLength > 0 && value == runValue {
            runLength &+= count
            return
        }
        _commitRun()
        runValue = value
        runLength = count
    }

    /// Appends values.
    @inlinable
    public mutating func append<S: Sequence>(contentsOf values: S) where S.Element == Int32 {
        for value in values { append(UInt32(bitPattern: value)) }
    }

    /// Appends values.
    @inlinable
    public mutating func append<S: Sequence>(contentsOf values: S) where S.Element == UInt32 {
        for value in values { append(value) }
    }

    /// Flushes pending values and returns the encoded bytes; the encoder is empty afterwards.
    public mutating func finish() -> [UInt8] {
        _commitRun()
        _flushLiterals()
        let bytes = writer.bytes
        writer.removeAll(keepingCapacity: false)
        return bytes
    }

    /// Encodes `values` in one call.
    public static func encode<S: Sequence>(_ values: S, bitWidth: Int) -> [UInt8] where S.Element == Int32 {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        encoder.append(contentsOf: values)
        return encoder.finish()
    }

    /// Encodes `values` in one call.
    public static func encode<S: Sequence>(_ values: S, bitWidth: Int) -> [UInt8] where S.Element == UInt32 {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        encoder.append(contentsOf: values)
        return encoder.finish()
    }

    @usableFromInline
    mutating func _commitRun() {
        guard runLength > 0 else { return }
        var left = runLength
        runLength = 0
        // Complete a partial literal group first: RLE runs may only start on a group boundary.
        let partial = literals.count % 8
        if partial != 0 {
            let take = Swift.min(8 &- partial, left)
            _appendLiterals(runValue, count: take)
            left &-= take
        }
        if left >= 8 {
            _flushLiterals()
            _writeRepeatedRun(runValue, count: left)
        } else {
            _appendLiterals(runValue, count: left)
        }
    }

    @usableFromInline
    mutating func _appendLiterals(_ value: UInt32, count: Int) {
        for _ in 0..<count {
            literals.append(UInt64(value))
            if literals.count == Self.maxLiteralCount { _flushLiterals() }
        }
    }

    @usableFromInline
    mutating func _flushLiterals() {
        guard !literals.isEmpty else { return }
        while literals.count % 8 != 0 { literals.append(0) }
        let groups = literals.count / 8
        writer.writeULEB128(UInt64(groups) << 1 | 1)
        literals.withUnsafeBufferPointer { BitPacking.pack($0, width: bitWidth, into: &writer) }
        literals.removeAll(keepingCapacity: true)
    }

    @usableFromInline
    mutating func _writeRepeatedRun(_ value: UInt32, count: Int) {
        var left = count
        while left > 0 {
            let length = Swift.min(left, Int(Int32.max))
            writer.writeULEB128(UInt64(length) << 1)
            var v = value
            for _ in 0..<((bitWidth + 7) / 8) {
                writer.writeUInt8(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
            left -= length
        }
    }
}
