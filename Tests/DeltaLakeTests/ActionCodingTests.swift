@testable import DeltaLake
import JSONCoding
import Testing
import TestSupport

@Suite struct ActionCodingTests {
    /// Lines as Spark and delta-rs write them (field order, nulls, extra fields).
    static let sparkLines = [
        #"{"commitInfo":{"timestamp":1700000000000,"operation":"WRITE","operationParameters":{"mode":"Append","partitionBy":"[]"},"isBlindAppend":true}}"#,
        #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz"],"writerFeatures":["timestampNtz","appendOnly"]}}"#,
        #"{"metaData":{"id":"b2140d79","name":null,"description":null,"format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],"createdTime":1795570076427,"configuration":{"delta.appendOnly":"true"}}}"#,
        #"{"add":{"path":"part-00000-1a7c.snappy.parquet","partitionValues":{"p":null,"q":"1"},"size":734,"modificationTime":1795570076488,"dataChange":true,"stats":"{\"numRecords\":2}","tags":null,"baseRowId":7,"defaultRowCommitVersion":null}}"#,
        #"{"remove":{"path":"a%20b.parquet","deletionTimestamp":1700000000001,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{},"size":10}}"#,
        #"{"txn":{"appId":"stream-1","version":42,"lastUpdated":1700000000002}}"#,
        #"{"domainMetadata":{"domain":"delta.rowTracking","configuration":"{\"rowIdHighWaterMark\":3}","removed":false}}"#,
        #"{"cdc":{"path":"_change_data/x.parquet","partitionValues":{},"size":1,"dataChange":false}}"#,
    ]

    @Test func decodesEveryActionType() throws {
        let actions = try DeltaLogReader.parseCommit(Array(Self.sparkLines.joined(separator: "\n").utf8), path: "x.json")
        #expect(actions.count == 8)
        guard case .commitInfo(let info) = actions[0] else { Issue.record("not commitInfo"); return }
        #expect(info["operation"]?.stringValue == "WRITE")
        #expect(actions[1] == .protocol(DeltaProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: ["timestampNtz", "appendOnly"])))
        guard case .metadata(let metadata) = actions[2] else { Issue.record("not metaData"); return }
        #expect(metadata.id == "b2140d79" && metadata.name == nil && metadata.configuration == ["delta.appendOnly": "true"] && metadata.createdTime == 1795570076427)
        guard case .add(let add) = actions[3] else { Issue.record("not add"); return }
        let expectedValues: [String: String?] = ["p": nil, "q": "1"]
        #expect(add.partitionValues == expectedValues)
        #expect(add.size == 734 && add.stats == #"{"numRecords":2}"# && add.tags == nil && add.otherFields == ["baseRowId": .number("7")])
        #expect(actions[4] == .remove(DeltaRemoveFile(path: "a%20b.parquet", deletionTimestamp: 1700000000001, dataChange: true, extendedFileMetadata: true, partitionValues: [:], size: 10)))
        #expect(actions[5] == .transaction(DeltaTransaction(appId: "stream-1", version: 42, lastUpdated: 1700000000002)))
        #expect(actions[6] == .domainMetadata(DeltaDomainMetadata(domain: "delta.rowTracking", configuration: #"{"rowIdHighWaterMark":3}"#)))
        guard case .unknown(let raw) = actions[7] else { Issue.record("cdc should be unknown"); return }
        #expect(raw["cdc"]?["size"] == .number("1"))
    }

    @Test func encodingRoundTrips() throws {
        let actions = try DeltaLogReader.parseCommit(Array(Self.sparkLines.joined(separator: "\n").utf8), path: "x.json")
        let encoded = actions.map { $0.json.serialized }.joined(separator: "\n")
        #expect(try DeltaLogReader.parseCommit(Array(encoded.utf8), path: "y.json") == actions)
        // Exact text of a written add line.
        let add = DeltaAction.add(DeltaAddFile(path: "p.parquet", size: 5, modificationTime: 6, stats: "{}"))
        #expect(add.json.serialized == #"{"add":{"path":"p.parquet","partitionValues":{},"size":5,"modificationTime":6,"dataChange":true,"stats":"{}"}}"#)
    }

    @Test(arguments: [
        (#"{"add":{"path":"x","size":1,"dataChange":true}}"#, "modificationTime"),
        (#"{"add":{"path":1,"size":1,"modificationTime":1}}"#, "path"),
        (#"{"protocol":{"minReaderVersion":"1","minWriterVersion":2}}"#, "minReaderVersion"),
        (#"{"txn":{"appId":"a"}}"#, "version"),
        (#"[1]"#, "object"),
    ])
    func rejectsMalformedActions(_ line: String, _ mentioned: String) {
        do {
            _ = try DeltaLogReader.parseCommit(Array(("\n" + line).utf8), path: "_delta_log/00000000000000000003.json")
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.code == .invalidAction)
            #expect(error.line == 2 && error.path == "_delta_log/00000000000000000003.json")
            #expect(error.description.contains(mentioned))
        }
    }
}
