import BinaryCoding

// The Thrift structures of a Parquet footer and page headers (apache/parquet-format
// `parquet.thrift`), with compact-protocol encoding and decoding. Unknown fields are skipped.

/// Physical storage types.
public enum PhysicalType: Int32, Sendable, Hashable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

/// Legacy converted types (still written for compatibility).
public enum ConvertedType: Int32, Sendable, Hashable {
    case utf8 = 0, map = 1, mapKeyValue = 2, list = 3, enumeration = 4, decimal = 5, date = 6
    case timeMillis = 7, timeMicros = 8, timestampMillis = 9, timestampMicros = 10
    case uint8 = 11, uint16 = 12, uint32 = 13, uint64 = 14, int8 = 15, int16 = 16, int32 = 17, int64 = 18
    case json = 19, bson = 20, interval = 21
}

/// Field repetition.
public enum Repetition: Int32, Sendable, Hashable {
    case required = 0, optional = 1, repeated = 2
}

/// Page and level encodings.
public enum Encoding: Int32, Sendable, Hashable {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9
}

/// Column-chunk compression codecs.
public enum CompressionKind: Int32, Sendable, Hashable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7
}

/// Page types.
public enum PageType: Int32, Sendable, Hashable {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// Time units of TIME and TIMESTAMP logical types.
public enum TimeUnit: Sendable, Hashable {
    case millis, micros, nanos
}

/// Logical type annotations (the subset we use, plus `other` for anything else).
public enum LogicalType: Sendable, Hashable {
    case string, map, list, enumeration, date, json, bson, uuid, float16, unknown
    case decimal(scale: Int32, precision: Int32)
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    /// A union member this implementation does not know (its field id).
    case other(Int16)
}

/// One node of the depth-first flattened schema.
public struct SchemaElement: Sendable, Hashable {
    public var type: PhysicalType?
    public var typeLength: Int32?
    public var repetition: Repetition?
    public var name: String
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldID: Int32?
    public var logicalType: LogicalType?

    public init(name: String) { self.name = name }
}

/// Column statistics (chunk or page level). Values are PLAIN encoded without length prefix.
public struct Statistics: Sendable, Hashable {
    public var legacyMax: [UInt8]?
    public var legacyMin: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?
    public var isMaxValueExact: Bool?
    public var isMinValueExact: Bool?

    public init() {}
}

public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: String?
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

public struct ColumnMetaData: Sendable, Hashable {
    public var type: PhysicalType = .int32
    public var encodings: [Encoding] = []
    public var pathInSchema: [String] = []
    public var codec: CompressionKind = .uncompressed
    public var numValues: Int64 = 0
    public var totalUncompressedSize: Int64 = 0
    public var totalCompressedSize: Int64 = 0
    public var dataPageOffset: Int64 = 0
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?

    public init() {}
}

public struct ColumnChunk: Sendable, Hashable {
    public var filePath: String?
    public var fileOffset: Int64 = 0
    public var metaData: ColumnMetaData?
    public init() {}
}

public struct RowGroup: Sendable, Hashable {
    public var columns: [ColumnChunk] = []
    public var totalByteSize: Int64 = 0
    public var numRows: Int64 = 0
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int16?
    public init() {}
}

/// Sort order of a leaf column's statistics.
public enum ColumnOrder: Sendable, Hashable {
    case typeDefined
    case ieee754TotalOrder
    case other(Int16)
}

/// The footer of a Parquet file.
public struct FileMetaData: Sendable, Hashable {
    public var version: Int32 = 1
    public var schema: [SchemaElement] = []
    public var numRows: Int64 = 0
    public var rowGroups: [RowGroup] = []
    public var keyValueMetadata: [KeyValue]?
    public var createdBy: String?
    public var columnOrders: [ColumnOrder]?
    public init() {}
}

public struct DataPageHeader: Sendable, Hashable {
    public var numValues: Int32 = 0
    public var encoding: Encoding = .plain
    public var definitionLevelEncoding: Encoding = .rle
    public var repetitionLevelEncoding: Encoding = .rle
    public var statistics: Statistics?
    public init() {}
}

public struct DictionaryPageHeader: Sendable, Hashable {
    public var numValues: Int32 = 0
    public var encoding: Encoding = .plain
    public var isSorted: Bool?
    public init() {}
}

public struct DataPageHeaderV2: Sendable, Hashable {
    public var numValues: Int32 = 0
    public var numNulls: Int32 = 0
    public var numRows: Int32 = 0
    public var encoding: Encoding = .plain
    public var definitionLevelsByteLength: Int32 = 0
    public var repetitionLevelsByteLength: Int32 = 0
    public var isCompressed: Bool = true
    public var statistics: Statistics?
    public init() {}
}

public struct PageHeader: Sendable, Hashable {
    public var type: PageType = .dataPage
    public var uncompressedPageSize: Int32 = 0
    public var compressedPageSize: Int32 = 0
    public var crc: Int32?
    public var dataPageHeader: DataPageHeader?
    public var dictionaryPageHeader: DictionaryPageHeader?
    public var dataPageHeaderV2: DataPageHeaderV2?
    public init() {}
}
