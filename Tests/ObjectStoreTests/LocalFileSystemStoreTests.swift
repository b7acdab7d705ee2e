import Foundation
@testable import ObjectStore
import Testing
import TestSupport

/// Behaviour specific to the local directory store.
@Suite struct LocalFileSystemStoreTests {
    @Test func createsTheRootAndResolvesIt() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory + "/a/b/../c")
            #expect(store.root.hasSuffix("/a/c"))
            #expect(!store.root.contains(".."))
            #expect(store.rootDescription == "file://" + store.root)
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: directory + "/a/c", isDirectory: &isDirectory) && isDirectory.boolValue)
            try await store.put(path("x/y.json"), [1], mode: .overwrite)
            #expect(FileManager.default.contents(atPath: directory + "/a/c/x/y.json") == Data([1]))
            #expect(store.filePath(of: path("x/y.json")) == store.root + "/x/y.json")
        }
    }

    @Test func rootThatIsAFileIsRejected() async throws {
        try await withScratchDirectory { directory in
            _ = FileManager.default.createFile(atPath: directory + "/file", contents: Data([1]))
            await expectStoreError(.io) { try LocalFileSystemStore(root: directory + "/file") }
            await expectStoreError(.invalidArgument) { try LocalFileSystemStore(root: "") }
        }
    }

    @Test func temporariesAreNeverListed() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            try await store.put(path("t/real"), [1], mode: .overwrite)
            // Leftovers of a crashed writer.
            _ = FileManager.default.createFile(atPath: directory + "/.tmp-123-abc", contents: Data([9]))
            _ = FileManager.default.createFile(atPath: directory + "/t/.tmp-456-def", contents: Data([9]))
            #expect(try await store.listAll(prefix: "").map(\.path.rawValue) == ["t/real"])
            #expect(try await store.listAll(prefix: "t/.tmp").isEmpty)
            #expect(try await store.listAll(prefix: "", startAfter: path(".tmp-0")).map(\.path.rawValue) == ["t/real"])
            // The names are reserved for writes.
            await expectStoreError(.invalidPath) { try await store.put(path("t/.tmp-mine"), [1], mode: .overwrite) }
            await expectStoreError(.invalidPath) { try await store.put(path(".tmp-x"), [1], mode: .createOnly) }
            // Byte-wise check: a combining mark after the dash does not hide the reserved prefix.
            await expectStoreError(.invalidPath) { try await store.put(path(".tmp-\u{301}x"), [1], mode: .overwrite) }
            // Successful puts leave no temporary behind.
            try await store.put(path("t/real"), [2], mode: .overwrite)
            try await store.put(path("t/new"), [3], mode: .createOnly)
            await expectStoreError(.alreadyExists) { try await store.put(path("t/new"), [4], mode: .createOnly) }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/t").sorted()
            #expect(files == [".tmp-456-def", "new", "real"])
        }
    }

    @Test func symlinksAndSpecialFilesAreNotListed() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory + "/root")
            try await store.put(path("data/a"), [1], mode: .overwrite)
            try FileManager.default.createDirectory(atPath: directory + "/outside", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: directory + "/outside/secret", contents: Data([7]))
            try FileManager.default.createSymbolicLink(atPath: directory + "/root/data/link-file", withDestinationPath: directory + "/outside/secret")
            try FileManager.default.createSymbolicLink(atPath: directory + "/root/linked-dir", withDestinationPath: directory + "/outside")
            #expect(mkfifo(directory + "/root/data/fifo", 0o644) == 0)
            #expect(try await store.listAll(prefix: "").map(\.path.rawValue) == ["data/a"])
            #expect(try await store.listAll(prefix: "linked-dir/").isEmpty)
        }
    }

    /// Writes refuse to go through a symlink that leads outside the root; reads follow links.
    @Test func writesDoNotEscapeThroughSymlinks() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory + "/root")
            try FileManager.default.createDirectory(atPath: directory + "/outside", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: directory + "/outside/secret", contents: Data([7]))
            try FileManager.default.createSymbolicLink(atPath: directory + "/root/escape", withDestinationPath: directory + "/outside")

            await expectStoreError(.invalidPath) { try await store.put(path("escape/new"), [1], mode: .overwrite) }
            await expectStoreError(.invalidPath) { try await store.put(path("escape/new"), [1], mode: .createOnly) }
            await expectStoreError(.invalidPath) { try await store.put(path("escape/deeper/new"), [1], mode: .overwrite) }
            await expectStoreError(.invalidPath) { try await store.delete(path("escape/secret")) }
            let outside = try FileManager.default.contentsOfDirectory(atPath: directory + "/outside")
            #expect(outside == ["secret"])  // nothing created, nothing deleted

            // Reading through the link is allowed (documented).
            #expect(try await store.get(path("escape/secret")) == [7])

            // A link that stays inside the root is fine for writes.
            try await store.put(path("real/x"), [1], mode: .overwrite)
            try FileManager.default.createSymbolicLink(atPath: directory + "/root/alias", withDestinationPath: directory + "/root/real")
            try await store.put(path("alias/y"), [2], mode: .overwrite)
            #expect(try await store.get(path("real/y")) == [2])
        }
    }

    @Test func fileInTheWayOfADirectoryIsAnIOError() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            try await store.put(path("a"), [1], mode: .overwrite)
            await expectStoreError(.io) { try await store.put(path("a/b"), [2], mode: .overwrite) }
            await expectStoreError(.io) { try await store.put(path("a/b/c"), [2], mode: .overwrite) }
            #expect(try await store.head(path("a/b")) == nil)
            await expectStoreError(.notFound) { try await store.get(path("a/b")) }
            try await store.delete(path("a/b"))
            try await store.put(path("d/e"), [1], mode: .overwrite)
            await expectStoreError(.io) { try await store.put(path("d"), [2], mode: .overwrite) }
            await expectStoreError(.alreadyExists) { try await store.put(path("d"), [2], mode: .createOnly) }
        }
    }

    @Test func errorsNameThePathAndTheSystemMessage() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            let error = await expectStoreError(.notFound) { try await store.get(path("missing/file.json")) }
            #expect(error?.path == "missing/file.json")
            #expect(error?.message.contains(directory) == true)
            #expect(error?.message.contains("No such file or directory") == true)
            #expect(error?.description.hasPrefix("missing/file.json: not found: open(") == true)
            let long = String(repeating: "x", count: 300)
            await expectStoreError(.invalidPath) { try await store.put(path(long), [1], mode: .overwrite) }
        }
    }

    @Test func listingLimitOfIntMaxDoesNotOverflow() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            try await store.put(path("a"), [1], mode: .overwrite)
            let page = try await store.list(prefix: "", startAfter: nil, limit: .max)
            #expect(page.objects.map(\.path.rawValue) == ["a"])
            #expect(page.nextStartAfter == nil)
        }
    }

    @Test func errnoMapping() {
        #expect(SystemCalls.code(forErrno: ENOENT) == .notFound)
        #expect(SystemCalls.code(forErrno: ENOTDIR) == .notFound)
        #expect(SystemCalls.code(forErrno: EACCES) == .permissionDenied)
        #expect(SystemCalls.code(forErrno: EPERM) == .permissionDenied)
        #expect(SystemCalls.code(forErrno: EEXIST) == .alreadyExists)
        #expect(SystemCalls.code(forErrno: ENAMETOOLONG) == .invalidPath)
        #expect(SystemCalls.code(forErrno: EIO) == .io)
        #expect(SystemCalls.code(forErrno: ENOSPC) == .io)
        let error = SystemCalls.error("open", "/x/y", objectPath: "y", errno: EACCES)
        #expect(error.code == .permissionDenied)
        #expect(error.message == "open(/x/y) failed: Permission denied (errno \(EACCES))")
    }

    @Test func headReportsSizeTimeAndAVersionThatChanges() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            let name = path("h")
            try await store.put(name, [1, 2, 3], mode: .overwrite)
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/h")
            let metadata = try #require(try await store.head(name))
            #expect(metadata.size == 3)
            let modified = try #require(attributes[.modificationDate] as? Date)
            #expect(abs(Double(metadata.lastModifiedMillis) - modified.timeIntervalSince1970 * 1000) < 1.5)
            let inode = try #require(attributes[.systemFileNumber] as? Int)
            #expect(metadata.version?.hasPrefix("\(inode)-") == true)
            // The listing reports the same metadata as head.
            #expect(try await store.listAll(prefix: "") == [metadata])
            try await store.put(name, [4], mode: .overwrite)
            #expect(try await store.head(name)?.version != metadata.version)
        }
    }

    /// Separate store instances on one root (as separate processes would be) racing to create the
    /// same object: exactly one wins, the others get alreadyExists, and the file holds the
    /// winner's complete bytes.
    @Test func createOnlyRaceAcrossInstances() async throws {
        try await withScratchDirectory { directory in
            for round in 0..<5 {
                let name = path("_delta_log/\(round).json")
                let outcomes = await withTaskGroup(of: (Int, ObjectStoreError?).self) { group in
                    for writer in 0..<20 {
                        group.addTask {
                            do throws(ObjectStoreError) {
                                let store = try LocalFileSystemStore(root: directory)
                                try await store.put(name, testBytes(count: 256 * 1024 + writer, seed: UInt64(writer)), mode: .createOnly)
                                return (writer, nil)
                            } catch {
                                return (writer, error)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.filter { $0.1 == nil }.map(\.0)
                try #require(winners.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.allSatisfy { $0.1 == nil || $0.1?.code == .alreadyExists })
                let written = try #require(FileManager.default.contents(atPath: directory + "/" + name.rawValue))
                #expect(Array(written) == testBytes(count: 256 * 1024 + winners[0], seed: UInt64(winners[0])))
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory + "/_delta_log").filter { $0.hasPrefix(".tmp-") }
            #expect(leftovers.isEmpty)
        }
    }

    /// Readers racing with overwriters always see one complete version, never a mix or a prefix.
    @Test func overwriteIsAtomicForReaders() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            let name = path("state.json")
            let size = 128 * 1024
            try await store.put(name, [UInt8](repeating: 0, count: size), mode: .overwrite)
            let torn = await withTaskGroup(of: Int.self) { group in
                group.addTask {
                    for version in 1...30 {
                        try? await store.put(name, [UInt8](repeating: UInt8(version), count: size), mode: .overwrite)
                    }
                    return 0
                }
                group.addTask {
                    var torn = 0
                    for _ in 0..<200 {
                        guard let bytes = try? await store.get(name) else { torn += 1; continue }
                        if bytes.count != size || bytes.contains(where: { $0 != bytes[0] }) { torn += 1 }
                    }
                    return torn
                }
                return await group.reduce(0, +)
            }
            #expect(torn == 0)
            #expect(try await store.get(name) == [UInt8](repeating: 30, count: size))
        }
    }

    /// A large flat directory listed page by page, with its sorted entries remembered between pages
    /// once it has settled, and the memory dropped as soon as the directory changes.
    @Test func largeDirectoryListingAndCacheInvalidation() async throws {
        try await withScratchDirectory { directory in
            let store = try LocalFileSystemStore(root: directory)
            let folder = directory + "/big"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let count = 20_000
            var names: [String] = []
            for i in 0..<count {
                let name = "f-\(String(i * 7919 % count, radix: 36))"
                names.append("big/" + name)
                let descriptor = open(folder + "/" + name, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
                try #require(descriptor >= 0)
                close(descriptor)
            }
            let expected = sortedByBytes(names)
            // Fresh directory: not remembered (it changed less than the settle time ago).
            #expect(try await store.listAll(prefix: "big/", pageSize: 1000).map(\.path.rawValue) == expected)

            // Age the directory so its listing may be remembered.
            try setModificationTime(of: folder, secondsAgo: 3600)
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                let listed = try await store.listAll(prefix: "big/", pageSize: 1000).map(\.path.rawValue)
                #expect(listed == expected)
            }
            print("listing \(count) files in pages of 1000 took \(elapsed)")
            #expect(try await store.listAll(prefix: "big/f-1", pageSize: 250).map(\.path.rawValue) == expected.filter { $0.hasPrefix("big/f-1") })

            // A new file changes the directory's time: the next listing sees it.
            try await store.put(path("big/f-new"), [1], mode: .createOnly)
            let after = try await store.listAll(prefix: "big/", pageSize: 1000).map(\.path.rawValue)
            #expect(after == sortedByBytes(names + ["big/f-new"]))
            // And a deleted one disappears (delete after re-aging so the memory was in use).
            try setModificationTime(of: folder, secondsAgo: 3600)
            _ = try await store.list(prefix: "big/", startAfter: nil, limit: 10)
            try await store.delete(path(expected[0]))
            #expect(try await store.list(prefix: "big/", startAfter: nil, limit: 1).objects.first?.path.rawValue == expected[1])
        }
    }

    private func setModificationTime(of directory: String, secondsAgo: Int) throws {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var times = [timespec(tv_sec: now.tv_sec - secondsAgo, tv_nsec: 0), timespec(tv_sec: now.tv_sec - secondsAgo, tv_nsec: 0)]
        try #require(utimensat(AT_FDCWD, directory, &times, 0) == 0)
    }
}
