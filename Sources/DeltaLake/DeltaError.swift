/// The error type of the DeltaLake module.
///
/// `path` names the log or data file involved (relative to the store), `line` the 1-based line of
/// a commit file when the problem is in one line.
public struct DeltaError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidJSON, invalidAction, invalidSchema, missingCommit, tableNotFound, tableExists
            case unsupportedReaderFeature, unsupportedWriterFeature, corruptCheckpoint, commitConflict
            case tooManyRetries, invalidArgument, storage, dataFile, versionNotFound
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// A log line or JSON document is not valid JSON.
        public static let invalidJSON = Code(.invalidJSON)
        /// An action misses a required field or has one of the wrong type.
        public static let invalidAction = Code(.invalidAction)
        /// A schema string cannot be parsed or mapped.
        public static let invalidSchema = Code(.invalidSchema)
        /// A commit file is missing from the sequence the snapshot needs.
        public static let missingCommit = Code(.missingCommit)
        /// There is no `_delta_log` (or no version 0 / checkpoint) under the table root.
        public static let tableNotFound = Code(.tableNotFound)
        /// `create` found an existing table.
        public static let tableExists = Code(.tableExists)
        /// The table needs a reader feature (or reader version) this module does not implement.
        public static let unsupportedReaderFeature = Code(.unsupportedReaderFeature)
        /// The table needs a writer feature (or writer version) this module does not implement.
        public static let unsupportedWriterFeature = Code(.unsupportedWriterFeature)
        /// A checkpoint file is damaged or does not have the checkpoint layout.
        public static let corruptCheckpoint = Code(.corruptCheckpoint)
        /// A concurrent commit conflicts with this transaction (metadata/protocol change, removed files, same appId).
        public static let commitConflict = Code(.commitConflict)
        /// The commit lost the race more often than the retry limit allows.
        public static let tooManyRetries = Code(.tooManyRetries)
        public static let invalidArgument = Code(.invalidArgument)
        /// The object store failed.
        public static let storage = Code(.storage)
        /// A data file cannot be written or read.
        public static let dataFile = Code(.dataFile)
        /// The requested version or timestamp is not in the log.
        public static let versionNotFound = Code(.versionNotFound)

        public var description: String {
            switch wrapped {
            case .invalidJSON: return "invalid JSON"
            case .invalidAction: return "invalid action"
            case .invalidSchema: return "invalid schema"
            case .missingCommit: return "missing commit"
            case .tableNotFound: return "table not found"
            case .tableExists: return "table exists"
            case .unsupportedReaderFeature: return "unsupported reader feature"
            case .unsupportedWriterFeature: return "unsupported writer feature"
            case .corruptCheckpoint: return "corrupt checkpoint"
            case .commitConflict: return "commit conflict"
            case .tooManyRetries: return "too many retries"
            case .invalidArgument: return "invalid argument"
            case .storage: return "storage error"
            case .dataFile: return "data file error"
            case .versionNotFound: return "version not found"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The file involved, relative to the store root.
    public var path: String?
    /// The 1-based line in a commit file, when the problem is in one line.
    public var line: Int?
    /// The underlying error (object store or Parquet), rendered.
    public var underlying: String?

    public init(_ code: Code, _ message: String, path: String? = nil, line: Int? = nil, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.underlying = underlying
    }

    public var description: String {
        var text = ""
        if let path { text += path + (line.map { ":\($0)" } ?? "") + ": " }
        text += "\(code): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }

    func at(path: String, line: Int? = nil) -> DeltaError {
        var copy = self
        if copy.path == nil { copy.path = path }
        if copy.line == nil { copy.line = line }
        return copy
    }
}
