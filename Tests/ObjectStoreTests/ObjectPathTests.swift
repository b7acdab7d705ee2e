import ObjectStore
import Testing
import TestSupport

@Suite struct ObjectPathTests {
    @Test(arguments: ["../x", "a//b", "/abs", "", "a/./b", "a/", "a/..", "..", ".", "x/../y", "a\u{0}b", "a/b/", "//"])
    func invalidPathsAreRejected(raw: String) {
        #expect {
            try ObjectPath(raw)
        } throws: { error in
            (error as? ObjectStoreError)?.code == .invalidPath
        }
    }

    @Test(arguments: ["a", "a/b/c", "...", "a/.hidden", "..a", "a..", "日本/語", "a b", ".tmp-ok-in-memory"])
    func validPathsAreAccepted(raw: String) throws {
        #expect(try ObjectPath(raw).rawValue == raw)
    }

    @Test func appendingValidates() throws {
        let base = try ObjectPath("tables/t1")
        #expect(try base.appending("_delta_log/0.json").rawValue == "tables/t1/_delta_log/0.json")
        #expect(throws: ObjectStoreError.self) { try base.appending("../escape") }
        #expect(throws: ObjectStoreError.self) { try base.appending("") }
    }

    /// Equality and hashing are byte-wise, like the order: the two spellings of "é" are different
    /// paths (Swift's String == would call them equal).
    @Test func equalityIsBytewise() throws {
        let composed = try ObjectPath("\u{E9}")
        let decomposed = try ObjectPath("e\u{301}")
        #expect("\u{E9}" == "e\u{301}")  // what String does
        #expect(composed != decomposed)
        #expect(decomposed < composed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(try ObjectPath("a/b") == ObjectPath("a/b"))
        #expect(try ObjectPath("a/b").hashValue == ObjectPath("a/b").hashValue)
    }

    @Test func orderIsBytewise() throws {
        let names = ["a/b", "a-b", "a0", "a.b", "Z", "é", "z"]
        let sorted = try names.map(ObjectPath.init).sorted().map(\.rawValue)
        #expect(sorted == ["Z", "a-b", "a.b", "a/b", "a0", "z", "é"])
    }
}
