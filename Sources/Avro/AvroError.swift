import BinaryCoding
import CompressionCodecs

/// The error type of the Avro module: what went wrong, where (file, byte offset, record), and why.
public struct AvroError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Error categories, extensible without breaking API.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case notAvro, truncated, invalidSchema, corruptHeader, corruptBlock, corruptData
            case checksumMismatch, syncMismatch, unsupported, schemaMismatch, compression, limitExceeded
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The magic bytes `Obj\x01` are missing: not an Avro object container file.
        public static let notAvro = Code(.notAvro)
        /// The input ends before a structure it declares.
        public static let truncated = Code(.truncated)
        /// The writer schema is not valid JSON or not a valid Avro schema.
        public static let invalidSchema = Code(.invalidSchema)
        /// The file header (metadata map) is invalid.
        public static let corruptHeader = Code(.corruptHeader)
        /// A block header (record count, byte size) is invalid.
        public static let corruptBlock = Code(.corruptBlock)
        /// Encoded record data does not match the schema (bad union index, negative length, ...).
        public static let corruptData = Code(.corruptData)
        /// A snappy block's CRC-32 does not match its uncompressed bytes.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// A block is not followed by the file's 16-byte sync marker.
        public static let syncMismatch = Code(.syncMismatch)
        /// A valid feature this implementation does not support (unknown codec, ...).
        public static let unsupported = Code(.unsupported)
        /// A batch does not match the schema it is written with.
        public static let schemaMismatch = Code(.schemaMismatch)
        /// Decompression failed.
        public static let compression = Code(.compression)
        /// A configured limit (block size, element count, schema size) was exceeded.
        public static let limitExceeded = Code(.limitExceeded)

        public var description: String {
            switch wrapped {
            case .notAvro: return "not an Avro file"
            case .truncated: return "truncated"
            case .invalidSchema: return "invalid schema"
            case .corruptHeader: return "corrupt header"
            case .corruptBlock: return "corrupt block"
            case .corruptData: return "corrupt data"
            case .checksumMismatch: return "checksum mismatch"
            case .syncMismatch: return "sync marker mismatch"
            case .unsupported: return "unsupported"
            case .schemaMismatch: return "schema mismatch"
            case .compression: return "compression error"
            case .limitExceeded: return "limit exceeded"
            }
        }
    }

    /// What kind of problem was found.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The file the error is about, when known.
    public var file: String?
    /// The absolute byte offset in the file, when known. For data inside a compressed block this
    /// is the offset of the block's data; ``offsetInBlock`` then locates the problem inside the
    /// decompressed bytes.
    public var offset: Int?
    /// The offset inside the decompressed block data, for errors in compressed blocks.
    public var offsetInBlock: Int?
    /// The index (from 0, counted over the whole file) of the record being decoded, when known.
    public var recordIndex: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String? = nil, offset: Int? = nil, recordIndex: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.offset = offset
        self.recordIndex = recordIndex
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let offset { parts.append("at byte \(offset)") }
        if let offsetInBlock { parts.append("(+\(offsetInBlock) in decompressed block)") }
        if let recordIndex { parts.append("record \(recordIndex)") }
        let location = parts.joined(separator: " ")
        return (location.isEmpty ? "" : location + ": ") + "\(code): \(message)"
    }

    /// The same error attributed to `file` (keeps an existing file name).
    func inFile(_ name: String?) -> AvroError {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }

    init(_ error: BinaryDecodingError, _ what: String, code: Code? = nil) {
        let resolved: Code
        if let code {
            resolved = code
        } else if error.code == .truncated {
            resolved = .truncated
        } else {
            resolved = .corruptData
        }
        self.init(resolved, "\(what): \(error.message)", offset: error.offset)
    }
}

/// `withUnsafeBytes` that keeps the typed error of its body.
func withAvroBytes<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(AvroError) -> T) throws(AvroError) -> T {
    let result: Result<T, AvroError> = bytes.withUnsafeBytes { raw in
        do throws(AvroError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}
