/// A dense row-major matrix: element (i, j) is `storage[i * cols + j]`.
public struct Matrix<Scalar: LinalgScalar>: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// The elements, row after row (`rows * cols` of them).
    public var storage: [Scalar]

    /// A `rows × cols` matrix filled with `value`.
    @inlinable public init(rows: Int, cols: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows
        self.cols = cols
        self.storage = Array(repeating: value, count: rows * cols)
    }

    /// Wraps row-major `storage`; its count must be `rows * cols`.
    @inlinable public init(rows: Int, cols: Int, storage: [Scalar]) {
        precondition(rows >= 0 && cols >= 0 && storage.count == rows * cols,
                     "storage of \(storage.count) elements does not fill \(rows) × \(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Builds a matrix from nested rows, all of the same length.
    @inlinable public init(_ nested: [[Scalar]]) {
        let cols = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: nested.count, cols: cols, storage: nested.flatMap { $0 })
    }

    /// The `n × n` identity.
    @inlinable public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// Element (i, j).
    @inlinable public subscript(i: Int, j: Int) -> Scalar {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// `(rows, cols)`.
    public var shape: (rows: Int, cols: Int) { (rows, cols) }

    /// Row `i` as an array.
    @inlinable public func row(_ i: Int) -> [Scalar] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

    /// Column `j` as an array.
    @inlinable public func column(_ j: Int) -> [Scalar] { (0..<rows).map { self[$0, j] } }

    /// The transpose.
    @inlinable public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t[j, i] = self[i, j] } }
        return t
    }

    /// The same values converted to another scalar type.
    @inlinable public func converted<Other: LinalgScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, cols: cols, storage: storage.map { Other($0) })
    }
}
