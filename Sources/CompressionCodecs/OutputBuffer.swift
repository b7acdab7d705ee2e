/// The decompression size limits of one call: an exact expected size, or a maximum.
struct OutputLimits {
    let codec: CompressionCodec
    /// The exact size the output must have, if the caller knows it.
    let expectedSize: Int?
    /// The most output bytes that may ever be allocated or produced.
    let capacityLimit: Int

    init(codec: CompressionCodec, expectedSize: Int?, maxOutputSize: Int) throws(CompressionError) {
        let maxOutputSize = max(0, maxOutputSize)
        if let expectedSize {
            if expectedSize < 0 {
                throw CompressionError(
                    code: .sizeMismatch, codec: codec,
                    message: "\(codec.rawValue): expected size \(expectedSize) is negative"
                )
            }
            if expectedSize > maxOutputSize {
                throw CompressionError(
                    code: .outputTooLarge, codec: codec,
                    message: "\(codec.rawValue): expected size \(expectedSize) bytes exceeds the limit of \(maxOutputSize) bytes"
                )
            }
        }
        self.codec = codec
        self.expectedSize = expectedSize
        self.capacityLimit = expectedSize ?? maxOutputSize
    }

    /// Checks a decompressed size known before (or after) decoding against the limits.
    func check(knownSize size: UInt64) throws(CompressionError) {
        if let expectedSize, size != UInt64(expectedSize) {
            throw .sizeMismatch(codec, expected: expectedSize, actual: "\(size)")
        }
        if size > UInt64(capacityLimit) {
            throw .outputTooLarge(codec, limit: capacityLimit, actual: "\(size)")
        }
    }
}

/// A growable output buffer for streaming decoders that never grows past its limit.
///
/// With an expected size the buffer is allocated once at that size. Otherwise it
/// starts at a hint and doubles up to the limit. Once full, decoders are handed a
/// one-byte probe buffer: only if the decoder still produces output does the buffer
/// grow, or, at the limit, is the call rejected.
///
/// The storage's bytes past `count` are allocated but never written by Swift (no
/// zero-filling): decoders write them before anything reads them, and they are cut
/// off before the bytes are returned.
struct BoundedOutput {
    private var storage: [UInt8] = []
    /// Number of bytes produced so far (a prefix of `storage`).
    private(set) var count = 0
    private let limits: OutputLimits
    private let initialCapacity: Int

    init(limits: OutputLimits, sizeHint: Int) {
        self.limits = limits
        if let expectedSize = limits.expectedSize {
            initialCapacity = expectedSize
        } else {
            initialCapacity = min(limits.capacityLimit, max(sizeHint, 4096))
        }
    }

    /// Calls `body` with writable space after the produced bytes. `body` returns its
    /// result and how many bytes it wrote at the start of the buffer.
    mutating func write<R>(
        _ body: (UnsafeMutableRawBufferPointer) -> (result: R, written: Int)
    ) throws(CompressionError) -> R {
        if storage.isEmpty && initialCapacity > 0 {
            reallocate(capacity: initialCapacity)
        }
        if count < storage.count {
            let start = count
            let (result, written) = storage.withUnsafeMutableBytes { buffer in
                body(UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
            }
            count += written
            return result
        }
        // Full: hand the decoder a one-byte probe so it can finish (trailers, checksums)
        // without output, and grow only if it really produces more.
        var probe: UInt8 = 0
        let (result, written) = withUnsafeMutableBytes(of: &probe) { body($0) }
        guard written > 0 else { return result }
        guard storage.count < limits.capacityLimit else {
            if let expectedSize = limits.expectedSize {
                throw .sizeMismatch(limits.codec, expected: expectedSize, actual: "more than \(expectedSize)")
            }
            throw .outputTooLarge(limits.codec, limit: limits.capacityLimit, actual: "more than \(limits.capacityLimit)")
        }
        reallocate(capacity: min(limits.capacityLimit, max(storage.count * 2, 4096)))
        storage[count] = probe
        count += 1
        return result
    }

    /// Replaces the storage by one of `capacity` bytes holding the produced bytes.
    private mutating func reallocate(capacity: Int) {
        storage = Self.makeArray(capacity: capacity, copying: storage, count: count)
    }

    private static func makeArray(capacity: Int, copying source: [UInt8], count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initializedCount in
            source.withUnsafeBytes { old in
                if count > 0 {
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: old.baseAddress!, byteCount: count)
                }
            }
            initializedCount = capacity
        }
    }

    /// Returns the produced bytes, checking them against the expected size. The result
    /// has no spare capacity beyond what an exact-size allocation gives.
    mutating func finish() throws(CompressionError) -> [UInt8] {
        try limits.check(knownSize: UInt64(count))
        var result: [UInt8] = []
        swap(&result, &storage)
        if count < result.count {
            result = Self.makeArray(capacity: count, copying: result, count: count)
        }
        count = 0
        return result
    }
}

extension Array where Element == UInt8 {
    /// Appends at most `bound` bytes produced by `body`, which receives that much
    /// writable scratch space and returns how many bytes it wrote, or an error.
    /// On error the array is left unchanged.
    mutating func append(
        upTo bound: Int,
        _ body: (UnsafeMutableRawBufferPointer) -> Result<Int, CompressionError>
    ) throws(CompressionError) {
        // Compressing into scratch space and copying the (usually much smaller) result
        // keeps the array's own geometric growth and leaves no bound-sized slack in it.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(bound, 1), alignment: 1)
        defer { scratch.deallocate() }
        switch body(UnsafeMutableRawBufferPointer(rebasing: scratch[..<bound])) {
        case .success(let written):
            precondition(written >= 0 && written <= bound, "compressor wrote past its bound")
            append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<written]))
        case .failure(let error):
            throw error
        }
    }
}
