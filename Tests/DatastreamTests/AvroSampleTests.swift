import Columnar
import Datastream
import Testing
import TestSupport

/// The real Avro samples through the Avro module and ``DatastreamEvents``; values from VERIFY.txt.
@Suite struct AvroSampleTests {
    func events(_ name: String) throws -> DatastreamEvents {
        let batch = try DatastreamFileDecoder().decode(try Samples.bytes(name), fileName: name)
        return try DatastreamEvents(batch: batch, fileName: name)
    }

    @Test func mysqlPrimaryKeyUpdate() throws {
        let events = try events("my_table-simpleTest-pk-update.avro")
        #expect(events.count == 2)
        #expect(events.changeType(at: 0) == "UPDATE-DELETE")
        #expect([events.operation(at: 0), events.operation(at: 1)] == [.delete, .upsert])
        #expect(events.sortKeys(at: 0) == [.integer(1_737_457_695_000), .text("mysql-bin.000131"), .integer(2550)])
        let first = try events.orderKey(at: 0)
        #expect(first.position == .mysql(logFile: MySQLLogFile(baseName: "mysql-bin", sequence: 131), logPosition: 2550))
        #expect(first.sourceTimestampMicros == 1_737_457_695_000_000)
        #expect(try first < events.orderKey(at: 1))
    }

    @Test func mysqlUsersCDC() throws {
        let events = try events("mysql-cdc-Users.avro")
        #expect(events.count == 4)
        #expect((0..<4).map { events.operation(at: $0) } == [.delete, .upsert, .upsert, .upsert])
        #expect(events.changeType(at: 3) == "UPDATE-INSERT")
        #expect(try events.orderKey(at: 0) < events.orderKey(at: 1))
        #expect(events.primaryKeyColumns(at: 0) == .declared(["id"]))
        #expect(events.uuid(at: 0) == "3c0ffaeb-b16e-4c8c-91d4-815500000000")
    }

    @Test func mysql2021BackfillWithoutSortKeys() throws {
        let events = try events("mysql_people_test.avro")
        #expect(events.batch.column(named: "sort_keys") == nil)
        #expect(try events.orderKey(at: 0).position == .mysql(logFile: nil, logPosition: 0))
    }

    @Test func oracleDeleteAndBackfill() throws {
        let delete = try events("delete.avro")
        #expect(delete.source(at: 0) == .oracle)
        #expect(delete.operation(at: 0) == .delete)
        // source_metadata is authoritative: these sort_keys were edited in (their SCN is fake).
        #expect(try delete.orderKey(at: 0).position == .oracle(scn: 7_044_930, rsID: "0x0000d6.00000002.0010", ssn: 0))
        let dump = try events("dump.avro")
        #expect(dump.count == 108)
        #expect(dump.operation(at: 0) == .upsert)  // change_type null, is_deleted false
        #expect(try dump.orderKey(at: 0).position == .oracle(scn: 7_040_521, rsID: "", ssn: 0))
        #expect(try dump.orderKey(at: 0) < delete.orderKey(at: 0))
    }

    @Test func legacyOracleDumpFrom2020() throws {
        let events = try events("avro_file_ut.avro")
        #expect(events.count == 23)
        #expect(events.source(at: 0) == .oracle)
        #expect(events.primaryKeyColumns(at: 0) == .oracleRowID)
        #expect(try events.orderKey(at: 0).sourceTimestampMicros == 1_597_101_230_365_000)
    }

    @Test func syntheticSQLServerWithGenericReadMethods() throws {
        let events = try events("sqlserver_test.avro")
        #expect(events.readMethod(at: 0) == "backfill")
        #expect(events.source(at: 0) == .sqlServer)
        #expect(events.primaryKeyColumns(at: 0) == .replicationIndex(["id"]))
        #expect(try events.orderKey(at: 0).position == .sqlServer(lsn: SQLServerLSN(virtualLogFile: 0x27, block: 0x130, slot: 1)))
        #expect(try events.orderKey(at: 0) < events.orderKey(at: 1))
        #expect(events.sortKeys(at: 0) == [.text("1628184912000"), .integer(1)])
    }

    @Test func corruptAvroIsATypedError() throws {
        var bytes = try Samples.bytes("mysql-cdc-Users.avro")
        bytes.removeLast(40)
        #expect(throws: DatastreamError.self) { try DatastreamFileDecoder().decode(bytes, fileName: "cut.avro") }
        #expect(throws: DatastreamError.self) { try DatastreamFileDecoder().decode([1, 2, 3], fileName: "x.parquet") }
    }

    @Test func sortKeysCrossCheck() throws {
        let pk = try events("my_table-simpleTest-pk-update.avro")
        #expect(pk.sortKeysAgreeWithMetadata(at: 0) == true)
        // The Oracle samples' sort_keys were appended by hand with a fake SCN.
        #expect(try events("dump.avro").sortKeysAgreeWithMetadata(at: 0) == false)
        #expect(try events("mysql_people_test.avro").sortKeysAgreeWithMetadata(at: 0) == nil)
        let json = try DatastreamEvents(batch: JSONLinesDecoder().decode(try Samples.bytes("mysql-backfill-Category.jsonl"), fileName: "b.jsonl"), fileName: "b.jsonl")
        #expect(json.sortKeysAgreeWithMetadata(at: 0) == true)
    }
}
