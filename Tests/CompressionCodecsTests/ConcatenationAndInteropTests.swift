import CompressionCodecs
import Foundation
import Testing
import TestSupport

@Suite struct ConcatenationTests {
    @Test func concatenatedGzipMembersDecode() throws {
        let first = TestData.compressible(count: 70_000, seed: 1)
        let second = TestData.random(count: 5000, seed: 2)
        let combined = try CompressionCodec.gzip.compress(first) + CompressionCodec.gzip.compress([])
            + CompressionCodec.gzip.compress(second)
        #expect(try CompressionCodec.gzip.decompress(combined) == first + second)
        #expect(try CompressionCodec.gzip.decompress(combined, expectedSize: first.count + second.count) == first + second)
        let error = #expect(throws: CompressionError.self) {
            try CompressionCodec.gzip.decompress(combined, expectedSize: first.count)
        }
        #expect(error?.code == .sizeMismatch)
        // Truncating the last member is still caught.
        #expect(throws: CompressionError.self) { try CompressionCodec.gzip.decompress(Array(combined.dropLast(3))) }
    }

    @Test func concatenatedZstdFramesDecode() throws {
        let first = TestData.compressible(count: 70_000, seed: 1)
        let second = TestData.random(count: 5000, seed: 2)
        // All frames declare their sizes: one-shot path.
        let known = try CompressionCodec.zstd.compress(first) + CompressionCodec.zstd.compress([])
            + ZstdFrame.skippable([1, 2, 3]) + CompressionCodec.zstd.compress(second)
        #expect(try CompressionCodec.zstd.decompress(known) == first + second)
        #expect(try CompressionCodec.zstd.decompress(known, expectedSize: first.count + second.count) == first + second)
        // One frame without a content size: streaming path.
        let rle = ZstdFrame.rle(blocks: 2, blockSize: 500, byte: 9)
        let mixed = try CompressionCodec.zstd.compress(first) + rle + ZstdFrame.skippable([])
            + CompressionCodec.zstd.compress(second)
        let expected = first + [UInt8](repeating: 9, count: 1000) + second
        #expect(try CompressionCodec.zstd.decompress(mixed) == expected)
        #expect(try CompressionCodec.zstd.decompress(mixed, expectedSize: expected.count) == expected)
        #expect(throws: CompressionError.self) { try CompressionCodec.zstd.decompress(Array(mixed.dropLast(1))) }
        let error = #expect(throws: CompressionError.self) {
            try CompressionCodec.zstd.decompress(mixed, maxOutputSize: expected.count - 1)
        }
        #expect(error?.code == .outputTooLarge)
    }

    @Test func concatenatedZlibStreamsAreTrailingGarbage() throws {
        let one = try CompressionCodec.zlib.compress([1, 2, 3])
        let error = #expect(throws: CompressionError.self) { try CompressionCodec.zlib.decompress(one + one) }
        #expect(error?.code == .corruptInput)
    }
}

@Suite struct InteropTests {
    /// `printf 'Hello from /bin/gzip!\n' | gzip -9n`
    static let systemGzip: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x57,
        0x48, 0x2B, 0xCA, 0xCF, 0x55, 0xD0, 0x4F, 0xCA, 0xCC, 0xD3, 0x4F, 0xAF, 0xCA, 0x2C, 0x50, 0xE4,
        0x02, 0x00, 0xEA, 0x1F, 0xC7, 0x26, 0x16, 0x00, 0x00, 0x00,
    ]
    /// `(printf abc | gzip -n; printf 'def\n' | gzip -n)`: two members.
    static let systemGzipTwoMembers: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B, 0x4C, 0x4A, 0x06, 0x00, 0xC2,
        0x41, 0x24, 0x35, 0x03, 0x00, 0x00, 0x00, 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x03, 0x4B, 0x49, 0x4D, 0xE3, 0x02, 0x00, 0xBC, 0x93, 0x6E, 0x08, 0x04, 0x00, 0x00, 0x00,
    ]
    /// `printf 'Hello from zstd CLI\n' | zstd -c`: no content size, with a checksum.
    static let systemZstd: [UInt8] = [
        0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58, 0xA1, 0x00, 0x00, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x20, 0x66,
        0x72, 0x6F, 0x6D, 0x20, 0x7A, 0x73, 0x74, 0x64, 0x20, 0x43, 0x4C, 0x49, 0x0A, 0x45, 0xC4, 0x9D,
        0xF6,
    ]

    @Test func hardCodedSystemGzipDecodes() throws {
        #expect(try CompressionCodec.gzip.decompress(Self.systemGzip) == Array("Hello from /bin/gzip!\n".utf8))
        #expect(try CompressionCodec.gzip.decompress(Self.systemGzipTwoMembers) == Array("abcdef\n".utf8))
    }

    @Test func hardCodedSystemZstdDecodes() throws {
        let expected = Array("Hello from zstd CLI\n".utf8)
        #expect(try CompressionCodec.zstd.decompress(Self.systemZstd) == expected)
        #expect(try CompressionCodec.zstd.decompress(Self.systemZstd, expectedSize: expected.count) == expected)
        let error = #expect(throws: CompressionError.self) {
            try CompressionCodec.zstd.decompress(Self.systemZstd, maxOutputSize: 5)
        }
        #expect(error?.code == .outputTooLarge)
        // The CLI writes a checksum: corrupting the payload is detected.
        var corrupted = Self.systemZstd
        corrupted[12] ^= 0x01
        #expect(throws: CompressionError.self) { try CompressionCodec.zstd.decompress(corrupted) }
    }

    // MARK: Live round trips with the command-line tools, when installed.

    static let gzipPath = "/bin/gzip"
    static let zstdPath = ["/usr/bin/zstd", "/usr/local/bin/zstd", "/bin/zstd"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `tool arguments... file` with `input` written to a temporary file; returns stdout.
    private func run(_ tool: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("codec-interop-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(output)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: gzipPath)))
    func liveGzipInterop() throws {
        let original = TestData.compressible(count: 300_000)
        let fromTool = try run(Self.gzipPath, ["-c", "-n"], input: original)
        #expect(try CompressionCodec.gzip.decompress(fromTool) == original)
        let fromUs = try CompressionCodec.gzip.compress(original)
        #expect(try run(Self.gzipPath, ["-d", "-c"], input: fromUs) == original)
    }

    @Test(.enabled(if: zstdPath != nil))
    func liveZstdInterop() throws {
        let tool = try #require(Self.zstdPath)
        let original = TestData.compressible(count: 300_000)
        for flags in [["-q", "-c"], ["-q", "-c", "--no-check", "--no-content-size"], ["-q", "-c", "-19"]] {
            let fromTool = try run(tool, flags, input: original)
            #expect(try CompressionCodec.zstd.decompress(fromTool) == original, "\(flags)")
        }
        let fromUs = try CompressionCodec.zstd.compress(original)
        #expect(try run(tool, ["-q", "-d", "-c"], input: fromUs) == original)
    }
}
