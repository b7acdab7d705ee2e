import BinaryCoding

/// Thin adapters from the page decoders to the BinaryCoding kernels.
enum Kernels {
    static func bitWidth(_ maxLevel: Int) -> Int {
        RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(maxLevel))
    }

    /// Decodes `count` RLE/bit-packed hybrid values (levels or dictionary indices).
    static func decodeLevels(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int, baseOffset: Int, into values: inout [Int32]) throws(BinaryDecodingError) {
        var decoder = try RLEBitPackedHybridDecoder(bytes, bitWidth: bitWidth, baseOffset: baseOffset)
        try decoder.decode(count: count, appendingTo: &values)
    }

    static func decodeDeltaBinaryPacked32(_ r: inout ByteReader, count: Int, into values: inout [Int32]) throws(BinaryDecodingError) {
        let start = r.absoluteOffset
        var decoder = try DeltaBinaryPackedDecoder(r.remainingBytes, baseOffset: start, maxValueCount: count)
        try decoder.decode(count: count, appendingTo: &values)
        try decoder.skipRemaining()
        try r.skip(decoder.bytesConsumed)
    }

    static func decodeDeltaBinaryPacked64(_ r: inout ByteReader, count: Int, into values: inout [Int64]) throws(BinaryDecodingError) {
        let start = r.absoluteOffset
        var decoder = try DeltaBinaryPackedDecoder(r.remainingBytes, baseOffset: start, maxValueCount: count)
        try decoder.decode(count: count, appendingTo: &values)
        try decoder.skipRemaining()
        try r.skip(decoder.bytesConsumed)
    }

    /// Upper bound on bytes a byte-array page may expand to.
    static let maxByteArrayBytes = Int(Int32.max)

    static func decodeDeltaLengthByteArray(_ r: inout ByteReader, count: Int, offsets: inout [Int32], data: inout [UInt8]) throws(BinaryDecodingError) {
        let (decoded, consumed) = try DeltaLengthByteArray.decode(r.remainingBytes, baseOffset: r.absoluteOffset, maxValueCount: count, maxByteCount: maxByteArrayBytes - data.count, offsets: &offsets, data: &data)
        guard decoded == count else {
            throw BinaryDecodingError(code: .invalidValue, offset: r.absoluteOffset, message: "expected \(count) values, found \(decoded)")
        }
        try r.skip(consumed)
    }

    static func decodeDeltaByteArray(_ r: inout ByteReader, count: Int, offsets: inout [Int32], data: inout [UInt8]) throws(BinaryDecodingError) {
        let (decoded, consumed) = try DeltaByteArray.decode(r.remainingBytes, baseOffset: r.absoluteOffset, maxValueCount: count, maxByteCount: maxByteArrayBytes - data.count, offsets: &offsets, data: &data)
        guard decoded == count else {
            throw BinaryDecodingError(code: .invalidValue, offset: r.absoluteOffset, message: "expected \(count) values, found \(decoded)")
        }
        try r.skip(consumed)
    }
}
