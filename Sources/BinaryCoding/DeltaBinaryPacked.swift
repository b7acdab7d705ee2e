/// Decodes Parquet's `DELTA_BINARY_PACKED` encoding (INT32 and INT64 columns, and the lengths
/// inside `DELTA_LENGTH_BYTE_ARRAY` and `DELTA_BYTE_ARRAY`).
///
/// The header is validated when the decoder is created: the block size must be a positive
/// multiple of 128, the miniblock count must divide it into miniblocks of a multiple of 32
/// values, and the total value count must not exceed the caller's `maxValueCount`. Miniblock bit
/// widths above 64 throw `.invalidValue`. Arithmetic wraps around in two's complement, as the
/// specification requires; `Int32` results are the low 32 bits of the same computation.
///
/// Values can be taken in batches. After the last value is taken, ``bytesConsumed`` is the
/// length of the encoded data (including the padding of the last miniblock), which is where
/// data that follows it starts.
///
/// ```swift
/// var decoder = try DeltaBinaryPackedDecoder(bytes, baseOffset: offset, maxValueCount: numValues)
/// var values: [Int64] = []
/// try decoder.decode(count: decoder.totalValueCount, appendingTo: &values)
/// ```
public struct DeltaBinaryPackedDecoder {
    @usableFromInline
    var reader: ByteReader

    /// The number of values per block (a multiple of 128).
    public let blockSize: Int

    /// The number of miniblocks per block.
    public let miniblocksPerBlock: Int

    /// The number of values per miniblock (a multiple of 32).
    public let valuesPerMiniblock: Int

    /// The number of values the header announces.
    public let totalValueCount: Int

    @usableFromInline
    var _remaining: Int

    @usableFromInline
    var firstPending: Bool

    @usableFromInline
    var lastValue: UInt64

    @usableFromInline
    var minDelta: UInt64 = 0

    /// Position of the current block's bit-width bytes in the input.
    @usableFromInline
    var widthsPosition: Int = 0

    /// Index of the current miniblock in its block; `miniblocksPerBlock` before the first block.
    @usableFromInline
    var miniblockIndex: Int

    /// Values of the current miniblock (including padding) not yet unpacked.
    @usableFromInline
    var miniblockRemaining: Int = 0

    @usableFromInline
    var currentWidth: Int = 0

    @usableFromInline
    var group: SIMD8<UInt64> = .zero

    @usableFromInline
    var groupIndex: Int = 8

