import CCodecZlib

/// The three deflate-based container formats zlib handles.
enum ZlibFormat {
    /// RFC 1952.
    case gzip
    /// RFC 1951, no header or trailer.
    case raw
    /// RFC 1950.
    case zlib

    init(_ codec: CompressionCodec) {
        switch codec {
        case .gzip: self = .gzip
        case .zlib: self = .zlib
        default: self = .raw
        }
    }

    var codec: CompressionCodec {
        switch self {
        case .gzip: .gzip
        case .raw: .deflate
        case .zlib: .zlib
        }
    }

    /// The `windowBits` argument selecting this format in `deflateInit2_`/`inflateInit2_`.
    var windowBits: Int32 {
        switch self {
        case .gzip: MAX_WBITS + 16
        case .raw: -MAX_WBITS
        case .zlib: MAX_WBITS
        }
    }
}

/// gzip, raw deflate and zlib through zlib's streaming API.
enum Zlib {
    /// Deflate cannot expand data by more than about 1032:1.
    private static let maxExpansionRatio = 1032

    static func compress(
        _ input: UnsafeRawBufferPointer,
        appendingTo output: inout [UInt8],
        format: ZlibFormat,
        level: Int?
    ) throws(CompressionError) {
        let codec = format.codec
        let level = Int32(clamping: level.map { min(max($0, 0), 9) } ?? Int(Z_DEFAULT_COMPRESSION))
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            throw .libraryFailure(codec, "deflateInit2 failed: \(describe(status, stream))")
        }
        defer { deflateEnd(stream) }

        let bound = Int(deflateBound(stream, uLong(input.count)))
        try output.append(upTo: bound) { buffer in
            var inputOffset = 0
            var outputOffset = 0
            while true {
                if stream.pointee.avail_in == 0 && inputOffset < input.count {
                    let chunk = min(input.count - inputOffset, Int(UInt32.max))
                    stream.pointee.next_in = mutableBytes(input, at: inputOffset)
                    stream.pointee.avail_in = UInt32(chunk)
                    inputOffset += chunk
                }
                let flush = inputOffset == input.count ? Z_FINISH : Z_NO_FLUSH
                let space = min(buffer.count - outputOffset, Int(UInt32.max))
                stream.pointee.next_out = (buffer.baseAddress! + outputOffset).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(space)
                let status = deflate(stream, flush)
                outputOffset += space - Int(stream.pointee.avail_out)
                switch status {
                case Z_STREAM_END:
                    return .success(outputOffset)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where outputOffset < buffer.count:
                    continue
                default:
                    return .failure(.libraryFailure(codec, "deflate failed: \(describe(status, stream))"))
                }
            }
        }
    }

    static func decompress(
        _ input: UnsafeRawBufferPointer,
        format: ZlibFormat,
        limits: OutputLimits,
        allowedTrailingBytes: Int = 0
    ) throws(CompressionError) -> [UInt8] {
        let codec = format.codec
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let status = inflateInit2_(stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw .libraryFailure(codec, "inflateInit2 failed: \(describe(status, stream))")
        }
        defer { inflateEnd(stream) }

        var output = BoundedOutput(limits: limits, sizeHint: sizeHint(input, format: format))
        var inputOffset = 0  // bytes handed to zlib so far
        while true {
            if stream.pointee.avail_in == 0 && inputOffset < input.count {
                let chunk = min(input.count - inputOffset, Int(UInt32.max))
                stream.pointee.next_in = mutableBytes(input, at: inputOffset)
                stream.pointee.avail_in = UInt32(chunk)
                inputOffset += chunk
            }
            let status = try output.write { buffer in
                let space = min(buffer.count, Int(UInt32.max))
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(space)
                let status = inflate(stream, Z_NO_FLUSH)
                return (status, space - Int(stream.pointee.avail_out))
            }
            let remaining = Int(stream.pointee.avail_in) + (input.count - inputOffset)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                if remaining == 0 || (format != .gzip && remaining <= allowedTrailingBytes) {
                    return try output.finish()
                }
                guard format == .gzip else {
                    throw .corruptInput(codec, "\(remaining) bytes of trailing data after the end of the stream")
                }
                // Another gzip member follows.
                guard inflateReset(stream) == Z_OK else {
                    throw .libraryFailure(codec, "inflateReset failed")
                }
            case Z_BUF_ERROR where remaining == 0:
                throw .truncated(codec)
            case Z_NEED_DICT:
                throw .corruptInput(codec, "stream requires a preset dictionary")
            case Z_DATA_ERROR:
                throw .corruptInput(codec, "input is not valid compressed data (\(describe(status, stream)))")
            default:
                throw .libraryFailure(codec, "inflate failed: \(describe(status, stream))")
            }
        }
    }

    /// An initial output capacity: gzip's trailer records the (last member's) size
    /// modulo 2^32; trust it only when deflate could actually produce it.
    private static func sizeHint(_ input: UnsafeRawBufferPointer, format: ZlibFormat) -> Int {
        let fallback = input.count.multipliedReportingOverflow(by: 4)
        let guess = fallback.overflow ? Int.max : fallback.partialValue
        guard format == .gzip, input.count >= 18 else { return guess }
        let trailer = input.count - 4
        let isize = (0..<4).reduce(0) { $0 | Int(input[trailer + $1]) << (8 * $1) }
        let ceiling = input.count.multipliedReportingOverflow(by: maxExpansionRatio)
        return isize > 0 && (ceiling.overflow || isize <= ceiling.partialValue) ? isize : guess
    }

    private static func mutableBytes(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> UnsafeMutablePointer<Bytef> {
        UnsafeMutablePointer(mutating: (buffer.baseAddress! + offset).assumingMemoryBound(to: Bytef.self))
    }

    private static func describe(_ status: Int32, _ stream: UnsafeMutablePointer<z_stream>) -> String {
        if let message = stream.pointee.msg {
            return String(cString: message)
        }
        switch status {
        case Z_STREAM_ERROR: return "stream error"
        case Z_DATA_ERROR: return "data error"
        case Z_MEM_ERROR: return "out of memory"
        case Z_BUF_ERROR: return "no progress possible"
        case Z_VERSION_ERROR: return "incompatible zlib version"
        default: return "status \(status)"
        }
    }
}
