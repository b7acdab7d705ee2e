import Testing
import CompressionCodecs
import TestSupport

enum TestData {
    static func random(count: Int, seed: UInt64 = 42) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    /// Text-like data that compresses well but not trivially.
    static func compressible(count: Int, seed: UInt64 = 7) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        let words = ["parquet", "avro", "column", "page", "row", "group", "snappy", "zstd", "gzip", "delta", "\n"]
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes.append(contentsOf: words.randomElement(using: &generator)!.utf8)
            bytes.append(UInt8(ascii: " "))
        }
        return Array(bytes.prefix(count))
    }

    /// The codecs that actually compress.
    static let compressingCodecs = CompressionCodec.allCases.filter { $0 != .uncompressed }
}

/// Named inputs for parameterized round trips.
enum Sample: String, CaseIterable, CustomTestStringConvertible {
    case empty, oneByte, random1MB, compressible1MB, zeros1MB

    var bytes: [UInt8] {
        switch self {
        case .empty: []
        case .oneByte: [0x5A]
        case .random1MB: TestData.random(count: 1 << 20)
        case .compressible1MB: TestData.compressible(count: 1 << 20)
        case .zeros1MB: [UInt8](repeating: 0, count: 1 << 20)
        }
    }

    var testDescription: String { rawValue }
}

/// Hand-built zstd frames for testing the streaming path and lying headers.
enum ZstdFrame {
    static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// A frame of `blocks` RLE blocks of `blockSize` copies of `byte`, without a
    /// content size (forcing streaming decompression) unless `declaredSize` is given.
    static func rle(blocks: Int, blockSize: Int = 128 * 1024, byte: UInt8 = 0, declaredSize: UInt32? = nil) -> [UInt8] {
        var frame = magic
        if let declaredSize {
            frame.append(0x80)  // 4-byte content size, window descriptor present
            frame.append(0x38)  // window 128 KiB
            withUnsafeBytes(of: declaredSize.littleEndian) { frame.append(contentsOf: $0) }
        } else {
            frame.append(0x00)  // no content size, no checksum
            frame.append(0x38)  // window 128 KiB
        }
        for index in 0..<blocks {
            let last: UInt32 = index == blocks - 1 ? 1 : 0
            let header = last | (1 << 1) | (UInt32(blockSize) << 3)
            frame.append(contentsOf: [UInt8(header & 0xFF), UInt8((header >> 8) & 0xFF), UInt8(header >> 16)])
            frame.append(byte)
        }
        return frame
    }

    /// A skippable frame carrying `payload`.
    static func skippable(_ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x50, 0x2A, 0x4D, 0x18]
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { frame.append(contentsOf: $0) }
        return frame + payload
    }
}
