import CompressionCodecs
import Testing
import TestSupport

@Suite struct CorruptionTests {
    /// Decompresses without ever crashing; returns the output, or the error thrown.
    private func attempt(
        _ codec: CompressionCodec, _ input: [UInt8], expectedSize: Int? = nil, maxOutputSize: Int = 1 << 24
    ) -> Result<[UInt8], CompressionError> {
        Result { () throws(CompressionError) in
            try codec.decompress(input, expectedSize: expectedSize, maxOutputSize: maxOutputSize)
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func everyTruncationIsRejected(codec: CompressionCodec) throws {
        let original = TestData.compressible(count: 3000) + TestData.random(count: 1000)
        let compressed = try codec.compress(original)
        var accepted: [Int] = []
        var codes: Set<CompressionError.Code> = []
        for length in 1..<compressed.count {
            // The uncompressed "codec" can only notice truncation through the expected size.
            let expectedSize = codec == .uncompressed ? original.count : nil
            switch attempt(codec, Array(compressed.prefix(length)), expectedSize: expectedSize) {
            case .success: accepted.append(length)
            case .failure(let error): codes.insert(error.code)
            }
        }
        #expect(accepted.isEmpty, "accepted truncated lengths \(accepted.prefix(10))")
        #expect(codes == [codec == .uncompressed ? .sizeMismatch : .corruptInput])
    }

    @Test(arguments: TestData.compressingCodecs)
    func bitFlipsNeverCrash(codec: CompressionCodec) throws {
        let original = TestData.compressible(count: 1500) + TestData.random(count: 500)
        let compressed = try codec.compress(original)
        var failures = 0
        for bit in 0..<(compressed.count * 8) {
            var corrupted = compressed
            corrupted[bit / 8] ^= 1 << (bit % 8)
            switch attempt(codec, corrupted) {
            case .success(let output):
                // gzip and zlib carry checksums: whatever they accept must be the original.
                if codec == .gzip || codec == .zlib {
                    #expect(output == original, "bit \(bit) produced wrong data")
                }
            case .failure:
                failures += 1
            }
        }
        // Most flips are detected (raw deflate, snappy and checksum-less zstd cannot catch all).
        #expect(failures > compressed.count * 8 / 10, "only \(failures) of \(compressed.count * 8) flips detected")
    }

    @Test(arguments: [CompressionCodec.gzip, .zlib])
    func checksumTrailerCorruptionIsDetected(codec: CompressionCodec) throws {
        let compressed = try codec.compress(TestData.compressible(count: 5000))
        for offset in (compressed.count - 4)..<compressed.count {
            var corrupted = compressed
            corrupted[offset] ^= 0x10
            let error = #expect(throws: CompressionError.self) { try codec.decompress(corrupted) }
            #expect(error?.code == .corruptInput)
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func randomGarbageNeverCrashes(codec: CompressionCodec) {
        var generator = SplitMix64(seed: 2024)
        let limit = 1 << 20
        let prefixes: [[UInt8]] = [
            [], [0x1F, 0x8B, 0x08, 0x00], [0x78, 0x9C], ZstdFrame.magic, [0xFF, 0xFF, 0x03], [0x00],
        ]
        for round in 0..<2000 {
            let length = Int.random(in: 0...300, using: &generator)
            let garbage = prefixes[round % prefixes.count]
                + (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if case .success(let output) = attempt(codec, garbage, maxOutputSize: limit) {
                #expect(output.count <= limit)
            }
            _ = attempt(codec, garbage, expectedSize: 100, maxOutputSize: limit)
        }
    }

    @Test(arguments: [CompressionCodec.deflate, .zlib, .zstd, .snappy])
    func trailingGarbageIsRejected(codec: CompressionCodec) throws {
        let compressed = try codec.compress(TestData.compressible(count: 1000))
        for trailer: [UInt8] in [[0], [1, 2, 3], Array(repeating: 0xAB, count: 100)] {
            let error = #expect(throws: CompressionError.self) { try codec.decompress(compressed + trailer) }
            #expect(error?.code == .corruptInput)
        }
    }

    @Test func gzipTrailingGarbageIsRejected() throws {
        let compressed = try CompressionCodec.gzip.compress(TestData.compressible(count: 1000))
        for trailer: [UInt8] in [[0], [1, 2, 3], [0x1F, 0x8B], Array(repeating: 0xAB, count: 100)] {
            let error = #expect(throws: CompressionError.self) {
                try CompressionCodec.gzip.decompress(compressed + trailer)
            }
            #expect(error?.code == .corruptInput)
        }
    }

    @Test func zlibStreamIsNotAcceptedAsGzipOrRaw() throws {
        let zlib = try CompressionCodec.zlib.compress(TestData.compressible(count: 1000))
        #expect(throws: CompressionError.self) { try CompressionCodec.gzip.decompress(zlib) }
        let gzip = try CompressionCodec.gzip.compress(TestData.compressible(count: 1000))
        #expect(throws: CompressionError.self) { try CompressionCodec.zlib.decompress(gzip) }
        #expect(throws: CompressionError.self) { try CompressionCodec.zstd.decompress(gzip) }
        #expect(throws: CompressionError.self) { try CompressionCodec.snappy.decompress(gzip) }
    }

    @Test func errorsDescribeThemselves() throws {
        let error = #expect(throws: CompressionError.self) {
            try CompressionCodec.snappy.decompress([0xFF, 0xFF, 0xFF])
        }
        let unwrapped = try #require(error)
        #expect(unwrapped.code == .corruptInput)
        #expect(unwrapped.codec == .snappy)
        #expect(unwrapped.message.hasPrefix("snappy: "))
        #expect(unwrapped.description.contains("corruptInput"))
        #expect(CompressionError.Code.outputTooLarge.description == "outputTooLarge")
        #expect(CompressionError.Code.corruptInput != .libraryFailure)
    }
}
