import Columnar

/// Parses the timestamp spellings Datastream writes in JSON files.
///
/// Accepted: `YYYY-MM-DD` + `T` or space + `HH:MM:SS`, an optional fraction of 1–9 digits, and an
/// optional zone: `Z`, `+HH:MM`, `-HH:MM`, `+HHMM`. A zoneless value is UTC, as Google's own JSON
/// consumer treats it. Digits beyond microseconds are truncated toward the past (Delta timestamps
/// are microseconds).
enum TimestampText {
    /// Microseconds since the epoch, or nil when `bytes` is not a timestamp.
    static func parseMicros(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let n = bytes.count
        guard n >= 19 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + count) {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == 45, let month = digits(5, 2), bytes[7] == 45,
              let day = digits(8, 2), bytes[10] == 84 || bytes[10] == 32 || bytes[10] == 116,
              let hour = digits(11, 2), bytes[13] == 58, let minute = digits(14, 2), bytes[16] == 58,
              let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: Int(month)),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var micros: Int64 = 0
        if index < n, bytes[index] == 46 {
            index += 1
            var fractionDigits = 0
            while index < n, bytes[index] >= 48, bytes[index] <= 57 {
                if fractionDigits < 6 { micros = micros * 10 + Int64(bytes[index] - 48) }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits >= 1, fractionDigits <= 9 else { return nil }
            for _ in min(fractionDigits, 6)..<6 { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if index < n {
            let zone = bytes[index]
            if zone == 90 || zone == 122 {
                index += 1
            } else if zone == 43 || zone == 45 {
                let sign: Int64 = zone == 45 ? -1 : 1
                index += 1
                guard index + 2 <= n, let hours = digits(index, 2) else { return nil }
                index += 2
                if index < n, bytes[index] == 58 { index += 1 }
                guard index + 2 <= n, let minutes = digits(index, 2), hours <= 23, minutes <= 59 else { return nil }
                index += 2
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
        }
        guard index == n else { return nil }
        let days = CivilTime.days(year: year, month: Int(month), day: Int(day))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000 + micros
    }

    static func parseMicros(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseMicros(UnsafeRawBufferPointer($0)) }
    }

    private static func daysInMonth(year: Int64, month: Int) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
