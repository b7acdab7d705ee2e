import Columnar

/// A Datastream `yyyy/MM/dd/HH/mm` folder (UTC), comparable in time order.
public struct MinuteFolder: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Minutes since 1970-01-01T00:00Z.
    public let epochMinutes: Int64

    public init(epochMinutes: Int64) {
        self.epochMinutes = epochMinutes
    }

    /// Parses the five folder segments; nil unless they are zero-padded, in range and a real date.
    public init?(segments: some Collection<Substring>) {
        let parts = Array(segments)
        guard parts.count == 5,
              let year = Self.number(parts[0], digits: 4), let month = Self.number(parts[1], digits: 2),
              let day = Self.number(parts[2], digits: 2), let hour = Self.number(parts[3], digits: 2),
              let minute = Self.number(parts[4], digits: 2),
              (1...12).contains(month), day >= 1, hour <= 23, minute <= 59
        else { return nil }
        let days = CivilTime.days(year: Int64(year), month: month, day: day)
        // Reject 2024/02/30 and friends: the day must survive the round trip.
        guard CivilTime.date(fromDays: days) == (Int64(year), month, day) else { return nil }
        epochMinutes = days * 1440 + Int64(hour * 60 + minute)
    }

    /// `yyyy/MM/dd/HH/mm`.
    public var path: String {
        let (days, minuteOfDay) = CivilTime.floorDivide(epochMinutes, 1440)
        let (year, month, day) = CivilTime.date(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))/\(pad(Int64(month), 2))/\(pad(Int64(day), 2))/\(pad(minuteOfDay / 60, 2))/\(pad(minuteOfDay % 60, 2))"
    }

    public var description: String { path }

    /// This folder moved by `minutes`.
    public func advanced(by minutes: Int64) -> MinuteFolder {
        MinuteFolder(epochMinutes: epochMinutes + minutes)
    }

    public static func < (lhs: MinuteFolder, rhs: MinuteFolder) -> Bool { lhs.epochMinutes < rhs.epochMinutes }

    private static func number(_ text: Substring, digits: Int) -> Int? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }
}
