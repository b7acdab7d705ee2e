import BinaryCoding
import Testing
import TestSupport

private func decodeInt64(_ encoded: [UInt8], maxValueCount: Int = 1 << 20, count: Int? = nil) throws -> [Int64] {
    try encoded.withUnsafeBytes { raw in
        var decoder = try DeltaBinaryPackedDecoder(raw, maxValueCount: maxValueCount)
        var values: [Int64] = []
        try decoder.decode(count: count ?? decoder.totalValueCount, appendingTo: &values)
        return values
    }
}

private func decodeInt32(_ encoded: [UInt8]) throws -> [Int32] {
    try encoded.withUnsafeBytes { raw in
        var decoder = try DeltaBinaryPackedDecoder(raw, maxValueCount: 1 << 20)
        var values: [Int32] = []
        try decoder.decode(count: decoder.totalValueCount, appendingTo: &values)
        return values
    }
}

struct BlockConfig: Sendable, CustomStringConvertible {
    var blockSize: Int
    var miniblocks: Int
    var description: String { "\(blockSize)/\(miniblocks)" }
}

let configs = [
    BlockConfig(blockSize: 128, miniblocks: 4),
    BlockConfig(blockSize: 128, miniblocks: 1),
    BlockConfig(blockSize: 256, miniblocks: 8),
    BlockConfig(blockSize: 1024, miniblocks: 4),
]

private func int64Samples(seed: UInt64) -> [[Int64]] {
    var rng = SplitMix64(seed: seed)
    var samples: [[Int64]] = [
        [], [42], [Int64.min], [1, 2], [Int64.max, Int64.min, 0, Int64.max, -1, Int64.min, Int64.min],
        (0..<300).map { $0 % 2 == 0 ? Int64.min : Int64.max },
        Array(repeating: -5, count: 1000),
        (0..<1000).map { Int64($0) * 1_000_003 },
    ]
    for count in [3, 31, 32, 33, 127, 128, 129, 130, 257, 2049] {
        samples.append((0..<count).map { _ in Int64.random(in: .min ... .max, using: &rng) })
        samples.append((0..<count).map { _ in Int64.random(in: -1000...1000, using: &rng) })
        var walk: Int64 = .random(in: .min ... .max, using: &rng)
        samples.append((0..<count).map { _ in
            walk &+= Int64.random(in: -(1 << 20)...(1 << 20), using: &rng)
            return walk
        })
    }
    return samples
}

