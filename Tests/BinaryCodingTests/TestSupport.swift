import BinaryCoding
import Testing
import TestSupport

/// Runs `body` and returns the `BinaryDecodingError` it threw, or `nil` if it succeeded.
/// Any other error is recorded as a test failure.
func decodingError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> BinaryDecodingError? {
    do {
        try body()
        return nil
    } catch let error as BinaryDecodingError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects `body` to throw a `BinaryDecodingError` with `code`.
func expectDecodingError(
    _ code: BinaryDecodingError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    let error = decodingError(sourceLocation: sourceLocation, body)
    #expect(error?.code == code, "expected \(code), got \(error.map { "\($0)" } ?? "success")", sourceLocation: sourceLocation)
}

extension Array where Element == UInt8 {
    /// Runs `body` with a `ByteReader` over the array.
    func withReader<R>(baseOffset: Int = 0, _ body: (inout ByteReader) throws -> R) rethrows -> R {
        try withUnsafeBytes { raw in
            var reader = ByteReader(raw, baseOffset: baseOffset)
            return try body(&reader)
        }
    }
}

func bytes(_ string: String) -> [UInt8] {
    Array(string.utf8)
}
