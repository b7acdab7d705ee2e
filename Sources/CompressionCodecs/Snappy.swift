import CCodecSnappy

/// Snappy raw block format through snappy-c.
enum Snappy {
    /// Snappy's largest expansion is a 3-byte copy of 64 bytes; a declared length
    /// beyond this ratio cannot be produced by the input and is rejected before allocating.
    private static let maxExpansionRatio = 22

    static func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(CompressionError) {
        // The block header stores the uncompressed length as a varint32.
        guard input.count <= Int(UInt32.max) else {
            throw .libraryFailure(.snappy, "input of \(input.count) bytes exceeds the 4 GiB snappy block limit")
        }
        let bound = snappy_max_compressed_length(input.count)
        var empty: CChar = 0
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        try withUnsafePointer(to: &empty) { (emptyPointer) throws(CompressionError) in
            try output.append(upTo: bound) { buffer in
                var length = buffer.count
                let status = snappy_compress(
                    source ?? emptyPointer, input.count,
                    buffer.baseAddress!.assumingMemoryBound(to: CChar.self), &length
                )
                guard status == SNAPPY_OK else {
                    return .failure(.libraryFailure(.snappy, "snappy_compress failed with status \(status.rawValue)"))
                }
                return .success(length)
            }
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limits: OutputLimits) throws(CompressionError) -> [UInt8] {
        let source = input.baseAddress!.assumingMemoryBound(to: CChar.self)
        var declared = 0
        guard snappy_uncompressed_length(source, input.count, &declared) == SNAPPY_OK else {
            throw .corruptInput(.snappy, "input does not start with a valid length header")
        }
        try limits.check(knownSize: UInt64(declared))
        let (ceiling, overflow) = input.count.multipliedReportingOverflow(by: maxExpansionRatio)
        if !overflow && declared > ceiling {
            throw .corruptInput(.snappy, "header declares \(declared) bytes, impossible for \(input.count) bytes of input")
        }
        var status = SNAPPY_OK
        let output = [UInt8](unsafeUninitializedCapacity: declared) { buffer, initializedCount in
            guard let destination = buffer.baseAddress else {
                // Zero-length output: only the header must be present.
                status = snappy_validate_compressed_buffer(source, input.count)
                return
            }
            var length = declared
            status = snappy_uncompress(
                source, input.count,
                UnsafeMutableRawPointer(destination).assumingMemoryBound(to: CChar.self), &length
            )
            // snappy checks that exactly `declared` bytes were produced.
            initializedCount = status == SNAPPY_OK && length == declared ? declared : 0
        }
        guard status == SNAPPY_OK, output.count == declared else {
            throw .corruptInput(.snappy, "input is not valid compressed data")
        }
        return output
    }
}