@Suite struct DeltaBinaryPackedTests {
    @Test func specExample1() throws {
        let encoded = DeltaBinaryPackedEncoder.encode([1, 2, 3, 4, 5] as [Int64])
        // Header: block 128, 4 miniblocks, 5 values, first value 1; block: min delta 1, widths 0.
        #expect(encoded == [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00])
        #expect(try decodeInt64(encoded) == [1, 2, 3, 4, 5])
        // The spec's literal bytes use block size 8, which it calls invalid in real use.
        let error = decodingError { _ = try decodeInt64([0x08, 0x01, 0x05, 0x02, 0x02, 0x00]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.offset == 0)
    }

    @Test func specExample2() throws {
        let encoded = DeltaBinaryPackedEncoder.encode([7, 5, 3, 1, 2, 3, 4, 5] as [Int32])
        // Min delta -2 (zigzag 3); relative deltas 0,0,0,3,3,3,3 at bit width 2 in the first
        // miniblock of 32 values (8 bytes); the other miniblocks are absent.
        #expect(encoded == [
            0x80, 0x01, 0x04, 0x08, 0x0E,
            0x03, 0x02, 0x00, 0x00, 0x00,
            0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ])
        #expect(try decodeInt32(encoded) == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(try decodeInt64(encoded) == [7, 5, 3, 1, 2, 3, 4, 5])
    }

    @Test(arguments: configs)
    func int64RoundTrips(config: BlockConfig) throws {
        for (index, values) in int64Samples(seed: UInt64(config.blockSize + config.miniblocks)).enumerated() {
            let encoded = DeltaBinaryPackedEncoder.encode(values, blockSize: config.blockSize, miniblocksPerBlock: config.miniblocks)
            // Trailing bytes after the stream must not be consumed.
            let padded = encoded + [0xEE, 0xEE, 0xEE]
            var rng = SplitMix64(seed: UInt64(index))
            try padded.withUnsafeBytes { raw in
                var decoder = try DeltaBinaryPackedDecoder(raw, baseOffset: 0, maxValueCount: values.count)
                #expect(decoder.totalValueCount == values.count)
                var output: [Int64] = []
                while decoder.remainingValueCount > 0 {
                    let batch = Swift.min(Int.random(in: 1...300, using: &rng), decoder.remainingValueCount)
                    if Bool.random(using: &rng) {
                        try decoder.decode(count: batch, appendingTo: &output)
                    } else {
                        var chunk = [Int64](repeating: 0, count: batch)
                        try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                        output += chunk
                    }
                }
                #expect(output == values, "sample \(index)")
                #expect(decoder.bytesConsumed == encoded.count, "sample \(index)")
            }
        }
    }

    @Test(arguments: configs)
    func int32RoundTrips(config: BlockConfig) throws {
        var rng = SplitMix64(seed: 32)
        let samples: [[Int32]] = [
            [], [Int32.min], [Int32.max, Int32.min],
            (0..<129).map { $0 % 2 == 0 ? Int32.min : Int32.max },
            (0..<777).map { _ in Int32.random(in: .min ... .max, using: &rng) },
            (0..<500).map { _ in Int32.random(in: -3...3, using: &rng) },
        ]
        for values in samples {
            let encoded = DeltaBinaryPackedEncoder.encode(values, blockSize: config.blockSize, miniblocksPerBlock: config.miniblocks)
            #expect(try decodeInt32(encoded) == values)
            try encoded.withUnsafeBytes { raw in
                var decoder = try DeltaBinaryPackedDecoder(raw, maxValueCount: values.count)
                var buffer = [Int32](repeating: 0, count: values.count)
                try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                #expect(buffer == values)
            }
            try encoded.withUnsafeBytes { raw in
                var decoder = try DeltaBinaryPackedDecoder(raw, maxValueCount: values.count)
                try decoder.skipRemaining()
                #expect(decoder.bytesConsumed == encoded.count)
            }
        }
        // Deltas wrap in 32 bits: alternating extremes need only 2 bits per delta.
        let alternating = (0..<129).map { $0 % 2 == 0 ? Int32.min : Int32.max }
        #expect(DeltaBinaryPackedEncoder.encode(alternating).count < 60)
    }

    @Test func invalidHeaders() {
        let cases: [([UInt8], BinaryDecodingError.Code)] = [
            ([0x00, 0x04, 0x00, 0x00], .invalidValue),                               // block size 0
            ([0x64, 0x04, 0x00, 0x00], .invalidValue),                               // block size 100
            ([0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x04, 0x00, 0x00], .invalidValue), // block size 2^35
            ([0x80, 0x01, 0x00, 0x00, 0x00], .invalidValue),                         // 0 miniblocks
            ([0x80, 0x01, 0x03, 0x00, 0x00], .invalidValue),                         // 128 / 3
            ([0x80, 0x01, 0x08, 0x00, 0x00], .invalidValue),                         // 16-value miniblocks
            ([0x80, 0x01, 0x80, 0x02, 0x00, 0x00], .invalidValue),                   // 256 miniblocks
            ([0x80, 0x01, 0x04, 0x0B, 0x00], .lengthOutOfRange),                     // 11 values > limit 10
            ([0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00], .lengthOutOfRange),
            ([], .truncated),
            ([0x80], .truncated),
            ([0x80, 0x01, 0x04, 0x05], .truncated),                                   // no first value
            ([0x80, 0x01, 0x04, 0x02, 0x00], .truncated),                             // no block
            ([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00], .truncated),                 // 1 of 4 widths
            ([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00], .invalidValue), // width 65
            ([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xFF], .truncated), // 1 of 4 bytes
        ]
        for (input, code) in cases {
            expectDecodingError(code) { _ = try decodeInt64(input, maxValueCount: 10) }
        }
        // The width of an unused miniblock is not checked (the spec allows arbitrary values).
        #expect((try? decodeInt64([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00, 0x41, 0x00, 0x00])) == [0, 0])
        // Requesting more values than the header announces.
        expectDecodingError(.truncated) {
            _ = try decodeInt64(DeltaBinaryPackedEncoder.encode([1, 2, 3] as [Int64]), count: 4)
        }
    }

    @Test func widthOfAMiniblockIsValidatedWhenReached() {
        // 40 values: the second miniblock (values 33...40) has width 65.
        var input: [UInt8] = [0x80, 0x01, 0x04, 0x28, 0x00, 0x00, 0x00, 0x41, 0x00, 0x00]
        let error = decodingError { _ = try decodeInt64(input) }
        #expect(error?.code == .invalidValue)
        #expect(error?.offset == 7)
        input[7] = 0
        #expect((try? decodeInt64(input)) == Array(repeating: 0, count: 40))
    }

    @Test func everyTruncationThrows() {
        var rng = SplitMix64(seed: 77)
        let values = (0..<300).map { _ in Int64.random(in: -100_000...100_000, using: &rng) }
        let encoded = DeltaBinaryPackedEncoder.encode(values)
        for length in 0..<encoded.count {
            #expect(decodingError { _ = try decodeInt64(Array(encoded[..<length])) } != nil, "prefix \(length)")
        }
    }
}

