/// Parquet's `DELTA_LENGTH_BYTE_ARRAY` encoding: the value lengths, `DELTA_BINARY_PACKED`,
/// followed by all value bytes concatenated.
///
/// Decoding appends Arrow-style: `offsets` must already hold its leading entry (equal to
/// `data.count`, normally `[0]` with empty `data`); one end offset is appended per value.
///
/// ```swift
/// var offsets: [Int32] = [0]
/// var data: [UInt8] = []
/// let (count, _) = try DeltaLengthByteArray.decode(
///     pageBytes, baseOffset: offset, maxValueCount: numValues, maxByteCount: pageSizeLimit,
///     offsets: &offsets, data: &data)
/// ```
public enum DeltaLengthByteArray {
    /// Decodes every value of the stream.
    ///
    /// - Parameters:
    ///   - bytes: The encoded data. The caller keeps it alive.
    ///   - baseOffset: The absolute offset of `bytes`, used in errors.
    ///   - maxValueCount: The largest value count accepted (typically the page's value count).
    ///   - maxByteCount: The largest number of bytes this call may append to `data`.
    ///   - offsets: Arrow-style end offsets; one entry is appended per value.
    ///   - data: The value bytes are appended here.
    /// - Returns: The number of values decoded and the number of input bytes they occupied.
    ///
    /// Negative lengths throw `.invalidValue`; value bytes beyond the input throw `.truncated`;
    /// exceeding `maxByteCount` or `Int32` offsets throws `.lengthOutOfRange`. On error
    /// `offsets` and `data` are unchanged.
    ///
    /// - Precondition: `offsets.last == data.count`.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        baseOffset: Int = 0,
        maxValueCount: Int,
        maxByteCount: Int,
        offsets: inout [Int32],
        data: inout [UInt8]
    ) throws(BinaryDecodingError) -> (valueCount: Int, bytesConsumed: Int) {
        precondition(offsets.last.map(Int.init) == data.count, "offsets must end with data.count")
        let (lengths, lengthsEnd) = try ByteArrayCoding.decodeLengths(bytes, baseOffset: baseOffset, maxValueCount: maxValueCount)
        var total = 0
        for length in lengths {
            guard length >= 0 else {
                throw .invalidValue(at: baseOffset, "negative byte array length \(length)")
            }
            guard Int(length) <= maxByteCount &- total else {
                throw .lengthOutOfRange(at: baseOffset, "byte array data exceeds the limit of \(maxByteCount) bytes")
            }
            total &+= Int(length)
        }
        let available = bytes.count &- lengthsEnd
        guard total <= available else {
            throw .truncated(at: baseOffset &+ lengthsEnd, needed: total, available: available, "byte array data")
        }
        let base = data.count
        guard total <= Int(Int32.max) &- base else {
            throw .lengthOutOfRange(at: baseOffset &+ lengthsEnd, "byte array data exceeds Int32 offsets")
        }
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[lengthsEnd..<(lengthsEnd &+ total)]))
        offsets.reserveCapacity(offsets.count &+ lengths.count)
        var end = base
        for length in lengths {
            end &+= Int(length)
            offsets.append(Int32(truncatingIfNeeded: end))
        }
        return (lengths.count, lengthsEnd &+ total)
    }

    /// Encodes byte arrays.
    ///
    /// - Precondition: Every value is shorter than 2 GiB.
    public static func encode<C: Collection>(_ values: C) -> [UInt8] where C.Element: Collection, C.Element.Element == UInt8 {
        var lengths = DeltaBinaryPackedEncoder<Int32>()
        var total = 0
        for value in values {
            let count = value.count
            precondition(count <= Int(Int32.max), "byte array too long")
            lengths.append(Int32(count))
            total += count
        }
        var writer = ByteWriter(appendingTo: lengths.finish())
        writer.reserveCapacity(writer.count + total)
        for value in values { writer.writeBytes(value) }
        return writer.bytes
    }

    /// Encodes Arrow-style byte arrays: value `i` is `data[offsets[i]..<offsets[i + 1]]`.
    public static func encode(offsets: [Int32], data: [UInt8]) -> [UInt8] {
        encode(ByteArrayCoding.slices(offsets: offsets, data: data))
    }
}

