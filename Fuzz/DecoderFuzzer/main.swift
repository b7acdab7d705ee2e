// Fuzz driver for the Parquet footer and page decoders (see docs/FUZZING.md; run with scripts/fuzz.sh).
//
// One input = one selector byte + a body. `selector % 5` picks the target:
//
//   0 file    the body is a whole file: ParquetFileReader(bytes:).readAll(), a projected read,
//             footer round trip (decode(encode(m)) == m) and a consistency check of every batch.
//   1 footer  the body is the Thrift footer; it is wrapped as PAR1 + body + length + PAR1.
//   2 chunk   [template, codec, numValues u32 LE, numRows u32 LE] + the bytes of one column chunk
//             (page headers + pages). A valid one-column file is built around them, so the footer
//             always agrees with the chunk's length and every mutation lands in the pages.
//   3 codec   [codec, expected size u16 LE (0xFFFF: none)] + compressed bytes -> CompressionCodec.
//   4 kernel  [kernel, parameter] + bytes -> one BinaryCoding decoder (RLE, DELTA_*, BSS, ...).
//
// Every failure must be a typed error. A crash (trap, ASan report), a hang or a huge allocation is
// a finding, and so is a decoded batch whose buffers do not match its row count (checked below).
//
// Two builds share this file:
//   * libFuzzer (scripts/fuzz.sh): `-sanitize=fuzzer,address -DDECODER_FUZZER_LIBFUZZER`. SwiftPM links
//     this file's top-level code as `main`, so libFuzzer's own `main` is not used; the top-level
//     code hands argv to `LLVMFuzzerRunDriver` unless the first argument is one of our commands.
//   * plain `swift build`: no libFuzzer; `mutate` is a built-in mutation fuzzer (the fallback for
//     toolchains without libFuzzer, such as Xcode's) and `replay` re-runs inputs with a Swift backtrace.
//
// Commands (both builds):
//   DecoderFuzzer seeds OUT_DIR [PARQUET_DIR...]   write a seed corpus (our writer's files, the
//                                                   *.parquet files of PARQUET_DIR, codec and kernel seeds)
//   DecoderFuzzer replay FILE...                    run inputs, print the outcome of each
//   DecoderFuzzer parquet INPUT OUTPUT.parquet      write the file a target 0/1/2 input decodes
//   DecoderFuzzer mutate DIR... [--seconds N] [--runs N] [--seed N] [--timeout S] [--memory-mb N]
//                             [--crash-file PATH]   built-in mutation fuzzer over the inputs in DIRs
//   DecoderFuzzer [libFuzzer flags] [CORPUS_DIR...] libFuzzer (libFuzzer build only)

import BinaryCoding
import Columnar
import CompressionCodecs
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Targets and outcomes

enum FuzzTarget: Int, CaseIterable, CustomStringConvertible {
    case file, footer, chunk, codec, kernel

    var description: String {
        switch self {
        case .file: return "file"
        case .footer: return "footer"
        case .chunk: return "chunk"
        case .codec: return "codec"
        case .kernel: return "kernel"
        }
    }
}

/// What one input did: `ok`, `input too short`, or the code of the typed error it threw.
struct Outcome: Hashable, CustomStringConvertible {
    var target: FuzzTarget
    var label: String
    /// The full error text (only kept by `replay`).
    var detail: String = ""

    var description: String { "\(target): \(label)" }

    static func == (a: Outcome, b: Outcome) -> Bool { a.target == b.target && a.label == b.label }
    func hash(into hasher: inout Hasher) {
        hasher.combine(target)
        hasher.combine(label)
    }
}

/// Outcome counts of this process (printed at exit).
enum Stats {
    nonisolated(unsafe) static var counts: [Outcome: Int] = [:]
    nonisolated(unsafe) static var keepDetail = false

    static func record(_ outcome: Outcome) {
        counts[outcome, default: 0] += 1
    }

    /// Writes the counts to file descriptor `fd` (1 or 2).
    static func report(to fd: Int32) {
        var total = 0
        for (_, n) in counts { total += n }
        guard total > 0 else { return }
        var text = "DecoderFuzzer outcomes (\(total) inputs, \(counts.count) distinct):\n"
        for (outcome, n) in counts.sorted(by: { ($0.key.target.rawValue, $0.key.label) < ($1.key.target.rawValue, $1.key.label) }) {
            text += "  \(outcome.target) \(outcome.label): \(n)\n"
        }
        writeText(fd, text)
    }
}

/// Runs one input.
func fuzzOne(_ input: UnsafeRawBufferPointer) -> Outcome {
    guard let selector = input.first else { return Outcome(target: .file, label: "empty input") }
    let target = FuzzTarget(rawValue: Int(selector) % FuzzTarget.allCases.count)!
    let body = UnsafeRawBufferPointer(rebasing: input[1...])
    switch target {
    case .file:
        return parquetOutcome(target) { () throws(ParquetError) in try decodeFile(Array(body)) }
    case .footer:
        let file = magic + Array(body) + littleEndian(UInt32(truncatingIfNeeded: body.count)) + magic
        return parquetOutcome(target) { () throws(ParquetError) in try decodeFile(file) }
    case .chunk:
        return fuzzChunk(body)
    case .codec:
        return fuzzCodec(body)
    case .kernel:
        return fuzzKernel(body)
    }
}

func parquetOutcome(_ target: FuzzTarget, _ body: () throws(ParquetError) -> Void) -> Outcome {
    do {
        try body()
        return Outcome(target: target, label: "ok")
    } catch {
        return Outcome(target: target, label: error.code.description, detail: Stats.keepDetail ? error.description : "")
    }
}

let magic: [UInt8] = Array("PAR1".utf8)

func littleEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
     UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)]
}

func readLittleEndian(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ width: Int) -> UInt32 {
    var value: UInt32 = 0
    for i in 0..<width { value |= UInt32(bytes[offset + i]) << (8 * i) }
    return value
}

// MARK: - Target 0/1: whole files and footers

