import BinaryCoding
import Testing
import TestSupport

private func decodeAll(_ encoded: [UInt8], bitWidth: Int, count: Int, baseOffset: Int = 0) throws -> [Int32] {
    try encoded.withUnsafeBytes { raw in
        var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: bitWidth, baseOffset: baseOffset)
        var values: [Int32] = []
        try decoder.decode(count: count, appendingTo: &values)
        return values
    }
}

/// Values with a mix of random stretches and long runs, all fitting in `bitWidth` bits.
private func sampleValues(bitWidth: Int, seed: UInt64, count: Int = 3000) -> [Int32] {
    var rng = SplitMix64(seed: seed)
    let maxValue: UInt32 = bitWidth == 32 ? .max : (1 << UInt32(bitWidth)) - 1
    var values: [Int32] = []
    while values.count < count {
        let value = Int32(bitPattern: UInt32.random(in: 0...maxValue, using: &rng))
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: values += repeatElement(value, count: Int.random(in: 8...400, using: &rng))
        case 1: values += repeatElement(value, count: Int.random(in: 1...9, using: &rng))
        default: values.append(value)
        }
    }
    // Extremes of the range.
    values += [0, Int32(bitPattern: maxValue), 0, Int32(bitPattern: maxValue)]
    return values
}

@Suite struct RLEBitPackedHybridTests {
    @Test func specExampleBitPackedRun() throws {
        let encoded = RLEBitPackedHybridEncoder.encode([0, 1, 2, 3, 4, 5, 6, 7] as [Int32], bitWidth: 3)
        #expect(encoded == [0x03, 0x88, 0xC6, 0xFA])
        #expect(try decodeAll([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func repeatsBecomeRLERuns() throws {
        let run = RLEBitPackedHybridEncoder.encode(Array(repeating: 5 as Int32, count: 100), bitWidth: 3)
        #expect(run == [0xC8, 0x01, 0x05])
        #expect(try decodeAll(run, bitWidth: 3, count: 100) == Array(repeating: 5, count: 100))

        // Three literals, then a run of 20: the run first completes the literal group.
        let values: [Int32] = [1, 2, 3] + Array(repeating: 7, count: 20)
        let mixed = RLEBitPackedHybridEncoder.encode(values, bitWidth: 3)
        var expected: [UInt8] = [0x03]
        expected += RLEBitPackedHybridEncoder.encode([1, 2, 3, 7, 7, 7, 7, 7] as [Int32], bitWidth: 3).dropFirst()
        expected += [0x1E, 0x07]
        #expect(mixed == expected)
        #expect(try decodeAll(mixed, bitWidth: 3, count: values.count) == values)

        // Width 32 stores run values in four bytes.
        let wide = RLEBitPackedHybridEncoder.encode(Array(repeating: -1 as Int32, count: 9), bitWidth: 32)
        #expect(wide == [0x12, 0xFF, 0xFF, 0xFF, 0xFF])
        // Width 0: every value is 0 and takes no bytes.
        #expect(RLEBitPackedHybridEncoder.encode(Array(repeating: 0 as Int32, count: 10), bitWidth: 0) == [0x14])
    }

