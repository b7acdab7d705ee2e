/// Proleptic Gregorian calendar arithmetic on days and microseconds since the Unix epoch,
/// valid far beyond the range of Foundation's calendars.
public enum CivilTime {
    /// The (year, month, day) of `days` since 1970-01-01 (Howard Hinnant's algorithm).
    public static func date(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days since 1970-01-01 of a civil date.
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `YYYY-MM-DD`; years outside 0…9999 are written signed and unpadded.
    public static func formatDate(days: Int64) -> String {
        let (year, month, day) = date(fromDays: days)
        return yearText(year) + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` plus `Z` when `utc`.
    public static func formatTimestamp(micros: Int64, utc: Bool) -> String {
        let (days, microsOfDay) = floorDivide(micros, 86_400_000_000)
        let seconds = microsOfDay / 1_000_000
        let fraction = microsOfDay % 1_000_000
        var text = formatDate(days: days)
        text += "T" + twoDigits(Int(seconds / 3600)) + ":" + twoDigits(Int(seconds / 60 % 60)) + ":" + twoDigits(Int(seconds % 60))
        let fractionText = String(fraction)
        text += "." + String(repeating: "0", count: 6 - fractionText.count) + fractionText
        return utc ? text + "Z" : text
    }

    /// Floor division and its non-negative remainder.
    public static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    private static func yearText(_ year: Int64) -> String {
        guard year >= 0, year <= 9999 else { return String(year) }
        let text = String(year)
        return String(repeating: "0", count: 4 - text.count) + text
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