/// Everything a reader of an untrusted file does: footer, all row groups, one projection.
func decodeFile(_ bytes: [UInt8]) throws(ParquetError) {
    let reader = try ParquetFileReader(bytes: bytes, fileName: "fuzz.parquet")
    checkFooterRoundTrip(reader.metadata)
    let batches = try reader.readAll()
    guard batches.count == reader.rowGroupCount else {
        invariant("readAll returned \(batches.count) batches for \(reader.rowGroupCount) row groups")
    }
    for (index, batch) in batches.enumerated() {
        checkBatch(batch, rowGroup: index, expectedRows: reader.metadata.rowGroups[index].numRows)
    }
    let fields = reader.schema.fields
    if reader.rowGroupCount > 0, fields.count > 1, let last = fields.last {
        let projected = try reader.readRowGroup(0, columns: [last.name])
        guard projected.columns.count == 1 else { invariant("projection of one column returned \(projected.columns.count)") }
    }
}

/// A footer that decodes must survive encode + decode unchanged (the writer uses `encoded()`).
func checkFooterRoundTrip(_ metadata: FileMetaData) {
    let encoded = metadata.encoded()
    let decoded: FileMetaData
    do {
        decoded = try encoded.withUnsafeBytes { raw in
            Result { () throws(ParquetError) in try FileMetaData(decoding: raw, baseOffset: 0) }
        }.get()
    } catch {
        invariant("re-encoded footer does not decode: \(error)")
    }
    guard decoded == metadata else {
        invariant("footer round trip changed the metadata:\n  before \(metadata)\n  after  \(decoded)")
    }
}

/// A finding that is not a crash by itself: stop here so that libFuzzer keeps the input.
func invariant(_ message: String) -> Never {
    fatalError("DecoderFuzzer invariant violated: \(message)")
}

/// Every decoded column must be internally consistent, or later code (slicing, rendering,
/// Delta statistics) would trap or read garbage.
func checkBatch(_ batch: RecordBatch, rowGroup: Int, expectedRows: Int64) {
    guard Int64(batch.rowCount) == expectedRows else {
        invariant("row group \(rowGroup) decoded \(batch.rowCount) rows, footer says \(expectedRows)")
    }
    guard batch.columns.count == batch.schema.fields.count else {
        invariant("row group \(rowGroup): \(batch.columns.count) columns for \(batch.schema.fields.count) fields")
    }
    for (field, column) in zip(batch.schema.fields, batch.columns) {
        guard column.count == batch.rowCount else {
            invariant("column '\(field.name)' has \(column.count) slots for \(batch.rowCount) rows")
        }
        checkColumn(column, path: field.name, nullable: field.isNullable)
        // Touch a few rows through the boxed accessor, as `inspect` does.
        for index in 0..<min(column.count, 8) { _ = column.datum(at: index) }
        if column.count > 8 { _ = column.datum(at: column.count - 1) }
    }
}

func checkColumn(_ column: Column, path: String, nullable: Bool) {
    func fail(_ message: String) -> Never {
        invariant("decoded column '\(path)' (\(column.type), \(column.count) slots) is inconsistent: \(message)")
    }
    let count = column.count
    guard count >= 0 else { fail("negative count") }
    if let validity = column.validity {
        guard validity.count >= count else { fail("validity has \(validity.count) bits") }
    }
    func checkLength(_ n: Int, _ what: String) {
        guard n >= count else { fail("\(what) buffer has \(n) values") }
    }
    func checkOffsets(_ offsets: [Int32], limit: Int, _ what: String) {
        guard offsets.count == count + 1 else { fail("\(offsets.count) offsets") }
        guard let first = offsets.first, first >= 0 else { fail("negative first offset") }
        var previous = first
        for offset in offsets.dropFirst() {
            guard offset >= previous else { fail("offsets decrease (\(previous) -> \(offset))") }
            previous = offset
        }
        guard Int(previous) <= limit else { fail("last offset \(previous) exceeds the \(limit) \(what)") }
    }
    switch (column.type, column.storage) {
    case (.boolean, .boolean(let bits)): checkLength(bits.count, "boolean")
    case (.int8, .int8(let v)): checkLength(v.count, "int8")
    case (.int16, .int16(let v)): checkLength(v.count, "int16")
    case (.int32, .int32(let v)), (.date, .int32(let v)): checkLength(v.count, "int32")
    case (.int64, .int64(let v)), (.timestamp, .int64(let v)), (.timestampWithoutTimeZone, .int64(let v)):
        checkLength(v.count, "int64")
    case (.float32, .float32(let v)): checkLength(v.count, "float32")
    case (.float64, .float64(let v)): checkLength(v.count, "float64")
    case (.decimal(let precision, _), .int128(let v)):
        checkLength(v.count, "int128")
        guard precision >= 1, precision <= DataType.maximumDecimalPrecision else { fail("decimal precision \(precision)") }
    case (.string, .bytes(let offsets, let data)), (.binary, .bytes(let offsets, let data)):
        checkOffsets(offsets, limit: data.count, "data bytes")
    case (.list(let element), .list(let offsets, let elements)):
        checkOffsets(offsets, limit: elements.count, "elements")
        guard elements.type == element.type else { fail("element type \(elements.type)") }
        checkColumn(elements, path: path + "[]", nullable: element.isNullable)
    case (.map(let keyField, let valueField), .map(let offsets, let keys, let values)):
        checkOffsets(offsets, limit: min(keys.count, values.count), "entries")
        guard keys.type == keyField.type, values.type == valueField.type else { fail("entry types \(keys.type)/\(values.type)") }
        checkColumn(keys, path: path + ".key", nullable: false)
        checkColumn(values, path: path + ".value", nullable: valueField.isNullable)
    case (.structure(let fields), .structure(let children)):
        guard fields.count == children.count else { fail("\(children.count) children for \(fields.count) fields") }
        for (field, child) in zip(fields, children) {
            guard child.count >= count else { fail("child '\(field.name)' has \(child.count) slots") }
            guard child.type == field.type else { fail("child '\(field.name)' has type \(child.type)") }
            checkColumn(child, path: path + "." + field.name, nullable: field.isNullable)
        }
    default:
        fail("storage does not match the type")
    }
    _ = nullable
}

// MARK: - Target 2: one column chunk inside a generated file

/// The schema of a one-leaf file that target 2 wraps around fuzzed chunk bytes.
struct ChunkTemplate {
    let name: String
    let elements: [SchemaElement]
    let leaf: LeafColumn

