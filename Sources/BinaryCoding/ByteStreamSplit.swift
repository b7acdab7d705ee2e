/// A value that `BYTE_STREAM_SPLIT` can scatter byte-wise: a fixed-size number whose in-memory
/// bytes, on the little-endian hosts Swift runs on, are its Parquet PLAIN bytes.
public protocol ByteStreamSplitValue: BitwiseCopyable {}

extension Float: ByteStreamSplitValue {}
extension Double: ByteStreamSplitValue {}
extension Int32: ByteStreamSplitValue {}
extension UInt32: ByteStreamSplitValue {}
extension Int64: ByteStreamSplitValue {}
extension UInt64: ByteStreamSplitValue {}
extension Int16: ByteStreamSplitValue {}
extension UInt16: ByteStreamSplitValue {}

/// Parquet's `BYTE_STREAM_SPLIT` encoding: for values of `K` bytes, byte `k` of every value is
/// stored in stream `k`, and the `K` streams are concatenated.
///
/// The value count is the input length divided by the width (the stream has no header); an
/// input whose length is not a multiple of the width throws `.truncated`.
public enum ByteStreamSplit {
    @usableFromInline
    static func _valueCount(_ byteCount: Int, width: Int, baseOffset: Int) throws(BinaryDecodingError) -> Int {
        guard width > 0 else {
            throw .invalidValue(at: baseOffset, "byte stream split width \(width) must be positive")
        }
        guard byteCount % width == 0 else {
            throw .truncated(at: baseOffset &+ byteCount, "byte stream split data of \(byteCount) bytes is not a multiple of the \(width)-byte width")
        }
        return byteCount / width
    }

    /// Reassembles values of `width` bytes from `bytes` into `destination`, which must have the
    /// same size as `bytes`.
    @inlinable
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        width: Int,
        baseOffset: Int = 0,
        into destination: UnsafeMutableRawBufferPointer
    ) throws(BinaryDecodingError) {
        let count = try _valueCount(bytes.count, width: width, baseOffset: baseOffset)
        precondition(destination.count == bytes.count, "destination must be as large as the input")
        guard count > 0, let source = bytes.baseAddress, let target = destination.baseAddress else { return }
        _unsplit(source, count: count, width: width, into: target)
    }

    /// Reassembles values of `width` bytes (4 for FLOAT/INT32, 8 for DOUBLE/INT64, the type
    /// length for FIXED_LEN_BYTE_ARRAY) and appends their bytes, value after value, to `output`.
    ///
    /// - Returns: The number of values decoded.
    @inlinable
    @discardableResult
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        width: Int,
        baseOffset: Int = 0,
        appendingTo output: inout [UInt8]
    ) throws(BinaryDecodingError) -> Int {
        let count = try _valueCount(bytes.count, width: width, baseOffset: baseOffset)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count))
        output.withUnsafeMutableBytes { raw in
            if count > 0, let source = bytes.baseAddress {
                _unsplit(source, count: count, width: width, into: raw.baseAddress.unsafelyUnwrapped + start)
            }
        }
        return count
    }

    /// Reassembles numeric values and appends them to `output`.
    ///
    /// - Returns: The number of values decoded.
    @inlinable
    @discardableResult
    public static func decode<T: ByteStreamSplitValue>(
        _ bytes: UnsafeRawBufferPointer,
        as type: T.Type,
        baseOffset: Int = 0,
        appendingTo output: inout [T]
    ) throws(BinaryDecodingError) -> Int {
        let width = MemoryLayout<T>.size
        let count = try _valueCount(bytes.count, width: width, baseOffset: baseOffset)
        guard count > 0, let source = bytes.baseAddress else { return 0 }
        #if _endian(big)
        fatalError("ByteStreamSplit typed decoding assumes a little-endian host")
        #endif
        let decoded = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            _unsplit(source, count: count, width: width, into: UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped))
            initialized = count
        }
        if output.isEmpty {
            output = decoded
        } else {
            output.append(contentsOf: decoded)
        }
        return count
    }

    /// Splits `count` values of `width` bytes, stored value after value in `values`, into byte
    /// streams.
    ///
    /// - Precondition: `width > 0` and `values.count` is a multiple of `width`.
    public static func encode(_ values: UnsafeRawBufferPointer, width: Int) -> [UInt8] {
        precondition(width > 0 && values.count % width == 0, "input must hold whole values")
        let count = values.count / width
        return [UInt8](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            if count > 0, let source = values.baseAddress, let target = buffer.baseAddress {
                _split(source, count: count, width: width, into: UnsafeMutableRawPointer(target))
            }
            initialized = values.count
        }
    }

    /// Splits numeric values into byte streams.
    public static func encode<T: ByteStreamSplitValue>(_ values: [T]) -> [UInt8] {
        #if _endian(big)
        fatalError("ByteStreamSplit typed encoding assumes a little-endian host")
        #endif
        return values.withUnsafeBytes { encode($0, width: MemoryLayout<T>.size) }
    }

    /// Interleaves `width` streams of `count` bytes into `count` values.
    @inlinable
    static func _unsplit(_ source: UnsafeRawPointer, count: Int, width: Int, into target: UnsafeMutableRawPointer) {
        @inline(__always) func byte(_ offset: Int) -> UInt8 { source.load(fromByteOffset: offset, as: UInt8.self) }
        switch width {
        case 4:
            for i in 0..<count {
                let value = UInt32(byte(i))
                    | UInt32(byte(count &+ i)) &<< 8
                    | UInt32(byte(2 &* count &+ i)) &<< 16
                    | UInt32(byte(3 &* count &+ i)) &<< 24
                target.storeBytes(of: value.littleEndian, toByteOffset: i &* 4, as: UInt32.self)
            }
        case 8:
            for i in 0..<count {
                var value: UInt64 = 0
                for k in 0..<8 {
                    value |= UInt64(byte(k &* count &+ i)) &<< UInt64(8 &* k)
                }
                target.storeBytes(of: value.littleEndian, toByteOffset: i &* 8, as: UInt64.self)
            }
        default:
            for k in 0..<width {
                let stream = k &* count
                for i in 0..<count {
                    target.storeBytes(of: byte(stream &+ i), toByteOffset: i &* width &+ k, as: UInt8.self)
                }
            }
        }
    }

    /// Scatters `count` values of `width` bytes into `width` streams.
    @inlinable
    static func _split(_ source: UnsafeRawPointer, count: Int, width: Int, into target: UnsafeMutableRawPointer) {
        switch width {
        case 4:
            for i in 0..<count {
                let value = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                for k in 0..<4 {
                    target.storeBytes(of: UInt8(truncatingIfNeeded: value &>> UInt32(8 &* k)), toByteOffset: k &* count &+ i, as: UInt8.self)
                }
            }
        case 8:
            for i in 0..<count {
                let value = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
                for k in 0..<8 {
                    target.storeBytes(of: UInt8(truncatingIfNeeded: value &>> UInt64(8 &* k)), toByteOffset: k &* count &+ i, as: UInt8.self)
                }
            }
        default:
            for k in 0..<width {
                let stream = k &* count
                for i in 0..<count {
                    target.storeBytes(
                        of: source.load(fromByteOffset: i &* width &+ k, as: UInt8.self),
                        toByteOffset: stream &+ i,
                        as: UInt8.self
                    )
                }
            }
        }
    }
}
