/// A LAPACK routine reported failure.
public struct LinalgError: Error, CustomStringConvertible, Sendable {
    /// The LAPACK routine, e.g. `gesdd`.
    public let routine: String
    /// LAPACK's `info` code (negative: bad argument; positive: no convergence).
    public let info: Int
    /// The matrix shape that was being decomposed.
    public let shape: (rows: Int, cols: Int)

    @usableFromInline init(routine: String, info: Int, shape: (rows: Int, cols: Int)) {
        (self.routine, self.info, self.shape) = (routine, info, shape)
    }

    public var description: String {
        let reason = info < 0 ? "argument \(-info) was invalid" : "did not converge (info = \(info))"
        return "\(routine) on a \(shape.rows) × \(shape.cols) matrix: \(reason)"
    }
}