    func matches(_ other: LeafColumn) -> Bool {
        leaf.physicalType == other.physicalType && leaf.maxDefinitionLevel == other.maxDefinitionLevel
            && leaf.maxRepetitionLevel == other.maxRepetitionLevel && leaf.valueType == other.valueType
            && (leaf.physicalType != .fixedLenByteArray || leaf.element.typeLength == other.element.typeLength)
    }
}

enum ChunkTemplates {
    static let all: [ChunkTemplate] = make()

    static func make() -> [ChunkTemplate] {
        var result: [ChunkTemplate] = []
        // Columnar types, through the writer's schema mapping.
        let columnar: [(String, Field)] = [
            ("boolean", Field("v", .boolean)),
            ("boolean-required", Field("v", .boolean, isNullable: false)),
            ("int8", Field("v", .int8)),
            ("int16", Field("v", .int16)),
            ("int32", Field("v", .int32)),
            ("int64-required", Field("v", .int64, isNullable: false)),
            ("int64", Field("v", .int64)),
            ("float32", Field("v", .float32)),
            ("float64", Field("v", .float64)),
            ("string", Field("v", .string)),
            ("binary-required", Field("v", .binary, isNullable: false)),
            ("date", Field("v", .date)),
            ("timestamp", Field("v", .timestamp)),
            ("timestamp-ntz", Field("v", .timestampWithoutTimeZone)),
            ("decimal9", Field("v", .decimal(precision: 9, scale: 2))),
            ("decimal18", Field("v", .decimal(precision: 18, scale: 4))),
            ("decimal38", Field("v", .decimal(precision: 38, scale: 10))),
            ("list-int64", Field("v", .list(Field("element", .int64)))),
            ("list-string-required", Field("v", .list(Field("element", .string, isNullable: false)), isNullable: false)),
            ("list-list-int32", Field("v", .list(Field("element", .list(Field("element", .int32)))))),
            ("struct-struct-float64", Field("v", .structure([Field("a", .structure([Field("b", .float64)]))]))),
            ("struct-list-string", Field("v", .structure([Field("tags", .list(Field("element", .string)))]))),
        ]
        for (name, field) in columnar {
            do {
                let schema = try ParquetSchema(writing: Schema([field]))
                guard schema.leaves.count == 1 else { fatalError("template \(name) has \(schema.leaves.count) leaves") }
                result.append(ChunkTemplate(name: name, elements: schema.elements, leaf: schema.leaves[0]))
            } catch {
                fatalError("template \(name): \(error)")
            }
        }
        // Annotations the writer never produces (pyarrow, Spark and legacy writers do).
        func leaf(_ physical: PhysicalType, length: Int32? = nil, converted: ConvertedType? = nil, logical: LogicalType? = nil,
                  scale: Int32? = nil, precision: Int32? = nil) -> SchemaElement {
            var e = SchemaElement(name: "v")
            e.type = physical
            e.typeLength = length
            e.repetition = .optional
            e.convertedType = converted
            e.logicalType = logical
            e.scale = scale
            e.precision = precision
            return e
        }
        let raw: [(String, SchemaElement)] = [
            ("uint8", leaf(.int32, converted: .uint8, logical: .integer(bitWidth: 8, isSigned: false))),
            ("uint16", leaf(.int32, converted: .uint16, logical: .integer(bitWidth: 16, isSigned: false))),
            ("uint32", leaf(.int32, converted: .uint32, logical: .integer(bitWidth: 32, isSigned: false))),
            ("uint64", leaf(.int64, converted: .uint64, logical: .integer(bitWidth: 64, isSigned: false))),
            ("int96", leaf(.int96)),
            ("time-millis", leaf(.int32, converted: .timeMillis, logical: .time(isAdjustedToUTC: true, unit: .millis))),
            ("time-micros", leaf(.int64, converted: .timeMicros, logical: .time(isAdjustedToUTC: false, unit: .micros))),
            ("time-nanos", leaf(.int64, logical: .time(isAdjustedToUTC: false, unit: .nanos))),
            ("timestamp-millis-legacy", leaf(.int64, converted: .timestampMillis)),
            ("timestamp-nanos", leaf(.int64, logical: .timestamp(isAdjustedToUTC: true, unit: .nanos))),
            ("uuid", leaf(.fixedLenByteArray, length: 16, logical: .uuid)),
            ("float16", leaf(.fixedLenByteArray, length: 2, logical: .float16)),
            ("fixed3", leaf(.fixedLenByteArray, length: 3)),
            ("decimal-fixed16", leaf(.fixedLenByteArray, length: 16, converted: .decimal, logical: .decimal(scale: 3, precision: 38), scale: 3, precision: 38)),
            ("decimal-fixed5", leaf(.fixedLenByteArray, length: 5, converted: .decimal, logical: .decimal(scale: 2, precision: 11), scale: 2, precision: 11)),
            ("decimal-wide-fixed20", leaf(.fixedLenByteArray, length: 20, converted: .decimal, logical: .decimal(scale: 5, precision: 47), scale: 5, precision: 47)),
            ("decimal-bytes", leaf(.byteArray, converted: .decimal, logical: .decimal(scale: 2, precision: 20), scale: 2, precision: 20)),
            ("decimal-int32-legacy", leaf(.int32, converted: .decimal, scale: 1, precision: 7)),
            ("json", leaf(.byteArray, converted: .json, logical: .json)),
            ("enum", leaf(.byteArray, converted: .enumeration, logical: .enumeration)),
        ]
        for (name, element) in raw {
            var root = SchemaElement(name: "schema")
            root.numChildren = 1
            do {
                let schema = try ParquetSchema(elements: [root, element])
                result.append(ChunkTemplate(name: name, elements: schema.elements, leaf: schema.leaves[0]))
            } catch {
                fatalError("template \(name): \(error)")
            }
        }
        return result
    }

    /// Codec byte -> codec (the unsupported ones must fail cleanly).
    static let codecs: [CompressionKind] = [.uncompressed, .snappy, .gzip, .zstd, .brotli, .lz4, .lzo, .lz4Raw]

