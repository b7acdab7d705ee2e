import BinaryCoding
import Testing
import TestSupport

@Suite struct ByteReaderTests {
    static let ulebCases: [(UInt64, [UInt8])] = [
        (UInt64(0), [UInt8(0x00)]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]),
        (16_384, [0x80, 0x80, 0x01]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: ulebCases)
    func uleb128(value: UInt64, encoded: [UInt8]) throws {
        var writer = ByteWriter()
        writer.writeULEB128(value)
        #expect(writer.bytes == encoded)
        try (encoded + [0xAA]).withReader { reader throws in
            #expect(try reader.readULEB128() == value)
            #expect(reader.position == encoded.count)
        }
    }

    static let zigzagCases: [(Int64, [UInt8])] = [
        (Int64(0), [UInt8(0x00)]),
        (-1, [0x01]),
        (1, [0x02]),
        (-2, [0x03]),
        (2_147_483_647, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
        (-2_147_483_648, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (Int64.max, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        (Int64.min, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: zigzagCases)
    func zigzag64(value: Int64, encoded: [UInt8]) throws {
        var writer = ByteWriter()
        writer.writeZigZag(value)
        #expect(writer.bytes == encoded)
        try encoded.withReader { reader throws in
            #expect(try reader.readZigZagInt64() == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test(arguments: [Int32(0), -1, 1, -64, 64, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1])
    func zigzag32(value: Int32) throws {
        var writer = ByteWriter()
        writer.writeZigZag(Int64(value))
        try writer.bytes.withReader { reader throws in
            #expect(try reader.readZigZagInt32() == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test func zigzag32RejectsValuesOutsideInt32() throws {
        for value in [Int64(Int32.max) + 1, Int64(Int32.min) - 1, Int64.max, Int64.min] {
            var writer = ByteWriter()
            writer.writeZigZag(value)
            writer.bytes.withReader(baseOffset: 50) { reader in
                let error = decodingError { _ = try reader.readZigZagInt32() }
                #expect(error?.code == .varintOverflow)
                #expect(error?.offset == 50)
                #expect(reader.position == 0, "a failed read leaves the position unchanged")
            }
        }
    }

    @Test func varintLongerThanTenBytesOverflows() {
        // Ten bytes whose last byte carries more than the 64th bit.
        ([UInt8](repeating: 0xFF, count: 9) + [0x02])
            .withReader { reader in expectDecodingError(.varintOverflow) { _ = try reader.readULEB128() } }
        // Eleven bytes (continuation bit on the tenth).
        ([UInt8](repeating: 0x80, count: 10) + [0x00])
            .withReader { reader in expectDecodingError(.varintOverflow) { _ = try reader.readULEB128() } }
        ([UInt8](repeating: 0xFF, count: 20))
            .withReader { reader in expectDecodingError(.varintOverflow) { _ = try reader.readZigZagInt64() } }
    }

    @Test func nonMinimalVarintIsAccepted() throws {
        try ([0x80, 0x80, 0x00] as [UInt8]).withReader { reader throws in
            #expect(try reader.readULEB128() == 0)
            #expect(reader.isAtEnd)
        }
        try ([UInt8](repeating: 0x80, count: 9) + [0x00, 0x05]).withReader { reader throws in
            #expect(try reader.readULEB128() == 0)
            #expect(reader.position == 10)
        }
        try ([UInt8](repeating: 0x80, count: 9) + [0x01]).withReader { reader throws in
            #expect(try reader.readULEB128() == 1 << 63)
        }
    }

    @Test func truncatedVarints() {
        for input: [UInt8] in [[], [0x80], [0xFF, 0xFF], [UInt8](repeating: 0xFF, count: 9)] {
            input.withReader(baseOffset: 7) { reader in
                let error = decodingError { _ = try reader.readULEB128() }
                #expect(error?.code == .truncated)
                #expect(error?.offset == 7)
                #expect(reader.position == 0)
            }
        }
    }

    @Test func littleEndianFixedWidth() throws {
        let input: [UInt8] = [
            0x01,
            0x02, 0x01,
            0x04, 0x03, 0x02, 0x01,
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x81,
            0x00, 0x00, 0xC0, 0x3F,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0xBF,
        ]
        try input.withReader { reader throws in
            #expect(try reader.readUInt8() == 1)
            #expect(try reader.readInteger(as: UInt16.self) == 0x0102)
            #expect(try reader.readInteger(as: Int32.self) == 0x0102_0304)
            #expect(try reader.readInteger(as: Int64.self) == Int64(bitPattern: 0x8102_0304_0506_0708))
            #expect(try reader.readFloat() == 1.5)
            #expect(try reader.readDouble() == -1.0)
            #expect(reader.isAtEnd)
            expectDecodingError(.truncated) { _ = try reader.readUInt8() }
        }
        var writer = ByteWriter()
        writer.writeUInt8(1)
        writer.writeInteger(UInt16(0x0102))
        writer.writeInteger(Int32(0x0102_0304))
        writer.writeInteger(Int64(bitPattern: 0x8102_0304_0506_0708))
        writer.writeFloat(1.5)
        writer.writeDouble(-1.0)
        #expect(writer.bytes == input)
    }

    @Test func byteRangesAndOffsets() throws {
        let input: [UInt8] = Array(0..<10)
        try input.withReader(baseOffset: 1000) { reader in
            try reader.skip(2)
            #expect(reader.absoluteOffset == 1002)
            let slice = try reader.readBytes(count: 3)
            #expect(Array(slice) == [2, 3, 4])
            #expect(try reader.readArray(count: 2) == [5, 6])
            #expect(reader.peekUInt8() == 7)
            var sub = try reader.readSlice(count: 2)
            #expect(sub.baseOffset == 1007)
            #expect(try sub.readUInt8() == 7)
            #expect(reader.remaining == 1)

            let tooLong = decodingError { _ = try reader.readBytes(count: 2) }
            #expect(tooLong?.code == .truncated)
            #expect(tooLong?.offset == 1009)
            expectDecodingError(.lengthOutOfRange) { _ = try reader.readBytes(count: -1) }
            expectDecodingError(.lengthOutOfRange) { try reader.skip(-5) }
            expectDecodingError(.truncated) { _ = try reader.readArray(count: Int.max) }
            expectDecodingError(.truncated) { _ = try reader.readInteger(as: UInt16.self) }
            #expect(reader.position == 9)
            #expect(Array(reader.readRemainingBytes()) == [9])
            #expect(reader.isAtEnd)
        }
    }

    @Test func emptyBuffer() {
        [UInt8]().withReader { reader in
            #expect(reader.remaining == 0)
            #expect(reader.peekUInt8() == nil)
            expectDecodingError(.truncated) { _ = try reader.readUInt8() }
            expectDecodingError(.truncated) { _ = try reader.readDouble() }
            #expect((try? reader.readBytes(count: 0))?.count == 0)
        }
    }

    @Test func writerPatchesIntegers() {
        var writer = ByteWriter(capacity: 8)
        writer.writeInteger(UInt32(0))
        writer.writeBytes([9, 9])
        writer.setInteger(UInt32(2), at: 0)
        #expect(writer.bytes == [2, 0, 0, 0, 9, 9])
        #expect(writer.count == 6)
    }

    @Test func errorDescription() {
        let error = BinaryDecodingError(code: .nestingTooDeep, offset: 12, message: "too deep")
        #expect(error.description == "BinaryDecodingError(nestingTooDeep) at offset 12: too deep")
        #expect(BinaryDecodingError.Code.truncated != .varintOverflow)
    }
}