    @Test(arguments: 0...32)
    func roundTrip(bitWidth: Int) throws {
        let values = sampleValues(bitWidth: bitWidth, seed: UInt64(bitWidth) &* 7919)
        let encoded = RLEBitPackedHybridEncoder.encode(values, bitWidth: bitWidth)
        #expect(try decodeAll(encoded, bitWidth: bitWidth, count: values.count) == values)

        // Batches of random sizes, mixing the buffer and array entry points and skips.
        var rng = SplitMix64(seed: UInt64(bitWidth))
        try encoded.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: bitWidth)
            var index = 0
            while index < values.count {
                let batch = Swift.min(Int.random(in: 0...37, using: &rng), values.count - index)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    var output = [Int32](repeating: -7, count: batch)
                    try output.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    #expect(output[...] == values[index..<(index + batch)])
                case 1:
                    var output: [Int32] = [42]
                    try decoder.decode(count: batch, appendingTo: &output)
                    #expect(output.dropFirst() == values[index..<(index + batch)])
                default:
                    try decoder.skip(batch)
                }
                index += batch
            }
        }
    }

    @Test(arguments: [1, 3, 8, 13, 32])
    func truncatedInputNeverYieldsWrongValues(bitWidth: Int) throws {
        let values = sampleValues(bitWidth: bitWidth, seed: 99, count: 300)
        let encoded = RLEBitPackedHybridEncoder.encode(values, bitWidth: bitWidth)
        var failures = 0
        for length in 0..<encoded.count {
            let prefix = Array(encoded[..<length])
            let error = decodingError {
                let decoded = try decodeAll(prefix, bitWidth: bitWidth, count: values.count)
                #expect(decoded == values)
            }
            if let error {
                #expect(error.code == .truncated)
                failures += 1
            }
        }
        // Only cuts inside the padding of the last group can still produce every value.
        #expect(failures >= encoded.count - bitWidth)
    }

    @Test func truncationAndInvalidInput() throws {
        // Two of the spec example's three packed bytes hold only 16 bits: values 0...4.
        #expect(try decodeAll([0x03, 0x88, 0xC6], bitWidth: 3, count: 5) == [0, 1, 2, 3, 4])
        let short = decodingError { _ = try decodeAll([0x03, 0x88, 0xC6], bitWidth: 3, count: 6, baseOffset: 100) }
        #expect(short?.code == .truncated)
        #expect(short?.offset == 103)

        expectDecodingError(.truncated) { _ = try decodeAll([], bitWidth: 1, count: 1) }
        #expect(try decodeAll([], bitWidth: 1, count: 0) == [])
        expectDecodingError(.truncated) { _ = try decodeAll([0x14], bitWidth: 3, count: 1) }
        expectDecodingError(.truncated) { _ = try decodeAll([0x14, 0x01], bitWidth: 9, count: 1) }
        expectDecodingError(.truncated) { _ = try decodeAll([0x14, 0x05], bitWidth: 3, count: 11) }
        expectDecodingError(.truncated) { _ = try decodeAll([0x80], bitWidth: 3, count: 1) }
        expectDecodingError(.invalidValue) { _ = try decodeAll([0x14, 0x09], bitWidth: 3, count: 1) }
        expectDecodingError(.invalidValue) { _ = try decodeAll([0x14, 0x00, 0x02], bitWidth: 9, count: 1) }
        expectDecodingError(.invalidValue) { _ = try decodeAll([0x00], bitWidth: 33, count: 0) }
        expectDecodingError(.invalidValue) { _ = try decodeAll([0x00], bitWidth: -1, count: 0) }
        expectDecodingError(.lengthOutOfRange) { _ = try decodeAll([0x02, 0x00], bitWidth: 1, count: -1) }
        // A run claiming far more groups than exist is served as far as its bytes go.
        #expect(try decodeAll([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xFF], bitWidth: 1, count: 8) == Array(repeating: 1, count: 8))
        expectDecodingError(.truncated) { _ = try decodeAll([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xFF], bitWidth: 1, count: 9) }
        // A failed append leaves the array untouched.
        try ([0x14, 0x05] as [UInt8]).withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: 3)
            var output: [Int32] = [1, 2]
            expectDecodingError(.truncated) { try decoder.decode(count: 11, appendingTo: &output) }
            #expect(output == [1, 2])
        }
    }

    @Test func encoderAppendVariants() throws {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 4)
        encoder.append(3 as Int32)
        encoder.append(UInt32(3), count: 20)
        encoder.append(UInt32(5), count: 0)
        encoder.append(UInt32(15), count: 3)
        encoder.append(contentsOf: [1, 2] as [UInt32])
        let encoded = encoder.finish()
        let expected: [Int32] = Array(repeating: 3, count: 21) + [15, 15, 15, 1, 2]
        #expect(try decodeAll(encoded, bitWidth: 4, count: expected.count) == expected)
        // 21 threes as one RLE run, then one bit-packed group of 15, 15, 15, 1, 2 and padding.
        #expect(encoded == [0x2A, 0x03, 0x03, 0xFF, 0x1F, 0x02, 0x00])
        #expect(encoder.finish().isEmpty)
    }

    @Test func runsLongerThanRequestedContinueInTheNextCall() throws {
        // An RLE run of 1000 zeros at width 0 and a huge zero-width packed run.
        try ([0xD0, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] as [UInt8]).withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: 0)
            var output: [Int32] = []
            try decoder.decode(count: 999, appendingTo: &output)
            try decoder.decode(count: 2000, appendingTo: &output)
            #expect(output == Array(repeating: 0, count: 2999))
            #expect(decoder.bytesConsumed == 7)
        }
    }

    @Test(arguments: [
        (UInt64(0), 0), (1, 1), (2, 2), (3, 2), (4, 3), (7, 3), (8, 4), (255, 8), (256, 9),
        (UInt64(UInt32.max), 32), (UInt64(UInt32.max) + 1, 33), (UInt64.max, 64),
    ])
    func bitWidthForMaxValue(maxValue: UInt64, width: Int) {
        #expect(RLEBitPackedHybridEncoder.bitWidth(forMaxValue: maxValue) == width)
    }

    @Test func plainBooleans() throws {
        let values = [true, false, true, true, false, false, false, false, true]
        let encoded = PlainBooleanEncoder.encode(values)
        #expect(encoded == [0x0D, 0x01])

        var rng = SplitMix64(seed: 5)
        for count in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            let values = (0..<count).map { _ in Bool.random(using: &rng) }
            let encoded = PlainBooleanEncoder.encode(values)
            #expect(encoded.count == (count + 7) / 8)
            try encoded.withUnsafeBytes { raw in
                var decoder = PlainBooleanDecoder(raw)
                var output: [Bool] = []
                var index = 0
                while index < count {
                    let batch = Swift.min(Int.random(in: 1...20, using: &rng), count - index)
                    try decoder.decode(count: batch, appendingTo: &output)
                    index += batch
                }
                #expect(output == values)
                #expect(decoder.bytesConsumed == encoded.count)
            }
        }
        try ([0x0D, 0x01] as [UInt8]).withUnsafeBytes { raw in
            var decoder = PlainBooleanDecoder(raw, baseOffset: 10)
            var output: [Bool] = []
            let error = decodingError { try decoder.decode(count: 17, appendingTo: &output) }
            #expect(error?.code == .truncated)
            #expect(output.isEmpty)
            try decoder.decode(count: 16, appendingTo: &output)
            #expect(Array(output.prefix(9)) == values)
            expectDecodingError(.truncated) { try decoder.decode(count: 1, appendingTo: &output) }
        }
    }
}