    /// A valid file with one row group whose only column chunk is `chunk`.
    static func file(template: ChunkTemplate, codec: CompressionKind, numValues: Int64, numRows: Int64, chunk: UnsafeRawBufferPointer) -> [UInt8] {
        var meta = ColumnMetaData()
        meta.type = template.leaf.physicalType
        meta.encodings = [.plain, .rle, .rleDictionary]
        meta.pathInSchema = template.leaf.path
        meta.codec = codec
        meta.numValues = numValues
        meta.totalCompressedSize = Int64(chunk.count)
        meta.totalUncompressedSize = Int64(chunk.count)
        meta.dataPageOffset = 4
        var columnChunk = ColumnChunk()
        columnChunk.fileOffset = 4
        columnChunk.metaData = meta
        var group = RowGroup()
        group.columns = [columnChunk]
        group.numRows = numRows
        group.totalByteSize = Int64(chunk.count)
        var footer = FileMetaData()
        footer.version = 1
        footer.schema = template.elements
        footer.numRows = numRows
        footer.rowGroups = [group]
        footer.createdBy = "DecoderFuzzer"
        let encoded = footer.encoded()
        var bytes = magic
        bytes.reserveCapacity(chunk.count + encoded.count + 12)
        bytes.append(contentsOf: chunk)
        bytes.append(contentsOf: encoded)
        bytes.append(contentsOf: littleEndian(UInt32(encoded.count)))
        bytes.append(contentsOf: magic)
        return bytes
    }

    /// The target-2 input that reproduces `chunk` of a real file.
    static func input(template: Int, codec: CompressionKind, numValues: Int64, numRows: Int64, chunk: ArraySlice<UInt8>) -> [UInt8] {
        [UInt8(FuzzTarget.chunk.rawValue), UInt8(template), UInt8(codecs.firstIndex(of: codec) ?? 0)]
            + littleEndian(UInt32(truncatingIfNeeded: numValues)) + littleEndian(UInt32(truncatingIfNeeded: numRows)) + chunk
    }
}

func fuzzChunk(_ body: UnsafeRawBufferPointer) -> Outcome {
    guard body.count >= 10 else { return Outcome(target: .chunk, label: "input too short") }
    let templates = ChunkTemplates.all
    let template = templates[Int(body[0]) % templates.count]
    let codec = ChunkTemplates.codecs[Int(body[1]) % ChunkTemplates.codecs.count]
    let numValues = Int64(readLittleEndian(body, 2, 4))
    let numRows = Int64(readLittleEndian(body, 6, 4))
    let file = ChunkTemplates.file(template: template, codec: codec, numValues: numValues, numRows: numRows,
                                   chunk: UnsafeRawBufferPointer(rebasing: body[10...]))
    return parquetOutcome(.chunk) { () throws(ParquetError) in try decodeFile(file) }
}

// MARK: - Target 3: codecs

let fuzzCodecs: [CompressionCodec] = [.snappy, .gzip, .zstd, .zlib, .deflate, .uncompressed]

func fuzzCodec(_ body: UnsafeRawBufferPointer) -> Outcome {
    guard body.count >= 3 else { return Outcome(target: .codec, label: "input too short") }
    let codec = fuzzCodecs[Int(body[0]) % fuzzCodecs.count]
    let sizeField = Int(readLittleEndian(body, 1, 2))
    let expected: Int? = sizeField == 0xFFFF ? nil : sizeField
    let limit = 1 << 20
    do {
        let output = try codec.decompress(UnsafeRawBufferPointer(rebasing: body[3...]), expectedSize: expected, maxOutputSize: limit)
        if let expected, output.count != expected {
            invariant("\(codec) returned \(output.count) bytes, expected exactly \(expected)")
        }
        guard output.count <= limit else { invariant("\(codec) returned \(output.count) bytes over the \(limit) limit") }
        return Outcome(target: .codec, label: "\(codec) ok")
    } catch {
        return Outcome(target: .codec, label: "\(codec) \(error.code)")
    }
}

// MARK: - Target 4: BinaryCoding kernels

func fuzzKernel(_ body: UnsafeRawBufferPointer) -> Outcome {
    guard body.count >= 2 else { return Outcome(target: .kernel, label: "input too short") }
    let kernel = Int(body[0]) % 8
    let parameter = Int(body[1])
    let data = UnsafeRawBufferPointer(rebasing: body[2...])
    let names = ["rle", "delta-int64", "delta-int32", "delta-length", "delta-byte-array", "byte-stream-split", "plain-boolean", "thrift"]
    let name = names[kernel]
    do throws(BinaryDecodingError) {
        switch kernel {
        case 0:
            // parameter: bit width (0...32 valid; above that must throw); the first two bytes: the count.
            guard data.count >= 2 else { return Outcome(target: .kernel, label: "input too short") }
            let count = Int(readLittleEndian(data, 0, 2))
            let bitWidth = parameter % 40
            var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: data[2...]), bitWidth: bitWidth)
            var values: [Int32] = []
            try decoder.decode(count: count, appendingTo: &values)
            guard values.count == count else { invariant("RLE decoded \(values.count) of \(count) values") }
            if bitWidth < 32 {
                for value in values where UInt32(bitPattern: value) >= (UInt32(1) << UInt32(bitWidth)) {
                    invariant("RLE value \(value) does not fit \(bitWidth) bits")
                }
            }
        case 1:
            var decoder = try DeltaBinaryPackedDecoder(data, maxValueCount: 1 << 16)
            var values: [Int64] = []
            let count = decoder.remainingValueCount
            try decoder.decode(count: count, appendingTo: &values)
            guard values.count == count, decoder.bytesConsumed <= data.count else { invariant("delta int64 decoded \(values.count) of \(count)") }
        case 2:
            var decoder = try DeltaBinaryPackedDecoder(data, maxValueCount: 1 << 16)
            var values: [Int32] = []
            let count = decoder.remainingValueCount
            try decoder.decode(count: count, appendingTo: &values)
            guard values.count == count, decoder.bytesConsumed <= data.count else { invariant("delta int32 decoded \(values.count) of \(count)") }
        case 3, 4:
            var offsets: [Int32] = [0]
            var bytes: [UInt8] = []
            let maxBytes = (parameter + 1) << 10
            let (count, consumed) = kernel == 3
                ? try DeltaLengthByteArray.decode(data, maxValueCount: 1 << 16, maxByteCount: maxBytes, offsets: &offsets, data: &bytes)
                : try DeltaByteArray.decode(data, maxValueCount: 1 << 16, maxByteCount: maxBytes, offsets: &offsets, data: &bytes)
            guard offsets.count == count + 1, Int(offsets.last!) == bytes.count, consumed <= data.count, bytes.count <= maxBytes else {
                invariant("\(name): \(count) values, \(offsets.count) offsets ending at \(offsets.last!), \(bytes.count) bytes, consumed \(consumed) of \(data.count)")
            }
            for i in 1..<offsets.count where offsets[i] < offsets[i - 1] { invariant("\(name): offsets decrease") }
        case 5:
            var output: [UInt8] = []
            let width = parameter % 20
            let count = try ByteStreamSplit.decode(data, width: width, appendingTo: &output)
            guard output.count == data.count, count * width == data.count else { invariant("byte stream split: \(count) x \(width) for \(data.count) bytes") }
        case 6:
            var decoder = PlainBooleanDecoder(data)
            var values: [Bool] = []
            let count = parameter * 4
            try decoder.decode(count: count, appendingTo: &values)
            guard values.count == count else { invariant("plain boolean decoded \(values.count) of \(count)") }
        default:
            var reader = ThriftCompactReader(data, maxDepth: 8 + parameter % 64)
            try reader.skip(.struct)
            guard reader.position <= data.count else { invariant("thrift skip read past the end") }
        }
        return Outcome(target: .kernel, label: "\(name) ok")
    } catch {
        return Outcome(target: .kernel, label: "\(name) \(error.code)")
    }
}

