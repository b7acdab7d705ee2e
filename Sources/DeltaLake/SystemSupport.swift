#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Random UUID text (lowercase, as Spark writes it).
enum UUIDText {
    static func random() -> String { UUID().uuidString.lowercased() }
}

/// Wall-clock milliseconds since the Unix epoch.
enum WallClock {
    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
