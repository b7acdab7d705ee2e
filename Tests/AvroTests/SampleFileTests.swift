import Avro
import Columnar
import Foundation
import Testing
import TestSupport

@Suite(.enabled(if: Samples.available, "needs /work/shared/datastream-samples"))
struct SampleFileTests {
    @Test(arguments: Samples.avroFiles)
    func decodesLikeFastavro(_ name: String) throws {
        let bytes = try Samples.bytes(name)
        let batch = try readAll(bytes, name: name)
        #expect(batch.rowCount > 0)
        guard PythonTools.available else { return }
        try withTemporaryDirectory { directory in
            try expectFastavroAgrees(file: Samples.directory.appendingPathComponent(name), lines: batch.jsonLines(), in: directory)
        }
    }

    @Test(arguments: Samples.avroFiles)
    func smallBatchesGiveTheSameRows(_ name: String) throws {
        let bytes = try Samples.bytes(name)
        let whole = try readAll(bytes, name: name).jsonLines()
        var reader = try AvroContainerReader(bytes: bytes, fileName: name)
        var lines: [String] = []
        while let batch = try reader.nextBatch(maxRows: 7) {
            #expect(batch.rowCount <= 7)
            lines += batch.jsonLines()
        }
        #expect(lines == whole)
    }

    @Test func mysqlAllDatatypesHandWrittenValues() throws {
        let batch = try readAll(try Samples.bytes("mysql-backfill-AllDatatypeColumns.avro"))
        #expect(batch.rowCount == 2)
        guard let payload = batch.column(named: "payload"), case .structure(let fields) = payload.type else {
            Issue.record("payload is not a struct")
            return
        }
        func value(_ field: String, row: Int) -> Datum? {
            guard let index = fields.firstIndex(where: { $0.name == field }), case .structure(let children) = payload.storage else { return nil }
            return children[index].datum(at: row)
        }
        let decimalField = fields.first { $0.name == "decimal_column" }
        #expect(decimalField?.type == .decimal(precision: 10, scale: 2))
        #expect(decimalField?.isNullable == true)
        #expect(value("decimal_column", row: 0) == .decimal(45612))
        #expect(JSONRowRenderer().render(value("decimal_column", row: 0) ?? .null, type: .decimal(precision: 10, scale: 2)) == "\"456.12\"")
        #expect(value("decimal_column", row: 1) == .decimal(12345))
        // time-interval-micros is Datastream's own logical type: int64 plus metadata.
        let timeField = fields.first { $0.name == "time_column" }
        #expect(timeField?.type == .int64)
        #expect(timeField?.metadata["avro.logicalType"] == "time-interval-micros")
        #expect(value("time_column", row: 0) == .integer(29_730_000_000))
        #expect(value("float_column", row: 0) == .float32(45.67))
        #expect(value("double_column", row: 1) == .float64(56.789))
        #expect(value("bit_column", row: 0) == .integer(102))
        // 2024-02-08T08:15:30Z in microseconds.
        #expect(value("datetime_column", row: 0) == .timestamp(1_707_380_130_000_000))
        // read_timestamp is timestamp-millis, converted to microseconds.
        #expect(batch.column(named: "read_timestamp")?.datum(at: 0) == .timestamp(1_714_995_568_363_000))
        #expect(batch.schema.fields.first { $0.name == "payload" }?.metadata["avro.name"] == "payload")
    }

    @Test func sortKeysBecomeListOfMemberStructs() throws {
        let batch = try readAll(try Samples.bytes("my_table-simpleTest-pk-update.avro"))
        let field = batch.schema.fields.first { $0.name == "sort_keys" }
        let member = DataType.structure([Field("member0", .string), Field("member1", .int64)])
        #expect(field?.type == .list(Field("element", member, isNullable: false)))
        #expect(field?.isNullable == false)
        #expect(batch.column(named: "sort_keys")?.datum(at: 0) == .list([
            .structure([.null, .integer(1_737_457_695_000)]),
            .structure([.string("mysql-bin.000131"), .null]),
            .structure([.null, .integer(2550)]),
        ]))
    }

    @Test func datastreamLogicalTypesKeepTheirAttributes() throws {
        let numbers = try readAll(try Samples.bytes("mysql_numbers_test.avro"))
        guard case .structure(let fields)? = numbers.schema.fields.first(where: { $0.name == "payload" })?.type else {
            Issue.record("no payload")
            return
        }
        let bigu = fields.first { $0.name == "bigu" }
        #expect(bigu?.type == .string)
        #expect(bigu?.metadata == ["avro.logicalType": "number"])

        let oracle = try readAll(try Samples.bytes("avro_file_ut.avro"))
        guard case .structure(let oracleFields)? = oracle.schema.fields.first(where: { $0.name == "payload" })?.type else {
            Issue.record("no payload")
            return
        }
        // The legacy varchar record, and its reuse by name.
        let street = oracleFields.first { $0.name == "STREET_ADDRESS" }
        #expect(street?.metadata["avro.name"] == "varchar")
        #expect(street?.type == .structure([Field("value", .string, isNullable: false), Field("length", .int32, isNullable: false)]))
        #expect(oracleFields.first { $0.name == "CITY" }?.isNullable == false)
        let tz = oracleFields.first { $0.name == "timestamp_with_tz" }
        #expect(tz?.metadata["avro.name"] == "timestampTz")
        #expect(tz?.type == .structure([Field("timestamp", .timestamp, isNullable: false), Field("offset", .int64, isNullable: false)]))

        let sqlserver = try readAll(try Samples.bytes("sqlserver_test.avro"))
        guard case .structure(let sqlFields)? = sqlserver.schema.fields.first(where: { $0.name == "payload" })?.type else {
            Issue.record("no payload")
            return
        }
        let created = sqlFields.first { $0.name == "created_at" }
        #expect(created?.metadata["avro.name"] == "datetime")
        #expect(created?.type == .structure([Field("date", .date, isNullable: false), Field("time", .int64, isNullable: false)]))
    }
}
