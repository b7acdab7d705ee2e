/// Exact text conversion for 128-bit unscaled decimals.
public enum Decimal128Text {
    /// Powers of ten that fit in `Int128` (10^0 … 10^38).
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// Whether `unscaled` has at most `precision` digits.
    public static func fits(_ unscaled: Int128, precision: Int) -> Bool {
        guard precision >= 1, precision <= 38 else { return precision > 38 }
        let limit = powersOfTen[precision]
        return unscaled < limit && unscaled > -limit
    }

    /// `unscaled × 10^-scale` as plain decimal text that keeps every digit of the scale,
    /// for example `(-12340, 3)` → `"-12.340"`, `(0, 2)` → `"0.00"`. A negative scale appends zeros.
    public static func format(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        // The magnitude as unsigned, so Int128.min is fine.
        var magnitude = unscaled.magnitude
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(magnitude % 10) + 48)
            magnitude /= 10
        } while magnitude > 0
        if scale < 0 {
            digits.insert(contentsOf: [UInt8](repeating: 48, count: -scale), at: 0)
        }
        let fraction = max(scale, 0)
        while digits.count <= fraction { digits.append(48) }
        var text: [UInt8] = []
        text.reserveCapacity(digits.count + 2)
        if negative { text.append(45) }
        for index in stride(from: digits.count - 1, through: fraction, by: -1) { text.append(digits[index]) }
        if fraction > 0 {
            text.append(46)
            for index in stride(from: fraction - 1, through: 0, by: -1) { text.append(digits[index]) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses plain decimal text (`-12.5`, `+3`, `.5`, `1e3` not allowed) into an unscaled value at
    /// `scale`, exactly. Extra fractional digits must be zeros; otherwise the value does not fit.
    public static func parse(_ text: some StringProtocol, scale: Int) throws(ColumnarError) -> Int128 {
        var utf8 = Array(text.utf8)[...]
        var negative = false
        if let first = utf8.first, first == 45 || first == 43 {
            negative = first == 45
            utf8 = utf8.dropFirst()
        }
        var value: Int128 = 0
        var fractionDigits = 0
        var sawDot = false
        var sawDigit = false
        func invalid() -> ColumnarError { ColumnarError(.invalidText, "'\(text)' is not a decimal number") }
        func overflow() -> ColumnarError { ColumnarError(.valueOutOfRange, "'\(text)' does not fit a 38-digit decimal with scale \(scale)") }
        for byte in utf8 {
            if byte == 46 {
                if sawDot { throw invalid() }
                sawDot = true
                continue
            }
            guard byte >= 48, byte <= 57 else { throw invalid() }
            sawDigit = true
            let digit = Int128(byte - 48)
            if sawDot {
                fractionDigits += 1
                if fractionDigits > scale {
                    if digit != 0 { throw ColumnarError(.valueOutOfRange, "'\(text)' has more than \(scale) fractional digits") }
                    continue
                }
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(digit)
            if o1 || o2 { throw overflow() }
            value = next
        }
        guard sawDigit else { throw invalid() }
        let missing = scale - min(fractionDigits, scale)
        if missing > 0 {
            guard missing <= 38 else { throw overflow() }
            let (scaled, o) = value.multipliedReportingOverflow(by: powersOfTen[missing])
            if o { throw overflow() }
            value = scaled
        }
        return negative ? -value : value
    }
}
