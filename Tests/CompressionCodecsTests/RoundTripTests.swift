import CompressionCodecs
import Testing
import TestSupport

@Suite struct RoundTripTests {
    @Test(arguments: CompressionCodec.allCases, Sample.allCases)
    func roundTrip(codec: CompressionCodec, sample: Sample) throws {
        let original = sample.bytes
        let compressed = try codec.compress(original)
        #expect(try codec.decompress(compressed) == original)
        #expect(try codec.decompress(compressed, expectedSize: original.count) == original)
        #expect(try codec.decompress(compressed, maxOutputSize: original.count) == original)
        if codec == .uncompressed {
            #expect(compressed == original)
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func compressAppendsAfterExistingBytes(codec: CompressionCodec) throws {
        let original = TestData.compressible(count: 10_000)
        let prefix: [UInt8] = [1, 2, 3]
        var output = prefix
        try original.withUnsafeBytes { buffer in
            try codec.compress(buffer, appendingTo: &output, level: nil)
        }
        #expect(Array(output.prefix(3)) == prefix)
        let compressed = Array(output.dropFirst(3))
        #expect(compressed == (try codec.compress(original)))
        let decompressed = try compressed.withUnsafeBytes { buffer in
            try codec.decompress(buffer, expectedSize: original.count)
        }
        #expect(decompressed == original)
    }

    @Test(arguments: CompressionCodec.allCases, [Int.min, -5, 0, 1, 9, 19, 22, 1000])
    func everyLevelRoundTrips(codec: CompressionCodec, level: Int) throws {
        let original = TestData.compressible(count: 50_000)
        let compressed = try codec.compress(original, level: level)
        #expect(try codec.decompress(compressed) == original)
    }

    @Test func higherLevelsCompressBetter() throws {
        let original = TestData.compressible(count: 200_000)
        for codec in [CompressionCodec.gzip, .zlib, .deflate, .zstd] {
            let fast = try codec.compress(original, level: 1)
            let best = try codec.compress(original, level: 19)
            #expect(best.count < fast.count, "\(codec)")
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func emptyInputDecompressesToEmpty(codec: CompressionCodec) throws {
        #expect(try codec.decompress([]) == [])
        #expect(try codec.decompress([], expectedSize: 0) == [])
        let error = #expect(throws: CompressionError.self) { try codec.decompress([], expectedSize: 1) }
        #expect(error?.code == .sizeMismatch)
    }

    @Test func compressedFormatsHaveTheirHeaders() throws {
        let data = Array("hello hello hello".utf8)
        #expect(try CompressionCodec.gzip.compress(data).prefix(3) == [0x1F, 0x8B, 0x08])
        #expect(try CompressionCodec.zlib.compress(data).first == 0x78)
        #expect(try CompressionCodec.zstd.compress(data).prefix(4) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(try CompressionCodec.snappy.compress(data).first == UInt8(data.count))  // varint length
        #expect(try CompressionCodec.snappy.compress([]) == [0])
        #expect(try CompressionCodec.deflate.compress([]) == [0x03, 0x00])
    }

    @Test func codecNamesMatchContainerSpellings() {
        #expect(CompressionCodec.allCases.map(\.rawValue) == ["uncompressed", "snappy", "gzip", "deflate", "zlib", "zstd"])
        #expect(CompressionCodec(rawValue: "zstd") == .zstd)
    }
}

@Suite struct TrailingBytesTests {
    @Test func deflateMayAllowAFewTrailingBytes() throws {
        let original = Array(repeating: UInt8(7), count: 10_000)
        let compressed = try CompressionCodec.deflate.compress(original)
        let withTrailer = compressed + [1, 2, 3]
        #expect(throws: CompressionError.self) { try CompressionCodec.deflate.decompress(withTrailer) }
        #expect(try CompressionCodec.deflate.decompress(withTrailer, allowedTrailingBytes: 4) == original)
        #expect(throws: CompressionError.self) { try CompressionCodec.deflate.decompress(withTrailer + [4, 5], allowedTrailingBytes: 4) }
        // gzip members never count as trailing bytes.
        let gzip = try CompressionCodec.gzip.compress(original)
        #expect(throws: CompressionError.self) { try CompressionCodec.gzip.decompress(gzip + [0], allowedTrailingBytes: 4) }
    }
}
