import Datastream
import Testing
import TestSupport

@Suite struct PostgresLSNTests {
    @Test(arguments: [
        ("0/0", UInt64(0)),
        ("FFFFFFFF/FFFFFFFF", UInt64.max),
        ("16/CB002DB0", UInt64(0x16_CB00_2DB0)),
        ("9/FFFFFFFF", UInt64(0x9_FFFF_FFFF)),
        ("0/1", UInt64(1)),
        ("1/0", UInt64(1) << 32),
        ("a/b", UInt64(0xA_0000_000B)),
    ])
    func parses(text: String, value: UInt64) throws {
        #expect(try PostgresLSN.parse(text) == value)
    }

    @Test func numericOrderIsNotTextOrder() throws {
        // As text "9/…" sorts after "16/…"; as positions it is earlier.
        #expect("9/FFFFFFFF" > "16/CB002DB0")
        #expect(try PostgresLSN.parse("9/FFFFFFFF") < PostgresLSN.parse("16/CB002DB0"))
        let events = try EventLines.events([
            EventLines.postgres(ts: "2025-01-01T00:00:00Z", lsn: "16/CB002DB0"),
            EventLines.postgres(ts: "2025-01-01T00:00:00Z", lsn: "9/FFFFFFFF"),
        ])
        #expect(try events.orderKey(at: 1) < events.orderKey(at: 0))
        #expect(events.source(at: 0) == .postgresql)
    }

    @Test(arguments: ["", "16", "16/", "/1", "G/1", "123456789/0", "1/2/3", "-1/0", "1 /0", "0x1/0"])
    func rejectsMalformed(text: String) {
        #expect(throws: DatastreamError.self) { try PostgresLSN.parse(text) }
        do {
            _ = try PostgresLSN.parse(text)
        } catch {
            #expect(error.code == .malformedOrderField)
        }
    }

    @Test func malformedLSNInEventNamesFileAndRow() throws {
        let events = try EventLines.events([
            EventLines.postgres(ts: "2025-01-01T00:00:00Z", lsn: "1/1"),
            EventLines.postgres(ts: "2025-01-01T00:00:00Z", lsn: "16-CB"),
        ], fileName: "pg.jsonl")
        #expect(throws: Never.self) { try events.orderKey(at: 0) }
        do {
            _ = try events.orderKey(at: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedOrderField)
            #expect(error.fileName == "pg.jsonl")
            #expect(error.row == 1)
            #expect(error.description.contains("16-CB"))
        }
    }

    @Test func backfillWithoutLSNPrecedesCDCAtSameTimestamp() throws {
        let events = try EventLines.events([
            EventLines.postgres(ts: "2025-01-01T00:00:00Z", lsn: "0/1"),
            EventLines.postgres(ts: "2025-01-01T00:00:00Z", lsn: nil, method: "postgresql-backfill"),
            EventLines.postgres(ts: "2024-12-31T23:59:59Z", lsn: "FFFFFFFF/FFFFFFFF"),
        ])
        let keys = try (0..<3).map { try events.orderKey(at: $0) }
        #expect(keys[1] < keys[0])
        #expect(keys[2] < keys[1])  // the timestamp comes first
        #expect(keys[1].position == .postgresql(lsn: nil))
    }
}

@Suite struct MySQLOrderTests {
    @Test func logFileNameParsing() throws {
        #expect(try MySQLLogFile.parse("mysql-bin.000010") == MySQLLogFile(baseName: "mysql-bin", sequence: 10))
        #expect(try MySQLLogFile.parse("") == nil)
        #expect(try MySQLLogFile.parse("binlog") == MySQLLogFile(baseName: "binlog", sequence: 0))
        #expect(try MySQLLogFile.parse("mysql-bin.000009")! < MySQLLogFile.parse("mysql-bin.000010")!)
        #expect(try MySQLLogFile.parse("mysql-bin.999999")! < MySQLLogFile.parse("mysql-bin.1000000")!)
        #expect(throws: DatastreamError.self) { try MySQLLogFile.parse("mysql-bin.99999999999999999999999") }
    }

