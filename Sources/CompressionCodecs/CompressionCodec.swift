/// A compression codec used by Avro and Parquet.
///
/// All operations are synchronous, thread-safe and allocation-bounded:
/// decompression never allocates more than `expectedSize` (when given) or
/// `maxOutputSize` bytes of output, whatever the input claims.
public enum CompressionCodec: String, Sendable, Hashable, CaseIterable {
    /// No compression: bytes are copied unchanged.
    case uncompressed
    /// Snappy raw block format (no framing), as used by Parquet and Avro.
    case snappy
    /// gzip (RFC 1952). Decompression accepts several concatenated members.
    case gzip
    /// Raw deflate (RFC 1951, no header or checksum), as used by Avro's `deflate` codec.
    case deflate
    /// zlib (RFC 1950: deflate with a 2-byte header and an Adler-32 trailer).
    case zlib
    /// Zstandard frames. Decompression accepts several concatenated frames.
    case zstd
}

extension CompressionCodec {
    /// Compresses `input`, appending the compressed bytes to `output`.
    ///
    /// - Parameters:
    ///   - input: The bytes to compress; may be empty.
    ///   - output: Receives the compressed bytes after its existing contents.
    ///     On failure it is left as it was.
    ///   - level: Codec-specific compression level, clamped to the codec's range:
    ///     0...9 for gzip/deflate/zlib (default 6), `ZSTD_minCLevel()...ZSTD_maxCLevel()`
    ///     for zstd (default 3). Ignored by snappy and uncompressed.
    /// - Throws: ``CompressionError`` with code ``CompressionError/Code/libraryFailure``
    ///   if the library fails (out of memory, input too large for the format).
    public func compress(
        _ input: UnsafeRawBufferPointer,
        appendingTo output: inout [UInt8],
        level: Int? = nil
    ) throws(CompressionError) {
        switch self {
        case .uncompressed:
            output.append(contentsOf: input)
        case .snappy:
            try Snappy.compress(input, appendingTo: &output)
        case .gzip, .deflate, .zlib:
            try Zlib.compress(input, appendingTo: &output, format: ZlibFormat(self), level: level)
        case .zstd:
            try Zstd.compress(input, appendingTo: &output, level: level)
        }
    }

    /// Compresses `input` and returns the compressed bytes.
    ///
    /// See ``compress(_:appendingTo:level:)`` for the meaning of `level`.
    public func compress(_ input: [UInt8], level: Int? = nil) throws(CompressionError) -> [UInt8] {
        var output: [UInt8] = []
        // `Array.withUnsafeBytes` rethrows untyped errors; carry the typed one in a Result.
        try input.withUnsafeBytes { buffer in
            Result { () throws(CompressionError) in try compress(buffer, appendingTo: &output, level: level) }
        }.get()
        return output
    }

    /// Decompresses `input`.
    ///
    /// - Parameters:
    ///   - input: The compressed bytes. Empty input decompresses to empty output
    ///     for every codec (containers such as Parquet store empty pages that way).
    ///   - expectedSize: The exact decompressed size when the container records it
    ///     (Parquet page headers). The output is allocated once with this size and
    ///     must be filled exactly, otherwise ``CompressionError/Code/sizeMismatch``
    ///     is thrown.
    ///   - maxOutputSize: Without `expectedSize`, the output grows as needed but never
    ///     past this many bytes (otherwise ``CompressionError/Code/outputTooLarge``),
    ///     which protects against decompression bombs and lying headers. An
    ///     `expectedSize` larger than this limit is rejected the same way.
    ///   - allowedTrailingBytes: For deflate and zlib: how many bytes may follow the end of the
    ///     compressed stream and are ignored (Python Avro writers leave part of the Adler-32
    ///     after raw deflate data). Anything longer is corrupt input. Default 0.
    /// - Returns: The decompressed bytes.
    /// - Throws: ``CompressionError``: ``CompressionError/Code/corruptInput`` for malformed,
    ///   truncated or checksum-failing input (trailing garbage included),
    ///   ``CompressionError/Code/sizeMismatch``, ``CompressionError/Code/outputTooLarge``,
    ///   or ``CompressionError/Code/libraryFailure``.
    public func decompress(
        _ input: UnsafeRawBufferPointer,
        expectedSize: Int? = nil,
        maxOutputSize: Int = 1 << 31,
        allowedTrailingBytes: Int = 0
    ) throws(CompressionError) -> [UInt8] {
        let limits = try OutputLimits(codec: self, expectedSize: expectedSize, maxOutputSize: maxOutputSize)
        if input.isEmpty {
            try limits.check(knownSize: 0)
            return []
        }
        switch self {
        case .uncompressed:
            try limits.check(knownSize: UInt64(input.count))
            return Array(input)
        case .snappy:
            return try Snappy.decompress(input, limits: limits)
        case .gzip, .deflate, .zlib:
            return try Zlib.decompress(input, format: ZlibFormat(self), limits: limits, allowedTrailingBytes: allowedTrailingBytes)
        case .zstd:
            return try Zstd.decompress(input, limits: limits)
        }
    }

    /// Decompresses `input`.
    ///
    /// Same as the `UnsafeRawBufferPointer` overload: `expectedSize` demands an exact
    /// output size (allocated once), `maxOutputSize` bounds output growth.
    public func decompress(
        _ input: [UInt8],
        expectedSize: Int? = nil,
        maxOutputSize: Int = 1 << 31,
        allowedTrailingBytes: Int = 0
    ) throws(CompressionError) -> [UInt8] {
        try input.withUnsafeBytes { buffer in
            Result { () throws(CompressionError) in
                try decompress(buffer, expectedSize: expectedSize, maxOutputSize: maxOutputSize, allowedTrailingBytes: allowedTrailingBytes)
            }
        }.get()
    }
}
