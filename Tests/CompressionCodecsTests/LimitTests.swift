import CompressionCodecs
import Testing
import TestSupport

@Suite struct LimitTests {
    @Test(arguments: CompressionCodec.allCases)
    func expectedSizeMismatchIsReported(codec: CompressionCodec) throws {
        let original = TestData.compressible(count: 100_000)
        let compressed = try codec.compress(original)
        for wrong in [0, 1, original.count - 1, original.count + 1, original.count * 2] {
            let error = #expect(throws: CompressionError.self) {
                try codec.decompress(compressed, expectedSize: wrong)
            }
            #expect(error?.code == .sizeMismatch, "expectedSize \(wrong)")
            #expect(error?.codec == codec)
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func negativeExpectedSizeIsRejected(codec: CompressionCodec) throws {
        let compressed = try codec.compress([1, 2, 3])
        let error = #expect(throws: CompressionError.self) { try codec.decompress(compressed, expectedSize: -1) }
        #expect(error?.code == .sizeMismatch)
    }

    @Test(arguments: CompressionCodec.allCases)
    func expectedSizeAboveLimitIsRejected(codec: CompressionCodec) throws {
        let compressed = try codec.compress([1, 2, 3])
        let error = #expect(throws: CompressionError.self) {
            try codec.decompress(compressed, expectedSize: 3, maxOutputSize: 2)
        }
        #expect(error?.code == .outputTooLarge)
    }

    @Test(arguments: CompressionCodec.allCases)
    func tenMegabytesOfZerosExceedOneMegabyteLimit(codec: CompressionCodec) throws {
        let zeros = [UInt8](repeating: 0, count: 10 << 20)
        let compressed = try codec.compress(zeros)
        if codec != .uncompressed {
            #expect(compressed.count < 1 << 20)
        }
        let error = #expect(throws: CompressionError.self) {
            try codec.decompress(compressed, maxOutputSize: 1 << 20)
        }
        #expect(error?.code == .outputTooLarge)
        #expect(error?.codec == codec)
        // Exactly at the limit is fine.
        #expect(try codec.decompress(compressed, maxOutputSize: 10 << 20).count == 10 << 20)
    }

    @Test(arguments: CompressionCodec.allCases)
    func limitIsExactForSmallOutputs(codec: CompressionCodec) throws {
        let original = TestData.random(count: 1000)
        let compressed = try codec.compress(original)
        #expect(try codec.decompress(compressed, maxOutputSize: 1000) == original)
        let error = #expect(throws: CompressionError.self) { try codec.decompress(compressed, maxOutputSize: 999) }
        #expect(error?.code == .outputTooLarge)
        let zero = #expect(throws: CompressionError.self) { try codec.decompress(compressed, maxOutputSize: 0) }
        #expect(zero?.code == .outputTooLarge)
    }

    @Test func zstdStreamingBombIsStoppedAtTheLimit() throws {
        // 4 KB of RLE blocks without a content size would inflate to 128 MiB.
        let bomb = ZstdFrame.rle(blocks: 1000)
        let error = #expect(throws: CompressionError.self) {
            try CompressionCodec.zstd.decompress(bomb, maxOutputSize: 1 << 20)
        }
        #expect(error?.code == .outputTooLarge)
        let mismatch = #expect(throws: CompressionError.self) {
            try CompressionCodec.zstd.decompress(bomb, expectedSize: 1 << 20)
        }
        #expect(mismatch?.code == .sizeMismatch)
        // A small one decodes through the streaming path.
        let small = ZstdFrame.rle(blocks: 3, blockSize: 1000, byte: 7)
        #expect(try CompressionCodec.zstd.decompress(small) == [UInt8](repeating: 7, count: 3000))
        #expect(try CompressionCodec.zstd.decompress(small, expectedSize: 3000) == [UInt8](repeating: 7, count: 3000))
    }

    @Test func zstdLyingContentSizeIsRejectedBeforeAllocating() throws {
        // Declares 2 GiB - 1 for one 1000-byte RLE block: impossible for a 17-byte frame.
        let liar = ZstdFrame.rle(blocks: 1, blockSize: 1000, declaredSize: UInt32(Int32.max))
        let impossible = #expect(throws: CompressionError.self) { try CompressionCodec.zstd.decompress(liar) }
        #expect(impossible?.code == .corruptInput)
        let tooLarge = #expect(throws: CompressionError.self) {
            try CompressionCodec.zstd.decompress(liar, maxOutputSize: 1 << 20)
        }
        #expect(tooLarge?.code == .outputTooLarge)
        // Plausible but wrong declared sizes fail during decoding.
        for declared: UInt32 in [999, 1001, 100_000] {
            let wrong = ZstdFrame.rle(blocks: 1, blockSize: 1000, declaredSize: declared)
            let error = #expect(throws: CompressionError.self) { try CompressionCodec.zstd.decompress(wrong) }
            #expect(error?.code == .corruptInput, "declared \(declared)")
        }
        let honest = ZstdFrame.rle(blocks: 2, blockSize: 1000, byte: 1, declaredSize: 2000)
        #expect(try CompressionCodec.zstd.decompress(honest) == [UInt8](repeating: 1, count: 2000))
    }

    @Test func snappyLyingLengthIsRejectedBeforeAllocating() throws {
        // Varint 2^31 - 1, then a one-byte literal.
        let liar: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x41]
        let impossible = #expect(throws: CompressionError.self) { try CompressionCodec.snappy.decompress(liar) }
        #expect(impossible?.code == .corruptInput)
        let tooLarge = #expect(throws: CompressionError.self) {
            try CompressionCodec.snappy.decompress(liar, maxOutputSize: 1 << 20)
        }
        #expect(tooLarge?.code == .outputTooLarge)
        let mismatch = #expect(throws: CompressionError.self) {
            try CompressionCodec.snappy.decompress(liar, expectedSize: 1)
        }
        #expect(mismatch?.code == .sizeMismatch)
    }
}
