/// A dense row-major matrix of complex Float64 numbers, real and imaginary parts interleaved:
/// entry (i, j) is `storage[2 · (i · cols + j)] + i · storage[2 · (i · cols + j) + 1]`.
///
/// Just enough of a complex type for the spectra that need one (a convolution's per-frequency
/// matrices); arithmetic stays with the caller.
public struct ComplexMatrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// (re, im) of every entry, row after row (`2 · rows · cols` doubles).
    public var storage: [Double]

    /// A `rows × cols` matrix of zeros.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows
        self.cols = cols
        storage = Array(repeating: 0, count: 2 * rows * cols)
    }

    /// Wraps interleaved row-major `storage`; its count must be `2 · rows · cols`.
    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(rows >= 0 && cols >= 0 && storage.count == 2 * rows * cols,
                     "storage of \(storage.count) doubles does not fill a \(rows) × \(cols) complex matrix")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Entry (i, j) as (real part, imaginary part).
    public subscript(i: Int, j: Int) -> (re: Double, im: Double) {
        get { (storage[2 * (i * cols + j)], storage[2 * (i * cols + j) + 1]) }
        set {
            storage[2 * (i * cols + j)] = newValue.re
            storage[2 * (i * cols + j) + 1] = newValue.im
        }
    }

    /// `(rows, cols)`.
    public var shape: (rows: Int, cols: Int) { (rows, cols) }

    /// Throws `NonFiniteError` (naming the matrix `name`, if given) when any real or imaginary
    /// part is NaN or ±∞; counts are of such parts.
    public func requireFinite(name: String? = nil) throws(NonFiniteError) {
        guard !storage.allSatisfy({ $0.isFinite }) else { return }
        throw NonFiniteError(name: name, shape: (rows, cols), nanCount: storage.filter(\.isNaN).count,
                             infinityCount: storage.filter(\.isInfinite).count)
    }
}
