import CCodecZstd

/// Zstandard through libzstd's one-shot and streaming APIs.
enum Zstd {
    /// The level used when the caller gives none (libzstd's own default).
    static let defaultLevel = 3

    private static let contentSizeUnknown = UInt64.max  // ZSTD_CONTENTSIZE_UNKNOWN
    private static let contentSizeError = UInt64.max - 1  // ZSTD_CONTENTSIZE_ERROR
    /// A block decodes to at most 128 KiB and costs at least 4 bytes (an RLE block),
    /// so a frame cannot decode to more than this many bytes per input byte.
    private static let maxExpansionRatio: UInt64 = 32768
    private static let maxBlockSize: UInt64 = 128 * 1024

    static func compress(
        _ input: UnsafeRawBufferPointer,
        appendingTo output: inout [UInt8],
        level: Int?
    ) throws(CompressionError) {
        let range = Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel())
        let level = Int32(min(max(level ?? defaultLevel, range.lowerBound), range.upperBound))
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else {
            throw .libraryFailure(.zstd, "input of \(input.count) bytes is too large")
        }
        var empty: UInt8 = 0
        try withUnsafeBytes(of: &empty) { (emptyBuffer) throws(CompressionError) in
            let source = input.baseAddress ?? emptyBuffer.baseAddress!
            try output.append(upTo: bound) { buffer in
                let written = ZSTD_compress(buffer.baseAddress, buffer.count, source, input.count, level)
                guard ZSTD_isError(written) == 0 else {
                    let name = String(cString: ZSTD_getErrorName(written))
                    return .failure(.libraryFailure(.zstd, "ZSTD_compress failed: \(name)"))
                }
                return .success(written)
            }
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limits: OutputLimits) throws(CompressionError) -> [UInt8] {
        guard let total = try totalContentSize(input, limits: limits) else {
            return try decompressStreaming(input, limits: limits)
        }
        // Every frame declares its size: check it, then allocate once and decode in one pass.
        try limits.check(knownSize: total)
        var result = 0
        let output = [UInt8](unsafeUninitializedCapacity: Int(total)) { buffer, initializedCount in
            result = ZSTD_decompress(buffer.baseAddress, buffer.count, input.baseAddress, input.count)
            initializedCount = ZSTD_isError(result) == 0 && result == Int(total) ? result : 0
        }
        guard ZSTD_isError(result) == 0 else {
            throw error(result, context: "input is not valid compressed data")
        }
        guard output.count == Int(total) else {
            throw .corruptInput(.zstd, "frames decoded to \(result) bytes but declared \(total)")
        }
        return output
    }

    /// The sum of the content sizes declared by all frames, or nil when a frame does
    /// not declare its size. Throws for malformed or truncated frames, for declared
    /// sizes beyond the limits, and for sizes a frame could not possibly decode to.
    private static func totalContentSize(
        _ input: UnsafeRawBufferPointer,
        limits: OutputLimits
    ) throws(CompressionError) -> UInt64? {
        var offset = 0
        var total: UInt64 = 0
        while offset < input.count {
            let frame = UnsafeRawBufferPointer(rebasing: input[offset...])
            let frameSize = ZSTD_findFrameCompressedSize(frame.baseAddress, frame.count)
            guard ZSTD_isError(frameSize) == 0 else {
                throw error(frameSize, context: "invalid or truncated frame at offset \(offset)")
            }
            offset += frameSize
            if isSkippableFrame(frame) {
                continue
            }
            let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
            if size == contentSizeUnknown {
                return nil
            }
            if size == contentSizeError {
                throw .corruptInput(.zstd, "invalid frame header at offset \(offset - frameSize)")
            }
            let (sum, overflow) = total.addingReportingOverflow(size)
            total = overflow ? .max : sum
            if total > UInt64(limits.capacityLimit) {
                try limits.check(knownSize: total)  // throws .outputTooLarge or .sizeMismatch
            }
            if size > UInt64(frameSize) * maxExpansionRatio + maxBlockSize {
                throw .corruptInput(.zstd, "frame declares \(size) bytes, impossible for \(frameSize) bytes of input")
            }
        }
        return total
    }

    private static func isSkippableFrame(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard frame.count >= 4 else { return false }
        let magic = frame.loadUnaligned(as: UInt32.self)
        return UInt32(littleEndian: magic) & 0xFFFF_FFF0 == 0x184D_2A50  // ZSTD_MAGIC_SKIPPABLE_START
    }

    private static func decompressStreaming(
        _ input: UnsafeRawBufferPointer,
        limits: OutputLimits
    ) throws(CompressionError) -> [UInt8] {
        guard let context = ZSTD_createDCtx() else {
            throw .libraryFailure(.zstd, "could not allocate a decompression context")
        }
        defer { ZSTD_freeDCtx(context) }
        let hint = input.count.multipliedReportingOverflow(by: 4)
        var output = BoundedOutput(limits: limits, sizeHint: hint.overflow ? Int.max : hint.partialValue)
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var pending = 0  // 0 once a frame is completely decoded and flushed
        var stalledCalls = 0
        while source.pos < source.size || pending != 0 {
            let consumedBefore = source.pos
            let (status, written, filled) = try output.write { buffer in
                var destination = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                let status = ZSTD_decompressStream(context, &destination, &source)
                return ((status, destination.pos, destination.pos == destination.size), destination.pos)
            }
            guard ZSTD_isError(status) == 0 else {
                throw error(status, context: "input is not valid compressed data")
            }
            pending = status
            // All input consumed and room left, yet the frame is unfinished.
            if pending != 0 && source.pos == source.size && !filled {
                throw .truncated(.zstd)
            }
            // Defensive: never spin if the decoder stops making progress.
            stalledCalls = source.pos == consumedBefore && written == 0 ? stalledCalls + 1 : 0
            if stalledCalls > 2 {
                throw .libraryFailure(.zstd, "ZSTD_decompressStream made no progress")
            }
        }
        return try output.finish()
    }

    /// Maps a libzstd decompression error: allocation failures are the library's,
    /// everything else is blamed on the input.
    private static func error(_ code: Int, context: String) -> CompressionError {
        let name = String(cString: ZSTD_getErrorName(code))
        if ZSTD_getErrorCode(code) == ZSTD_error_memory_allocation {
            return .libraryFailure(.zstd, "\(context): \(name)")
        }
        return .corruptInput(.zstd, "\(context): \(name)")
    }
}
