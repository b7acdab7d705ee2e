import BinaryCoding
import CompressionCodecs

/// The error type of the Parquet module: what went wrong, where (file and byte offset), and why.
public struct ParquetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Error categories, extensible without breaking API.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case notParquet, truncated, corruptMetadata, corruptPage, checksumMismatch, unsupported
            case schemaMismatch, invalidArgument, compression
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// Magic bytes missing: not a Parquet file.
        public static let notParquet = Code(.notParquet)
        /// The file ends before a structure it declares.
        public static let truncated = Code(.truncated)
        /// The footer's Thrift structures are invalid or inconsistent.
        public static let corruptMetadata = Code(.corruptMetadata)
        /// A page header or page body is invalid.
        public static let corruptPage = Code(.corruptPage)
        /// A page CRC does not match its bytes.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// A valid feature this implementation does not support.
        public static let unsupported = Code(.unsupported)
        /// Data does not match the schema it is written or read with.
        public static let schemaMismatch = Code(.schemaMismatch)
        /// A caller-supplied option is invalid.
        public static let invalidArgument = Code(.invalidArgument)
        /// Compression or decompression failed.
        public static let compression = Code(.compression)

        public var description: String {
            switch wrapped {
            case .notParquet: return "not a Parquet file"
            case .truncated: return "truncated"
            case .corruptMetadata: return "corrupt metadata"
            case .corruptPage: return "corrupt page"
            case .checksumMismatch: return "checksum mismatch"
            case .unsupported: return "unsupported"
            case .schemaMismatch: return "schema mismatch"
            case .invalidArgument: return "invalid argument"
            case .compression: return "compression error"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The file the error is about, when known.
    public var file: String?
    /// The absolute byte offset in the file, when known.
    public var offset: Int?

    public init(_ code: Code, _ message: String, file: String? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.offset = offset
    }

    public var description: String {
        var text = ""
        if let file { text += file }
        if let offset { text += (text.isEmpty ? "" : " ") + "at byte \(offset)" }
        return (text.isEmpty ? "" : text + ": ") + "\(code): \(message)"
    }

    /// The same error attributed to `file` (keeps an existing file name).
    public func inFile(_ name: String?) -> ParquetError {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }

    init(_ error: BinaryDecodingError, _ what: String, code: Code = .corruptMetadata) {
        self.init(code, "\(what): \(error.message)", offset: error.offset)
    }

    init(_ error: CompressionError, offset: Int?) {
        self.init(.compression, error.message, offset: offset)
    }
}

/// `withUnsafeBytes` that keeps the typed error of its body.
func withBytes<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> T) throws(ParquetError) -> T {
    let result: Result<T, ParquetError> = bytes.withUnsafeBytes { raw in
        do throws(ParquetError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}