@Suite struct DeltaByteArrayTests {
    private func decodeLengthEncoded(
        _ encoded: [UInt8],
        maxByteCount: Int = 1 << 20,
        offsets: inout [Int32],
        data: inout [UInt8]
    ) throws -> (valueCount: Int, bytesConsumed: Int) {
        try encoded.withUnsafeBytes { raw in
            try DeltaLengthByteArray.decode(raw, maxValueCount: 10_000, maxByteCount: maxByteCount, offsets: &offsets, data: &data)
        }
    }

    private func decodeFrontCoded(
        _ encoded: [UInt8],
        maxByteCount: Int = 1 << 22,
        offsets: inout [Int32],
        data: inout [UInt8]
    ) throws -> (valueCount: Int, bytesConsumed: Int) {
        try encoded.withUnsafeBytes { raw in
            try DeltaByteArray.decode(raw, maxValueCount: 20_000, maxByteCount: maxByteCount, offsets: &offsets, data: &data)
        }
    }

    private func values(offsets: [Int32], data: [UInt8]) -> [[UInt8]] {
        (0..<(offsets.count - 1)).map { Array(data[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
    }

    @Test func deltaLengthSpecExample() throws {
        let strings = ["Hello", "World", "Foobar", "ABCDEF"].map(bytes)
        let encoded = DeltaLengthByteArray.encode(strings)
        let text = bytes("HelloWorldFoobarABCDEF")
        #expect(Array(encoded.suffix(text.count)) == text)
        let lengthsSize = encoded.count - text.count
        #expect(try decodeInt64(Array(encoded[..<lengthsSize])) == [5, 5, 6, 6])

        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        let result = try decodeLengthEncoded(encoded + [1, 2], offsets: &offsets, data: &data)
        #expect(result.valueCount == 4)
        #expect(result.bytesConsumed == encoded.count)
        #expect(offsets == [0, 5, 10, 16, 22])
        #expect(data == text)
    }

    @Test func deltaLengthRoundTripAppends() throws {
        var rng = SplitMix64(seed: 6)
        for count in [0, 1, 2, 100, 1000] {
            let input = (0..<count).map { _ in rng.bytes(Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 200), using: &rng)) }
            let encoded = DeltaLengthByteArray.encode(input)
            var offsets: [Int32] = [0, 3]
            var data: [UInt8] = [9, 9, 9]
            let result = try decodeLengthEncoded(encoded, offsets: &offsets, data: &data)
            #expect(result == (count, encoded.count))
            #expect(values(offsets: offsets, data: data) == [[9, 9, 9]] + input)

            // The Arrow-style encoder produces the same bytes.
            var arrowOffsets: [Int32] = [0]
            var arrowData: [UInt8] = []
            for value in input {
                arrowData += value
                arrowOffsets.append(Int32(arrowData.count))
            }
            #expect(DeltaLengthByteArray.encode(offsets: arrowOffsets, data: arrowData) == encoded)
        }
    }

    @Test func deltaLengthErrorsLeaveOutputUnchanged() throws {
        let encoded = DeltaLengthByteArray.encode(["abc", "defgh"].map(bytes))
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        expectDecodingError(.lengthOutOfRange) { _ = try decodeLengthEncoded(encoded, maxByteCount: 7, offsets: &offsets, data: &data) }
        expectDecodingError(.truncated) { _ = try decodeLengthEncoded(Array(encoded.dropLast()), offsets: &offsets, data: &data) }
        let negative = DeltaBinaryPackedEncoder.encode([3, -1] as [Int32]) + bytes("abc")
        expectDecodingError(.invalidValue) { _ = try decodeLengthEncoded(negative, offsets: &offsets, data: &data) }
        let tooMany = DeltaBinaryPackedEncoder.encode(Array(repeating: 0, count: 10_001) as [Int32])
        expectDecodingError(.lengthOutOfRange) { _ = try decodeLengthEncoded(tooMany, offsets: &offsets, data: &data) }
        #expect(offsets == [0])
        #expect(data.isEmpty)
        #expect(try decodeLengthEncoded(encoded, maxByteCount: 8, offsets: &offsets, data: &data).valueCount == 2)
    }

    @Test func deltaByteArraySpecExample() throws {
        let strings = ["axis", "axle", "babble", "babyhood"].map(bytes)
        let encoded = DeltaByteArray.encode(strings)
        try encoded.withUnsafeBytes { raw in
            var prefixes = try DeltaBinaryPackedDecoder(raw, maxValueCount: 4)
            var prefixValues: [Int32] = []
            try prefixes.decode(count: 4, appendingTo: &prefixValues)
            #expect(prefixValues == [0, 2, 0, 3])
            let rest = UnsafeRawBufferPointer(rebasing: raw[prefixes.bytesConsumed...])
            var suffixes = try DeltaBinaryPackedDecoder(rest, maxValueCount: 4)
            var suffixValues: [Int32] = []
            try suffixes.decode(count: 4, appendingTo: &suffixValues)
            #expect(suffixValues == [4, 2, 6, 5])
            #expect(Array(rest[suffixes.bytesConsumed...]) == bytes("axislebabbleyhood"))
        }
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        let result = try decodeFrontCoded(encoded, offsets: &offsets, data: &data)
        #expect(result == (4, encoded.count))
        #expect(values(offsets: offsets, data: data) == strings)
    }

    @Test func deltaByteArrayRoundTrip() throws {
        var rng = SplitMix64(seed: 8)
        let pool = (0..<50).map { _ in rng.bytes(Int.random(in: 0...30, using: &rng)) }
        for count in [0, 1, 2, 200, 3000] {
            var input: [[UInt8]] = []
            for _ in 0..<count {
                var value = pool[Int.random(in: 0..<pool.count, using: &rng)]
                if let last = input.last, Bool.random(using: &rng) {
                    value = Array(last.prefix(Int.random(in: 0...last.count, using: &rng))) + value.prefix(5)
                }
                input.append(value)
            }
            let encoded = DeltaByteArray.encode(input)
            var offsets: [Int32] = [0, 1]
            var data: [UInt8] = [7]
            let result = try decodeFrontCoded(encoded + [0xAB], offsets: &offsets, data: &data)
            #expect(result == (count, encoded.count))
            #expect(values(offsets: offsets, data: data) == [[7]] + input)

            var arrowOffsets: [Int32] = [0]
            var arrowData: [UInt8] = []
            for value in input {
                arrowData += value
                arrowOffsets.append(Int32(arrowData.count))
            }
            #expect(DeltaByteArray.encode(offsets: arrowOffsets, data: arrowData) == encoded)
        }
    }

    @Test func deltaByteArrayInvalidInput() {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        // The second prefix (5) is longer than the first value ("ab").
        let longPrefix = DeltaBinaryPackedEncoder.encode([0, 5] as [Int32])
            + DeltaBinaryPackedEncoder.encode([2, 1] as [Int32]) + bytes("abc")
        expectDecodingError(.invalidValue) { _ = try decodeFrontCoded(longPrefix, offsets: &offsets, data: &data) }
        // The first prefix must be 0.
        let firstPrefix = DeltaBinaryPackedEncoder.encode([1] as [Int32])
            + DeltaBinaryPackedEncoder.encode([1] as [Int32]) + bytes("a")
        expectDecodingError(.invalidValue) { _ = try decodeFrontCoded(firstPrefix, offsets: &offsets, data: &data) }
        // Two prefixes but one suffix.
        let mismatch = DeltaBinaryPackedEncoder.encode([0, 0] as [Int32])
            + DeltaBinaryPackedEncoder.encode([1] as [Int32]) + bytes("a")
        expectDecodingError(.invalidValue) { _ = try decodeFrontCoded(mismatch, offsets: &offsets, data: &data) }
        // Suffix bytes missing.
        let encoded = DeltaByteArray.encode(["axis", "axle"].map(bytes))
        expectDecodingError(.truncated) { _ = try decodeFrontCoded(Array(encoded.dropLast()), offsets: &offsets, data: &data) }
        // Reconstruction blows up: 100 bytes repeated 10,000 times from a few input bytes.
        let bomb = DeltaByteArray.encode([[UInt8](repeating: 1, count: 100)] + Array(repeating: [UInt8](repeating: 1, count: 100), count: 10_000))
        #expect(bomb.count < 2_000)
        expectDecodingError(.lengthOutOfRange) { _ = try decodeFrontCoded(bomb, maxByteCount: 100_000, offsets: &offsets, data: &data) }
        #expect(offsets == [0])
        #expect(data.isEmpty)
        #expect((try? decodeFrontCoded(bomb, offsets: &offsets, data: &data))?.valueCount == 10_001)
        #expect(data.count == 1_000_100)
    }
}

@Suite struct ByteStreamSplitTests {
    @Test func specExample() throws {
        let values: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
        let split: [UInt8] = [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6]
        #expect(values.withUnsafeBytes { ByteStreamSplit.encode($0, width: 4) } == split)
        var output: [UInt8] = []
        let count = try split.withUnsafeBytes { try ByteStreamSplit.decode($0, width: 4, appendingTo: &output) }
        #expect(count == 3)
        #expect(output == values)
    }

