import Avro
import Columnar
import CompressionCodecs
import Foundation
import Testing
import TestSupport

/// Hand-built container files for bad-input tests.
enum Craft {
    static let sync: [UInt8] = Array(0..<16).map { UInt8($0 * 7 + 3) }

    static func long(_ value: Int64) -> [UInt8] {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    static func string(_ text: String) -> [UInt8] {
        long(Int64(text.utf8.count)) + Array(text.utf8)
    }

    static func header(schema: String, codec: String? = nil) -> [UInt8] {
        var out: [UInt8] = [0x4F, 0x62, 0x6A, 0x01]
        out += long(codec == nil ? 1 : 2)
        out += string("avro.schema") + string(schema)
        if let codec { out += string("avro.codec") + string(codec) }
        out += long(0)
        out += sync
        return out
    }

    static func block(count: Int64, _ data: [UInt8], sync: [UInt8] = Craft.sync) -> [UInt8] {
        long(count) + long(Int64(data.count)) + data + sync
    }

    static let recordSchema = #"{"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"name","type":["null","string"]},{"name":"tags","type":{"type":"array","items":"string"}}]}"#

    /// One valid record of `recordSchema`.
    static func record(id: Int64, name: String?, tags: [String]) -> [UInt8] {
        var out = long(id)
        if let name { out += long(1) + string(name) } else { out += long(0) }
        if !tags.isEmpty { out += long(Int64(tags.count)) + tags.flatMap { string($0) } }
        out += long(0)
        return out
    }

    static func file(records: [[UInt8]], codec: String? = nil) -> [UInt8] {
        header(schema: recordSchema, codec: codec) + block(count: Int64(records.count), records.flatMap { $0 })
    }
}

/// Runs the reader to the end; returns the error, if any.
func readError(_ bytes: [UInt8], name: String = "bad.avro", maxRows: Int = 1000) -> AvroError? {
    do {
        var reader = try AvroContainerReader(bytes: bytes, fileName: name)
        while try reader.nextBatch(maxRows: maxRows) != nil {}
        return nil
    } catch {
        return error
    }
}

@Suite struct CorruptInputTests {
    static let valid = Craft.file(records: [
        Craft.record(id: 1, name: "one", tags: ["a", "b"]),
        Craft.record(id: -2, name: nil, tags: []),
        Craft.record(id: 300, name: "three", tags: ["c"]),
    ])

