import JSONCoding
import Columnar

/// `protocol`: the reader and writer versions (and features) a client needs.
public struct DeltaProtocol: Hashable, Sendable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    /// Present iff `minReaderVersion == 3`.
    public var readerFeatures: [String]?
    /// Present iff `minWriterVersion == 7`.
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int = 1, minWriterVersion: Int = 2, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }
}

/// `format` of `metaData`.
public struct DeltaFormat: Hashable, Sendable {
    public var provider: String
    public var options: [String: String]
    public init(provider: String = "parquet", options: [String: String] = [:]) {
        self.provider = provider
        self.options = options
    }
}

/// `metaData`: table identity, schema, partitioning and configuration.
public struct DeltaMetadata: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var description: String?
    public var format: DeltaFormat
    /// The schema in Spark's JSON format (see ``DeltaSchemaCoding``).
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    /// Milliseconds since the epoch.
    public var createdTime: Int64?

    public init(id: String, name: String? = nil, description: String? = nil, format: DeltaFormat = DeltaFormat(), schemaString: String, partitionColumns: [String] = [], configuration: [String: String] = [:], createdTime: Int64? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.format = format
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }

    /// The parsed schema.
    public func schema() throws(DeltaError) -> Schema {
        try DeltaSchemaCoding.decode(schemaString)
    }
}

/// `add`: a data file that is part of the table.
public struct DeltaAddFile: Hashable, Sendable {
    /// Relative (to the table root, URI-encoded) or absolute URI.
    public var path: String
    /// Partition column → serialized value (nil = null).
    public var partitionValues: [String: String?]
    public var size: Int64
    public var modificationTime: Int64
    public var dataChange: Bool
    /// Per-file statistics, a JSON document in a string.
    public var stats: String?
    public var tags: [String: String]?
    /// Fields this module does not model (deletionVector, baseRowId…), kept verbatim.
    public var otherFields: [String: JSONValue]

    public init(path: String, partitionValues: [String: String?] = [:], size: Int64, modificationTime: Int64, dataChange: Bool = true, stats: String? = nil, tags: [String: String]? = nil, otherFields: [String: JSONValue] = [:]) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.tags = tags
        self.otherFields = otherFields
    }
}

/// `remove`: a tombstone for a data file.
public struct DeltaRemoveFile: Hashable, Sendable {
    public var path: String
    public var deletionTimestamp: Int64?
    public var dataChange: Bool
    public var extendedFileMetadata: Bool?
    public var partitionValues: [String: String?]?
    public var size: Int64?

    public init(path: String, deletionTimestamp: Int64? = nil, dataChange: Bool = true, extendedFileMetadata: Bool? = nil, partitionValues: [String: String?]? = nil, size: Int64? = nil) {
        self.path = path
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
        self.extendedFileMetadata = extendedFileMetadata
        self.partitionValues = partitionValues
        self.size = size
    }
}

/// `txn`: the last version an application committed (idempotent writes).
public struct DeltaTransaction: Hashable, Sendable {
    public var appId: String
    public var version: Int64
    public var lastUpdated: Int64?

    public init(appId: String, version: Int64, lastUpdated: Int64? = nil) {
        self.appId = appId
        self.version = version
        self.lastUpdated = lastUpdated
    }
}

/// `domainMetadata`: configuration of a named metadata domain.
public struct DeltaDomainMetadata: Hashable, Sendable {
    public var domain: String
    public var configuration: String
    public var removed: Bool

    public init(domain: String, configuration: String, removed: Bool = false) {
        self.domain = domain
        self.configuration = configuration
        self.removed = removed
    }
}

/// One line of a commit file.
public enum DeltaAction: Hashable, Sendable {
    case `protocol`(DeltaProtocol)
    case metadata(DeltaMetadata)
    case add(DeltaAddFile)
    case remove(DeltaRemoveFile)
    case transaction(DeltaTransaction)
    /// Free-form; see ``DeltaCommitInfo`` for the fields this module writes.
    case commitInfo(JSONValue)
    case domainMetadata(DeltaDomainMetadata)
    /// An action type this module does not know (`cdc`, `checkpointMetadata`…), kept verbatim
    /// as the whole line's object.
    case unknown(JSONValue)
}
