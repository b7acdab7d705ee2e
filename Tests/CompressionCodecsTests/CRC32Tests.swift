import CompressionCodecs
import Testing
import TestSupport

@Suite struct CRC32Tests {
    @Test func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func emptyInput() {
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(UnsafeRawBufferPointer(start: nil, count: 0), continuing: 0x1234_5678) == 0x1234_5678)
    }

    @Test func knownVectors() {
        #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        // The gzip trailer of `printf abc | gzip` stores CRC-32 0x352441C2.
        #expect(CRC32.checksum(Array("abc".utf8)) == 0x3524_41C2)
    }

    @Test(arguments: [0, 1, 7, 500, 4095])
    func continuingMatchesWhole(split: Int) {
        let data = TestData.random(count: 4096)
        let head = Array(data.prefix(split))
        let tail = Array(data.dropFirst(split))
        let continued = tail.withUnsafeBytes { CRC32.checksum($0, continuing: CRC32.checksum(head)) }
        #expect(continued == CRC32.checksum(data))
    }
}
