import Foundation

/// The version stamped into every file nnprobe writes.
public enum NNProbeVersion {
    public static let string = "0.1.0"

    /// Whether files must be reproducible (`SOURCE_DATE_EPOCH` set): no clock readings in them.
    public static var isReproducible: Bool { sourceDateEpoch != nil }

    /// `SOURCE_DATE_EPOCH`, read with `getenv`: `ProcessInfo.environment` copies the whole
    /// environment into a dictionary at each call, twice per checkpoint.
    private static var sourceDateEpoch: String? { getenv("SOURCE_DATE_EPOCH").map { String(cString: $0) } }

    /// Creation time as ISO 8601 (UTC). `SOURCE_DATE_EPOCH` overrides the clock, so files
    /// written twice from the same flags and seed can be made byte-identical.
    public static func timestamp() -> String {
        let date = sourceDateEpoch.flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:)) ?? Date()
        return timestamp(of: date)
    }

    /// `date` as ISO 8601 in UTC to the second (`2026-12-02T20:30:00Z`).
    public static func timestamp(of date: Date) -> String {
        // ISO 8601 in UTC to the second, as ISO8601DateFormatter writes it; by hand in the
        // Gregorian years 1583–9999 (Foundation's calendar is Julian before), since building that
        // formatter (ICU) cost more than writing a small sweep run's checkpoint.
        let since1970 = date.timeIntervalSince1970
        guard since1970 >= -12_212_553_600, since1970 < 253_402_300_800 else {   // also NaN
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: date)
        }
        var seconds = time_t(((since1970 * 1000).rounded() / 1000).rounded(.down)), utc = tm()   // to the millisecond first, as ICU
        gmtime_r(&seconds, &utc)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(utc.tm_year + 1900)-\(two(utc.tm_mon + 1))-\(two(utc.tm_mday))T\(two(utc.tm_hour)):\(two(utc.tm_min)):\(two(utc.tm_sec))Z"
    }
}
