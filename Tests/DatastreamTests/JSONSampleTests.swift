import Columnar
import Datastream
import Testing
import TestSupport

/// The real JSON samples, checked against values written by hand from the files / VERIFY.txt.
@Suite struct JSONSampleTests {
    let decoder = JSONLinesDecoder()

    @Test func allDatatypeColumns() throws {
        let batch = try decoder.decode(try Samples.bytes("mysql-backfill-AllDatatypeColumns.jsonl"), fileName: "mysql-backfill-AllDatatypeColumns.jsonl")
        #expect(batch.rowCount == 2)
        #expect(batch.schema.fields.map(\.name) == ["uuid", "read_timestamp", "source_timestamp", "object", "read_method", "stream_name",
                                                    "schema_key", "sort_keys", "source_metadata", "payload"])
        #expect(batch.column(named: "uuid")?.strings == ["5deaf70b-2f02-486c-831a-b92400000000", "5deaf70b-2f02-486c-831a-b92400000001"])
        #expect(batch.column(named: "read_timestamp")?.int64s == [1_707_289_426_226_000, 1_707_289_426_226_000])
        #expect(batch.column(named: "source_timestamp")?.int64s == [1_707_289_364_000_000, 1_707_289_375_000_000])
        #expect(batch.column(named: "source_timestamp")?.type == .timestamp)
        #expect(batch.schema.fields.first { $0.name == "uuid" }?.isNullable == false)

        let decimal = try #require(batch.payload("decimal_column"))
        #expect(decimal.type == .decimal(precision: 5, scale: 2))
        #expect(decimal.decimalTexts == ["456.12", "123.45"])
        // FLOAT 45.67 is written as a JSON decimal: kept exact, not rounded through float.
        #expect(batch.payload("float_column")?.decimalTexts == ["45.67", "12.34"])
        #expect(batch.payload("double_column")?.decimalTexts == ["123.789", "56.789"])
        #expect(batch.payload("bigint_column")?.int64s == [987_654_321, 987_654])
        #expect(batch.payload("time_column")?.int64s == [29_730_000_000, 55_845_000_000])
        #expect(batch.payload("date_column")?.type == .timestamp)
        #expect(batch.payload("date_column")?.int64s == [1_707_350_400_000_000, 1_707_436_800_000_000])
        #expect(batch.payload("datetime_column")?.int64s.first == 1_707_380_130_000_000)
        #expect(batch.payload("varchar_column")?.strings == ["value1", "value2"])
        // MySQL binary arrives as hex text and stays text.
        #expect(batch.payload("binary_column")?.strings == ["62696e6172795f31", "62696e6172795f32"])
        #expect(batch.payload("enum_column")?.strings == ["2", "3"])
        #expect(batch.payload("bit_column")?.int64s == [102, 25])

        #expect(batch.metadata("primary_keys")?.stringLists == [["varchar_column"], ["varchar_column"]])
        #expect(batch.metadata("log_file")?.strings == ["mysql-bin.000029", "mysql-bin.000029"])
        #expect(batch.metadata("log_position")?.int64s == [9_610_730, 9_611_373])
        #expect(batch.metadata("is_deleted")?.booleans == [false, false])

        let events = try DatastreamEvents(batch: batch, fileName: "x.jsonl")
        #expect(events.sortKeys(at: 0) == [.integer(1_707_289_364_000), .text("mysql-bin.000029"), .integer(9_610_730)])
        #expect(try events.orderKey(at: 0) < events.orderKey(at: 1))
        #expect(events.source(at: 0) == .mysql)
        #expect(events.primaryKeyColumns(at: 0) == .declared(["varchar_column"]))
    }

    @Test func categoryBackfillAndCDC() throws {
        let backfill = try DatastreamEvents(
            batch: decoder.decode(try Samples.bytes("mysql-backfill-Category.jsonl"), fileName: "b.jsonl"), fileName: "b.jsonl")
        let cdc = try DatastreamEvents(
            batch: decoder.decode(try Samples.bytes("mysql-cdc-Category.jsonl"), fileName: "c.jsonl"), fileName: "c.jsonl")
        #expect(backfill.count == 2)
        #expect(cdc.count == 4)
        #expect(backfill.sortKeys(at: 0) == [.integer(1_707_222_465_000), .text(""), .integer(0)])
        #expect(try backfill.orderKey(at: 0).position == .mysql(logFile: nil, logPosition: 0))
        #expect(backfill.batch.payload("last_update")?.int64s == [1_707_221_977_000_000, 1_707_221_987_000_000])
        #expect(backfill.batch.payload("category_id")?.int64s == [1, 2])
        #expect(cdc.batch.payload("name")?.strings == ["xyz", "ghi", "def", "abc1"])
        #expect(cdc.batch.column(named: "uuid")?.strings.last == "359901f6-96bc-4f68-9f6c-7d4500000000")
        #expect((0..<4).map { cdc.operation(at: $0) } == [.delete, .upsert, .upsert, .upsert])
        #expect(cdc.changeType(at: 3) == "UPDATE-INSERT")

        // The CDC lines are out of order in the file; the order keys restore the source order:
        // 08:10:15 (update id 2), 08:10:35 (insert 3), 08:10:55 (delete 1), 08:12:32 (insert 4).
        let keys = try (0..<4).map { try cdc.orderKey(at: $0) }
        let sorted = (0..<4).sorted { keys[$0] < keys[$1] }
        #expect(sorted == [3, 2, 0, 1])
        // Backfill of id 2 (12:27:45 on 02-06) precedes its CDC update.
        #expect(try backfill.orderKey(at: 1) < keys[3])
    }

    @Test func records1JSONArray() throws {
        // The original project's fixture is a pretty-printed JSON array, not JSON lines.
        let batch = try decoder.decode(try Samples.bytes("records1.json"), fileName: "records1.json")
        #expect(batch.rowCount == 6)
        #expect(batch.column(named: "sort_keys") == nil)
        #expect(batch.payload("id")?.strings == ["915725144", "993488433", "161401245", "290819604", "862224591", "486570281"])
        #expect(batch.payload("address")?.strings.first == "0552 Tony Viaduct\nWest Anita, NH 37063")
        #expect(batch.column(named: "source_timestamp")?.int64s.last == 1_621_127_584_000_000)
        let events = try DatastreamEvents(batch: batch, fileName: "records1.json")
        #expect((0..<6).map { events.operation(at: $0) } == [.upsert, .upsert, .upsert, .upsert, .upsert, .delete])
        let last = try events.orderKey(at: 5)
        #expect(last.position == .mysql(logFile: MySQLLogFile(baseName: "mysql-bin", sequence: 2), logPosition: 28_463_530))
        let keys = try (0..<6).map { try events.orderKey(at: $0) }
        #expect(keys == keys.sorted())
    }
}
