/// An XGBoost C API call failed: the function, and XGBoost's own message (`XGBGetLastError`)
/// on one line.
public struct XGBoostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The C function that failed, e.g. `XGBoosterUpdateOneIter`.
    public let operation: String
    public let message: String

    public var description: String { "XGBoost \(operation) failed: \(message)" }
}
