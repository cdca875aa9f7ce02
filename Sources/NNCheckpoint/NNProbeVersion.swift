import Foundation

/// The version stamped into every file nnprobe writes.
public enum NNProbeVersion {
    public static let string = "0.1.0"

    /// Whether files must be reproducible (`SOURCE_DATE_EPOCH` set): no clock readings in them.
    public static var isReproducible: Bool { ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] != nil }

    /// Creation time as ISO 8601 (UTC). `SOURCE_DATE_EPOCH` overrides the clock, so files
    /// written twice from the same flags and seed can be made byte-identical.
    public static func timestamp() -> String {
        let environment = ProcessInfo.processInfo.environment
        let date = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:)) ?? Date()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
