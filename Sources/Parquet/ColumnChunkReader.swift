import BinaryCoding
import CompressionCodecs

/// The decoded contents of one leaf column chunk.
struct LeafData {
    let leaf: LeafColumn
    /// Definition levels (empty when the leaf's max definition level is 0).
    var definitionLevels: [Int32] = []
    /// Repetition levels (empty when the leaf's max repetition level is 0).
    var repetitionLevels: [Int32] = []
    var entryCount = 0
    var values: LeafValues
}

/// Reads the pages of one column chunk: headers, checksums, decompression, levels and values.
struct ColumnChunkReader {
    let file: UnsafeRawBufferPointer
    let fileName: String?
    let leaf: LeafColumn
    let meta: ColumnMetaData
    /// Largest page (uncompressed) accepted, to bound allocations on corrupt headers.
    let maxPageSize: Int
    /// Most values (level entries) one page may hold.
    var maxValuesPerPage: Int = ParquetFileReader.defaultMaxValuesPerPage

    func read() throws(ParquetError) -> LeafData {
        if meta.numValues == 0 {
            // Empty chunks may carry placeholder offsets (pyarrow writes data_page_offset 0).
            return LeafData(leaf: leaf, values: LeafValues(empty: leaf.physicalType, typeLength: Int(leaf.element.typeLength ?? 0)))
        }
        let codec = try CompressionKind.codec(meta.codec)
        var start = Int(meta.dataPageOffset)
        if let dictionaryOffset = meta.dictionaryPageOffset, dictionaryOffset > 0, dictionaryOffset < meta.dataPageOffset {
            start = Int(dictionaryOffset)
        }
        let length = Int(meta.totalCompressedSize)
        guard start >= 4, length >= 0, start <= file.count - 8, length <= file.count - 8 - start else {
            throw ParquetError(.corruptMetadata, "column '\(leaf.path.joined(separator: "."))' chunk [\(start), +\(length)) lies outside the file", offset: start)
        }
        let numValues = Int(clamping: meta.numValues)
        guard numValues >= 0 else { throw ParquetError(.corruptMetadata, "negative value count", offset: start) }
        // Levels and values grow with the value count, which RLE lets a few bytes claim in the
        // billions: bound it by the chunk's size (generously: 1,024 values per byte, at least 4 pages' worth).
        let valueLimit = max(maxValuesPerPage * 4, length &* 1024)
        guard numValues <= valueLimit else {
            throw ParquetError(.unsupported, "column '\(leaf.path.joined(separator: "."))' claims \(numValues) values in \(length) bytes (limit \(valueLimit))", offset: start)
        }
        var data = LeafData(leaf: leaf, values: LeafValues(empty: leaf.physicalType, typeLength: Int(leaf.element.typeLength ?? 0)))
        // Reserve once for the whole chunk (bounded by what the chunk's bytes can hold), so pages
        // append without regrowing and copying the column.
        let plausible = Int(clamping: max(meta.totalUncompressedSize, 0)) &* 8
        data.values.reserveCapacity(min(numValues, plausible))
        if leaf.maxDefinitionLevel > 0 { data.definitionLevels.reserveCapacity(min(numValues, plausible)) }
        var dictionary: LeafValues?
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file[start..<(start + length)]), baseOffset: start)
        while data.entryCount < numValues {
            guard !reader.isAtEnd else {
                throw ParquetError(.truncated, "column '\(leaf.path.joined(separator: "."))' ends after \(data.entryCount) of \(numValues) values", offset: reader.absoluteOffset)
            }
            let headerOffset = reader.absoluteOffset
            var thrift = ThriftCompactReader(reader)
            let header: PageHeader
            do {
                header = try PageHeader(reading: &thrift)
            } catch {
                throw ParquetError(error, "invalid page header", code: .corruptPage)
            }
            reader = thrift.byteReader
            let compressedSize = Int(header.compressedPageSize)
            let uncompressedSize = Int(header.uncompressedPageSize)
            guard compressedSize >= 0, uncompressedSize >= 0, uncompressedSize <= maxPageSize else {
                throw ParquetError(.corruptPage, "page sizes \(compressedSize)/\(uncompressedSize) are invalid", offset: headerOffset)
            }
            let bodyOffset = reader.absoluteOffset
            let body: UnsafeRawBufferPointer
            do {
                body = try reader.readBytes(count: compressedSize)
            } catch {
                throw ParquetError(.truncated, "page body of \(compressedSize) bytes runs past the column chunk", offset: bodyOffset)
            }
            if let crc = header.crc, UInt32(bitPattern: crc) != CRC32.checksum(body) {
                throw ParquetError(.checksumMismatch, "page CRC does not match its contents", offset: headerOffset)
            }
            switch header.type {
            case .dictionaryPage:
                guard let dictHeader = header.dictionaryPageHeader else {
                    throw ParquetError(.corruptPage, "dictionary page without its header", offset: headerOffset)
                }
                let bytes = try decompress(body, codec: codec, size: uncompressedSize, offset: bodyOffset)
                let count = Int(dictHeader.numValues)
                dictionary = try withBytes(bytes) { raw throws(ParquetError) in
                    var values = LeafValues(empty: leaf.physicalType, typeLength: Int(leaf.element.typeLength ?? 0))
                    var r = ByteReader(raw, baseOffset: bodyOffset)
                    try PageValueDecoder(leaf: leaf, offset: bodyOffset).decodePlain(&r, count: count, into: &values)
                    return values
                }
            case .dataPage:
                guard let d = header.dataPageHeader else {
                    throw ParquetError(.corruptPage, "data page without its header", offset: headerOffset)
                }
                for (levelEncoding, maxLevel) in [(d.repetitionLevelEncoding, leaf.maxRepetitionLevel), (d.definitionLevelEncoding, leaf.maxDefinitionLevel)]
                where maxLevel > 0 && levelEncoding != .rle {
                    throw ParquetError(.unsupported, "levels encoded as \(levelEncoding) (only RLE is supported)", offset: headerOffset)
                }
                let bytes = try decompress(body, codec: codec, size: uncompressedSize, offset: bodyOffset)
                try withBytes(bytes) { raw throws(ParquetError) in
                    var r = ByteReader(raw, baseOffset: bodyOffset)
                    let count = Int(d.numValues)
                    try checkCount(count, numValues: numValues, have: data.entryCount, offset: headerOffset)
                    let valueCount = try readLevelsV1(&r, count: count, into: &data, offset: bodyOffset)
                    try PageValueDecoder(leaf: leaf, offset: r.absoluteOffset)
                        .decode(&r, encoding: d.encoding, count: valueCount, dictionary: dictionary, into: &data.values)
                }
            case .dataPageV2:
                guard let d = header.dataPageHeaderV2 else {
                    throw ParquetError(.corruptPage, "data page v2 without its header", offset: headerOffset)
                }
                let count = Int(d.numValues)
                try checkCount(count, numValues: numValues, have: data.entryCount, offset: headerOffset)
                let repLength = Int(d.repetitionLevelsByteLength)
                let defLength = Int(d.definitionLevelsByteLength)
                guard repLength >= 0, defLength >= 0, repLength + defLength <= body.count else {
                    throw ParquetError(.corruptPage, "level lengths \(repLength)+\(defLength) exceed the page", offset: headerOffset)
                }
                let repBytes = UnsafeRawBufferPointer(rebasing: body[0..<repLength])
                let defBytes = UnsafeRawBufferPointer(rebasing: body[repLength..<(repLength + defLength)])
                let valueCount = try readLevels(rep: repBytes, def: defBytes, count: count, into: &data, offset: bodyOffset)
                let valueSection = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
                let valueOffset = bodyOffset + repLength + defLength
                let decode = { (raw: UnsafeRawBufferPointer) throws(ParquetError) in
                    var r = ByteReader(raw, baseOffset: valueOffset)
                    try PageValueDecoder(leaf: self.leaf, offset: valueOffset)
                        .decode(&r, encoding: d.encoding, count: valueCount, dictionary: dictionary, into: &data.values)
                }
                if d.isCompressed && codec != .uncompressed {
                    let bytes = try decompress(valueSection, codec: codec, size: uncompressedSize - repLength - defLength, offset: valueOffset)
                    try withBytes(bytes) { raw throws(ParquetError) in try decode(raw) }
                } else {
                    try decode(valueSection)
                }
            case .indexPage:
                continue
            }
        }
        return data
    }

    private func checkCount(_ count: Int, numValues: Int, have: Int, offset: Int) throws(ParquetError) {
        guard count >= 0, count <= numValues - have else {
            throw ParquetError(.corruptPage, "page claims \(count) values but the chunk has \(numValues - have) left", offset: offset)
        }
        // RLE runs let a few bytes stand for billions of values; cap what one page may expand to.
        guard count <= maxValuesPerPage else {
            throw ParquetError(.unsupported, "page claims \(count) values, more than the limit of \(maxValuesPerPage) per page", offset: offset)
        }
    }

    private func decompress(_ body: UnsafeRawBufferPointer, codec: CompressionCodec, size: Int, offset: Int) throws(ParquetError) -> [UInt8] {
        guard size >= 0 else { throw ParquetError(.corruptPage, "negative uncompressed size", offset: offset) }
        do {
            return try codec.decompress(body, expectedSize: size, maxOutputSize: maxPageSize)
        } catch {
            throw ParquetError(error, offset: offset)
        }
    }

    /// v1 levels: each present level stream is `[UInt32 length][RLE hybrid]`. Returns the non-null count.
    private func readLevelsV1(_ r: inout ByteReader, count: Int, into data: inout LeafData, offset: Int) throws(ParquetError) -> Int {
        var rep = UnsafeRawBufferPointer(start: nil, count: 0)
        var def = UnsafeRawBufferPointer(start: nil, count: 0)
        do {
            if leaf.maxRepetitionLevel > 0 {
                let length = Int(try r.readInteger(as: UInt32.self))
                rep = try r.readBytes(count: length)
            }
            if leaf.maxDefinitionLevel > 0 {
                let length = Int(try r.readInteger(as: UInt32.self))
                def = try r.readBytes(count: length)
            }
        } catch {
            throw ParquetError(error, "invalid level lengths", code: .corruptPage)
        }
        return try readLevels(rep: rep, def: def, count: count, into: &data, offset: offset)
    }

    private func readLevels(rep: UnsafeRawBufferPointer, def: UnsafeRawBufferPointer, count: Int, into data: inout LeafData, offset: Int) throws(ParquetError) -> Int {
        do {
            if leaf.maxRepetitionLevel > 0 {
                let start = data.repetitionLevels.count
                try Kernels.decodeLevels(rep, bitWidth: Kernels.bitWidth(leaf.maxRepetitionLevel), count: count, baseOffset: offset, into: &data.repetitionLevels)
                for index in start..<data.repetitionLevels.count where data.repetitionLevels[index] > leaf.maxRepetitionLevel {
                    throw ParquetError(.corruptPage, "repetition level \(data.repetitionLevels[index]) exceeds \(leaf.maxRepetitionLevel)", offset: offset)
                }
                if start == 0, count > 0, data.repetitionLevels[0] != 0 {
                    throw ParquetError(.corruptPage, "the first repetition level is not 0", offset: offset)
                }
            }
            var valueCount = count
            if leaf.maxDefinitionLevel > 0 {
                let start = data.definitionLevels.count
                try Kernels.decodeLevels(def, bitWidth: Kernels.bitWidth(leaf.maxDefinitionLevel), count: count, baseOffset: offset, into: &data.definitionLevels)
                valueCount = 0
                let maxLevel = Int32(leaf.maxDefinitionLevel)
                for index in start..<data.definitionLevels.count {
                    let level = data.definitionLevels[index]
                    if level == maxLevel { valueCount += 1 } else if level > maxLevel || level < 0 {
                        throw ParquetError(.corruptPage, "definition level \(level) exceeds \(maxLevel)", offset: offset)
                    }
                }
            }
            data.entryCount += count
            return valueCount
        } catch let error as ParquetError {
            throw error
        } catch let error as BinaryDecodingError {
            throw ParquetError(error, "invalid levels", code: .corruptPage)
        } catch {
            throw ParquetError(.corruptPage, "\(error)", offset: offset)
        }
    }
}
