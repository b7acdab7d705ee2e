import BinaryCoding
import CompressionCodecs

/// Encodes one leaf's buffered levels and values as a column chunk: an optional dictionary page
/// followed by data pages, plus the chunk's metadata.
struct ColumnChunkWriter {
    let options: ParquetWriterOptions

    struct Output {
        var bytes: [UInt8]
        var metaData: ColumnMetaData
        var statistics: ColumnStatistics
        /// Offset of the dictionary page relative to the chunk start, if one was written.
        var dictionaryPageOffset: Int?
        /// Offset of the first data page relative to the chunk start.
        var dataPageOffset: Int
    }

    func write(_ buffer: LeafWriteBuffer) throws(ParquetError) -> Output {
        let leaf = buffer.leaf
        let values = buffer.values
        let nullCount = buffer.entryCount - values.count
        let (statistics, thriftStatistics) = StatisticsBuilder.compute(values, leaf: leaf, nullCount: nullCount)

        var out: [UInt8] = []
        var uncompressedTotal = 0
        var encodings: [Encoding] = [.rle]
        var dictionaryPageOffset: Int?
        var dictionary: DictionaryBuilder.Result?
        if options.dictionaryEnabled, values.count > 0 {
            dictionary = DictionaryBuilder.build(values, byteLimit: options.dictionaryPageSizeLimit)
        }
        if let dictionary {
            var plain: [UInt8] = []
            PlainEncoder.encode(dictionary.dictionary, range: 0..<dictionary.dictionary.count, into: &plain)
            var header = PageHeader()
            header.type = .dictionaryPage
            var dictHeader = DictionaryPageHeader()
            dictHeader.numValues = Int32(dictionary.dictionary.count)
            dictHeader.encoding = .plain
            header.dictionaryPageHeader = dictHeader
            dictionaryPageOffset = out.count
            uncompressedTotal += try appendPage(header: header, levels: [], body: plain, to: &out)
            encodings = [.plain, .rle, .rleDictionary]
        } else {
            encodings.append(.plain)
        }

        let dataPageOffset = out.count
        let pages = pageRanges(buffer, valueCount: values.count)
        var valueStart = 0
        for entries in pages {
            let valueEnd = valueStart + countValues(buffer, entries: entries, totalValues: values.count)
            // Levels.
            var levels: [UInt8] = []
            var repLength = 0
            var defLength = 0
            if leaf.maxRepetitionLevel > 0 {
                repLength = encodeLevels(buffer.repetitionLevels[entries], maxLevel: leaf.maxRepetitionLevel, into: &levels)
            }
            if leaf.maxDefinitionLevel > 0 {
                defLength = encodeLevels(buffer.definitionLevels[entries], maxLevel: leaf.maxDefinitionLevel, into: &levels)
            }
            // Values.
            var body: [UInt8] = []
            let encoding: Encoding
            if let dictionary {
                encoding = .rleDictionary
                let bitWidth = RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(max(dictionary.dictionary.count - 1, 0)))
                body.append(UInt8(bitWidth))
                var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
                encoder.append(contentsOf: dictionary.indices[valueStart..<valueEnd])
                body.append(contentsOf: encoder.finish())
            } else {
                encoding = .plain
                PlainEncoder.encode(values, range: valueStart..<valueEnd, into: &body)
            }
            var header = PageHeader()
            let rowCount = leaf.maxRepetitionLevel > 0
                ? buffer.repetitionLevels[entries].reduce(0) { $0 + ($1 == 0 ? 1 : 0) } : entries.count
            switch options.dataPageVersion {
            case .v1:
                header.type = .dataPage
                var d = DataPageHeader()
                d.numValues = Int32(entries.count)
                d.encoding = encoding
                d.definitionLevelEncoding = .rle
                d.repetitionLevelEncoding = .rle
                header.dataPageHeader = d
                // v1 levels carry 4-byte length prefixes and are compressed with the values.
                uncompressedTotal += try appendPage(header: header, levels: [], body: levels + body, to: &out)
            case .v2:
                header.type = .dataPageV2
                var d = DataPageHeaderV2()
                d.numValues = Int32(entries.count)
                d.numNulls = Int32(entries.count - (valueEnd - valueStart))
                d.numRows = Int32(rowCount)
                d.encoding = encoding
                // v2 levels have no length prefixes: strip the 4-byte prefixes written above.
                var rawLevels: [UInt8] = []
                var cursor = 0
                if repLength > 0 || leaf.maxRepetitionLevel > 0 {
                    rawLevels.append(contentsOf: levels[(cursor + 4)..<(cursor + 4 + repLength)])
                    cursor += 4 + repLength
                }
                if defLength > 0 || leaf.maxDefinitionLevel > 0 {
                    rawLevels.append(contentsOf: levels[(cursor + 4)..<(cursor + 4 + defLength)])
                }
                d.repetitionLevelsByteLength = Int32(leaf.maxRepetitionLevel > 0 ? repLength : 0)
                d.definitionLevelsByteLength = Int32(leaf.maxDefinitionLevel > 0 ? defLength : 0)
                d.isCompressed = options.compression != .uncompressed
                header.dataPageHeaderV2 = d
                uncompressedTotal += try appendPage(header: header, levels: rawLevels, body: body, to: &out)
            }
            valueStart = valueEnd
        }

