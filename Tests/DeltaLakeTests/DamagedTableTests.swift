import Columnar
@testable import DeltaLake
import ObjectStore
import Testing
import TestSupport

/// Damaged logs give typed errors naming the file.
@Suite struct DamagedTableTests {
    @Test func missingCommitInTheSequence() async throws {
        let store = try await LogReplayTests.store()
        try await store.delete(try DeltaLogLayout(root: "tables/t").commitPath(2))
        let table = DeltaTable(store: store, root: "tables/t")
        #expect(try await table.snapshot(version: 1).addFiles.count == 2)
        do {
            _ = try await table.snapshot()
            Issue.record("expected missingCommit")
        } catch {
            #expect(error.code == .missingCommit)
            #expect(error.path == "tables/t/_delta_log/00000000000000000002.json")
            #expect(error.description.contains("commit 2 is missing"))
        }
    }

    @Test func missingFirstCommitWithoutCheckpoint() async throws {
        let store = try await LogReplayTests.store()
        try await store.delete(try DeltaLogLayout(root: "tables/t").commitPath(0))
        do {
            _ = try await DeltaTable(store: store, root: "tables/t").snapshot()
            Issue.record("expected missingCommit")
        } catch { #expect(error.code == .missingCommit) }
    }

    @Test func nonJSONLine() async throws {
        var commits = LogReplayTests.commits
        commits[3].insert("this is not json", at: 2)
        let table = DeltaTable(store: try await LogReplayTests.store(commits), root: "tables/t")
        #expect(try await table.snapshot(version: 2).version == 2)
        do {
            _ = try await table.snapshot()
            Issue.record("expected invalidJSON")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.path == "tables/t/_delta_log/00000000000000000003.json")
            #expect(error.line == 3)
        }
    }

    @Test func unknownReaderFeatureIsRefused() async throws {
        var commits = LogReplayTests.commits
        commits[0][1] = #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors","timestampNtz"],"writerFeatures":["deletionVectors"]}}"#
        let store = try await LogReplayTests.store(commits)
        do {
            _ = try await DeltaTable(store: store, root: "tables/t").snapshot()
            Issue.record("expected unsupportedReaderFeature")
        } catch {
            #expect(error.code == .unsupportedReaderFeature)
            #expect(error.message.contains("deletionVectors"))
        }
    }

    @Test func unknownWriterFeatureRefusesWrites() async throws {
        var commits = LogReplayTests.commits
        commits[0][1] = #"{"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["rowTracking","domainMetadata"]}}"#
        let table = DeltaTable(store: try await LogReplayTests.store(commits), root: "tables/t")
        #expect(try await table.snapshot().addFiles.count == 2)  // still readable
        let batch = try RecordBatch(schema: Schema([Field("id", .int64)]), rows: [[.integer(1)]])
        do {
            try await table.append([batch])
            Issue.record("expected unsupportedWriterFeature")
        } catch {
            #expect(error.code == .unsupportedWriterFeature)
            #expect(error.message.contains("rowTracking"))
        }
    }

    @Test func truncatedCheckpoint() async throws {
        let store = try await LogReplayTests.store()
        let table = DeltaTable(store: store, root: "tables/t")
        try await table.writeCheckpoint(version: 3)
        let path = try DeltaLogLayout(root: "tables/t").checkpointPath(3)
        let bytes = try await store.get(path)
        try await store.put(path, Array(bytes.prefix(bytes.count / 2)), mode: .overwrite)
        do {
            _ = try await table.snapshot()
            Issue.record("expected corruptCheckpoint")
        } catch {
            #expect(error.code == .corruptCheckpoint)
            #expect(error.path == path.rawValue)
            #expect(error.underlying?.contains(path.rawValue) == true)  // the ParquetError names the file
        }
    }
}