    @Test func tiesBrokenByLogPositionThenRollover() throws {
        let ts = "2024-02-07T08:10:15.000Z"
        let events = try EventLines.events([
            EventLines.mysql(ts: ts, file: "mysql-bin.000010", position: 4),
            EventLines.mysql(ts: ts, file: "mysql-bin.000009", position: 9_999_999),
            EventLines.mysql(ts: ts, file: "mysql-bin.000009", position: 120),
            EventLines.mysql(ts: ts, file: "mysql-bin.000010", position: 4),
        ])
        let keys = try (0..<4).map { try events.orderKey(at: $0) }
        #expect(keys[2] < keys[1])
        #expect(keys[1] < keys[0])  // rollover: a new file beats any position in the old one
        #expect(keys[0] == keys[3])  // a duplicate is equal, never newer
        #expect(!(keys[3] < keys[0]))
    }

    @Test func backfillBeforeCDCAtEqualTimestamp() throws {
        let events = try EventLines.events([
            EventLines.mysql(ts: "2024-02-07T08:10:15Z", file: "mysql-bin.000001", position: 4),
            EventLines.mysql(ts: "2024-02-07T08:10:15Z", file: "", position: 0),
            EventLines.mysql(ts: "2024-02-07T08:10:16Z", file: "", position: 0),
        ])
        let keys = try (0..<3).map { try events.orderKey(at: $0) }
        #expect(keys[1] < keys[0])
        #expect(keys[0] < keys[2])  // a later backfill still wins by timestamp
        #expect(keys[1].position == .mysql(logFile: nil, logPosition: 0))
    }

    @Test func timestampComesFirst() throws {
        let events = try EventLines.events([
            EventLines.mysql(ts: "2024-02-07T08:10:16Z", file: "mysql-bin.000001", position: 4),
            EventLines.mysql(ts: "2024-02-07T08:10:15Z", file: "mysql-bin.000002", position: 4),
        ])
        #expect(try events.orderKey(at: 1) < events.orderKey(at: 0))
    }

    @Test func eventsFromDifferentFilesCompare() throws {
        let first = try EventLines.events([EventLines.mysql(ts: "2024-02-07T08:10:15Z", file: "mysql-bin.000009", position: 500)], fileName: "a.jsonl")
        let second = try EventLines.events([EventLines.mysql(ts: "2024-02-07T08:10:15Z", file: "mysql-bin.000010", position: 4)], fileName: "b.jsonl")
        #expect(try first.orderKey(at: 0) < second.orderKey(at: 0))
        #expect(try Set([first.orderKey(at: 0), second.orderKey(at: 0), first.orderKey(at: 0)]).count == 2)
    }

    @Test func sortKeysFillInWhenMetadataFieldsAreMissing() throws {
        let line = #"{"uuid":"u","read_timestamp":1707293415000,"source_timestamp":1707293415000,"object":"o","read_method":"mysql-cdc-binlog","#
            + #""sort_keys":[1707293415000,"mysql-bin.000029",9611684],"source_metadata":{"table":"t"},"payload":{"id":1}}"#
        let events = try EventLines.events([line])
        #expect(try events.orderKey(at: 0).position == .mysql(logFile: MySQLLogFile(baseName: "mysql-bin", sequence: 29), logPosition: 9_611_684))
        #expect(try events.orderKey(at: 0).sourceTimestampMicros == 1_707_293_415_000_000)
    }
}

@Suite struct OracleOrderTests {
    @Test func scnTiesBrokenByRsIDThenSSN() throws {
        let ts = "2021-03-22T07:58:18Z"
        let events = try EventLines.events([
            EventLines.oracle(ts: ts, scn: 100, rsID: " 0x000004.00000705.0010 ", ssn: 5),
            EventLines.oracle(ts: ts, scn: 100, rsID: "0x000004.00000705.0010", ssn: 2),
            EventLines.oracle(ts: ts, scn: 100, rsID: " 0x000004.00000706.0000 ", ssn: 0),
            EventLines.oracle(ts: ts, scn: 99, rsID: " 0x000009.00000000.0000 ", ssn: 9),
            EventLines.oracle(ts: ts, scn: 100, rsID: "", ssn: 0),
        ])
        let keys = try (0..<5).map { try events.orderKey(at: $0) }
        #expect(keys[1] < keys[0])  // same SCN and rs_id (after trimming): SSN decides
        #expect(keys[0] < keys[2])  // rs_id decides before SSN
        #expect(keys[3] < keys[4])  // SCN decides before rs_id
        #expect(keys[4] < keys[1])  // snapshot rows (rs_id "", ssn 0) first within their SCN
        #expect(keys[0].position == .oracle(scn: 100, rsID: "0x000004.00000705.0010", ssn: 5))
    }

