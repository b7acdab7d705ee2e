/// The error thrown by every operation of this module.
///
/// Modelled after SwiftNIO's errors: a struct carrying an extensible ``Code``
/// (so new failure kinds can be added without breaking exhaustive `switch`es),
/// the ``CompressionCodec`` involved and a human-readable message.
public struct CompressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case corruptInput
            case sizeMismatch
            case outputTooLarge
            case libraryFailure
        }

        private var backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The compressed input is malformed, truncated, or fails its checksum.
        public static let corruptInput = Code(.corruptInput)
        /// The decompressed size differs from the `expectedSize` the caller supplied.
        public static let sizeMismatch = Code(.sizeMismatch)
        /// The decompressed data would exceed `maxOutputSize`.
        public static let outputTooLarge = Code(.outputTooLarge)
        /// The underlying C library failed for a reason unrelated to the input
        /// data (out of memory, unsupported parameters, input too large for the format).
        public static let libraryFailure = Code(.libraryFailure)

        /// The name of the code, e.g. `corruptInput`.
        public var description: String {
            switch backing {
            case .corruptInput: "corruptInput"
            case .sizeMismatch: "sizeMismatch"
            case .outputTooLarge: "outputTooLarge"
            case .libraryFailure: "libraryFailure"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The codec that failed.
    public var codec: CompressionCodec
    /// A human-readable explanation naming the codec, e.g.
    /// `"snappy: input is not valid compressed data"`.
    public var message: String

    /// Creates an error. `message` should name the codec.
    public init(code: Code, codec: CompressionCodec, message: String) {
        self.code = code
        self.codec = codec
        self.message = message
    }

    /// The message followed by the code, e.g.
    /// `"snappy: input is not valid compressed data (corruptInput)"`.
    public var description: String {
        "\(message) (\(code))"
    }
}

extension CompressionError {
    static func corruptInput(_ codec: CompressionCodec, _ detail: String) -> CompressionError {
        CompressionError(code: .corruptInput, codec: codec, message: "\(codec.rawValue): \(detail)")
    }

    static func truncated(_ codec: CompressionCodec) -> CompressionError {
        corruptInput(codec, "input is truncated (compressed stream ends before its end marker)")
    }

    static func sizeMismatch(_ codec: CompressionCodec, expected: Int, actual: String) -> CompressionError {
        CompressionError(
            code: .sizeMismatch, codec: codec,
            message: "\(codec.rawValue): decompressed size is \(actual) bytes but \(expected) bytes were expected"
        )
    }

    static func outputTooLarge(_ codec: CompressionCodec, limit: Int, actual: String) -> CompressionError {
        CompressionError(
            code: .outputTooLarge, codec: codec,
            message: "\(codec.rawValue): decompressed size \(actual) bytes exceeds the limit of \(limit) bytes"
        )
    }

    static func libraryFailure(_ codec: CompressionCodec, _ detail: String) -> CompressionError {
        CompressionError(code: .libraryFailure, codec: codec, message: "\(codec.rawValue): \(detail)")
    }
}