    @Test(arguments: 1...17)
    func rawRoundTrip(width: Int) throws {
        var rng = SplitMix64(seed: UInt64(width))
        for count in [0, 1, 2, 7, 100] {
            let values = rng.bytes(width * count)
            let encoded = values.withUnsafeBytes { ByteStreamSplit.encode($0, width: width) }
            #expect(encoded.count == values.count)
            var output: [UInt8] = [1, 2]
            let decoded = try encoded.withUnsafeBytes { try ByteStreamSplit.decode($0, width: width, appendingTo: &output) }
            #expect(decoded == count)
            #expect(output == [1, 2] + values)
            var direct = [UInt8](repeating: 0, count: values.count)
            try encoded.withUnsafeBytes { raw in
                try direct.withUnsafeMutableBytes { try ByteStreamSplit.decode(raw, width: width, into: $0) }
            }
            #expect(direct == values)
        }
    }

    @Test func typedRoundTrips() throws {
        var rng = SplitMix64(seed: 3)
        let floats = (0..<101).map { _ in Float(bitPattern: UInt32.random(in: .min ... .max, using: &rng)) } + [.nan, -0.0, .infinity]
        let doubles = (0..<101).map { _ in Double(bitPattern: UInt64.random(in: .min ... .max, using: &rng)) } + [.nan, -0.0]
        let ints = (0..<55).map { _ in Int32.random(in: .min ... .max, using: &rng) }
        let longs = (0..<55).map { _ in Int64.random(in: .min ... .max, using: &rng) }

        var decodedFloats: [Float] = []
        try ByteStreamSplit.encode(floats).withUnsafeBytes { _ = try ByteStreamSplit.decode($0, as: Float.self, appendingTo: &decodedFloats) }
        #expect(decodedFloats.map(\.bitPattern) == floats.map(\.bitPattern))

        var decodedDoubles: [Double] = [1]
        try ByteStreamSplit.encode(doubles).withUnsafeBytes { _ = try ByteStreamSplit.decode($0, as: Double.self, appendingTo: &decodedDoubles) }
        #expect(decodedDoubles.dropFirst().map(\.bitPattern) == doubles.map(\.bitPattern))

        var decodedInts: [Int32] = []
        try ByteStreamSplit.encode(ints).withUnsafeBytes { _ = try ByteStreamSplit.decode($0, as: Int32.self, appendingTo: &decodedInts) }
        #expect(decodedInts == ints)

        var decodedLongs: [Int64] = []
        try ByteStreamSplit.encode(longs).withUnsafeBytes { _ = try ByteStreamSplit.decode($0, as: Int64.self, appendingTo: &decodedLongs) }
        #expect(decodedLongs == longs)

        // Stream 0 holds the least significant bytes.
        #expect(ByteStreamSplit.encode([Int32(0x0403_0201), 0x0807_0605]) == [1, 5, 2, 6, 3, 7, 4, 8])
    }

    @Test func invalidInput() {
        var output: [UInt8] = []
        var floats: [Float] = []
        [UInt8](repeating: 0, count: 13).withUnsafeBytes { raw in
            expectDecodingError(.truncated) { try ByteStreamSplit.decode(raw, width: 4, appendingTo: &output) }
            expectDecodingError(.truncated) { try ByteStreamSplit.decode(raw, as: Float.self, appendingTo: &floats) }
            expectDecodingError(.invalidValue) { try ByteStreamSplit.decode(raw, width: 0, appendingTo: &output) }
            expectDecodingError(.invalidValue) { try ByteStreamSplit.decode(raw, width: -4, appendingTo: &output) }
        }
        #expect(output.isEmpty && floats.isEmpty)
    }
}