// MARK: - Seed corpus

/// A small deterministic generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A value in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

func sampleDatum(_ field: Field, _ rng: inout SplitMix64) -> Datum {
    if field.isNullable && rng.below(7) == 0 { return .null }
    let small = rng.below(3) == 0  // repeated values make dictionaries worthwhile
    switch field.type {
    case .boolean: return .boolean(rng.below(2) == 0)
    case .int8: return .integer(Int64(Int8(truncatingIfNeeded: small ? rng.below(4) : Int(truncatingIfNeeded: rng.next()))))
    case .int16: return .integer(Int64(Int16(truncatingIfNeeded: small ? rng.below(4) : Int(truncatingIfNeeded: rng.next()))))
    case .int32: return .integer(Int64(Int32(truncatingIfNeeded: small ? rng.below(4) : Int(truncatingIfNeeded: rng.next()))))
    case .int64: return .integer(small ? Int64(rng.below(4)) : Int64(bitPattern: rng.next()) >> rng.below(60))
    case .float32: return .float32(Float(rng.below(20_000)) / 16 - 500)
    case .float64: return .float64(small ? 0.5 : Double(Int64(bitPattern: rng.next()) >> 20) / 1024)
    case .decimal(let precision, _):
        var limit: Int128 = 1
        for _ in 0..<precision { limit *= 10 }
        let magnitude = Int128(rng.next()) * Int128(rng.next() >> 1)
        let value = magnitude % limit
        return .decimal(rng.below(2) == 0 ? value : -value)
    case .string:
        let pool = ["", "a", "alpha", "beta", "gamma", "ζήτα", "😀 emoji", "long text long text long text", "nul\u{0}inside"]
        return .string(small ? "a" : pool[rng.below(pool.count)] + (rng.below(2) == 0 ? "" : String(rng.below(1000))))
    case .binary: return .binary((0..<rng.below(9)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    case .date: return .date(Int32(rng.below(60_000)) - 20_000)
    case .timestamp, .timestampWithoutTimeZone: return .timestamp(Int64(bitPattern: rng.next()) >> 12)
    case .list(let element):
        return .list((0..<rng.below(4)).map { _ in sampleDatum(element, &rng) })
    case .map(let key, let value):
        return .map((0..<rng.below(4)).map { i in
            Datum.MapEntry(key: key.type == .string ? .string("k\(i)") : sampleDatum(Field(key.name, key.type, isNullable: false), &rng),
                           value: sampleDatum(value, &rng))
        })
    case .structure(let fields):
        return .structure(fields.map { sampleDatum($0, &rng) })
    }
}

/// Small files from our own writer, over the codec / page version / dictionary matrix.
func writerSeedFiles() -> [(name: String, bytes: [UInt8])] {
    let flat = Schema([
        Field("id", .int64, isNullable: false), Field("flag", .boolean), Field("i8", .int8), Field("i16", .int16),
        Field("i32", .int32), Field("f32", .float32), Field("f64", .float64), Field("s", .string), Field("bin", .binary),
        Field("day", .date), Field("ts", .timestamp), Field("tsn", .timestampWithoutTimeZone),
        Field("d9", .decimal(precision: 9, scale: 2)), Field("d18", .decimal(precision: 18, scale: 4)),
        Field("d38", .decimal(precision: 38, scale: 10)),
    ])
    let nested = Schema([
        Field("id", .int32, isNullable: false),
        Field("ints", .list(Field("element", .int64))),
        Field("matrix", .list(Field("element", .list(Field("element", .string, isNullable: false)), isNullable: false))),
        Field("attrs", .map(key: Field("key", .string, isNullable: false), value: Field("value", .int32))),
        Field("point", .structure([Field("x", .float64), Field("tags", .list(Field("element", .string)))])),
    ])
    let small = Schema([Field("v", .int32), Field("s", .string, isNullable: false)])
    var files: [(name: String, bytes: [UInt8])] = []
    var rng = SplitMix64(seed: 20_240_601)
    for (schemaName, schema, rowCount) in [("flat", flat, 40), ("nested", nested, 30), ("small", small, 6)] {
        for codec in [CompressionKind.uncompressed, .snappy, .gzip, .zstd] {
            for version in [DataPageVersion.v1, .v2] {
                for dictionary in [true, false] {
                    var options = ParquetWriterOptions()
                    options.compression = codec
                    options.dataPageVersion = version
                    options.dictionaryEnabled = dictionary
                    options.dataPageRowLimit = schemaName == "small" ? 3 : 16
                    options.rowGroupRowLimit = schemaName == "small" ? 4 : 25
                    options.pageChecksums = codec == .zstd && dictionary  // a few files with CRCs
                    options.createdBy = "DecoderFuzzer seeds"
                    let rows = (0..<rowCount).map { row in
                        schema.fields.map { field in
                            field.name == "id" ? (field.type == .int64 ? Datum.integer(Int64(row)) : .integer(Int64(row))) : sampleDatum(field, &rng)
                        }
                    }
                    do {
                        let batch = try RecordBatch(schema: schema, rows: rows)
                        var writer = try ParquetFileWriter(schema: schema, options: options)
                        try writer.write(batch)
                        let bytes = try writer.finish()
                        files.append(("writer-\(schemaName)-\(codec)-\(version)-\(dictionary ? "dict" : "plain")", bytes))
                    } catch {
                        eprint("warning: writer seed \(schemaName)/\(codec)/\(version): \(error)")
                    }
                }
            }
        }
    }
    return files
}

/// Target 3 seeds: valid compressed buffers with their sizes.
func codecSeeds() -> [(name: String, bytes: [UInt8])] {
    var seeds: [(name: String, bytes: [UInt8])] = []
    let texts: [[UInt8]] = [
        [],
        Array("hello hello hello hello parquet parquet".utf8),
        (0..<600).map { UInt8(truncatingIfNeeded: $0 % 7) },
        (0..<300).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) },
    ]
    for (index, codec) in fuzzCodecs.enumerated() {
        for (t, text) in texts.enumerated() {
            guard let compressed = try? codec.compress(text) else { continue }
            let size = littleEndian(UInt32(text.count))
            seeds.append(("codec-\(codec)-\(t)", [UInt8(FuzzTarget.codec.rawValue), UInt8(index), size[0], size[1]] + compressed))
            if t == 2 {
                seeds.append(("codec-\(codec)-\(t)-unsized", [UInt8(FuzzTarget.codec.rawValue), UInt8(index), 0xFF, 0xFF] + compressed))
            }
        }
    }
    return seeds
}

