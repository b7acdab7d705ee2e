@testable import JSONCoding
import Testing

@Suite struct JSONValueTests {
    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":{"d":"x"}}"#,
        #"[-0.5,1e10,12345678901234567890123,"\u0001"]"#,
        #""quote\"back\\slash\ttab\nnl""#,
    ])
    func roundTripsCompactText(_ text: String) throws {
        #expect(try JSONValue(parsing: text).serialized == text)
    }

    @Test func decodesEscapesAndSurrogates() throws {
        let value = try JSONValue(parsing: #" { "s" : "\u00e9\ud83c\udf89\/" } "#)
        #expect(value["s"]?.stringValue == "é🎉/")
        #expect(try JSONValue(parsing: "9223372036854775807").int64Value == Int64.max)
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "tru", "\"\\ud800\"", "{} x", "01x", "\"a\nb\""])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }
}
