import BinaryCoding
import Testing

/// A small deterministic generator (SplitMix64) so randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

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