/// Target 4 seeds: valid encodings for every kernel.
func kernelSeeds() -> [(name: String, bytes: [UInt8])] {
    let k = UInt8(FuzzTarget.kernel.rawValue)
    var seeds: [(name: String, bytes: [UInt8])] = []
    let levels: [Int32] = (0..<100).map { $0 % 10 < 7 ? 1 : Int32($0 % 3) }
    for bitWidth in [1, 2, 3, 8, 17] {
        let values = levels.map { $0 & Int32((1 << min(bitWidth, 30)) - 1) }
        seeds.append(("kernel-rle-\(bitWidth)", [k, 0, UInt8(bitWidth), 100, 0] + RLEBitPackedHybridEncoder.encode(values, bitWidth: bitWidth)))
    }
    let ints: [Int64] = (0..<300).map { Int64($0 * $0) - 5000 + ($0 % 7 == 0 ? Int64.max / 3 : 0) }
    seeds.append(("kernel-delta-int64", [k, 1, 0] + DeltaBinaryPackedEncoder<Int64>.encode(ints)))
    seeds.append(("kernel-delta-int32", [k, 2, 0] + DeltaBinaryPackedEncoder<Int32>.encode(ints.map { Int32(truncatingIfNeeded: $0) })))
    let strings: [[UInt8]] = ["apple", "applesauce", "apply", "", "banana", "band", "bandana"].map { Array($0.utf8) }
    seeds.append(("kernel-delta-length", [k, 3, 4] + DeltaLengthByteArray.encode(strings)))
    seeds.append(("kernel-delta-byte-array", [k, 4, 4] + DeltaByteArray.encode(strings)))
    seeds.append(("kernel-bss-4", [k, 5, 4] + ByteStreamSplit.encode([Float(1.5), -2, 3.25, 1e9])))
    seeds.append(("kernel-bss-8", [k, 5, 8] + ByteStreamSplit.encode([1.5, -2, 3.25, 1e300])))
    seeds.append(("kernel-plain-boolean", [k, 6, 5] + PlainBooleanEncoder.encode((0..<20).map { $0 % 3 == 0 })))
    // A page header as written by our writer: DATA_PAGE, sizes, data_page_header{...}.
    seeds.append(("kernel-thrift", [k, 7, 8, 0x15, 0x00, 0x15, 0x80, 0x01, 0x15, 0x80, 0x01, 0x2C, 0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00]))
    return seeds
}

/// Target 0/1/2 seeds from one Parquet file.
func parquetSeeds(name: String, bytes: [UInt8]) -> [(name: String, bytes: [UInt8])] {
    var seeds: [(name: String, bytes: [UInt8])] = [(name: "file-\(name)", bytes: [UInt8(FuzzTarget.file.rawValue)] + bytes)]
    guard bytes.count >= 12 else { return seeds }
    let footerLength = Int(bytes.withUnsafeBytes { readLittleEndian($0, bytes.count - 8, 4) })
    if footerLength <= bytes.count - 12 {
        seeds.append((name: "footer-\(name)", bytes: [UInt8(FuzzTarget.footer.rawValue)] + bytes[(bytes.count - 8 - footerLength)..<(bytes.count - 8)]))
    }
    guard let reader = try? ParquetFileReader(bytes: bytes) else { return seeds }
    var seen = Set<Int>()
    for (groupIndex, group) in reader.metadata.rowGroups.enumerated() {
        for (leafIndex, chunk) in group.columns.enumerated() {
            guard let meta = chunk.metaData, leafIndex < reader.parquetSchema.leaves.count else { continue }
            let leaf = reader.parquetSchema.leaves[leafIndex]
            guard let template = ChunkTemplates.all.firstIndex(where: { $0.matches(leaf) }) else { continue }
            // One chunk per template and file is enough (all row groups look alike).
            guard [.uncompressed, .snappy, .gzip, .zstd].contains(meta.codec), seen.insert(template).inserted else { continue }
            var start = Int(meta.dataPageOffset)
            if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < meta.dataPageOffset { start = Int(dictionary) }
            let length = Int(meta.totalCompressedSize)
            guard start >= 4, length >= 0, length <= 1 << 16, start + length <= bytes.count - 8 else { continue }
            seeds.append((name: "chunk-\(name)-g\(groupIndex)-c\(leafIndex)-\(ChunkTemplates.all[template].name)",
                          bytes: ChunkTemplates.input(template: template, codec: meta.codec, numValues: meta.numValues,
                                                      numRows: group.numRows, chunk: bytes[start..<(start + length)])))
        }
    }
    return seeds
}

