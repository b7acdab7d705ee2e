@testable import DeltaLake
import ObjectStore
import Testing
import TestSupport

@Suite struct LayoutTests {
    @Test(arguments: [
        ("00000000000000000007.json", DeltaLogFile.commit(version: 7)),
        ("00000000000000000010.checkpoint.parquet", .checkpoint(version: 10, part: nil, parts: nil)),
        ("00000000000000000010.checkpoint.0000000002.0000000003.parquet", .checkpoint(version: 10, part: 2, parts: 3)),
    ])
    func classifiesLogFiles(_ name: String, _ expected: DeltaLogFile) {
        #expect(DeltaLogFile(fileName: name) == expected)
    }

    @Test(arguments: [
        "_last_checkpoint", "00000000000000000007.crc", "0000000000000000007.json", "00000000000000000007.json.tmp",
        "00000000000000000010.checkpoint.0000000004.0000000003.parquet",
        "00000000000000000010.checkpoint.80a0b1c2-0000-4000-8000-000000000000.json",
        "99999999999999999999.json", "09223372036854775807.json",
    ])
    func ignoresOtherFiles(_ name: String) {
        #expect(DeltaLogFile(fileName: name) == nil)
    }

    @Test func pathsUnderTheRoot() throws {
        #expect(try DeltaLogLayout(root: "/a/b/").commitPath(12).rawValue == "a/b/_delta_log/00000000000000000012.json")
        #expect(try DeltaLogLayout(root: "").checkpointPath(3).rawValue == "_delta_log/00000000000000000003.checkpoint.parquet")
        #expect(try DeltaLogLayout(root: "t").dataPath("x%3Dy/part%20one.parquet").rawValue == "t/x=y/part one.parquet")
        #expect(throws: DeltaError.self) { try DeltaLogLayout(root: "t").dataPath("s3://bucket/file.parquet") }
        #expect(throws: DeltaError.self) { try DeltaLogLayout(root: "t").dataPath("../escape.parquet") }
    }

    @Test(arguments: [
        ("interval 1 week", Int64?(604_800_000)), ("interval 30 days", 2_592_000_000), ("2 hours", 7_200_000),
        ("interval 5 fortnights", nil), ("interval x days", nil), ("interval 9223372036854775807 weeks", nil),
    ])
    func parsesIntervals(_ text: String, _ expected: Int64?) {
        #expect(DeltaInterval.milliseconds(text) == expected)
    }
}
