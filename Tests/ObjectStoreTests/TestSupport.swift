import Foundation
import ObjectStore
import Testing
import TestSupport

/// The stores the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local
    case memory
    /// A `PrefixedObjectStore` over memory, with decoy objects beside its prefix.
    case prefixedMemory
    /// A `PrefixedObjectStore` over a local directory, with decoy objects beside its prefix.
    case prefixedLocal

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind (a scratch directory for local ones,
    /// removed afterwards).
    func withStore<T>(_ body: (any ObjectStore) async throws -> T) async throws -> T {
        switch self {
        case .memory:
            return try await body(InMemoryObjectStore())
        case .local:
            return try await withScratchDirectory { directory in
                try await body(try LocalFileSystemStore(root: directory + "/store"))
            }
        case .prefixedMemory:
            let base = InMemoryObjectStore()
            try await Self.addDecoys(to: base)
            return try await body(PrefixedObjectStore(base: base, prefix: try ObjectPath("tables/t1")))
        case .prefixedLocal:
            return try await withScratchDirectory { directory in
                let base = try LocalFileSystemStore(root: directory)
                try await Self.addDecoys(to: base)
                return try await body(PrefixedObjectStore(base: base, prefix: try ObjectPath("tables/t1")))
            }
        }
    }

    /// Objects next to `tables/t1` that sort right before and after everything under it.
    private static func addDecoys(to base: any ObjectStore) async throws {
        for name in ["tables/t", "tables/t1-x", "tables/t1.a", "tables/t10", "tables/t2/x", "table", "z"] {
            try await base.put(try ObjectPath(name), Array(name.utf8), mode: .overwrite)
        }
    }
}

/// A scratch directory under the system temporary directory, removed at the end of the scope.
func withScratchDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dsd-objectstore-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}

/// `ObjectPath` from a literal known to be valid.
func path(_ raw: String) -> ObjectPath {
    do { return try ObjectPath(raw) } catch { fatalError("invalid test path \(raw): \(error)") }
}

/// The independent ordering oracle: unsigned byte-wise comparison of UTF-8, written out by hand.
func sortedByBytes(_ names: [String]) -> [String] {
    names.sorted { lhs, rhs in
        let l = Array(lhs.utf8)
        let r = Array(rhs.utf8)
        for i in 0..<min(l.count, r.count) where l[i] != r[i] { return l[i] < r[i] }
        return l.count < r.count
    }
}

/// Expects `body` to throw an ObjectStoreError with `code`; returns it.
@discardableResult
func expectStoreError<T>(
    _ code: ObjectStoreError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> ObjectStoreError? {
    do {
        _ = try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as ObjectStoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected ObjectStoreError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Deterministic test bytes.
func testBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