    @Test func craftedFileIsValid() throws {
        let batch = try readAll(Self.valid)
        #expect(batch.jsonLines() == [
            #"{"id":1,"name":"one","tags":["a","b"]}"#,
            #"{"id":-2,"name":null,"tags":[]}"#,
            #"{"id":300,"name":"three","tags":["c"]}"#,
        ])
    }

    @Test func everyTruncationThrowsWithFileAndOffset() throws {
        let headerLength = Craft.header(schema: Craft.recordSchema).count
        var files: [(String, [UInt8])] = [("crafted", Self.valid)]
        if Samples.available { files.append(("sample", try Samples.bytes("my_table-simpleTest-pk-update.avro"))) }
        for (label, bytes) in files {
            for length in 0..<bytes.count {
                let prefix = Array(bytes[..<length])
                guard let error = readError(prefix, name: "prefix.avro") else {
                    // Only the bare header (no block yet) is a complete, empty file.
                    if label == "crafted" { #expect(length == headerLength, "prefix of \(length) bytes decoded") }
                    continue
                }
                #expect(error.file == "prefix.avro")
                #expect(error.offset.map { $0 >= 0 && $0 <= length } == true, "\(label) \(length): \(error)")
            }
        }
    }

    @Test func badMagic() {
        var bytes = Self.valid
        bytes[3] = 0x02
        let error = readError(bytes)
        #expect(error?.code == .notAvro)
        #expect(error?.offset == 0)
        #expect(error?.file == "bad.avro")
        #expect(readError([])?.code == .notAvro)
    }

    @Test func wrongSyncMarker() {
        var bytes = Self.valid
        bytes[bytes.count - 5] ^= 0xFF
        let error = readError(bytes)
        #expect(error?.code == .syncMismatch)
        #expect(error?.offset == bytes.count - 16)
    }

    @Test func invalidSchemaJSON() {
        let bytes = Craft.header(schema: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}"#) + Craft.block(count: 0, [])
        let error = readError(bytes)
        #expect(error?.code == .invalidSchema)
        #expect(error?.file == "bad.avro")
        #expect(error?.offset != nil)
        #expect(readError(Craft.header(schema: "{\"type\":\"int\"}", codec: "lzma"))?.code == .unsupported)
    }

    @Test func unionIndexOutOfRange() {
        let first = Craft.record(id: 1, name: "x", tags: [])
        let data = first + Craft.long(7) + Craft.long(2) + Craft.long(0) + Craft.long(0)
        let bytes = Craft.header(schema: Craft.recordSchema) + Craft.block(count: 2, data)
        let error = readError(bytes)
        #expect(error?.code == .corruptData)
        #expect(error?.recordIndex == 1)
        let headerLength = Craft.header(schema: Craft.recordSchema).count
        // block header: count (1 byte) + size (1 byte); record 0; then id (1 byte); then the union index.
        #expect(error?.offset == headerLength + 2 + first.count + 1)
        #expect(error?.message.contains("union index 2") == true)
    }

    @Test func varintOverflow() {
        let data = [UInt8](repeating: 0xFF, count: 11) + [0x01]
        let error = readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 1, data))
        #expect(error?.code == .corruptData)
        #expect(error?.recordIndex == 0)
        #expect(error?.message.contains("64 bits") == true)
    }

    @Test func negativeLengths() {
        // name = union branch 1, string length -1
        let data = Craft.long(5) + Craft.long(1) + Craft.long(-1) + [0, 0, 0]
        let error = readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 1, data))
        #expect(error?.code == .corruptData)
        #expect(error?.message.contains("negative length") == true)
        // Negative block size and count.
        let negativeSize = Craft.header(schema: Craft.recordSchema) + Craft.long(1) + Craft.long(-4) + Craft.sync
        #expect(readError(negativeSize)?.code == .corruptBlock)
        let negativeCount = Craft.header(schema: Craft.recordSchema) + Craft.block(count: -1, [0, 0, 0])
        #expect(readError(negativeCount)?.code == .corruptBlock)
    }

    @Test func negativeArrayCountWithByteSize() throws {
        // The block form `-count, byteSize, items` is valid.
        let data = Craft.long(9) + Craft.long(0) + Craft.long(-2) + Craft.long(4) + Craft.string("x") + Craft.string("yz") + Craft.long(0)
        let batch = try readAll(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 1, data))
        #expect(batch.jsonLines() == [#"{"id":9,"name":null,"tags":["x","yz"]}"#])
    }

    @Test func countsLargerThanTheData() {
        let record = Craft.record(id: 1, name: "x", tags: [])
        let error = readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 1_000_000, record))
        #expect(error?.code == .corruptBlock)
        #expect(error?.message.contains("1000000 records") == true)
        // Two records declared, one present: caught by the size check or while decoding.
        #expect(readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 2, record))?.code == .corruptBlock)
        let truncatedError = readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 2, record + [2]))
        #expect(truncatedError?.code == .truncated)
        #expect(truncatedError?.recordIndex == 1)
        // An array declaring a billion strings.
        let array = Craft.long(1) + Craft.long(0) + Craft.long(1_000_000_000) + Craft.string("a")
        let arrayError = readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 1, array))
        #expect(arrayError?.code == .truncated)
        // A block size beyond the file.
        let hugeSize = Craft.header(schema: Craft.recordSchema) + Craft.long(1) + Craft.long(1 << 40) + record
        #expect(readError(hugeSize)?.code == .limitExceeded)
        let overFile = Craft.header(schema: Craft.recordSchema) + Craft.long(1) + Craft.long(1000) + record
        #expect(readError(overFile)?.code == .truncated)
        // Bytes left over after the declared records.
        #expect(readError(Craft.header(schema: Craft.recordSchema) + Craft.block(count: 1, record + [0]))?.code == .corruptBlock)
    }

    @Test func zeroSizeRecordsAndItemsAreBounded() throws {
        let schema = #"{"type":"record","name":"Empty","fields":[]}"#
        let error = readError(Craft.header(schema: schema) + Craft.block(count: Int64(1) << 40, []))
        #expect(error?.code == .limitExceeded)
        #expect(try readAll(Craft.header(schema: schema) + Craft.block(count: 5, [])).rowCount == 5)
        let nulls = #"{"type":"record","name":"N","fields":[{"name":"a","type":{"type":"array","items":"null"}}]}"#
        let three = try readAll(Craft.header(schema: nulls) + Craft.block(count: 1, Craft.long(3) + Craft.long(0)))
        #expect(three.jsonLines() == [#"{"a":[null,null,null]}"#])
        let many = readError(Craft.header(schema: nulls) + Craft.block(count: 1, Craft.long(1 << 30) + Craft.long(0)))
        #expect(many?.code == .corruptData)
        #expect(many?.message.contains("zero-size") == true)
    }

    static func compressed(_ codec: String, _ records: [[UInt8]]) throws -> (bytes: [UInt8], dataStart: Int) {
        let raw = records.flatMap { $0 }
        var data: [UInt8]
        switch codec {
        case "deflate": data = try CompressionCodec.deflate.compress(raw)
        case "zstandard": data = try CompressionCodec.zstd.compress(raw)
        default:
            data = try CompressionCodec.snappy.compress(raw)
            let crc = CRC32.checksum(raw)
            data += [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)]
        }
        let header = Craft.header(schema: Craft.recordSchema, codec: codec)
        let block = Craft.block(count: Int64(records.count), data)
        return (header + block, header.count + Craft.long(Int64(records.count)).count + Craft.long(Int64(data.count)).count)
    }

    @Test(arguments: ["deflate", "snappy", "zstandard"])
    func corruptCompressedBlocks(codec: String) throws {
        let records = (0..<50).map { Craft.record(id: Int64($0), name: "name \($0)", tags: ["t\($0)"]) }
        let (bytes, dataStart) = try Self.compressed(codec, records)
        #expect(try readAll(bytes).rowCount == 50)
        var broken = bytes
        // Damage the middle of the compressed data.
        let middle = dataStart + (bytes.count - 16 - dataStart) / 2
        broken[middle] ^= 0x55
        broken[middle + 1] ^= 0xAA
        let error = readError(broken)
        #expect(error != nil)
        #expect(error?.file == "bad.avro")
        #expect(error?.offset != nil)
        if codec == "snappy" {
            // Damage only the CRC.
            var badCRC = bytes
            badCRC[bytes.count - 17] ^= 0x01
            let crcError = readError(badCRC)
            #expect(crcError?.code == .checksumMismatch)
            #expect(crcError?.offset == bytes.count - 20)
        }
        // A record error inside a compressed block is located by block offset + offset inside it.
        var badRecords = records
        badRecords[10] = Craft.long(1) + Craft.long(9)
        let (badData, start) = try Self.compressed(codec, badRecords)
        let dataError = readError(badData)
        #expect(dataError?.code == .corruptData)
        #expect(dataError?.recordIndex == 10)
        #expect(dataError?.offset == start)
        #expect(dataError?.offsetInBlock == records[0..<10].reduce(0) { $0 + $1.count } + 1)
    }

    @Test func randomMutationsNeverCrash() throws {
        var inputs: [[UInt8]] = [Self.valid]
        inputs.append(try Self.compressed("deflate", (0..<20).map { Craft.record(id: Int64($0), name: "n", tags: ["a"]) }).bytes)
        inputs.append(try Self.compressed("snappy", (0..<20).map { Craft.record(id: Int64($0), name: nil, tags: []) }).bytes)
        if Samples.available {
            inputs.append(try Samples.bytes("mysql-backfill-AllDatatypeColumns.avro"))
            inputs.append(try Samples.bytes("avro_file_ut.avro"))
        }
        var rng = SplitMix64(seed: 0xA5A5)
        var errors = 0
        var successes = 0
        for iteration in 0..<4000 {
            var bytes = inputs[iteration % inputs.count]
            let mutations = 1 + Int(rng.next() % 4)
            for _ in 0..<mutations {
                guard !bytes.isEmpty else { break }
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 6 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[position] ^= 1 << UInt8(rng.next() % 8)
                case 2: bytes.remove(at: position)
                case 3: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                case 4: bytes[position] = [0x00, 0x7F, 0x80, 0xFF, 0x01][Int(rng.next() % 5)]
                default: bytes.removeSubrange(position...)
                }
            }
            if let error = readError(bytes, name: "mutant.avro", maxRows: 1 + Int(rng.next() % 50)) {
                #expect(error.file == "mutant.avro")
                #expect(!error.message.isEmpty)
                errors += 1
            } else {
                successes += 1
            }
        }
        #expect(errors > 2000)
        #expect(errors + successes == 4000)
    }
}
