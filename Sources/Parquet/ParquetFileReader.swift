import BinaryCoding
import Columnar

/// Reads a Parquet file held in memory: footer, schema, row groups, with column projection.
///
/// ```swift
/// let reader = try ParquetFileReader(bytes: fileBytes, fileName: "part-0.parquet")
/// for group in 0..<reader.rowGroupCount {
///     let batch = try reader.readRowGroup(group, columns: ["id", "name"])
/// }
/// ```
/// Every error is a ``ParquetError`` naming the file and byte offset.
public struct ParquetFileReader: Sendable {
    public let bytes: [UInt8]
    public let fileName: String?
    public let metadata: FileMetaData
    public let parquetSchema: ParquetSchema
    /// Largest uncompressed page accepted.
    public var maxPageSize: Int = 512 << 20
    /// Most values one page may hold (an RLE run can claim billions in a few bytes). Writers
    /// put at most a few hundred thousand values in a page; 16 Mi is far above that.
    public var maxValuesPerPage: Int = ParquetFileReader.defaultMaxValuesPerPage
    public static let defaultMaxValuesPerPage = 1 << 24
    /// Threads used to decode the column chunks of a row group (default: one per processor).
    /// Row groups under 256 KiB are decoded on the calling thread.
    public var decodingThreads: Int = ParallelWork.processorCount

    /// The Columnar schema of the file.
    public var schema: Schema { parquetSchema.schema }
    public var rowCount: Int { Int(metadata.numRows) }
    public var rowGroupCount: Int { metadata.rowGroups.count }

    public init(bytes: [UInt8], fileName: String? = nil) throws(ParquetError) {
        self.bytes = bytes
        self.fileName = fileName
        do throws(ParquetError) {
            let footer = try Self.readFooter(bytes)
            self.metadata = footer
            self.parquetSchema = try ParquetSchema(elements: footer.schema)
            for (index, group) in footer.rowGroups.enumerated() {
                guard group.columns.count == parquetSchema.leaves.count else {
                    throw ParquetError(.corruptMetadata, "row group \(index) has \(group.columns.count) column chunks for \(parquetSchema.leaves.count) leaf columns")
                }
                guard group.numRows >= 0 else { throw ParquetError(.corruptMetadata, "row group \(index) has a negative row count") }
                for chunk in group.columns where chunk.metaData == nil {
                    throw ParquetError(.unsupported, "row group \(index) has a column chunk without inline metadata (file_path '\(chunk.filePath ?? "")')")
                }
            }
        } catch {
            throw error.inFile(fileName)
        }
    }

    private static func readFooter(_ bytes: [UInt8]) throws(ParquetError) -> FileMetaData {
        let magic: [UInt8] = Array("PAR1".utf8)
        guard bytes.count >= 12 else {
            throw ParquetError(bytes.count >= 4 && Array(bytes[0..<4]) == magic ? .truncated : .notParquet, "file is \(bytes.count) bytes, too short for Parquet", offset: 0)
        }
        guard Array(bytes[0..<4]) == magic else {
            throw ParquetError(.notParquet, "missing PAR1 magic at the start", offset: 0)
        }
        guard Array(bytes[(bytes.count - 4)...]) == magic else {
            if Array(bytes[(bytes.count - 4)...]) == Array("PARE".utf8) {
                throw ParquetError(.unsupported, "encrypted footers are not supported", offset: bytes.count - 4)
            }
            throw ParquetError(.truncated, "missing PAR1 magic at the end (truncated file?)", offset: bytes.count - 4)
        }
        let lengthOffset = bytes.count - 8
        let length = Int(UInt32(bytes[lengthOffset]) | UInt32(bytes[lengthOffset + 1]) << 8 | UInt32(bytes[lengthOffset + 2]) << 16 | UInt32(bytes[lengthOffset + 3]) << 24)
        guard length <= lengthOffset - 4 else {
            throw ParquetError(.corruptMetadata, "footer length \(length) exceeds the file", offset: lengthOffset)
        }
        let start = lengthOffset - length
        return try withBytes(bytes) { raw throws(ParquetError) in
            try FileMetaData(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<lengthOffset]), baseOffset: start)
        }
    }

    /// Reads row group `index`, optionally only the top-level `columns` named (in schema order).
    public func readRowGroup(_ index: Int, columns: [String]? = nil) throws(ParquetError) -> RecordBatch {
        guard index >= 0, index < metadata.rowGroups.count else {
            throw ParquetError(.invalidArgument, "row group \(index) does not exist", file: fileName)
        }
        let fields = try selectedFields(columns)
        let group = metadata.rowGroups[index]
        let rowCount = Int(group.numRows)
        do throws(ParquetError) {
            var jobs: [(leaf: LeafColumn, meta: ColumnMetaData)] = []
            var leafIndices: [Int] = []
            var totalBytes: Int64 = 0
            for fieldIndex in fields {
                for leafIndex in parquetSchema.leafRanges[fieldIndex] {
                    let leaf = parquetSchema.leaves[leafIndex]
                    let meta = group.columns[leafIndex].metaData!
                    guard meta.type == leaf.physicalType else {
                        throw ParquetError(.corruptMetadata, "column '\(leaf.path.joined(separator: "."))' chunk type \(meta.type) differs from the schema's \(leaf.physicalType)")
                    }
                    jobs.append((leaf, meta))
                    leafIndices.append(leafIndex)
                    totalBytes += max(0, meta.totalCompressedSize)
                }
            }
            let file = bytes
            let fileName = self.fileName
            let maxPageSize = self.maxPageSize
            let maxValuesPerPage = self.maxValuesPerPage
            let threads = totalBytes >= 256 << 10 ? decodingThreads : 1
            let chunks = jobs
            let leaves = try ParallelWork.map(chunks.count, threads: threads) { (index) throws(ParquetError) -> LeafData in
                try withBytes(file) { raw throws(ParquetError) in
                    var reader = ColumnChunkReader(file: raw, fileName: fileName, leaf: chunks[index].leaf, meta: chunks[index].meta, maxPageSize: maxPageSize)
                    reader.maxValuesPerPage = maxValuesPerPage
                    return try reader.read()
                }
            }
            var decoded: [Int: LeafData] = [:]
            for (leafIndex, data) in zip(leafIndices, leaves) { decoded[leafIndex] = data }
            let assembler = ColumnAssembler(leaves: decoded)
            var columnList: [Column] = []
            var schemaFields: [Field] = []
            for fieldIndex in fields {
                let field = parquetSchema.schema.fields[fieldIndex]
                columnList.append(try assembler.assemble(parquetSchema.assembly[fieldIndex], type: field.type, rowCount: rowCount))
                schemaFields.append(field)
            }
            do {
                return try RecordBatch(schema: Schema(schemaFields), columns: columnList, rowCount: rowCount)
            } catch {
                throw ParquetError(.corruptMetadata, error.message)
            }
        } catch {
            throw error.inFile(fileName)
        }
    }

    /// Reads every row group.
    public func readAll(columns: [String]? = nil) throws(ParquetError) -> [RecordBatch] {
        var batches: [RecordBatch] = []
        for index in 0..<rowGroupCount { batches.append(try readRowGroup(index, columns: columns)) }
        return batches
    }

    private func selectedFields(_ columns: [String]?) throws(ParquetError) -> [Int] {
        guard let columns else { return Array(parquetSchema.schema.fields.indices) }
        var result: [Int] = []
        for name in columns {
            guard let index = parquetSchema.schema.index(of: name) else {
                throw ParquetError(.invalidArgument, "no column named '\(name)'", file: fileName)
            }
            result.append(index)
        }
        return result.sorted()
    }
}
