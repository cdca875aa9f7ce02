import NNLinalg

/// A way to compare two representations of the same rows (see each measure's type for its formula).
public enum SimilarityMeasure: String, CaseIterable, Codable, Sendable {
    /// Linear CKA (`LinearCKA`): 1 = the same up to rotation and scale.
    case cka
    /// Debiased linear CKA (`DebiasedCKA`): ≈ 0 for independent representations even when rows are few.
    case debiasedCKA = "debiased-cka"
    /// Orthogonal Procrustes distance (`ShapeDistance.procrustes`): 0 = the same up to rotation and scale.
    case procrustes
    /// Angular shape distance in radians (`ShapeDistance.angular`): 0 = the same up to rotation and scale.
    case angular
    /// SVCCA, the mean canonical correlation of the 99 %-variance subspaces (`SVCCA`).
    case svcca

    /// True for distances (0 = identical), false for similarities (1 = identical).
    public var isDistance: Bool { self == .procrustes || self == .angular }

    /// The measure of representations `x` and `y` of the same rows, from their statistics, their
    /// cross-covariance XᵀY (p × q, centred rows) and Σᵢ‖xᵢ‖²‖yᵢ‖² (`rowProduct`, read by debiased CKA only).
    public func value(_ x: RepresentationStatistics, _ y: RepresentationStatistics, cross: Matrix<Double>, rowProduct: Double) throws -> Double {
        switch self {
        case .cka:
            LinearCKA.value(crossSquaredNorm: cross.squaredFrobeniusNorm, x, y)
        case .debiasedCKA:
            DebiasedCKA.value(crossSquaredNorm: cross.squaredFrobeniusNorm, rowProduct: rowProduct, x, y)
        case .procrustes:
            ShapeDistance.procrustes(alignment: try ShapeDistance.alignment(cross: cross, x, y))
        case .angular:
            ShapeDistance.angular(alignment: try ShapeDistance.alignment(cross: cross, x, y))
        case .svcca:
            try SVCCA.value(cross: cross, x, y)
        }
    }

    /// The measure of two representations given as matrices of the same n rows (n × p and n × q).
    public func value(_ x: Matrix<Double>, _ y: Matrix<Double>) throws -> Double {
        precondition(x.rows == y.rows, "representations of \(x.rows) and \(y.rows) rows")
        let cx = x.centredColumns(), cy = y.centredColumns()
        var cross = Matrix<Double>(rows: x.cols, cols: y.cols)
        gemm(cx, transposeA: true, cy, into: &cross)
        let a = cx.rowSquaredNorms(), b = cy.rowSquaredNorms()
        return try value(RepresentationStatistics(gram: cx.gram(), rowSquaredNorms: a),
                         RepresentationStatistics(gram: cy.gram(), rowSquaredNorms: b),
                         cross: cross, rowProduct: zip(a, b).reduce(0) { $0 + $1.0 * $1.1 })
    }
}
