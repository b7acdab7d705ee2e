import BinaryCoding
import Columnar
import CompressionCodecs

/// Reads an Avro object container file held in memory into ``RecordBatch``es.
///
/// ```swift
/// var reader = try AvroContainerReader(bytes: fileBytes, fileName: "part-0001.avro")
/// while let batch = try reader.nextBatch(maxRows: 65_536) { ... }
/// ```
///
/// Every sync marker is checked, snappy CRCs are verified, and decompression is bounded by
/// ``AvroReaderOptions/maximumBlockSize``. Errors name the file, the absolute byte offset and
/// the record index when known.
public struct AvroContainerReader: Sendable {
    /// The file name used in errors.
    public let fileName: String?
    /// The schema the file was written with (`avro.schema`).
    public let writerSchema: AvroSchema
    /// The mapped Columnar schema of the batches (see docs/AVRO.md).
    public var schema: Schema { decoder.schema }
    /// The block codec (`avro.codec`).
    public let codec: AvroCodec
    /// All header metadata, including `avro.schema` and `avro.codec`.
    public let metadata: [String: [UInt8]]
    /// The 16-byte sync marker.
    public let syncMarker: [UInt8]
    public let options: AvroReaderOptions

    private let bytes: [UInt8]
    private var decoder: AvroRecordDecoder
    /// File offset of the next block header.
    private var nextBlockOffset: Int
    /// The current block: decompressed bytes (nil for the null codec, which reads the file in place).
    private var blockData: [UInt8]? = nil
    /// Range of the current block's data in the file.
    private var blockRange: Range<Int> = 0..<0
    /// Position inside the current block's data.
    private var blockPosition = 0
    private var blockRecordsLeft = 0
    /// Records decoded before the current one, over the whole file.
    private var recordsDecoded = 0

    /// Parses the header and compiles the writer schema.
    public init(bytes: [UInt8], fileName: String? = nil, options: AvroReaderOptions = AvroReaderOptions()) throws(AvroError) {
        self.bytes = bytes
        self.fileName = fileName
        self.options = options
        do throws(AvroError) {
            let header = try Self.parseHeader(bytes)
            self.metadata = header.metadata
            self.syncMarker = header.sync
            self.nextBlockOffset = header.end
            guard let schemaBytes = header.metadata["avro.schema"] else {
                throw AvroError(.corruptHeader, "header has no avro.schema", offset: 4)
            }
            let codecName = header.metadata["avro.codec"].map { String(decoding: $0, as: UTF8.self) } ?? "null"
            guard let codec = AvroCodec(metadataValue: codecName) else {
                throw AvroError(.unsupported, "codec '\(codecName)' is not supported (null, deflate, snappy, zstandard are)", offset: 4)
            }
            self.codec = codec
            do throws(AvroError) {
                self.writerSchema = try AvroSchema(jsonBytes: schemaBytes)
            } catch {
                var located = error
                located.offset = 4
                throw located
            }
            self.decoder = try AvroRecordDecoder(writerSchema: writerSchema)
        } catch {
            throw error.inFile(fileName)
        }
    }

    private struct Header {
        var metadata: [String: [UInt8]]
        var sync: [UInt8]
        var end: Int
    }