/// Parquet's `DELTA_BYTE_ARRAY` encoding (incremental or front coding): the length of the
/// prefix shared with the previous value (`DELTA_BINARY_PACKED`), then the suffixes as
/// `DELTA_LENGTH_BYTE_ARRAY`.
///
/// The previous value starts empty for every call (each page starts afresh).
public enum DeltaByteArray {
    /// Decodes every value of the stream. Parameters, result and errors are those of
    /// ``DeltaLengthByteArray/decode(_:baseOffset:maxValueCount:maxByteCount:offsets:data:)``;
    /// in addition a prefix longer than the previous value, or differing prefix and suffix
    /// counts, throw `.invalidValue`. `maxByteCount` bounds the reconstructed values, which can
    /// be far larger than the input.
    ///
    /// - Precondition: `offsets.last == data.count`.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        baseOffset: Int = 0,
        maxValueCount: Int,
        maxByteCount: Int,
        offsets: inout [Int32],
        data: inout [UInt8]
    ) throws(BinaryDecodingError) -> (valueCount: Int, bytesConsumed: Int) {
        precondition(offsets.last.map(Int.init) == data.count, "offsets must end with data.count")
        let (prefixes, prefixesEnd) = try ByteArrayCoding.decodeLengths(bytes, baseOffset: baseOffset, maxValueCount: maxValueCount)
        let suffixBytes = UnsafeRawBufferPointer(rebasing: bytes[prefixesEnd...])
        let suffixOffset = baseOffset &+ prefixesEnd
        let (suffixes, suffixesEnd) = try ByteArrayCoding.decodeLengths(suffixBytes, baseOffset: suffixOffset, maxValueCount: maxValueCount)
        guard suffixes.count == prefixes.count else {
            throw .invalidValue(
                at: suffixOffset,
                "\(prefixes.count) prefix length(s) but \(suffixes.count) suffix length(s)"
            )
        }
        // Validate everything and size the output before touching `data`.
        var suffixTotal = 0
        var total = 0
        var previousLength = 0
        for index in 0..<prefixes.count {
            let prefix = Int(prefixes[index])
            let suffix = Int(suffixes[index])
            guard prefix >= 0, prefix <= previousLength else {
                throw .invalidValue(at: baseOffset, "prefix length \(prefix) of value \(index) exceeds the previous value's length \(previousLength)")
            }
            guard suffix >= 0 else {
                throw .invalidValue(at: suffixOffset, "negative suffix length \(suffix)")
            }
            guard suffix <= suffixBytes.count &- suffixTotal else {
                throw .truncated(at: suffixOffset &+ suffixesEnd, "suffix data ends before value \(index)")
            }
            suffixTotal &+= suffix
            let length = prefix &+ suffix
            guard length <= maxByteCount &- total else {
                throw .lengthOutOfRange(at: baseOffset, "byte array data exceeds the limit of \(maxByteCount) bytes")
            }
            total &+= length
            previousLength = length
        }
        guard suffixTotal <= suffixBytes.count &- suffixesEnd else {
            throw .truncated(
                at: suffixOffset &+ suffixesEnd,
                needed: suffixTotal,
                available: suffixBytes.count &- suffixesEnd,
                "suffix data"
            )
        }
        let base = data.count
        guard total <= Int(Int32.max) &- base else {
            throw .lengthOutOfRange(at: baseOffset, "byte array data exceeds Int32 offsets")
        }
        data.append(contentsOf: repeatElement(0, count: total))
        offsets.reserveCapacity(offsets.count &+ prefixes.count)
        data.withUnsafeMutableBytes { output in
            let out = output.baseAddress
            var source = suffixBytes.baseAddress.map { $0 + suffixesEnd }
            var previousStart = base
            var position = base
            for index in 0..<prefixes.count {
                let prefix = Int(prefixes[index])
                let suffix = Int(suffixes[index])
                if prefix > 0, let out {
                    (out + position).copyMemory(from: out + previousStart, byteCount: prefix)
                }
                if suffix > 0, let out, let from = source {
                    (out + (position &+ prefix)).copyMemory(from: from, byteCount: suffix)
                    source = from + suffix
                }
                previousStart = position
                position &+= prefix &+ suffix
                offsets.append(Int32(truncatingIfNeeded: position))
            }
        }
        return (prefixes.count, prefixesEnd &+ suffixesEnd &+ suffixTotal)
    }

    /// Encodes byte arrays with front coding.
    ///
    /// - Precondition: Every value is shorter than 2 GiB.
    public static func encode<C: Collection>(_ values: C) -> [UInt8] where C.Element: Collection, C.Element.Element == UInt8 {
        var prefixes = DeltaBinaryPackedEncoder<Int32>()
        var suffixLengths = DeltaBinaryPackedEncoder<Int32>()
        var suffixData = ByteWriter()
        var previous: [UInt8] = []
        var current: [UInt8] = []
        for value in values {
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: value)
            precondition(current.count <= Int(Int32.max), "byte array too long")
            var prefix = 0
            let limit = Swift.min(previous.count, current.count)
            while prefix < limit && previous[prefix] == current[prefix] { prefix += 1 }
            prefixes.append(Int32(prefix))
            suffixLengths.append(Int32(current.count - prefix))
            suffixData.writeBytes(current[prefix...])
            swap(&previous, &current)
        }
        var writer = ByteWriter(appendingTo: prefixes.finish())
        writer.writeBytes(suffixLengths.finish())
        writer.writeBytes(suffixData.bytes)
        return writer.bytes
    }

    /// Encodes Arrow-style byte arrays: value `i` is `data[offsets[i]..<offsets[i + 1]]`.
    public static func encode(offsets: [Int32], data: [UInt8]) -> [UInt8] {
        encode(ByteArrayCoding.slices(offsets: offsets, data: data))
    }
}

@usableFromInline
enum ByteArrayCoding {
    /// Decodes a complete `DELTA_BINARY_PACKED` stream of lengths.
    static func decodeLengths(
        _ bytes: UnsafeRawBufferPointer,
        baseOffset: Int,
        maxValueCount: Int
    ) throws(BinaryDecodingError) -> (lengths: [Int32], bytesConsumed: Int) {
        var decoder = try DeltaBinaryPackedDecoder(bytes, baseOffset: baseOffset, maxValueCount: maxValueCount)
        var lengths: [Int32] = []
        try decoder.decode(count: decoder.totalValueCount, appendingTo: &lengths)
        return (lengths, decoder.bytesConsumed)
    }

    static func slices(offsets: [Int32], data: [UInt8]) -> LazyMapCollection<Range<Int>, ArraySlice<UInt8>> {
        precondition(!offsets.isEmpty, "offsets must have a leading entry")
        return (0..<(offsets.count - 1)).lazy.map { data[Int(offsets[$0])..<Int(offsets[$0 + 1])] }
    }
}
