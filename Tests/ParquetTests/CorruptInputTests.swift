import Foundation
import Columnar
import Testing

@testable import Parquet
import TestSupport

/// Damaged files give a typed error naming the file (and offset), never a crash or wrong data.
@Suite struct CorruptInputTests {
    static func validFile(compression: CompressionKind = .snappy, version: DataPageVersion = .v1) throws -> [UInt8] {
        var options = ParquetWriterOptions()
        options.compression = compression
        options.dataPageVersion = version
        options.dataPageSize = 2048
        let batch = try TestBatches.batch(count: 300, seed: 42)
        var writer = try ParquetFileWriter(schema: batch.schema, options: options)
        try writer.write(batch)
        return try writer.finish()
    }

    func expectError(_ bytes: [UInt8], code: ParquetError.Code? = nil, _ comment: Comment? = nil) {
        do {
            _ = try ParquetFileReader(bytes: bytes, fileName: "bad.parquet").readAll()
            Issue.record("expected an error", sourceLocation: #_sourceLocation)
        } catch {
            #expect(error.file == "bad.parquet")
            if let code { #expect(error.code == code, comment) }
        }
    }

    @Test func wrongMagic() throws {
        var bytes = try Self.validFile()
        bytes[0] = UInt8(ascii: "X")
        expectError(bytes, code: .notParquet)
        expectError(Array("hello world, not parquet".utf8), code: .notParquet)
        expectError([], code: .notParquet)
    }

    @Test func truncatedAtEveryRegion() throws {
        let bytes = try Self.validFile()
        for length in [4, 11, 12, bytes.count / 3, bytes.count / 2, bytes.count - 9, bytes.count - 5, bytes.count - 1] {
            expectError(Array(bytes[0..<length]))
        }
    }

    @Test func footerLengthPastTheFile() throws {
        var bytes = try Self.validFile()
        let n = bytes.count
        bytes[n - 8] = 0xFF
        bytes[n - 7] = 0xFF
        bytes[n - 6] = 0xFF
        bytes[n - 5] = 0x7F
        expectError(bytes, code: .corruptMetadata)
    }

    @Test func corruptFooterBytes() throws {
        let bytes = try Self.validFile()
        let n = bytes.count
        let footerLength = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16
        let footerStart = n - 8 - footerLength
        var rng = SplitMix64(seed: 9)
        // Random damage inside the footer must never crash; most of it must be detected.
        var detected = 0
        for _ in 0..<300 {
            var copy = bytes
            for _ in 0..<3 {
                copy[footerStart + Int(rng.next() % UInt64(footerLength))] = UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try ParquetFileReader(bytes: copy).readAll() } catch { detected += 1 }
        }
        #expect(detected > 100)
    }

    @Test func pageChecksumMismatch() throws {
        var bytes = try Self.validFile(compression: .uncompressed)
        let reader = try ParquetFileReader(bytes: bytes)
        let meta = try #require(reader.metadata.rowGroups[0].columns[0].metaData)
        // Flip a byte well inside the first page body of column 0 (after its header).
        let target = Int(meta.dataPageOffset) + Int(meta.totalCompressedSize) - 3
        bytes[target] ^= 0x55
        expectError(bytes, code: .checksumMismatch)
    }

    @Test(arguments: [CompressionKind.snappy, .gzip, .zstd])
    func corruptCompressedPagesNeverGiveWrongData(codec: CompressionKind) throws {
        let bytes = try Self.validFile(compression: codec)
        let reader = try ParquetFileReader(bytes: bytes)
        let original = try reader.readAll().flatMap { $0.jsonLines() }
        var rng = SplitMix64(seed: 77)
        for column in reader.metadata.rowGroups[0].columns.prefix(6) {
            let meta = try #require(column.metaData)
            for _ in 0..<20 {
                var copy = bytes
                let offset = Int(meta.dataPageOffset) + Int(rng.next() % UInt64(meta.totalCompressedSize))
                copy[offset] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                do {
                    // Damage to a header field that does not change the data is harmless; anything else must fail.
                    let read = try ParquetFileReader(bytes: copy, fileName: "bad.parquet").readAll().flatMap { $0.jsonLines() }
                    #expect(read == original, "damage at \(offset) changed the data without an error")
                } catch {
                    #expect(error.file == "bad.parquet")
                    #expect(error.offset != nil)
                }
            }
        }
    }

    @Test func mutatedFilesNeverCrash() throws {
        // A short, deterministic mutation run (the long one is scripts/fuzz.sh).
        let seeds = [try Self.validFile(), try Self.validFile(compression: .zstd, version: .v2), try Self.validFile(compression: .uncompressed)]
        var rng = SplitMix64(seed: 2024)
        var errors = 0
        for iteration in 0..<1_500 {
            var bytes = seeds[iteration % seeds.count]
            switch rng.next() % 4 {
            case 0:
                for _ in 0..<(1 + rng.next() % 4) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            case 1:
                bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
            case 2:
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
            default:
                let at = Int(rng.next() % UInt64(bytes.count - 16))
                bytes.replaceSubrange(at..<(at + 8), with: repeatElement(0xFF, count: 8))
            }
            do { _ = try ParquetFileReader(bytes: bytes).readAll() } catch { errors += 1 }
        }
        #expect(errors > 0)
    }

    @Test func errorsNameFileAndOffset() throws {
        let error = ParquetError(.corruptPage, "bad level", file: "x.parquet", offset: 42)
        #expect(error.description == "x.parquet at byte 42: corrupt page: bad level")
    }
}

/// Files found by the fuzzer (Fuzz/findings): tiny files whose RLE runs claim billions of values.
@Suite struct FuzzFindingTests {
    @Test(arguments: ["oom-definition-levels-rle-run", "oom-dictionary-indices-rle-run", "oom-rle-boolean-values-run"])
    func hugeValueCountsAreRefusedBeforeAllocating(name: String) throws {
        let url = PythonTools.repositoryRoot.appendingPathComponent("Fuzz/findings/\(name).parquet")
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(throws: ParquetError.self) { _ = try ParquetFileReader(bytes: bytes, fileName: name).readAll() }
    }
}