        var meta = ColumnMetaData()
        meta.type = leaf.physicalType
        meta.encodings = encodings
        meta.pathInSchema = leaf.path
        meta.codec = options.compression
        meta.numValues = Int64(buffer.entryCount)
        meta.totalUncompressedSize = Int64(uncompressedTotal)
        meta.totalCompressedSize = Int64(out.count)
        meta.statistics = thriftStatistics
        return Output(bytes: out, metaData: meta, statistics: statistics, dictionaryPageOffset: dictionaryPageOffset, dataPageOffset: dataPageOffset)
    }

    /// Splits the level entries into pages by estimated size and row limit, at row boundaries.
    private func pageRanges(_ buffer: LeafWriteBuffer, valueCount: Int) -> [Range<Int>] {
        let entries = buffer.entryCount
        guard entries > 0 else { return [0..<0] }
        let valueBytes = max(1, buffer.estimatedBytes)
        let bytesPerEntry = max(1, valueBytes / entries)
        let perPage = max(1, min(options.dataPageSize / bytesPerEntry, options.dataPageRowLimit))
        var ranges: [Range<Int>] = []
        var start = 0
        let repeated = buffer.leaf.maxRepetitionLevel > 0
        while start < entries {
            var end = min(entries, start + perPage)
            if repeated {
                while end < entries, buffer.repetitionLevels[end] != 0 { end += 1 }
            }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    private func countValues(_ buffer: LeafWriteBuffer, entries: Range<Int>, totalValues: Int) -> Int {
        let maxDefinition = Int32(buffer.leaf.maxDefinitionLevel)
        guard maxDefinition > 0 else { return entries.count }
        var count = 0
        for index in entries where buffer.definitionLevels[index] == maxDefinition { count += 1 }
        return count
    }

    /// Appends `[4-byte length][RLE hybrid levels]`, returning the RLE byte length.
    private func encodeLevels(_ levels: ArraySlice<Int32>, maxLevel: Int, into out: inout [UInt8]) -> Int {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(maxLevel)))
        encoder.append(contentsOf: levels)
        let encoded = encoder.finish()
        withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: encoded)
        return encoded.count
    }

    /// Compresses `body`, writes header + `levels` + compressed body; returns the uncompressed size incl. header.
    private func appendPage(header: PageHeader, levels: [UInt8], body: [UInt8], to out: inout [UInt8]) throws(ParquetError) -> Int {
        let codec = try CompressionKind.codec(options.compression)
        var compressed: [UInt8]
        do {
            compressed = try codec.compress(body, level: options.compressionLevel ?? (options.compression == .zstd ? 1 : nil))
        } catch {
            throw ParquetError(error, offset: nil)
        }
        var header = header
        header.uncompressedPageSize = Int32(levels.count + body.count)
        header.compressedPageSize = Int32(levels.count + compressed.count)
        if options.pageChecksums {
            var crc = CRC32.checksum(levels)
            compressed.withUnsafeBytes { crc = CRC32.checksum($0, continuing: crc) }
            header.crc = Int32(bitPattern: crc)
        }
        var writer = ThriftCompactWriter()
        header.write(to: &writer)
        let headerBytes = writer.bytes
        out.append(contentsOf: headerBytes)
        out.append(contentsOf: levels)
        out.append(contentsOf: compressed)
        return headerBytes.count + levels.count + body.count
    }
}

extension CompressionKind {
    /// The codec implementing this Parquet compression kind.
    static func codec(_ kind: CompressionKind) throws(ParquetError) -> CompressionCodec {
        switch kind {
        case .uncompressed: return .uncompressed
        case .snappy: return .snappy
        case .gzip: return .gzip
        case .zstd: return .zstd
        case .lzo, .brotli, .lz4, .lz4Raw:
            throw ParquetError(.unsupported, "compression codec \(kind) is not supported")
        }
    }
}

/// PLAIN encoding of physical values.
enum PlainEncoder {
    static func encode(_ values: LeafValues, range: Range<Int>, into out: inout [UInt8]) {
        switch values {
        case .boolean(let v):
            var byte: UInt8 = 0
            var bit = 0
            for index in range {
                if v[index] { byte |= 1 << UInt8(bit) }
                bit += 1
                if bit == 8 {
                    out.append(byte)
                    byte = 0
                    bit = 0
                }
            }
            if bit > 0 { out.append(byte) }
        case .int32(let v): appendRaw(v[range], to: &out)
        case .int64(let v): appendRaw(v[range], to: &out)
        case .float(let v): appendRaw(v[range], to: &out)
        case .double(let v): appendRaw(v[range], to: &out)
        case .bytes(let offsets, let data):
            guard !range.isEmpty else { return }
            out.reserveCapacity(out.count + range.count * 4 + Int(offsets[range.upperBound] - offsets[range.lowerBound]))
            for index in range {
                let start = Int(offsets[index]), end = Int(offsets[index + 1])
                withUnsafeBytes(of: UInt32(end - start).littleEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: data[start..<end])
            }
        case .fixed(let width, let data):
            out.append(contentsOf: data[(range.lowerBound * width)..<(range.upperBound * width)])
        }
    }

    /// Appends the little-endian bytes of trivially copyable values (the host is little-endian).
    private static func appendRaw<T: BitwiseCopyable>(_ values: ArraySlice<T>, to out: inout [UInt8]) {
        values.withUnsafeBytes { out.append(contentsOf: $0) }
    }
}

#if _endian(big)
#error("The Parquet module assumes a little-endian host")
#endif