func writeSeeds(outDir: String, parquetDirs: [String]) -> Int32 {
    guard makeDirectories(outDir) else {
        eprint("cannot create \(outDir)")
        return 1
    }
    var seeds: [(name: String, bytes: [UInt8])] = []
    for file in writerSeedFiles() { seeds += parquetSeeds(name: file.name, bytes: file.bytes) }
    var external = 0
    for dir in parquetDirs {
        for path in listFiles(dir) where path.hasSuffix(".parquet") {
            guard let bytes = readFile(path), bytes.count <= 1 << 16 else { continue }
            let base = String((path.split(separator: "/").last ?? "x").dropLast(".parquet".count))
            seeds += parquetSeeds(name: base, bytes: bytes)
            external += 1
        }
    }
    seeds += codecSeeds()
    seeds += kernelSeeds()
    var perTarget: [FuzzTarget: Int] = [:]
    for seed in seeds {
        guard writeFile(outDir + "/" + seed.name + ".bin", seed.bytes) else {
            eprint("cannot write \(outDir)/\(seed.name).bin")
            return 1
        }
        perTarget[FuzzTarget(rawValue: Int(seed.bytes[0]))!, default: 0] += 1
        // Every seed must run cleanly before fuzzing starts.
        _ = seed.bytes.withUnsafeBytes { fuzzOne($0) }
    }
    let summary = FuzzTarget.allCases.map { "\($0) \(perTarget[$0] ?? 0)" }.joined(separator: ", ")
    print("wrote \(seeds.count) seeds to \(outDir) (\(summary)); \(external) external Parquet files, \(ChunkTemplates.all.count) chunk templates")
    return 0
}

// MARK: - Replay and the built-in mutation fuzzer

func replay(_ paths: [String]) -> Int32 {
    Stats.keepDetail = true
    for path in paths {
        guard let bytes = readFile(path) else {
            eprint("cannot read \(path)")
            return 1
        }
        let outcome = bytes.withUnsafeBytes { fuzzOne($0) }
        print("\(path): \(bytes.count) bytes, \(outcome)\(outcome.detail.isEmpty ? "" : " (\(outcome.detail))")")
    }
    return 0
}

/// The Parquet file that a target 0/1/2 input makes the reader decode (for regression tests).
func parquetFile(for input: [UInt8]) -> [UInt8]? {
    guard let selector = input.first else { return nil }
    let body = Array(input.dropFirst())
    switch FuzzTarget(rawValue: Int(selector) % FuzzTarget.allCases.count)! {
    case .file: return body
    case .footer: return magic + body + littleEndian(UInt32(truncatingIfNeeded: body.count)) + magic
    case .chunk:
        guard body.count >= 10 else { return nil }
        return body.withUnsafeBytes { raw in
            let templates = ChunkTemplates.all
            return ChunkTemplates.file(template: templates[Int(raw[0]) % templates.count],
                                       codec: ChunkTemplates.codecs[Int(raw[1]) % ChunkTemplates.codecs.count],
                                       numValues: Int64(readLittleEndian(raw, 2, 4)), numRows: Int64(readLittleEndian(raw, 6, 4)),
                                       chunk: UnsafeRawBufferPointer(rebasing: raw[10...]))
        }
    case .codec, .kernel: return nil
    }
}

func parquetCommand(_ arguments: [String]) -> Int32 {
    guard arguments.count == 2, let input = readFile(arguments[0]) else {
        eprint("usage: DecoderFuzzer parquet INPUT OUTPUT.parquet")
        return 2
    }
    guard let file = parquetFile(for: input) else {
        eprint("\(arguments[0]) is a codec or kernel input, not a Parquet file")
        return 1
    }
    guard writeFile(arguments[1], file) else {
        eprint("cannot write \(arguments[1])")
        return 1
    }
    say("wrote \(arguments[1]) (\(file.count) bytes)")
    return 0
}