    @Test func withoutPrimaryKeysFallsBackToRowID() throws {
        let events = try EventLines.events([EventLines.oracle(ts: "2021-03-22T07:58:18Z", scn: 1, rsID: "", ssn: 0, keys: [])])
        #expect(events.primaryKeyColumns(at: 0) == .oracleRowID)
        #expect(events.source(at: 0) == .oracle)
    }
}

@Suite struct SQLServerOrderTests {
    @Test func parsesThreeHexFields() throws {
        #expect(try SQLServerLSN.parse("00000027:00000130:0001") == SQLServerLSN(virtualLogFile: 0x27, block: 0x130, slot: 1))
        #expect(try SQLServerLSN.parse("00000027:00000130:0001") < SQLServerLSN.parse("00000027:00000130:0002"))
        #expect(try SQLServerLSN.parse("00000027:000001FF:FFFF") < SQLServerLSN.parse("00000027:00000200:0000"))
        #expect(try SQLServerLSN.parse("00000009:FFFFFFFF:FFFF") < SQLServerLSN.parse("0000000A:00000000:0000"))
        for bad in ["", "27:130", "00000027:00000130:00001", "0000002G:0:0", "1:2:3:4"] {
            #expect(throws: DatastreamError.self) { try SQLServerLSN.parse(bad) }
        }
    }

    @Test func genericReadMethodIsRecognisedFromMetadata() throws {
        let events = try EventLines.events([
            EventLines.sqlServer(ts: "2021-08-05T17:35:14Z", lsn: "00000027:00000130:0002"),
            EventLines.sqlServer(ts: "2021-08-05T17:35:14Z", lsn: "00000027:00000130:0001"),
            EventLines.sqlServer(ts: "2021-08-05T17:35:14Z", lsn: nil, method: "backfill"),
        ])
        #expect(events.source(at: 0) == .sqlServer)
        #expect(events.primaryKeyColumns(at: 0) == .replicationIndex(["id"]))
        let keys = try (0..<3).map { try events.orderKey(at: $0) }
        #expect(keys[1] < keys[0])
        #expect(keys[2] < keys[1])
    }

    @Test func declaredKeysWin() throws {
        let events = try EventLines.events([EventLines.sqlServer(ts: "2021-08-05T17:35:14Z", lsn: nil, keys: ["a", "b"])])
        #expect(events.primaryKeyColumns(at: 0) == .declared(["a", "b"]))
    }
}

@Suite struct SourceAndOperationTests {
    @Test(arguments: [
        ("mysql-cdc-binlog", DatastreamSource.mysql), ("mysql-backfill-fulldump", .mysql),
        ("oracle-cdc-logminer", .oracle), ("oracle_dump", .oracle), ("oracle-supplementation", .oracle),
        ("postgres-cdc-wal", .postgresql), ("postgresql-backfill", .postgresql), ("postgresql-cdc", .postgresql),
        ("sqlserver-cdc", .sqlServer), ("cdc", .generic), ("backfill", .generic), ("salesforce-cdc", .generic),
        ("", .generic), ("MySQL-CDC", .mysql), ("mongodb-change-streams", .generic),
    ])
    func sourceFromReadMethod(method: String, source: DatastreamSource) {
        #expect(DatastreamSource(readMethod: method) == source)
    }