    /// Parses and validates the header.
    ///
    /// - Parameters:
    ///   - bytes: The encoded data (it may be followed by other data). The caller keeps it alive.
    ///   - baseOffset: The absolute offset of `bytes`, used in errors.
    ///   - maxValueCount: The largest total value count the caller accepts, typically the page's
    ///     value count. A larger count in the header throws `.lengthOutOfRange`.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, maxValueCount: Int) throws(BinaryDecodingError) {
        var reader = ByteReader(bytes, baseOffset: baseOffset)
        let blockOffset = reader.absoluteOffset
        let blockSize = try reader.readULEB128()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Int32.max) else {
            throw .invalidValue(at: blockOffset, "delta block size \(blockSize) is not a positive multiple of 128")
        }
        let miniblockOffset = reader.absoluteOffset
        let miniblocks = try reader.readULEB128()
        guard miniblocks > 0, miniblocks <= blockSize, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw .invalidValue(
                at: miniblockOffset,
                "delta miniblock count \(miniblocks) does not split block size \(blockSize) into multiples of 32"
            )
        }
        let countOffset = reader.absoluteOffset
        let total = try reader.readULEB128()
        guard total <= UInt64(Swift.max(0, maxValueCount)) else {
            throw .lengthOutOfRange(at: countOffset, "delta value count \(total) exceeds the limit of \(maxValueCount)")
        }
        let first = try reader.readZigZagInt64()
        self.reader = reader
        self.blockSize = Int(blockSize)
        self.miniblocksPerBlock = Int(miniblocks)
        self.valuesPerMiniblock = Int(blockSize / miniblocks)
        self.totalValueCount = Int(total)
        self._remaining = Int(total)
        self.firstPending = total > 0
        self.lastValue = UInt64(bitPattern: first)
        self.miniblockIndex = Int(miniblocks)
    }

    /// The number of values not yet decoded.
    @inlinable
    public var remainingValueCount: Int { _remaining }

    /// The number of input bytes consumed so far. Once every value has been decoded this is the
    /// encoded length.
    @inlinable
    public var bytesConsumed: Int { reader.position }

    /// Decodes exactly `buffer.count` values.
    @inlinable
    public mutating func decode(into buffer: UnsafeMutableBufferPointer<Int64>) throws(BinaryDecodingError) {
        guard let base = buffer.baseAddress else { return }
        try _decode(base, count: buffer.count)
    }

    /// Decodes exactly `buffer.count` values, keeping the low 32 bits of each.
    @inlinable
    public mutating func decode(into buffer: UnsafeMutableBufferPointer<Int32>) throws(BinaryDecodingError) {
        guard let base = buffer.baseAddress else { return }
        try _decode(base, count: buffer.count)
    }

    /// Decodes `count` values and appends them to `values`. On error `values` is restored.
    @inlinable
    public mutating func decode(count: Int, appendingTo values: inout [Int64]) throws(BinaryDecodingError) {
        try _decode(count: count, appendingTo: &values)
    }

    /// Decodes `count` values, keeping the low 32 bits of each, and appends them to `values`.
    /// On error `values` is restored.
    @inlinable
    public mutating func decode(count: Int, appendingTo values: inout [Int32]) throws(BinaryDecodingError) {
        try _decode(count: count, appendingTo: &values)
    }

    /// Decodes and discards the remaining values, so that ``bytesConsumed`` is the encoded
    /// length.
    @inlinable
    public mutating func skipRemaining() throws(BinaryDecodingError) {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &scratch) { (raw) throws(BinaryDecodingError) in
            let pointer = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
            while _remaining > 0 {
                try _decode(pointer, count: Swift.min(8, _remaining))
            }
        }
    }

    @inlinable
    mutating func _decode<T: FixedWidthInteger>(count: Int, appendingTo values: inout [T]) throws(BinaryDecodingError) {
        guard count >= 0 else {
            throw .lengthOutOfRange(at: reader.absoluteOffset, "negative value count \(count)")
        }
        guard count <= _remaining else { throw _tooMany(count) }
        let originalCount = values.count
        var left = count
        do {
            while left > 0 {
                let chunk = Swift.min(left, 1 << 16)
                let start = values.count
                values.append(contentsOf: repeatElement(0, count: chunk))
                try values.withUnsafeMutableBufferPointer { (buffer) throws(BinaryDecodingError) in
                    try _decode(buffer.baseAddress.unsafelyUnwrapped + start, count: chunk)
                }
                left &-= chunk
            }
        } catch {
            values.removeSubrange(originalCount...)
            throw error
        }
    }

    @usableFromInline
    @inline(never)
    func _tooMany(_ count: Int) -> BinaryDecodingError {
        .truncated(at: reader.absoluteOffset, "\(count) delta value(s) requested but only \(_remaining) remain")
    }

    @inlinable
    mutating func _decode<T: FixedWidthInteger>(_ out: UnsafeMutablePointer<T>, count: Int) throws(BinaryDecodingError) {
        guard count > 0 else { return }
        guard count <= _remaining else { throw _tooMany(count) }
        var i = 0
        if firstPending {
            out[0] = T(truncatingIfNeeded: lastValue)
            firstPending = false
            _remaining &-= 1
            i = 1
        }
        while i < count {
            if groupIndex == 8 {
                if miniblockRemaining == 0 { try _startMiniblock() }
                // Fast path: whole groups of the current miniblock straight into the output.
                let width = currentWidth
                let groups = Swift.min((count &- i) / 8, miniblockRemaining / 8)
                if groups > 0 && reader.remaining >= groups &* width &+ 16 {
                    var deltas: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
                    var last = lastValue
                    let delta = minDelta
                    withUnsafeMutableBytes(of: &deltas) { raw in
                        let d = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt64.self)
                        var source = reader._pointer
                        for _ in 0..<groups {
                            BitPacking.unpack8x64(source, available: width &+ 16, width: width, into: d)
                            for j in 0..<8 {
                                last = last &+ delta &+ d[j]
                                out[i &+ j] = T(truncatingIfNeeded: last)
                            }
                            source += width
                            i &+= 8
                        }
                    }
                    lastValue = last
                    reader._position &+= groups &* width
                    miniblockRemaining &-= groups &* 8
                    _remaining &-= groups &* 8
                    continue
                }
                _loadGroup()
            }
            let take = Swift.min(8 &- groupIndex, count &- i)
            var last = lastValue
            let delta = minDelta
            for j in 0..<take {
                last = last &+ delta &+ group[groupIndex &+ j]
                out[i &+ j] = T(truncatingIfNeeded: last)
            }
            lastValue = last
            groupIndex &+= take
            i &+= take
            _remaining &-= take
        }
        if _remaining == 0 {
            // Skip the padding groups of the last miniblock (validated when it was started).
            reader._position &+= (miniblockRemaining / 8) &* currentWidth
            miniblockRemaining = 0
        }
    }

    /// Starts the next miniblock, reading a block header first if the block is exhausted, and
    /// checks that the miniblock's bytes are present.
    @inlinable
    mutating func _startMiniblock() throws(BinaryDecodingError) {
        miniblockIndex &+= 1
        if miniblockIndex >= miniblocksPerBlock {
            minDelta = UInt64(bitPattern: try reader.readZigZagInt64())
            widthsPosition = reader.position
            do {
                try reader.skip(miniblocksPerBlock)
            } catch {
                throw .truncated(at: error.offset, "delta block ends inside its miniblock bit widths")
            }
            miniblockIndex = 0
        }
        let width = Int(reader.bytes.load(fromByteOffset: widthsPosition &+ miniblockIndex, as: UInt8.self))
        guard width <= 64 else {
            throw .invalidValue(
                at: reader.baseOffset &+ widthsPosition &+ miniblockIndex,
                "delta miniblock bit width \(width) exceeds 64"
            )
        }
        let needed = (valuesPerMiniblock / 8) &* width
        guard needed <= reader.remaining else {
            throw .truncated(at: reader.absoluteOffset, needed: needed, available: reader.remaining, "delta miniblock")
        }
        currentWidth = width
        miniblockRemaining = valuesPerMiniblock
    }

    /// Unpacks the next group of the current (started) miniblock into `group`.
    @inlinable
    mutating func _loadGroup() {
        let available = reader.remaining
        let source: UnsafeRawPointer? = available > 0 ? reader._pointer : nil
        withUnsafeMutablePointer(to: &group) { pointer in
            pointer.withMemoryRebound(to: UInt64.self, capacity: 8) { values in
                BitPacking.unpack8x64(source, available: available, width: currentWidth, into: values)
            }
        }
        reader._position &+= currentWidth
        miniblockRemaining &-= 8
        groupIndex = 0
    }
}

