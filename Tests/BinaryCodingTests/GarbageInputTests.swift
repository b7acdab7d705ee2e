import BinaryCoding
import Testing
import TestSupport

/// Feeds random and mutated bytes to every decoder. Any outcome but a crash, a hang or an error
/// of another type is fine; the point is that hostile input is always handled.
@Suite struct GarbageInputTests {
    /// Valid encodings of every format, to be mutated into almost-valid input.
    static let corpus: [[UInt8]] = {
        var rng = SplitMix64(seed: 1234)
        var corpus: [[UInt8]] = []
        var w = ThriftCompactWriter()
        w.writeStructBegin()
        w.writeI32Field(id: 1, 7)
        w.writeBoolField(id: 2, true)
        w.writeStructFieldBegin(id: 3)
        w.writeStringField(id: 1, "nested")
        w.writeListFieldBegin(id: 4, elementType: .bool, count: 3)
        for value in [true, false, true] { w.writeBool(value) }
        w.writeStructFieldEnd()
        w.writeField(id: 10, type: .map)
        w.writeMapHeader(keyType: .binary, valueType: .list, count: 2)
        for key in ["a", "b"] {
            w.writeString(key)
            w.writeListHeader(elementType: .double, count: 2)
            w.writeDouble(1)
            w.writeDouble(2)
        }
        w.writeI64Field(id: -1, .min)
        w.writeFieldStop()
        w.writeStructEnd()
        corpus.append(w.bytes)

        for width in [1, 2, 5, 8, 17, 32] {
            let maxValue: UInt32 = width == 32 ? .max : (1 << UInt32(width)) - 1
            var values: [UInt32] = []
            for _ in 0..<20 {
                let value = UInt32.random(in: 0...maxValue, using: &rng)
                values += repeatElement(value, count: Int.random(in: 1...20, using: &rng))
            }
            corpus.append(RLEBitPackedHybridEncoder.encode(values, bitWidth: width))
        }
        corpus.append(DeltaBinaryPackedEncoder.encode((0..<300).map { _ in Int64.random(in: .min ... .max, using: &rng) }))
        corpus.append(DeltaBinaryPackedEncoder.encode((0..<300).map { _ in Int32.random(in: -50...50, using: &rng) }))
        let strings = (0..<40).map { _ in rng.bytes(Int.random(in: 0...12, using: &rng)) }
        corpus.append(DeltaLengthByteArray.encode(strings))
        corpus.append(DeltaByteArray.encode(strings.sorted { $0.lexicographicallyPrecedes($1) }))
        corpus.append(PlainBooleanEncoder.encode((0..<50).map { _ in Bool.random(using: &rng) }))
        return corpus
    }()