    @Test(arguments: [
        ("INSERT", false, ChangeOperation.upsert), ("UPDATE", false, .upsert), ("UPDATE-INSERT", false, .upsert),
        ("", false, .upsert), ("DELETE", true, .delete), ("DELETE", false, .delete),
        ("UPDATE-DELETE", true, .delete), ("UPDATE-DELETE", false, .delete), ("update-delete", false, .delete),
        ("INSERT", true, .delete),
    ])
    func operations(changeType: String, deleted: Bool, operation: ChangeOperation) throws {
        #expect(ChangeOperation(changeType: Array(changeType.utf8), isDeleted: deleted) == operation)
        let events = try EventLines.events([EventLines.mysql(ts: "2024-01-01T00:00:00Z", file: "f.1", position: 1, change: changeType, deleted: deleted)])
        #expect(events.operation(at: 0) == operation)
    }

    @Test func nullChangeTypeAndDeletedFlag() throws {
        let line = #"{"source_timestamp":"2024-01-01T00:00:00Z","read_method":"oracle-backfill","source_metadata":{"change_type":null,"is_deleted":null,"scn":5},"payload":{}}"#
        let events = try EventLines.events([line])
        #expect(events.operation(at: 0) == .upsert)
        #expect(events.primaryKeyColumns(at: 0) == .none)
    }

    @Test func primaryKeyChangeIsDeleteThenInsertWithEqualKeys() throws {
        // Oracle 2021: both halves share the sort keys, and is_deleted is false on UPDATE-DELETE.
        let ts = "2021-11-16T21:05:16Z"
        let events = try EventLines.events([
            EventLines.oracle(ts: ts, scn: 7_000_000, rsID: " 0x00000a.0000b1c2.0010 ", ssn: 0, change: "UPDATE-DELETE", deleted: false),
            EventLines.oracle(ts: ts, scn: 7_000_000, rsID: " 0x00000a.0000b1c2.0010 ", ssn: 0, change: "UPDATE-INSERT", deleted: false),
        ])
        #expect(events.operation(at: 0) == .delete)
        #expect(events.operation(at: 1) == .upsert)
        #expect(try events.orderKey(at: 0) == events.orderKey(at: 1))
    }

    @Test func genericSourceOrdersBySortKeys() throws {
        let line = { (keys: String) in
            #"{"source_timestamp":"2024-01-01T00:00:00Z","read_method":"cdc","sort_keys":\#(keys),"source_metadata":{},"payload":{}}"#
        }
        let events = try EventLines.events([line("[1704067200,5]"), line("[1704067200,12]"), line("[1704067200,\"a\"]")])
        #expect(events.source(at: 0) == .generic)
        #expect(try events.orderKey(at: 0) < events.orderKey(at: 1))
        #expect(try events.orderKey(at: 1) < events.orderKey(at: 2))
    }

    @Test func sourceOverride() throws {
        let line = #"{"source_timestamp":"2024-01-01T00:00:00Z","read_method":"cdc","sort_keys":[1,"2/0"],"source_metadata":{},"payload":{}}"#
        let batch = try JSONLinesDecoder().decode(Array(line.utf8), fileName: "x.jsonl")
        let events = try DatastreamEvents(batch: batch, fileName: "x.jsonl", sourceOverride: .postgresql)
        #expect(try events.orderKey(at: 0).position == .postgresql(lsn: 2 << 32))
    }

    @Test func equalityHashingAndOrderAgreeOnText() {
        // "é" precomposed and decomposed are equal as Swift Strings but differ in bytes: the key
        // orders them by bytes, so it must not call them equal either.
        let a = EventOrderKey(source: .generic, sourceTimestampMicros: 1, position: .generic(sortKeys: [.text("\u{E9}")]))
        let b = EventOrderKey(source: .generic, sourceTimestampMicros: 1, position: .generic(sortKeys: [.text("e\u{301}")]))
        #expect(a != b)
        #expect((a < b) != (b < a))
        #expect(Set([a, b]).count == 2)
        let c = EventOrderKey(source: .generic, sourceTimestampMicros: 1, position: .generic(sortKeys: [.text("\u{E9}")]))
        #expect(a == c)
        #expect(a.hashValue == c.hashValue)
    }
}