/// Encodes `DELTA_BINARY_PACKED` data for `Int32` or `Int64` values (any signed fixed-width
/// integer works).
///
/// Deltas are computed in `Value`'s own wrapping arithmetic, so `Int32` data never needs more
/// than 32 bits per value, as the specification requires.
///
/// ```swift
/// let bytes = DeltaBinaryPackedEncoder.encode([1, 2, 3, 4, 5] as [Int64])
/// ```
public struct DeltaBinaryPackedEncoder<Value: FixedWidthInteger & SignedInteger & Sendable>: Sendable {
    /// Values per block (a multiple of 128).
    public let blockSize: Int
    /// Miniblocks per block.
    public let miniblocksPerBlock: Int

    @usableFromInline
    var body = ByteWriter()

    @usableFromInline
    var deltas: [Value] = []

    @usableFromInline
    var scratch: [UInt64] = []

    @usableFromInline
    var count = 0

    @usableFromInline
    var first: Value = 0

    @usableFromInline
    var previous: Value = 0

    /// Creates an encoder.
    ///
    /// - Precondition: `blockSize` is a positive multiple of 128 and `miniblocksPerBlock` divides
    ///   it into miniblocks whose size is a multiple of 32.
    public init(blockSize: Int = 128, miniblocksPerBlock: Int = 4) {
        precondition(blockSize > 0 && blockSize % 128 == 0, "block size must be a positive multiple of 128")
        precondition(
            miniblocksPerBlock > 0 && blockSize % miniblocksPerBlock == 0 && (blockSize / miniblocksPerBlock) % 32 == 0,
            "miniblocks must hold a multiple of 32 values"
        )
        self.blockSize = blockSize
        self.miniblocksPerBlock = miniblocksPerBlock
        deltas.reserveCapacity(blockSize)
        scratch.reserveCapacity(blockSize / miniblocksPerBlock)
    }

