/// The error type of the Datastream module: what went wrong, and where (file, line, column).
public struct DatastreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking API.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case malformedJSON, invalidValue, missingField, malformedOrderField, decompression, corruptFile, storage, unsupported
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A JSON line is not well-formed JSON.
        public static let malformedJSON = Code(.malformedJSON)
        /// A value is well-formed but not acceptable (wrong JSON type, unparsable timestamp, overflow).
        public static let invalidValue = Code(.invalidValue)
        /// A required envelope field is missing from an event or a batch.
        public static let missingField = Code(.missingField)
        /// An ordering field (LSN, log file, SCN…) cannot be parsed.
        public static let malformedOrderField = Code(.malformedOrderField)
        /// A compressed file (`.jsonl.gz`) cannot be decompressed.
        public static let decompression = Code(.decompression)
        /// A data file (Avro) cannot be decoded; the message carries the decoder's detail.
        public static let corruptFile = Code(.corruptFile)
        /// Listing or reading the object store failed.
        public static let storage = Code(.storage)
        /// The input uses a feature this module does not handle.
        public static let unsupported = Code(.unsupported)

        public var description: String {
            switch wrapped {
            case .malformedJSON: return "malformed JSON"
            case .invalidValue: return "invalid value"
            case .missingField: return "missing field"
            case .malformedOrderField: return "malformed order field"
            case .decompression: return "decompression failed"
            case .corruptFile: return "corrupt file"
            case .storage: return "storage error"
            case .unsupported: return "unsupported"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The data file involved, when there is one.
    public var fileName: String?
    /// 1-based line number in a JSON lines file, or the 0-based row of a batch (see ``row``).
    public var line: Int?
    /// 1-based byte column within ``line``.
    public var column: Int?
    /// 0-based row of an event batch, for errors found after decoding.
    public var row: Int?

    public init(_ code: Code, _ message: String, fileName: String? = nil, line: Int? = nil, column: Int? = nil, row: Int? = nil) {
        self.code = code
        self.message = message
        self.fileName = fileName
        self.line = line
        self.column = column
        self.row = row
    }

    public var description: String {
        var location = fileName ?? ""
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        if let row { location += " row \(row)" }
        return (location.isEmpty ? "" : location + ": ") + "\(code): \(message)"
    }
}
