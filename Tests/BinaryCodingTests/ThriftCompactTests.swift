import BinaryCoding
import Testing
import TestSupport

/// A nested struct whose field ids exercise long-form headers: 1, then 20 (a jump of 19), then
/// 5 (a negative delta), then 6 (delta 1).
private struct Inner: Equatable {
    var name = ""
    var big: Int64 = 0
    var back: Int32 = 0
    var flag = false

    func write(to w: inout ThriftCompactWriter) {
        w.writeStringField(id: 1, name)
        w.writeI64Field(id: 20, big)
        w.writeI32Field(id: 5, back)
        w.writeBoolField(id: 6, flag)
    }

    static func read(_ r: inout ThriftCompactReader) throws -> Inner {
        var inner = Inner()
        try r.readStructBegin()
        while let field = try r.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): inner.name = try r.readString()
            case (20, .i64): inner.big = try r.readI64()
            case (5, .i32): inner.back = try r.readI32()
            case (6, .bool): inner.flag = try r.readBool()
            default: try r.skip(field.type)
            }
        }
        try r.readStructEnd()
        return inner
    }
}

private struct Outer: Equatable {
    var a: Int32 = 0
    var yes = true
    var no = false
    var inner = Inner()
    var ints: [Int32] = []
    var bools: [Bool] = []
    var inners: [Inner] = []
    var map: [String: Int64] = [:]
    var double: Double = 0
    var small: Int16 = 0
    var tiny: Int8 = 0
    var blob: [UInt8] = []
    var names: [String] = []
    var negativeId: Int64 = 0
    var far: Int32 = 0

    func encoded() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.writeStructBegin()
        w.writeI32Field(id: 1, a)
        w.writeBoolField(id: 2, yes)
        w.writeBoolField(id: 3, no)
        w.writeStructFieldBegin(id: 4)
        inner.write(to: &w)
        w.writeStructFieldEnd()
        w.writeListFieldBegin(id: 5, elementType: .i32, count: ints.count)
        for value in ints { w.writeI32(value) }
        w.writeListFieldBegin(id: 6, elementType: .bool, count: bools.count)
        for value in bools { w.writeBool(value) }
        w.writeListFieldBegin(id: 7, elementType: .struct, count: inners.count)
        for value in inners {
            w.writeStructBegin()
            value.write(to: &w)
            w.writeFieldStop()
            w.writeStructEnd()
        }
        w.writeFieldBegin(id: 8, type: .map)
        w.writeMapHeader(keyType: .binary, valueType: .i64, count: map.count)
        for key in map.keys.sorted() {
            w.writeString(key)
            w.writeI64(map[key]!)
        }
        w.writeDoubleField(id: 9, double)
        w.writeI16Field(id: 10, small)
        w.writeI8Field(id: 11, tiny)
        w.writeBinaryField(id: 12, blob)
        w.writeField(id: 13, type: .set)
        w.writeSetHeader(elementType: .binary, count: names.count)
        for name in names { w.writeString(name) }
        w.writeI64Field(id: -3, negativeId)
        w.writeI32Field(id: 300, far)
        w.writeFieldStop()
        w.writeStructEnd()
        return w.bytes
    }

    static func read(_ r: inout ThriftCompactReader) throws -> Outer {
        var o = Outer()
        try r.readStructBegin()
        while let field = try r.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): o.a = try r.readI32()
            case (2, .bool): o.yes = try r.readBool()
            case (3, .bool): o.no = try r.readBool()
            case (4, .struct): o.inner = try Inner.read(&r)
            case (5, .list):
                let (type, count) = try r.readListHeader()
                #expect(type == .i32)
                o.ints = try (0..<count).map { _ in try r.readI32() }
            case (6, .list):
                let (type, count) = try r.readListHeader()
                #expect(type == .bool)
                o.bools = try (0..<count).map { _ in try r.readBool() }
            case (7, .list):
                let (type, count) = try r.readListHeader()
                #expect(type == .struct)
                o.inners = try (0..<count).map { _ in try Inner.read(&r) }
            case (8, .map):
                let header = try r.readMapHeader()
                if header.count > 0 {
                    #expect(header.keyType == .binary && header.valueType == .i64)
                }
                for _ in 0..<header.count {
                    let key = try r.readString()
                    o.map[key] = try r.readI64()
                }
            case (9, .double): o.double = try r.readDouble()
            case (10, .i16): o.small = try r.readI16()
            case (11, .i8): o.tiny = try r.readI8()
            case (12, .binary): o.blob = try r.readBinary()
            case (13, .set):
                let (type, count) = try r.readSetHeader()
                #expect(type == .binary)
                o.names = try (0..<count).map { _ in try r.readString() }
            case (-3, .i64): o.negativeId = try r.readI64()
            case (300, .i32): o.far = try r.readI32()
            default: Issue.record("unexpected field \(field)"); try r.skip(field.type)
            }
        }
        try r.readStructEnd()
        return o
    }
}