    /// The number of values appended so far.
    public var valueCount: Int { count }

    /// Appends a value.
    @inlinable
    public mutating func append(_ value: Value) {
        if count == 0 {
            first = value
        } else {
            deltas.append(value &- previous)
            if deltas.count == blockSize { _flushBlock() }
        }
        previous = value
        count &+= 1
    }

    /// Appends values.
    @inlinable
    public mutating func append<S: Sequence>(contentsOf values: S) where S.Element == Value {
        for value in values { append(value) }
    }

    /// Returns the encoded bytes (header and blocks); the encoder is empty afterwards.
    public mutating func finish() -> [UInt8] {
        _flushBlock()
        var header = ByteWriter(capacity: 32 + body.count)
        header.writeULEB128(UInt64(blockSize))
        header.writeULEB128(UInt64(miniblocksPerBlock))
        header.writeULEB128(UInt64(count))
        header.writeZigZag(Int64(truncatingIfNeeded: first))
        header.writeBytes(body.bytes)
        body.removeAll(keepingCapacity: false)
        count = 0
        first = 0
        previous = 0
        return header.bytes
    }

    /// Encodes `values` in one call.
    public static func encode<S: Sequence>(
        _ values: S,
        blockSize: Int = 128,
        miniblocksPerBlock: Int = 4
    ) -> [UInt8] where S.Element == Value {
        var encoder = DeltaBinaryPackedEncoder(blockSize: blockSize, miniblocksPerBlock: miniblocksPerBlock)
        encoder.append(contentsOf: values)
        return encoder.finish()
    }

    @usableFromInline
    mutating func _flushBlock() {
        let n = deltas.count
        guard n > 0 else { return }
        var minDelta = deltas[0]
        for delta in deltas where delta < minDelta { minDelta = delta }
        body.writeZigZag(Int64(truncatingIfNeeded: minDelta))
        let perMiniblock = blockSize / miniblocksPerBlock
        let widthsStart = body.count
        body.writeRepeating(0, count: miniblocksPerBlock)
        var miniblock = 0
        while miniblock < miniblocksPerBlock && miniblock * perMiniblock < n {
            let lower = miniblock * perMiniblock
            let upper = Swift.min(lower + perMiniblock, n)
            scratch.removeAll(keepingCapacity: true)
            var bits: UInt64 = 0
            for index in lower..<upper {
                // Non-negative by construction, so it fits in Value's unsigned counterpart.
                let relative = UInt64(truncatingIfNeeded: Value.Magnitude(truncatingIfNeeded: deltas[index] &- minDelta))
                scratch.append(relative)
                bits |= relative
            }
            while scratch.count < perMiniblock { scratch.append(0) }
            let width = BitPacking.bitWidth(of: bits)
            body.bytes[widthsStart + miniblock] = UInt8(width)
            scratch.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &body) }
            miniblock += 1
        }
        deltas.removeAll(keepingCapacity: true)
    }
}