struct Mutator {
    var rng: SplitMix64
    static let interestingBytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x15, 0x16, 0x19, 0x1C, 0x2C]
    static let interestingWords: [UInt32] = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x10000]

    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var d = input
        // Keep the selector byte (index 0) most of the time.
        func position() -> Int { d.count > 1 ? 1 + rng.below(d.count - 1) : 0 }
        for _ in 0..<(1 + rng.below(4)) {
            if d.isEmpty { d = [UInt8(truncatingIfNeeded: rng.next())] }
            switch rng.below(11) {
            case 0: d[position()] ^= UInt8(1) << UInt8(rng.below(8))
            case 1: d[position()] = Self.interestingBytes[rng.below(Self.interestingBytes.count)]
            case 2: d[position()] = UInt8(truncatingIfNeeded: rng.next())
            case 3:
                let p = position()
                let word = littleEndian(Self.interestingWords[rng.below(Self.interestingWords.count)])
                for i in 0..<4 where p + i < d.count { d[p + i] = word[i] }
            case 4: d.removeSubrange(max(1, rng.below(d.count + 1))...)
            case 5:
                let p = position()
                d.removeSubrange(p..<min(d.count, p + 1 + rng.below(32)))
            case 6:
                let p = position()
                let chunk = d[p..<min(d.count, p + 1 + rng.below(64))]
                d.insert(contentsOf: chunk, at: position())
            case 7: d.insert(contentsOf: (0..<(1 + rng.below(8))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: position())
            case 8:
                // The footer length of a whole file (its last 8 bytes are length + PAR1).
                if d.count >= 9 {
                    let p = d.count - 8
                    let current = Int64(d.withUnsafeBytes { readLittleEndian($0, p, 4) })
                    let word = rng.below(2) == 0 ? Self.interestingWords[rng.below(Self.interestingWords.count)]
                        : UInt32(truncatingIfNeeded: current + Int64(rng.below(33)) - 16)
                    for (i, byte) in littleEndian(word).enumerated() { d[p + i] = byte }
                }
            case 9:
                // Splice with another input of the corpus.
                if other.count > 1 {
                    let cut = position()
                    let from = 1 + rng.below(other.count - 1)
                    d = Array(d[..<cut]) + other[from...]
                }
            default:
                // Small arithmetic on a byte (varints and lengths).
                let p = position()
                d[p] = d[p] &+ UInt8(truncatingIfNeeded: rng.below(33) - 16)
            }
        }
        if d.count > 1 << 20 { d.removeSubrange((1 << 20)...) }
        return d
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func mutateCommand(_ arguments: [String]) -> Int32 {
    var dirs: [String] = []
    var seconds = 60.0
    var runs = Int.max
    var seed: UInt64 = 1
    var timeout: UInt32 = 10
    var memoryMB = 4096
    var crashFile = "crash-current.bin"
    var index = 0
    func value() -> String {
        index += 1
        guard index < arguments.count else {
            eprint("missing value for \(arguments[index - 1])")
            exit(2)
        }
        return arguments[index]
    }
    while index < arguments.count {
        switch arguments[index] {
        case "--seconds": seconds = Double(value()) ?? seconds
        case "--runs": runs = Int(value()) ?? runs
        case "--seed": seed = UInt64(value()) ?? seed
        case "--timeout": timeout = UInt32(value()) ?? timeout
        case "--memory-mb": memoryMB = Int(value()) ?? memoryMB
        case "--crash-file": crashFile = value()
        default: dirs.append(arguments[index])
        }
        index += 1
    }
    var corpus: [[UInt8]] = []
    for dir in dirs {
        for path in listFiles(dir) { if let bytes = readFile(path), !bytes.isEmpty { corpus.append(bytes) } }
    }
    guard !corpus.isEmpty else {
        eprint("mutate: no inputs in \(dirs) (write some with `DecoderFuzzer seeds DIR`)")
        return 2
    }
    #if os(Linux)
    // A huge allocation then fails (and traps) instead of swapping; the input is in the crash file.
    var limit = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(memoryMB) << 20)
    setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    #endif
    say("mutate: \(corpus.count) inputs, seed \(seed), \(seconds) s, timeout \(timeout) s, memory \(memoryMB) MB; current input in \(crashFile)")
    let crashDescriptor = open(crashFile, O_WRONLY | O_CREAT, 0o644)
    guard crashDescriptor >= 0 else {
        eprint("cannot open \(crashFile)")
        return 1
    }
    var mutator = Mutator(rng: SplitMix64(seed: seed))
    let start = monotonicSeconds()
    var executions = 0
    var lastReport = start
    // The seeds themselves first, then mutations.
    while executions < runs {
        let input: [UInt8]
        if executions < corpus.count {
            input = corpus[executions]
        } else {
            input = mutator.mutate(corpus[mutator.rng.below(corpus.count)], other: corpus[mutator.rng.below(corpus.count)])
        }
        // Written before decoding: if the process dies, this file is the crashing input. SIGALRM
        // (default action: terminate) catches hangs. pwrite + ftruncate to the new length on one
        // descriptor: reopening with O_TRUNC makes ext4 flush on every close (~3 ms per input).
        input.withUnsafeBytes { raw in
            _ = pwrite(crashDescriptor, raw.baseAddress, raw.count, 0)
            _ = ftruncate(crashDescriptor, off_t(raw.count))
        }
        alarm(timeout)
        let outcome = input.withUnsafeBytes { fuzzOne($0) }
        alarm(0)
        Stats.record(outcome)
        executions += 1
        if executions & 255 == 0 {
            let now = monotonicSeconds()
            if now - start >= seconds { break }
            if now - lastReport >= 10 {
                lastReport = now
                say("#\(executions) \(Int(Double(executions) / (now - start))) exec/s, \(Stats.counts.count) distinct outcomes")
            }
        }
    }
    let elapsed = monotonicSeconds() - start
    close(crashDescriptor)
    unlink(crashFile)
    say("mutate: done, \(executions) executions in \(Int(elapsed)) s (\(Int(Double(executions) / max(elapsed, 0.001))) exec/s), no crash")
    Stats.report(to: 1)
    return 0
}

// MARK: - File helpers (libc only)

func writeText(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { utf8 in
        var offset = 0
        while offset < utf8.count {
            let n = write(fd, utf8.baseAddress! + offset, utf8.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}

func eprint(_ text: String) { writeText(2, text + "\n") }

/// Unbuffered stdout, so that lines keep their order with `Stats.report`.
func say(_ text: String) { writeText(1, text + "\n") }

func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n <= 0 { break }
        result.append(contentsOf: buffer[0..<n])
    }
    return result
}

func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
    guard let file = fopen(path, "wb") else { return false }
    defer { fclose(file) }
    return bytes.withUnsafeBytes { bytes.isEmpty ? 0 : fwrite($0.baseAddress, 1, $0.count, file) } == bytes.count
}

func listFiles(_ dir: String) -> [String] {
    guard let handle = opendir(dir) else { return [] }
    defer { closedir(handle) }
    var paths: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard !name.hasPrefix(".") else { continue }
        let path = dir + "/" + name
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
        paths.append(path)
    }
    return paths.sorted()
}

func makeDirectories(_ path: String) -> Bool {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
        current += "/" + component
        if mkdir(current, 0o755) != 0 && errno != EEXIST { return false }
    }
    return true
}

// MARK: - Entry points

/// libFuzzer's callback (also usable by other engines that look the symbol up).
@_cdecl("LLVMFuzzerTestOneInput")
public func decoderFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let outcome = fuzzOne(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    Stats.record(outcome)
    return 0
}

#if DECODER_FUZZER_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

let usage = """
    usage: DecoderFuzzer seeds OUT_DIR [PARQUET_DIR...]
           DecoderFuzzer replay FILE...
           DecoderFuzzer parquet INPUT OUTPUT.parquet          (the file a target 0/1/2 input decodes)
           DecoderFuzzer mutate DIR... [--seconds N] [--runs N] [--seed N] [--timeout S] [--memory-mb N] [--crash-file PATH]
           DecoderFuzzer [libFuzzer flags] [CORPUS_DIR...]     (libFuzzer build: scripts/fuzz.sh)
    """

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "seeds" where arguments.count >= 3:
    exit(writeSeeds(outDir: arguments[2], parquetDirs: Array(arguments.dropFirst(3))))
case "replay":
    exit(replay(Array(arguments.dropFirst(2))))
case "mutate":
    exit(mutateCommand(Array(arguments.dropFirst(2))))
case "parquet":
    exit(parquetCommand(Array(arguments.dropFirst(2))))
case "help", "--help", "-h":
    print(usage)
    exit(0)
default:
    #if DECODER_FUZZER_LIBFUZZER
    _ = ChunkTemplates.all  // built once, outside the measured inputs
    atexit { Stats.report(to: 2) }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, decoderFuzzerTestOneInput))
    #else
    eprint(usage + "\n(this build has no libFuzzer; use `mutate`, or scripts/fuzz.sh for the libFuzzer build)")
    exit(2)
    #endif
}