private func sample(_ seed: UInt64) -> Outer {
    var rng = SplitMix64(seed: seed)
    func inner() -> Inner {
        Inner(
            name: String(repeating: "x", count: Int.random(in: 0...20, using: &rng)) + "é",
            big: Int64.random(in: .min ... .max, using: &rng),
            back: Int32.random(in: .min ... .max, using: &rng),
            flag: Bool.random(using: &rng)
        )
    }
    var o = Outer()
    o.a = Int32.random(in: .min ... .max, using: &rng)
    o.yes = Bool.random(using: &rng)
    o.no = Bool.random(using: &rng)
    o.inner = inner()
    o.ints = (0..<Int.random(in: 0...40, using: &rng)).map { _ in Int32.random(in: .min ... .max, using: &rng) } + [.min, .max, 0, -1]
    o.bools = (0..<Int.random(in: 0...20, using: &rng)).map { _ in Bool.random(using: &rng) }
    o.inners = (0..<Int.random(in: 0...16, using: &rng)).map { _ in inner() }
    for i in 0..<Int.random(in: 0...5, using: &rng) { o.map["k\(i)"] = Int64.random(in: .min ... .max, using: &rng) }
    o.double = Double.random(in: -1e300...1e300, using: &rng)
    o.small = Int16.random(in: .min ... .max, using: &rng)
    o.tiny = Int8.random(in: .min ... .max, using: &rng)
    o.blob = rng.bytes(Int.random(in: 0...300, using: &rng))
    o.names = (0..<Int.random(in: 0...3, using: &rng)).map { "name\($0)" }
    o.negativeId = .min
    o.far = .max
    return o
}

