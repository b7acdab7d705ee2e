import CompressionCodecs

/// The block compression codecs of Avro object container files (`avro.codec`).
public enum AvroCodec: String, Sendable, Hashable, CaseIterable {
    case null
    /// Raw deflate (RFC 1951).
    case deflate
    /// Snappy block followed by the big-endian CRC-32 of the uncompressed data.
    case snappy
    /// Zstandard (`avro.codec` = `zstandard`).
    case zstandard

    /// Parses `avro.codec` (absent means `null`; `zstd` is accepted for `zstandard`).
    init?(metadataValue: String) {
        switch metadataValue {
        case "", "null": self = .null
        case "deflate": self = .deflate
        case "snappy": self = .snappy
        case "zstandard", "zstd": self = .zstandard
        default: return nil
        }
    }

    var compressionCodec: CompressionCodec {
        switch self {
        case .null: return .uncompressed
        case .deflate: return .deflate
        case .snappy: return .snappy
        case .zstandard: return .zstd
        }
    }
}

/// Limits that keep hostile files from exhausting memory.
public struct AvroReaderOptions: Sendable, Hashable {
    /// The largest block, compressed or decompressed, in bytes (default 256 MiB).
    public var maximumBlockSize: Int
    /// The largest number of records one block may declare when records can be zero bytes long
    /// (schemas made only of `null` fields or empty records); bounds memory per input byte.
    public var maximumRecordsPerEmptyRecordBlock: Int

    public init(maximumBlockSize: Int = 256 << 20, maximumRecordsPerEmptyRecordBlock: Int = 1024) {
        self.maximumBlockSize = maximumBlockSize
        self.maximumRecordsPerEmptyRecordBlock = maximumRecordsPerEmptyRecordBlock
    }
}