    private static func parseHeader(_ bytes: [UInt8]) throws(AvroError) -> Header {
        guard bytes.count >= 4 else { throw AvroError(.notAvro, "file is \(bytes.count) bytes, too short for the magic", offset: 0) }
        guard bytes[0] == 0x4F, bytes[1] == 0x62, bytes[2] == 0x6A, bytes[3] == 0x01 else {
            throw AvroError(.notAvro, "magic bytes are not 'Obj\\x01'", offset: 0)
        }
        return try withAvroBytes(bytes) { (raw) throws(AvroError) -> Header in
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[4...]), baseOffset: 4)
            var metadata: [String: [UInt8]] = [:]
            do throws(BinaryDecodingError) {
                while true {
                    let start = reader.absoluteOffset
                    var count = try reader.readZigZagInt64()
                    if count == 0 { break }
                    if count < 0 {
                        guard count != .min else { throw BinaryDecodingError(code: .invalidValue, offset: start, message: "invalid metadata block count") }
                        count = -count
                        _ = try reader.readZigZagInt64()
                    }
                    guard count <= Int64(reader.remaining / 2) else {
                        throw BinaryDecodingError(code: .truncated, offset: start, message: "metadata block of \(count) entries exceeds the file")
                    }
                    for _ in 0..<count {
                        let keyStart = reader.absoluteOffset
                        let key = try readSized(&reader)
                        let value = try readSized(&reader)
                        guard let keyText = String(validating: key, as: UTF8.self) else {
                            throw BinaryDecodingError(code: .invalidValue, offset: keyStart, message: "metadata key is not UTF-8")
                        }
                        metadata[keyText] = Array(value)
                    }
                }
                let sync = Array(try reader.readBytes(count: 16))
                return Header(metadata: metadata, sync: sync, end: reader.absoluteOffset)
            } catch {
                throw AvroError(error, "header", code: error.code == .truncated ? .truncated : .corruptHeader)
            }
        }
    }

    private static func readSized(_ reader: inout ByteReader) throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        let start = reader.absoluteOffset
        let length = try reader.readZigZagInt64()
        guard length >= 0 else { throw BinaryDecodingError(code: .lengthOutOfRange, offset: start, message: "negative length \(length)") }
        guard length <= Int64(reader.remaining) else {
            throw BinaryDecodingError(code: .truncated, offset: start, message: "length \(length) exceeds the \(reader.remaining) remaining byte(s)")
        }
        return try reader.readBytes(count: Int(length))
    }

    /// Decodes up to `maxRows` records; `nil` at the end of the file.
    public mutating func nextBatch(maxRows: Int = 65_536) throws(AvroError) -> RecordBatch? {
        guard maxRows > 0 else { throw AvroError(.limitExceeded, "maxRows must be positive", file: fileName) }
        do throws(AvroError) {
            while decoder.rowCount < maxRows {
                if blockRecordsLeft == 0 {
                    guard try loadNextBlock() else { break }
                    continue
                }
                try decodeFromBlock(count: min(maxRows - decoder.rowCount, blockRecordsLeft))
            }
        } catch {
            decoder.reset()
            blockRecordsLeft = 0
            nextBlockOffset = bytes.count // a failed reader stays at the end
            throw error.inFile(fileName)
        }
        if decoder.rowCount == 0 { return nil }
        return decoder.finish()
    }

    /// Decodes every remaining record into one batch.
    public mutating func readAll() throws(AvroError) -> RecordBatch {
        if let batch = try nextBatch(maxRows: .max) { return batch }
        return decoder.finish()
    }

    /// Reads the next block header, data and sync marker. Returns false at the end of the file.
    private mutating func loadNextBlock() throws(AvroError) -> Bool {
        let fileEnd = bytes.count
        guard nextBlockOffset < fileEnd else { return false }
        let options = self.options
        let minimumRecordSize = decoder.minimumRecordSize
        let (count, dataRange) = try withAvroBytes(bytes) { (raw) throws(AvroError) -> (Int, Range<Int>) in
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[nextBlockOffset...]), baseOffset: nextBlockOffset)
            let countOffset = reader.absoluteOffset
            let count: Int64
            let size: Int64
            do throws(BinaryDecodingError) {
                count = try reader.readZigZagInt64()
                size = try reader.readZigZagInt64()
            } catch {
                throw AvroError(error, "block header", code: error.code == .truncated ? .truncated : .corruptBlock)
            }
            guard count >= 0 else { throw AvroError(.corruptBlock, "negative block record count \(count)", offset: countOffset) }
            guard size >= 0 else { throw AvroError(.corruptBlock, "negative block size \(size)", offset: countOffset) }
            guard size <= Int64(options.maximumBlockSize) else {
                throw AvroError(.limitExceeded, "block of \(size) bytes exceeds the limit of \(options.maximumBlockSize)", offset: countOffset)
            }
            let dataStart = reader.absoluteOffset
            guard size <= Int64(reader.remaining) else {
                throw AvroError(.truncated, "block of \(size) bytes but only \(reader.remaining) remain", offset: countOffset)
            }
            guard Int64(reader.remaining) - size >= 16 else {
                throw AvroError(.truncated, "file ends before the block's sync marker", offset: dataStart + Int(size))
            }
            return (Int(count), dataStart..<(dataStart + Int(size)))
        }
        // Sync marker after the data.
        let syncStart = dataRange.upperBound
        guard bytes[syncStart..<(syncStart + 16)].elementsEqual(syncMarker) else {
            throw AvroError(.syncMismatch, "block is not followed by the file's sync marker", offset: syncStart)
        }
        var dataSize = dataRange.count
        switch codec {
        case .null:
            blockData = nil
        case .snappy:
            guard dataRange.count >= 4 else { throw AvroError(.corruptBlock, "snappy block of \(dataRange.count) bytes has no CRC", offset: dataRange.lowerBound) }
            let body = dataRange.lowerBound..<(dataRange.upperBound - 4)
            let decompressed = try decompress(body)
            let stored = bytes[body.upperBound..<dataRange.upperBound].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let actual = CRC32.checksum(decompressed)
            guard stored == actual else {
                throw AvroError(.checksumMismatch, "snappy block CRC-32 \(hex(stored)) does not match the data's \(hex(actual))", offset: body.upperBound)
            }
            blockData = decompressed
            dataSize = decompressed.count
        case .deflate, .zstandard:
            let decompressed = try decompress(dataRange)
            blockData = decompressed
            dataSize = decompressed.count
        }
        if minimumRecordSize > 0 {
            guard count <= dataSize / minimumRecordSize else {
                throw AvroError(.corruptBlock, "block declares \(count) records but holds only \(dataSize) bytes", offset: dataRange.lowerBound - 1)
            }
        } else if count > options.maximumRecordsPerEmptyRecordBlock {
            throw AvroError(.limitExceeded, "block declares \(count) records of possibly zero bytes (limit \(options.maximumRecordsPerEmptyRecordBlock))", offset: dataRange.lowerBound)
        }
        blockRange = dataRange
        blockPosition = 0
        blockRecordsLeft = count
        nextBlockOffset = syncStart + 16
        if count == 0 { try checkBlockConsumed() }
        return true
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    private func decompress(_ range: Range<Int>) throws(AvroError) -> [UInt8] {
        let codec = self.codec
        let limit = options.maximumBlockSize
        return try withAvroBytes(bytes) { (raw) throws(AvroError) -> [UInt8] in
            let input = UnsafeRawBufferPointer(rebasing: raw[range])
            do throws(CompressionError) {
                // Python writers (fastavro) emit `zlib.compress(data)[2:-1]`: raw deflate followed
                // by 3 bytes of the Adler-32, which zlib-based readers ignore.
                return try codec.compressionCodec.decompress(input, maxOutputSize: limit, allowedTrailingBytes: codec == .deflate ? 4 : 0)
            } catch {
                throw AvroError(.compression, "\(codec.rawValue) block: \(error.message)", offset: range.lowerBound)
            }
        }
    }

    private func checkBlockConsumed() throws(AvroError) {
        let size = blockData?.count ?? blockRange.count
        guard blockPosition == size else {
            let message = "block has \(size - blockPosition) byte(s) after its \(recordsDecoded) record(s)"
            if blockData == nil {
                throw AvroError(.corruptBlock, message, offset: blockRange.lowerBound + blockPosition)
            }
            var error = AvroError(.corruptBlock, message, offset: blockRange.lowerBound)
            error.offsetInBlock = blockPosition
            throw error
        }
    }

    /// Decodes `count` records of the current block.
    private mutating func decodeFromBlock(count: Int) throws(AvroError) {
        let inPlace = blockData == nil
        let base = inPlace ? blockRange.lowerBound : 0
        let start = blockPosition
        let firstRecord = recordsDecoded
        var decoded = 0
        let source = inPlace ? bytes : blockData ?? []
        let range = inPlace ? blockRange : 0..<source.count
        let outcome: Result<Int, BinaryDecodingError> = source.withUnsafeBytes { raw in
            let block = UnsafeRawBufferPointer(rebasing: raw[range])
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: block[start...]), baseOffset: base + start)
            decoder.reserve(count)
            do throws(BinaryDecodingError) {
                while decoded < count {
                    try decoder.decodeRecord(&reader)
                    decoded += 1
                }
            } catch {
                return .failure(error)
            }
            return .success(reader.position + start)
        }
        switch outcome {
        case .success(let position):
            blockPosition = position
            blockRecordsLeft -= count
            recordsDecoded += count
            if blockRecordsLeft == 0 { try checkBlockConsumed() }
        case .failure(let error):
            var avroError = AvroError(error, "record data")
            avroError.recordIndex = firstRecord + decoded
            if !inPlace {
                avroError.offset = blockRange.lowerBound
                avroError.offsetInBlock = error.offset
            }
            throw avroError
        }
    }
}
