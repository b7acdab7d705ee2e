import Columnar
import Datastream
import Testing
import TestSupport

@Suite struct DeltaTypeMappingTests {
    func payload(_ name: String) throws -> (Column, DatastreamEvents) {
        let batch = try DatastreamFileDecoder().decode(try Samples.bytes(name), fileName: name)
        let events = try DatastreamEvents(batch: batch, fileName: name)
        return (try #require(events.payload), events)
    }

    @Test func mysqlUnsignedBigintBecomesDecimal20() throws {
        let (payload, events) = try payload("mysql_numbers_test.avro")
        let mapping = DeltaTypeMapping(source: events.source(at: 0))
        let converted = try mapping.convertPayload(payload)
        let bigu = try #require(converted.child("bigu"))
        #expect(bigu.type == .decimal(precision: 20, scale: 0))
        #expect(bigu.decimalTexts == ["1", "0"])
        #expect(mapping.deltaFields(forPayload: payload.type).first { $0.name == "bigu" }?.type == .decimal(precision: 20, scale: 0))
        #expect(mapping.deltaFields(forPayload: payload.type).first { $0.name == "bigu" }?.metadata == [:])
        #expect(converted.child("decimaler")?.decimalTexts.first == "1.00")
        // Elsewhere `number` (Oracle NUMBER without scale) stays exact text.
        #expect(try DeltaTypeMapping(source: .oracle).convertPayload(payload).child("bigu")?.type == .string)
    }

    @Test func datetimeRecordBecomesTimestamp() throws {
        let (payload, events) = try payload("sqlserver_test.avro")
        let converted = try DeltaTypeMapping(source: events.source(at: 0)).convertPayload(payload)
        let created = try #require(converted.child("created_at"))
        #expect(created.type == .timestamp)
        #expect(created.int64s == [1_641_643_200_000_000, 1_641_643_200_000_000, nil])
        #expect(converted.child("name")?.strings.first == "Test User 1")
    }

    @Test func legacyVarcharAndTimestampTzRecords() throws {
        let (payload, _) = try payload("avro_file_ut.avro")
        let converted = try DeltaTypeMapping(source: .oracle).convertPayload(payload)
        #expect(converted.child("STREET_ADDRESS")?.type == .string)
        #expect(converted.child("STREET_ADDRESS")?.strings.first == "1297 Via Cola di Rie")
        #expect(converted.child("CITY")?.strings.first == "Roma")
        let tz = try #require(converted.child("timestamp_with_tz"))
        #expect(tz.type == .timestamp)
        #expect(tz.int64s.first == 1_665_671_400_000_056)
    }

    @Test func intervalRecordBecomesISODuration() throws {
        let fields = [Field("months", .int32, isNullable: false), Field("hours", .int32, isNullable: false), Field("micros", .int64, isNullable: false)]
        let field = Field("i", .structure(fields), metadata: ["avro.name": "interval"])
        let column = Column(type: field.type, count: 4, validity: Bitmap([true, true, true, false]), storage: .structure([
            Column(type: .int32, count: 4, validity: nil, storage: .int32([14, 0, -1, 0])),
            Column(type: .int32, count: 4, validity: nil, storage: .int32([3, 0, 2, 0])),
            Column(type: .int64, count: 4, validity: nil, storage: .int64([64_500_000, 0, -1_500_000, 0])),
        ]))
        let mapping = DeltaTypeMapping(source: .postgresql)
        #expect(mapping.deltaField(for: field).type == .string)
        let converted = try mapping.convert(column, field: field)
        #expect(converted.strings == ["P1Y2MT3H1M4.5S", "PT0S", "P-1MT2H-1.5S", nil])
    }

    @Test func localTimestampIsReadAsUTCUnlessKept() throws {
        let field = Field("t", .timestampWithoutTimeZone)
        let column = Column(type: .timestampWithoutTimeZone, count: 1, validity: nil, storage: .int64([5]))
        #expect(try DeltaTypeMapping(source: .mysql).convert(column, field: field).type == .timestamp)
        #expect(try DeltaTypeMapping(source: .mysql, keepTimestampWithoutTimeZone: true).convert(column, field: field).type == .timestampWithoutTimeZone)
    }

    @Test func badNumberTextIsATypedError() throws {
        let field = Field("n", .string, metadata: ["avro.logicalType": "number"])
        let column = Column(type: .string, count: 2, validity: nil, storage: .bytes(offsets: [0, 1, 22], data: Array("1123456789012345678901".utf8)))
        #expect(throws: DatastreamError.self) { try DeltaTypeMapping(source: .mysql).convert(column, field: field) }
    }

    @Test func geometryAndPlainTypesPassThrough() throws {
        let geometry = Field("g", .structure([Field("value", .binary), Field("srid", .int32), Field("type", .string)]), metadata: ["avro.name": "geometry"])
        #expect(DeltaTypeMapping(source: .mysql).deltaField(for: geometry).type == geometry.type)
        for type in [DataType.int32, .int64, .float32, .float64, .binary, .date, .timestamp, .decimal(precision: 38, scale: 9)] {
            #expect(DeltaTypeMapping(source: .mysql).deltaField(for: Field("x", type)).type == type)
        }
        let json = Field("j", .string, metadata: ["avro.logicalType": "json"])
        #expect(DeltaTypeMapping(source: .postgresql).deltaField(for: json) == Field("j", .string))
    }
}
