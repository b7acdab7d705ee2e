import Columnar
import Foundation
import ObjectStore
import Testing
import TestSupport

/// A JSON line re-serialised with sorted keys and numbers through Double/Int64, so that
/// `-184426960.0` (Python) and `-1.8442696e+08` (Swift's Float description) compare equal.
func normalizedLine(_ line: String) -> String {
    guard let data = line.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data),
          let again = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return line }
    return String(decoding: again, as: UTF8.self)
}

/// Rows as delta_read.py sorts them: by the text of the key column, then by the line (both byte-wise).
func sortedLines(_ lines: [String], key: String = "id") -> [String] {
    func keyText(_ line: String) -> String {
        guard let data = line.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let value = object[key] else { return "null" }
        return "\(value)"
    }
    return lines.map { (keyText($0), normalizedLine($0)) }.sorted { a, b in
        if a.0 != b.0 { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
        return a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
    }.map(\.1)
}

/// What delta_read.py printed: the header object and the row lines.
struct OracleRead {
    var header: [String: Any]
    var rows: [String]
    var version: Int { header["version"] as? Int ?? -1 }
    var files: [String] { header["files"] as? [String] ?? [] }

    init(tableDirectory: String, version: Int64? = nil) throws {
        var arguments = [tableDirectory]
        if let version { arguments += ["--version", String(version)] }
        let output = try PythonTools.check("delta_read.py", arguments)
        var lines = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty, let data = lines.removeFirst().data(using: .utf8),
              let header = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("delta_read.py printed no header:\n\(output)")
        }
        self.header = header
        self.rows = sortedLines(lines)
    }
}

/// The first difference between two line lists, for failure messages.
func firstDifference(_ a: [String], _ b: [String]) -> Comment {
    for (index, (x, y)) in zip(a, b).enumerated() where x != y {
        return "line \(index) differs:\n  \(x)\n  \(y)"
    }
    return "counts \(a.count) vs \(b.count)"
}
