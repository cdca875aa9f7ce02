import CDNNL

/// A oneDNN call that did not succeed: which operation (and layer shape), and oneDNN's status.
public struct DNNLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was being done, e.g. "creating the forward convolution for 128×16×32×32 → 32, 3×3 stride 2 padding 1".
    public let operation: String
    /// oneDNN's status name (`out_of_memory`, `unimplemented`, …).
    public let status: String

    public var description: String { "oneDNN: \(operation) failed (\(status))" }
}

/// Throws a `DNNLError` for `operation` unless `status` is success.
@inline(__always)
func check(_ status: dnnl_status_t, _ operation: @autoclosure () -> String) throws(DNNLError) {
    guard status != dnnl_success else { return }
    throw DNNLError(operation: operation(), status: String(cString: dnnl_status2str(status)))
}