    static func input(_ rng: inout SplitMix64) -> [UInt8] {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            return rng.bytes(Int.random(in: 0...16, using: &rng))
        case 1:
            return rng.bytes(Int.random(in: 0...(Bool.random(using: &rng) ? 96 : 1024), using: &rng))
        case 2:
            // Small byte values hit more of the valid paths (short varints, small widths).
            return (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) }
        default:
            var bytes = corpus[Int.random(in: 0..<corpus.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &rng)
                case 2: bytes.removeSubrange(index...)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: index)
                }
            }
            return bytes
        }
    }

    /// Runs `body`, accepting success or a `BinaryDecodingError`.
    static func survive(_ body: () throws -> Void) {
        do {
            try body()
        } catch is BinaryDecodingError {
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test(arguments: 0..<8)
    func everyDecoderSurvivesGarbage(shard: Int) {
        var rng = SplitMix64(seed: 0xBAD5_EED0 + UInt64(shard))
        for _ in 0..<600 {
            let input = Self.input(&rng)
            let choice = UInt64.random(in: 0...UInt64.max, using: &rng)
            input.withUnsafeBytes { raw in
                Self.byteReader(raw, seed: choice)
                Self.thrift(raw, seed: choice)
                Self.rle(raw, seed: choice)
                Self.delta(raw)
                Self.byteArrays(raw)
                Self.byteStreamSplit(raw, seed: choice)
                Self.booleans(raw, seed: choice)
            }
        }
    }

    static func byteReader(_ raw: UnsafeRawBufferPointer, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var reader = ByteReader(raw, baseOffset: Int.random(in: 0...1_000_000, using: &rng))
        for _ in 0..<32 {
            let before = reader.position
            survive {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: _ = try reader.readUInt8()
                case 1: _ = try reader.readInteger(as: Int64.self)
                case 2: _ = try reader.readInteger(as: UInt16.self)
                case 3: _ = try reader.readULEB128()
                case 4: _ = try reader.readZigZagInt32()
                case 5: _ = try reader.readZigZagInt64()
                case 6: _ = try reader.readBytes(count: Int.random(in: -2...20, using: &rng))
                case 7: _ = try reader.readArray(count: Int.random(in: -2...20, using: &rng))
                case 8: try reader.skip(Int.random(in: -2...20, using: &rng))
                default: _ = try reader.readDouble()
                }
            }
            #expect(reader.position >= before && reader.position <= raw.count)
        }
    }

    static func thrift(_ raw: UnsafeRawBufferPointer, seed: UInt64) {
        survive {
            var reader = ThriftCompactReader(raw, baseOffset: 3)
            try reader.skip(.struct)
        }
        // Each type skipped from the start, and typed reads that may not match the data.
        var rng = SplitMix64(seed: seed)
        let type = ThriftType.allCases[Int.random(in: 0..<ThriftType.allCases.count, using: &rng)]
        survive {
            var reader = ThriftCompactReader(raw, maxDepth: Int.random(in: 0...8, using: &rng))
            try reader.skip(type)
        }
        survive {
            var reader = ThriftCompactReader(raw)
            try reader.readStructBegin()
            while let field = try reader.readFieldHeader() {
                switch field.type {
                case .bool: _ = try reader.readBool()
                case .binary: _ = try reader.readString()
                case .list, .set:
                    let (elementType, count) = try reader.readListHeader()
                    for _ in 0..<count { try reader.skip(elementType) }
                case .map:
                    let header = try reader.readMapHeader()
                    if let key = header.keyType, let value = header.valueType {
                        for _ in 0..<header.count {
                            try reader.skip(key)
                            try reader.skip(value)
                        }
                    }
                case .i16: _ = try reader.readI16()
                case .i32: _ = try reader.readI32()
                default: try reader.skip(field.type)
                }
            }
            try reader.readStructEnd()
        }
    }

    static func rle(_ raw: UnsafeRawBufferPointer, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let width = Int.random(in: -1...33, using: &rng)
        survive {
            var decoder = try RLEBitPackedHybridDecoder(raw, bitWidth: width)
            var values: [Int32] = []
            try decoder.decode(count: Int.random(in: 0...3000, using: &rng), appendingTo: &values)
            try decoder.skip(Int.random(in: 0...100, using: &rng))
            var buffer = [Int32](repeating: 0, count: Int.random(in: 0...100, using: &rng))
            try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(decoder.bytesConsumed <= raw.count)
        }
    }

    static func delta(_ raw: UnsafeRawBufferPointer) {
        survive {
            var decoder = try DeltaBinaryPackedDecoder(raw, maxValueCount: 5000)
            var values: [Int64] = []
            try decoder.decode(count: decoder.totalValueCount, appendingTo: &values)
            #expect(decoder.bytesConsumed <= raw.count)
        }
        survive {
            var decoder = try DeltaBinaryPackedDecoder(raw, maxValueCount: 5000)
            var values: [Int32] = []
            try decoder.decode(count: decoder.totalValueCount / 2, appendingTo: &values)
            try decoder.skipRemaining()
        }
    }

    static func byteArrays(_ raw: UnsafeRawBufferPointer) {
        survive {
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            let result = try DeltaLengthByteArray.decode(raw, maxValueCount: 5000, maxByteCount: 100_000, offsets: &offsets, data: &data)
            #expect(offsets.count == result.valueCount + 1 && Int(offsets.last!) == data.count)
            #expect(result.bytesConsumed <= raw.count)
        }
        survive {
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            let result = try DeltaByteArray.decode(raw, maxValueCount: 5000, maxByteCount: 100_000, offsets: &offsets, data: &data)
            #expect(offsets.count == result.valueCount + 1 && Int(offsets.last!) == data.count)
            #expect(data.count <= 100_000)
        }
    }

    static func byteStreamSplit(_ raw: UnsafeRawBufferPointer, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        survive {
            var output: [UInt8] = []
            try ByteStreamSplit.decode(raw, width: Int.random(in: 0...9, using: &rng), appendingTo: &output)
        }
        survive {
            var output: [Double] = []
            try ByteStreamSplit.decode(raw, as: Double.self, appendingTo: &output)
        }
    }

    static func booleans(_ raw: UnsafeRawBufferPointer, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        survive {
            var decoder = PlainBooleanDecoder(raw)
            var values: [Bool] = []
            try decoder.decode(count: Int.random(in: 0...1000, using: &rng), appendingTo: &values)
        }
    }
}
