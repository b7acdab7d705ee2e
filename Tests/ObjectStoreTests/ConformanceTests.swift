import ObjectStore
import Testing
import TestSupport

/// The behaviour every ObjectStore must share, run against each store kind.
@Suite struct ConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func roundTrips(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let cases: [(String, [UInt8])] = [
                ("empty", []),
                ("one", [42]),
                ("all-bytes", (0...255).map { UInt8($0) }),
                ("deep/er/path/big.bin", testBytes(count: 1 << 20, seed: 7)),
            ]
            for (name, bytes) in cases {
                try await store.put(path(name), bytes, mode: .overwrite)
            }
            for (name, bytes) in cases {
                let read = try await store.get(path(name))
                #expect(read == bytes, "\(name)")
                let metadata = try #require(try await store.head(path(name)))
                #expect(metadata.path == path(name))
                #expect(metadata.size == bytes.count)
                #expect(metadata.version != nil)
                #expect(metadata.lastModifiedMillis > 1_700_000_000_000)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func overwriteReplaces(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let name = path("x/y")
            try await store.put(name, Array("first version, longer".utf8), mode: .overwrite)
            let before = try #require(try await store.head(name))
            try await store.put(name, Array("second".utf8), mode: .overwrite)
            let after = try #require(try await store.head(name))
            #expect(try await store.get(name) == Array("second".utf8))
            #expect(after.size == 6)
            #expect(before.version != after.version)
            #expect(try await store.listAll(prefix: "").map(\.path) == [name])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func createOnlyConflicts(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let name = path("_delta_log/00000000000000000000.json")
            try await store.put(name, Array("winner".utf8), mode: .createOnly)
            await expectStoreError(.alreadyExists) { try await store.put(name, Array("loser".utf8), mode: .createOnly) }
            #expect(try await store.get(name) == Array("winner".utf8))
            // Overwrite still works on an existing object, and createOnly works again after delete.
            try await store.put(name, Array("replaced".utf8), mode: .overwrite)
            #expect(try await store.get(name) == Array("replaced".utf8))
            try await store.delete(name)
            try await store.put(name, Array("again".utf8), mode: .createOnly)
            #expect(try await store.get(name) == Array("again".utf8))
            #expect(try await store.listAll(prefix: "").count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentCreateOnlyHasOneWinner(kind: StoreKind) async throws {
        try await kind.withStore { (store: any ObjectStore) async throws in
            let name = path("race/commit.json")
            let outcomes = await withTaskGroup(of: (Int, ObjectStoreError?).self) { group in
                for writer in 0..<20 {
                    group.addTask {
                        do throws(ObjectStoreError) {
                            try await store.put(name, testBytes(count: 4096, seed: UInt64(writer)), mode: .createOnly)
                            return (writer, nil)
                        } catch {
                            return (writer, error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.filter { $0.1 == nil }.map(\.0)
            #expect(winners.count == 1)
            #expect(outcomes.allSatisfy { $0.1 == nil || $0.1?.code == .alreadyExists })
            if let winner = winners.first {
                #expect(try await store.get(name) == testBytes(count: 4096, seed: UInt64(winner)))
            }
            #expect(try await store.listAll(prefix: "").map(\.path) == [name])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ranges(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let name = path("r")
            let bytes = (0..<100).map { UInt8($0) }
            try await store.put(name, bytes, mode: .overwrite)
            #expect(try await store.get(name, range: 10..<20) == Array(10..<20))
            #expect(try await store.get(name, range: 0..<100) == bytes)
            #expect(try await store.get(name, range: 0..<1) == [0])
            #expect(try await store.get(name, range: 99..<100) == [99])
            #expect(try await store.get(name, range: 90..<150) == Array(90..<100))
            #expect(try await store.get(name, range: 0..<Int.max) == bytes)
            #expect(try await store.get(name, range: 100..<110) == [])
            #expect(try await store.get(name, range: 500..<600) == [])
            #expect(try await store.get(name, range: 50..<50) == [])
            await expectStoreError(.invalidArgument) { try await store.get(name, range: -1..<5) }
            await expectStoreError(.notFound) { try await store.get(path("missing"), range: 0..<5) }
            try await store.put(path("empty"), [], mode: .overwrite)
            #expect(try await store.get(path("empty"), range: 0..<5) == [])
        }
    }

    /// Names whose byte-wise order differs from naive or Unicode-aware orders. Both spellings of
    /// "é" are distinct objects. (A directory cannot hold both `a/b` and `a/b/c`, so none does.)
    static let trickyNames = [
        "a/b/c", "a/b/d/e", "a/bc", "a/b-c", "a/b.c", "a/b0", "a/b/c~", "a-b", "a.b", "a0", "ab",
        "Z", "z", "\u{E9}", "e\u{301}", "日本/語", "a b/c d",
    ]

    /// The same names in byte-wise order, written out by hand.
    static let trickyNamesInOrder = [
        "Z", "a b/c d", "a-b", "a.b", "a/b-c", "a/b.c", "a/b/c", "a/b/c~", "a/b/d/e", "a/b0", "a/bc", "a0", "ab",
        "e\u{301}", "z", "\u{E9}", "日本/語",
    ]

    @Test(arguments: StoreKind.allCases)
    func listingOrder(kind: StoreKind) async throws {
        #expect(sortedByBytes(Self.trickyNames) == Self.trickyNamesInOrder)  // the two oracles agree
        try await kind.withStore { store in
            for name in Self.trickyNames.reversed() {
                try await store.put(path(name), Array(name.utf8), mode: .overwrite)
            }
            let listed = try await store.listAll(prefix: "")
            #expect(listed.map(\.path.rawValue) == Self.trickyNamesInOrder)
            #expect(listed.map(\.size) == Self.trickyNamesInOrder.map(\.utf8.count))
            // Every page size gives the same sequence.
            for pageSize in [1, 2, 3, 5, 16, 17] {
                #expect(try await store.listAll(prefix: "", pageSize: pageSize).map(\.path.rawValue) == Self.trickyNamesInOrder, "page size \(pageSize)")
            }
            #expect(try await store.get(path("\u{E9}")) == Array("\u{E9}".utf8))
            #expect(try await store.get(path("e\u{301}")) == Array("e\u{301}".utf8))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func prefixSemantics(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for name in Self.trickyNames {
                try await store.put(path(name), Array(name.utf8), mode: .overwrite)
            }
            func names(_ prefix: String, after: String? = nil) async throws -> [String] {
                try await store.listAll(prefix: prefix, startAfter: after.map(path), pageSize: 2).map(\.path.rawValue)
            }
            #expect(try await names("a/b") == ["a/b-c", "a/b.c", "a/b/c", "a/b/c~", "a/b/d/e", "a/b0", "a/bc"])
            #expect(try await names("a/b/") == ["a/b/c", "a/b/c~", "a/b/d/e"])
            #expect(try await names("a/b/c") == ["a/b/c", "a/b/c~"])
            #expect(try await names("a/b/d/e") == ["a/b/d/e"])
            #expect(try await names("a/b/d/e/") == [])
            #expect(try await names("a") == ["a b/c d", "a-b", "a.b", "a/b-c", "a/b.c", "a/b/c", "a/b/c~", "a/b/d/e", "a/b0", "a/bc", "a0", "ab"])
            #expect(try await names("e") == ["e\u{301}"])
            #expect(try await names("\u{E9}") == ["\u{E9}"])
            #expect(try await names("日本/") == ["日本/語"])
            #expect(try await names("日") == ["日本/語"])
            for nothing in ["nothing", "a//", "../", "./a", "a/./", "/a", "a/b/c/", "zz"] {
                #expect(try await names(nothing) == [], "\(nothing)")
            }
            // startAfter need not exist, nor lie under the prefix.
            #expect(try await names("a/b", after: "a/b/c") == ["a/b/c~", "a/b/d/e", "a/b0", "a/bc"])
            #expect(try await names("a/b", after: "a/b/c/zzz") == ["a/b/c~", "a/b/d/e", "a/b0", "a/bc"])
            #expect(try await names("a/b", after: "a/b/d") == ["a/b/d/e", "a/b0", "a/bc"])
            #expect(try await names("a/b", after: "a/b/d/e") == ["a/b0", "a/bc"])
            #expect(try await names("a/b", after: "0") == ["a/b-c", "a/b.c", "a/b/c", "a/b/c~", "a/b/d/e", "a/b0", "a/bc"])
            #expect(try await names("a/b", after: "b") == [])
            #expect(try await names("", after: "ab") == ["e\u{301}", "z", "\u{E9}", "日本/語"])
            #expect(try await names("", after: "日本/語") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pagingOverManyObjects(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let names = (0..<2500).map { i in i % 5 == 0 ? "p/obj-\(i)" : "p/\(i % 7)/sub\(i % 3)/obj-\(i)" }
            for name in names {
                try await store.put(path(name), [UInt8(truncatingIfNeeded: name.utf8.count)], mode: .createOnly)
            }
            let expected = sortedByBytes(names)
            var pages: [[String]] = []
            var position: ObjectPath?
            repeat {
                let page = try await store.list(prefix: "p/", startAfter: position, limit: 100)
                pages.append(page.objects.map(\.path.rawValue))
                if let next = page.nextStartAfter { #expect(next == page.objects.last?.path) }
                position = page.nextStartAfter
            } while position != nil && pages.count < 100
            #expect(pages.count == 25)
            #expect(pages.allSatisfy { $0.count == 100 })
            #expect(pages.flatMap { $0 } == expected)

            let underThree = expected.filter { $0.hasPrefix("p/3/") }
            #expect(try await store.listAll(prefix: "p/3/", pageSize: 100).map(\.path.rawValue) == underThree)
            // Resuming from the middle of a subtree.
            let middle = underThree[underThree.count / 2]
            #expect(try await store.listAll(prefix: "p/", startAfter: path(middle), pageSize: 100).map(\.path.rawValue) == Array(expected.drop { $0 != middle }.dropFirst()))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteIsIdempotent(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let name = path("d/x")
            try await store.delete(name)
            try await store.delete(path("never/existed/at/all"))
            try await store.put(name, [1, 2, 3], mode: .overwrite)
            try await store.put(path("d/y"), [4], mode: .overwrite)
            try await store.delete(name)
            try await store.delete(name)
            #expect(try await store.head(name) == nil)
            await expectStoreError(.notFound) { try await store.get(name) }
            #expect(try await store.listAll(prefix: "").map(\.path) == [path("d/y")])
            // Deleting a "directory" deletes nothing.
            try await store.delete(path("d"))
            #expect(try await store.get(path("d/y")) == [4])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func missingObjects(kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.head(path("nope")) == nil)
            #expect(try await store.head(path("no/such/dir/nope")) == nil)
            let error = await expectStoreError(.notFound) { try await store.get(path("no/such/file")) }
            #expect(error?.path?.hasSuffix("no/such/file") == true)
            try await store.put(path("dir/file"), [1], mode: .overwrite)
            // A "directory" is not an object.
            #expect(try await store.head(path("dir")) == nil)
            await expectStoreError(.notFound) { try await store.get(path("dir")) }
            #expect(try await store.listAll(prefix: "").map(\.path) == [path("dir/file")])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func nonPositiveLimitIsRejected(kind: StoreKind) async throws {
        try await kind.withStore { store in
            await expectStoreError(.invalidArgument) { try await store.list(prefix: "", startAfter: nil, limit: 0) }
            await expectStoreError(.invalidArgument) { try await store.list(prefix: "", startAfter: nil, limit: -3) }
        }
    }
}
