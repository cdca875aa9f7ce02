/// c[r, j] += a[r, :] · b[j, :] for every row r and column j: a is rows × inner, b is width × inner,
/// c is rows × width, all row-major and contiguous; inner is a multiple of 8.
///
/// Each dot product: eight lanes of fused products over the chunks of eight in order, the lanes
/// then summed in pairs, pairs of pairs, and the two halves; then added to c. The same sums
/// for every value, wherever it falls, so a row's result does not depend on the batch it is in.
/// Eight consecutive values of c are reduced together (one vector of sums instead of eight).
@inline(__always)
func addDotProducts(_ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    rows: Int, inner: Int, width: Int) {
    var r = 0, j = 0
    /// The lanes of the next value's dot product (row-major order of c).
    @inline(__always) func next() -> Vector8 {
        let x = a + r * inner, y = b + j * inner
        var lanes = x.vector() * y.vector()
        for t in stride(from: 8, to: inner, by: 8) { lanes = lanes.addingProduct((x + t).vector(), (y + t).vector()) }
        j += 1
        if j == width { j = 0; r += 1 }
        return lanes
    }
    let total = rows * width
    var p = 0
    while p + 8 <= total {
        let s0 = next(), s1 = next(), s2 = next(), s3 = next(), s4 = next(), s5 = next(), s6 = next(), s7 = next()
        let sums = pairSums(pairSums(pairSums(s0, s1), pairSums(s2, s3)), pairSums(pairSums(s4, s5), pairSums(s6, s7)))
        (c + p).store((c + p).vector() + sums)
        p += 8
    }
    while p < total {
        let halves = pairSums(pairSums(pairSums(next(), .zero), .zero), .zero)
        c[p] += halves[0]
        p += 1
    }
}

/// Neighbouring lanes of `x` summed, then those of `y`: [x₀+x₁, x₂+x₃, x₄+x₅, x₆+x₇, y₀+y₁, …].
/// Applied three times to eight vectors, it gives their eight lane sums in order.
@inline(__always)
private func pairSums(_ x: Vector8, _ y: Vector8) -> Vector8 {
    Vector8(lowHalf: x.evenHalf + x.oddHalf, highHalf: y.evenHalf + y.oddHalf)
}
