/// The error type of the Columnar module.
public struct ColumnarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking API.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable { case schemaMismatch, typeMismatch, valueOutOfRange, invalidText }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// Columns disagree with a schema (count, length or type).
        public static let schemaMismatch = Code(.schemaMismatch)
        /// A value does not fit the column type.
        public static let typeMismatch = Code(.typeMismatch)
        /// A number does not fit (for example a decimal beyond its precision).
        public static let valueOutOfRange = Code(.valueOutOfRange)
        /// Text could not be parsed as the requested type.
        public static let invalidText = Code(.invalidText)

        public var description: String {
            switch wrapped {
            case .schemaMismatch: return "schema mismatch"
            case .typeMismatch: return "type mismatch"
            case .valueOutOfRange: return "value out of range"
            case .invalidText: return "invalid text"
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