@Suite struct ThriftCompactTests {
    @Test(arguments: 0..<25)
    func nestedRoundTrip(seed: Int) throws {
        let original = sample(UInt64(seed))
        let encoded = original.encoded()
        try encoded.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(ByteReader(raw, baseOffset: 0))
            let decoded = try Outer.read(&reader)
            #expect(decoded == original)
            #expect(reader.remaining == 0)
        }
        // A reader that knows no field at all skips everything.
        try encoded.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            try reader.skip(.struct)
            #expect(reader.remaining == 0)
        }
    }

    @Test func wireFormatOfFieldHeaders() {
        var w = ThriftCompactWriter()
        w.writeStructBegin()
        w.writeI32Field(id: 1, 1)       // delta 1, type 5
        w.writeBoolField(id: 2, true)   // delta 1, BOOLEAN_TRUE
        w.writeBoolField(id: 3, false)  // delta 1, BOOLEAN_FALSE
        w.writeI32Field(id: 20, 2)      // delta 17: long form, zigzag(20) = 40
        w.writeI32Field(id: 5, -1)      // negative delta: long form
        w.writeStructFieldBegin(id: 6)  // delta 1, type 12
        w.writeI64Field(id: 1, 0)       // new context: delta 1
        w.writeStructFieldEnd()
        w.writeBoolField(id: 7, true)   // delta from 6 in the outer context
        w.writeFieldStop()
        w.writeStructEnd()
        #expect(w.bytes == [
            0x15, 0x02,
            0x11,
            0x12,
            0x05, 0x28, 0x04,
            0x05, 0x0A, 0x01,
            0x1C, 0x16, 0x00, 0x00,
            0x11,
            0x00,
        ])
    }

    @Test func wireFormatOfContainers() {
        var w = ThriftCompactWriter()
        w.writeListHeader(elementType: .i32, count: 3)
        w.writeListHeader(elementType: .binary, count: 14)
        w.writeListHeader(elementType: .struct, count: 15)
        w.writeListHeader(elementType: .bool, count: 300)
        w.writeMapHeader(keyType: .binary, valueType: .i64, count: 2)
        w.writeMapHeader(keyType: .binary, valueType: .i64, count: 0)
        #expect(w.bytes == [0x35, 0xE8, 0xFC, 0x0F, 0xF1, 0xAC, 0x02, 0x02, 0x86, 0x00])
    }

    @Test func listBooleansAcceptOneTwoAndZero() throws {
        let input: [UInt8] = [0x41, 0x01, 0x02, 0x00, 0x01]
        try input.withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            let (type, count) = try r.readListHeader()
            #expect(type == .bool && count == 4)
            #expect(try (0..<count).map { _ in try r.readBool() } == [true, false, false, true])
        }
        ([0x11, 0x03] as [UInt8]).withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            expectDecodingError(.invalidValue) {
                _ = try r.readListHeader()
                _ = try r.readBool()
            }
        }
        // Element type 2 (BOOLEAN_FALSE) is also accepted for bool lists.
        ([0x12, 0x01] as [UInt8]).withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            #expect((try? r.readListHeader())?.elementType == .bool)
        }
    }

    @Test func skipsUnknownFieldsOfEveryType() throws {
        var w = ThriftCompactWriter()
        w.writeStructBegin()
        w.writeBoolField(id: 1, true)
        w.writeBoolField(id: 2, false)
        w.writeI8Field(id: 3, -5)
        w.writeI16Field(id: 4, .min)
        w.writeI32Field(id: 5, .min)
        w.writeI64Field(id: 6, .min)
        w.writeDoubleField(id: 7, .pi)
        w.writeBinaryField(id: 8, [1, 2, 3])
        w.writeListFieldBegin(id: 9, elementType: .list, count: 2)
        w.writeListHeader(elementType: .bool, count: 2)
        w.writeBool(true)
        w.writeBool(false)
        w.writeListHeader(elementType: .double, count: 0)
        w.writeField(id: 10, type: .set)
        w.writeSetHeader(elementType: .i64, count: 20)
        for i in 0..<20 { w.writeI64(Int64(i) << 40) }
        w.writeField(id: 11, type: .map)
        w.writeMapHeader(keyType: .i32, valueType: .struct, count: 2)
        for key in 0..<2 {
            w.writeI32(Int32(key))
            w.writeStructBegin()
            w.writeStringField(id: 1, "v")
            w.writeListFieldBegin(id: 2, elementType: .map, count: 1)
            w.writeMapHeader(keyType: .bool, valueType: .uuid, count: 1)
            w.writeBool(true)
            w.writeUUID([UInt8](repeating: 7, count: 16))
            w.writeFieldStop()
            w.writeStructEnd()
        }
        w.writeField(id: 12, type: .map)
        w.writeMapHeader(keyType: .i8, valueType: .i8, count: 0)
        w.writeStructFieldBegin(id: 13)
        w.writeStructFieldBegin(id: 1)
        w.writeBoolField(id: 1, true)
        w.writeStructFieldEnd()
        w.writeStructFieldEnd()
        w.writeField(id: 14, type: .uuid)
        w.writeUUID([UInt8](repeating: 1, count: 16))
        w.writeI32Field(id: 99, 4242)
        w.writeBoolField(id: 100, true)
        w.writeFieldStop()
        w.writeStructEnd()

        try w.bytes.withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            var known: Int32?
            var flag: Bool?
            var skipped: [ThriftType] = []
            try r.readStructBegin()
            while let field = try r.readFieldHeader() {
                switch field.id {
                case 99: known = try r.readI32()
                case 100: flag = try r.readBool()
                default:
                    skipped.append(field.type)
                    try r.skip(field.type)
                }
            }
            try r.readStructEnd()
            #expect(known == 4242)
            #expect(flag == true)
            #expect(r.remaining == 0)
            #expect(Set(skipped) == Set(ThriftType.allCases))
        }
    }

    @Test func depthBombsAreRejected() {
        // Structs nested 1000 deep: each byte is "field +1, type struct".
        let structs = [UInt8](repeating: 0x1C, count: 1000)
        // A list of lists of lists ...
        let lists: [UInt8] = [0x19] + [UInt8](repeating: 0x19, count: 1000)
        // A map of map to map ...
        let maps: [UInt8] = [0x1B] + (0..<2000).map { $0 % 2 == 0 ? UInt8(0x01) : UInt8(0xBB) }
        for input in [structs, lists, maps] {
            input.withUnsafeBytes { raw in
                var r = ThriftCompactReader(raw)
                expectDecodingError(.nestingTooDeep) { try r.skip(.struct) }
            }
        }
        // The limit applies to structs read by hand as well.
        structs.withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw, maxDepth: 3)
            expectDecodingError(.nestingTooDeep) {
                for _ in 0..<4 {
                    try r.readStructBegin()
                    _ = try r.readFieldHeader()
                }
            }
        }
        // Exactly at the limit is fine.
        var w = ThriftCompactWriter()
        w.writeStructBegin()
        for _ in 0..<63 { w.writeStructFieldBegin(id: 1) }
        for _ in 0..<63 { w.writeStructFieldEnd() }
        w.writeFieldStop()
        w.writeStructEnd()
        w.bytes.withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw)
            #expect(decodingError { try r.skip(.struct) } == nil)
            #expect(r.remaining == 0)
        }
    }

    @Test(arguments: 0..<5)
    func everyTruncationThrows(seed: Int) {
        let encoded = sample(UInt64(seed) + 100).encoded()
        for length in 0..<encoded.count {
            let prefix = Array(encoded[..<length])
            prefix.withUnsafeBytes { raw in
                var skipper = ThriftCompactReader(raw, baseOffset: 10)
                let error = decodingError { try skipper.skip(.struct) }
                #expect(error != nil, "prefix of \(length) bytes parsed")
                if let error { #expect(error.offset >= 10 && error.offset <= 10 + length) }
                var reader = ThriftCompactReader(raw)
                #expect(decodingError { _ = try Outer.read(&reader) } != nil)
            }
        }
    }

    @Test func invalidInputs() {
        func check(_ input: [UInt8], _ code: BinaryDecodingError.Code, _ body: (inout ThriftCompactReader) throws -> Void) {
            input.withUnsafeBytes { raw in
                var r = ThriftCompactReader(raw)
                expectDecodingError(code) { try body(&r) }
            }
        }
        // Unknown field types 0 (with a delta), 14 and 15.
        check([0x10], .invalidValue) { r in try r.skip(.struct) }
        check([0x1E], .invalidValue) { r in try r.skip(.struct) }
        check([0x1F], .invalidValue) { r in try r.skip(.struct) }
        // List element type 0 and 15.
        check([0x10], .invalidValue) { r in _ = try r.readListHeader() }
        check([0x1F], .invalidValue) { r in _ = try r.readListHeader() }
        // Map with an unknown value type.
        check([0x01, 0x80, 0x00], .invalidValue) { r in _ = try r.readMapHeader() }
        // A list claiming more elements than there are bytes.
        check([0x55, 0x01, 0x02], .lengthOutOfRange) { r in _ = try r.readListHeader() }
        check([0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], .lengthOutOfRange) { r in _ = try r.readListHeader() }
        check([0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07], .lengthOutOfRange) { r in _ = try r.readListHeader() }
        check([0xFF, 0xFF, 0xFF, 0x7F, 0x11, 0x11], .lengthOutOfRange) { r in _ = try r.readMapHeader() }
        // A binary longer than the input, or longer than Int32.
        check([0x05, 0x61], .truncated) { r in _ = try r.readBinary() }
        check([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], .lengthOutOfRange) { r in _ = try r.readString() }
        // i16 and i32 out of range.
        check([0x80, 0x80, 0x04], .varintOverflow) { r in _ = try r.readI16() }
        check([0x80, 0x80, 0x80, 0x80, 0x10], .varintOverflow) { r in _ = try r.readI32() }
        // Field id overflowing Int16 through a delta after id 32767.
        check([0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15, 0x00], .invalidValue) { r in
            try r.readStructBegin()
            _ = try r.readFieldHeader()
            _ = try r.readI32()
            _ = try r.readFieldHeader()
        }
        // Unbalanced struct end.
        check([], .invalidValue) { r in try r.readStructEnd() }
        // Truncated double and UUID.
        check([0x17, 0, 0, 0], .truncated) { r in try r.skip(.struct) }
        check([0x1D, 0, 0, 0], .truncated) { r in try r.skip(.struct) }
    }

    @Test func invalidUTF8IsRepaired() throws {
        try ([0x03, 0x61, 0xFF, 0x62] as [UInt8]).withUnsafeBytes { raw throws in
            var r = ThriftCompactReader(raw)
            #expect(try r.readString() == "a\u{FFFD}b")
        }
    }

    @Test func errorOffsetsAreAbsolute() {
        ([0x15, 0x02, 0x1F] as [UInt8]).withUnsafeBytes { raw in
            var r = ThriftCompactReader(raw, baseOffset: 4096)
            let error = decodingError { try r.skip(.struct) }
            #expect(error?.code == .invalidValue)
            #expect(error?.offset == 4098)
        }
    }
}
