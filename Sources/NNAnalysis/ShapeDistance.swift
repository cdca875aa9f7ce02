import Foundation
import NNLinalg

/// The shape metrics of Williams et al. (2021) with orthogonal alignment: how far two
/// representations are apart after the best rotation (and reflection) of one onto the other.
///
/// Rows are centred and each representation scaled to ‖X‖_F = 1. With ‖XᵀY‖_* the nuclear norm
/// (sum of singular values) of the cross-covariance, the best orthogonal Q gives
/// - the Procrustes distance min_Q ‖X − YQ‖_F = √(2 − 2‖XᵀY‖_*), in [0, √2];
/// - the angular distance arccos ‖XᵀY‖_*, in radians, in [0, π/2], a metric on shapes.
/// Different widths p ≠ q are compared as if the narrower were padded with zero units (which
/// leaves ‖XᵀY‖_* unchanged): Q is then p × q with orthonormal columns or rows. Both are 0 for
/// representations equal up to rotation and scale; NaN when either is constant.
public enum ShapeDistance {
    /// ‖XᵀY‖_* / (‖X‖_F‖Y‖_F), clamped to [0, 1]: the cosine of the angular distance.
    public static func alignment(cross: Matrix<Double>, _ x: RepresentationStatistics, _ y: RepresentationStatistics) throws -> Double {
        let denominator = x.squaredNorm.squareRoot() * y.squaredNorm.squareRoot()
        guard denominator > 0 else { return .nan }
        return Swift.min(1, try cross.singularValues().reduce(0, +) / denominator)
    }

    /// √(2 − 2·`alignment`).
    public static func procrustes(alignment: Double) -> Double { (2 - 2 * alignment).squareRoot() }

    /// arccos(`alignment`), radians.
    public static func angular(alignment: Double) -> Double { acos(alignment) }
}
