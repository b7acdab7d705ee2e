/// Data page layout versions.
public enum DataPageVersion: Sendable, Hashable {
    /// Data page v1: levels and values compressed together (the most compatible).
    case v1
    /// Data page v2: levels uncompressed, pages start at row boundaries.
    case v2
}

/// How a ``ParquetFileWriter`` lays out and encodes a file.
public struct ParquetWriterOptions: Sendable, Hashable {
    /// Page compression. Snappy is what Spark and delta-rs write by default.
    public var compression: CompressionKind = .snappy
    /// Codec level where the codec has one (zstd, gzip); nil for the default: zstd level 1
    /// (as Arrow and pyarrow write; raise it for smaller, slower files), zlib's level for gzip.
    public var compressionLevel: Int? = nil
    /// Threads used to encode the column chunks of a row group (default: one per processor).
    public var encodingThreads: Int = ParallelWork.processorCount
    public var dataPageVersion: DataPageVersion = .v1
    /// Target uncompressed size of a data page.
    public var dataPageSize: Int = 1 << 20
    /// Maximum rows (top-level records) per data page.
    public var dataPageRowLimit: Int = 20_000
    /// Whether to try dictionary encoding (falls back to PLAIN per column chunk).
    public var dictionaryEnabled: Bool = true
    /// Largest dictionary (PLAIN bytes) before falling back to PLAIN.
    public var dictionaryPageSizeLimit: Int = 1 << 20
    /// Target buffered size of a row group before it is written.
    public var rowGroupSize: Int = 128 << 20
    /// Maximum rows per row group.
    public var rowGroupRowLimit: Int = 1 << 20
    /// Write CRC-32 checksums of pages.
    public var pageChecksums: Bool = true
    /// Written into the footer's `created_by`.
    public var createdBy: String = "datastream-delta version 0.1.0 (build parquet)"
    /// Extra key/value metadata for the footer.
    public var keyValueMetadata: [KeyValue] = []

    public init() {}
}
