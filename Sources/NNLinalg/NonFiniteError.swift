/// A matrix holding NaN or ±∞, refused before BLAS or LAPACK sees it: LAPACK answers NaN with a
/// misleading "argument 5 was invalid", a non-converged iteration or garbage, never with the cause.
public struct NonFiniteError: Error, CustomStringConvertible, Sendable {
    /// What the matrix is (e.g. `layer_1/weight`); nil: it is described by its shape.
    public let name: String?
    /// The matrix shape.
    public let shape: (rows: Int, cols: Int)
    /// Entries that are NaN.
    public let nanCount: Int
    /// Entries that are +∞ or −∞.
    public let infinityCount: Int

    public init(name: String?, shape: (rows: Int, cols: Int), nanCount: Int, infinityCount: Int) {
        (self.name, self.shape, self.nanCount, self.infinityCount) = (name, shape, nanCount, infinityCount)
    }

    /// The same error with the matrix called `name`.
    public func named(_ name: String) -> NonFiniteError {
        NonFiniteError(name: name, shape: shape, nanCount: nanCount, infinityCount: infinityCount)
    }

    /// E.g. `layer_1/weight has 1 NaN (16 × 4 matrix); its spectrum is undefined`.
    public var description: String {
        var counts: [String] = []
        if nanCount > 0 { counts.append("\(nanCount) NaN") }
        if infinityCount > 0 { counts.append("\(infinityCount) infinite value" + (infinityCount == 1 ? "" : "s")) }
        let subject = name.map { "\($0) has" } ?? "a matrix has"
        return "\(subject) \(counts.joined(separator: " and ")) (\(shape.rows) × \(shape.cols) matrix); its spectrum is undefined"
    }
}

extension Matrix {
    /// Throws `NonFiniteError` (naming the matrix `name`, if given) when any entry is NaN or ±∞.
    /// One pass over the entries; the decompositions call it before every LAPACK routine.
    @inlinable public func requireFinite(name: String? = nil) throws(NonFiniteError) {
        guard !storage.allSatisfy({ $0.isFinite }) else { return }
        let nan = storage.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        let infinite = storage.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
        throw NonFiniteError(name: name, shape: (rows, cols), nanCount: nan, infinityCount: infinite)
    }
}
