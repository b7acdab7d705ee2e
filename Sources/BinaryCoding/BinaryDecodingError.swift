/// The single error type thrown by every decoder in `BinaryCoding`.
///
/// Decoders in this module treat their input as untrusted: malformed, truncated or hostile bytes
/// never crash the process, never trap on arithmetic overflow and never cause an allocation sized
/// by an unchecked length. Instead they throw a `BinaryDecodingError` describing what was wrong
/// and where.
public struct BinaryDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of a decoding failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case truncated
            case varintOverflow
            case invalidValue
            case lengthOutOfRange
            case nestingTooDeep
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The input ended before a complete value could be read.
        public static let truncated = Code(.truncated)
        /// A variable-length integer is longer than 10 bytes, or its value does not fit the
        /// requested integer type.
        public static let varintOverflow = Code(.varintOverflow)
        /// A value is outside the set of values the format allows (an unknown type tag, a bit
        /// width above the maximum, a bad header field, ...).
        public static let invalidValue = Code(.invalidValue)
        /// A length or count is negative, larger than the remaining input could hold, or larger
        /// than a limit the caller gave.
        public static let lengthOutOfRange = Code(.lengthOutOfRange)
        /// Nested containers exceed the decoder's depth limit.
        public static let nestingTooDeep = Code(.nestingTooDeep)

        public var description: String {
            switch base {
            case .truncated: "truncated"
            case .varintOverflow: "varintOverflow"
            case .invalidValue: "invalidValue"
            case .lengthOutOfRange: "lengthOutOfRange"
            case .nestingTooDeep: "nestingTooDeep"
            }
        }
    }

    /// What kind of problem was found.
    public var code: Code
    /// The absolute byte offset (the reader's `baseOffset` plus its position) at which the
    /// problem was found; for a value that could not be read this is where the value starts.
    public var offset: Int
    /// A human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(code: Code, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "BinaryDecodingError(\(code)) at offset \(offset): \(message)"
    }
}

// Out-of-line constructors keep the throwing paths of inlinable hot code small.
extension BinaryDecodingError {
    @usableFromInline
    @inline(never)
    static func truncated(at offset: Int, needed: Int, available: Int, _ what: String = "value") -> BinaryDecodingError {
        BinaryDecodingError(
            code: .truncated,
            offset: offset,
            message: "\(what) needs \(needed) byte(s) but only \(available) remain"
        )
    }

    @usableFromInline
    @inline(never)
    static func truncated(at offset: Int, _ message: String) -> BinaryDecodingError {
        BinaryDecodingError(code: .truncated, offset: offset, message: message)
    }

    @usableFromInline
    @inline(never)
    static func varintOverflow(at offset: Int, _ message: String) -> BinaryDecodingError {
        BinaryDecodingError(code: .varintOverflow, offset: offset, message: message)
    }

    @usableFromInline
    @inline(never)
    static func invalidValue(at offset: Int, _ message: String) -> BinaryDecodingError {
        BinaryDecodingError(code: .invalidValue, offset: offset, message: message)
    }

    @usableFromInline
    @inline(never)
    static func lengthOutOfRange(at offset: Int, _ message: String) -> BinaryDecodingError {
        BinaryDecodingError(code: .lengthOutOfRange, offset: offset, message: message)
    }

    @usableFromInline
    @inline(never)
    static func nestingTooDeep(at offset: Int, limit: Int) -> BinaryDecodingError {
        BinaryDecodingError(code: .nestingTooDeep, offset: offset, message: "nesting deeper than \(limit) levels")
    }
}
