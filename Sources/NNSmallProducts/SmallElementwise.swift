/// The element-wise work of a small net's training pass in Float with AVX2: ReLU forward and
/// backward, and the column sums of a bias gradient. Eight values per instruction where the
/// baseline build (SSE2) takes four; every value is computed exactly as NNModel's generic loops
/// compute it, so results are the same bits whichever runs.
///
/// Call only where `nnp_cpu_runs_haswell_code()` (CCPUFeatures) says the CPU runs this module.
public enum SmallElementwise {
    /// out[k] = pre[k] > 0 ? pre[k] : 0 for k < count (NaN and −0 give +0).
    @inline(never)
    public static func relu(out: UnsafeMutablePointer<Float>, pre: UnsafePointer<Float>, count: Int) {
        var k = 0
        while k + 8 <= count {
            let x = (pre + k).vector()
            (out + k).store(Vector8().replacing(with: x, where: x .> 0))
            k += 8
        }
        while k < count {
            out[k] = pre[k] > 0 ? pre[k] : 0
            k += 1
        }
    }

    /// d[k] += pre[k] > 0 ? dOut[k] : 0 for k < count: ReLU's backward pass. With `overwrite`,
    /// d[k] = 0 + (pre[k] > 0 ? dOut[k] : 0) without reading d (the bits of adding onto d set to +0).
    @inline(never)
    public static func addReLUGradient(_ d: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                                       pre: UnsafePointer<Float>, count: Int, overwrite: Bool = false) {
        var k = 0
        while k + 8 <= count {
            let kept = Vector8().replacing(with: (dOut + k).vector(), where: (pre + k).vector() .> 0)
            (d + k).store((overwrite ? Vector8() : (d + k).vector()) + kept)
            k += 8
        }
        while k < count {
            d[k] = (overwrite ? 0 : d[k]) + (pre[k] > 0 ? dOut[k] : 0)
            k += 1
        }
    }

    /// Mean squared error's sums over `count` predictions `y` and targets `t`: the squared
    /// differences' sum, and how many differences lie within ±`tolerance`; with `gradient`, also
    /// gradient[k] = Float(gradientScale · (y[k] − t[k])). In Float64, as NNModel's generic loop
    /// computes them, value for value: four partial sums (k mod 4, each in order) added
    /// pairwise, then the values left over in order; four Float64 lanes per instruction.
    @inline(never)
    public static func meanSquaredError(_ y: UnsafePointer<Float>, _ t: UnsafePointer<Float>, count n: Int, tolerance: Double,
                                        gradientScale: Double, gradient: UnsafeMutablePointer<Float>?) -> (squares: Double, within: Int) {
        var partial = SIMD4<Double>(), counts = SIMD4<Int64>()
        let high = SIMD4<Double>(repeating: tolerance), low = SIMD4<Double>(repeating: -tolerance)
        var k = 0
        while k + 4 <= n {
            let diff = SIMD4<Double>(UnsafeRawPointer(y + k).loadUnaligned(as: SIMD4<Float>.self))
                - SIMD4<Double>(UnsafeRawPointer(t + k).loadUnaligned(as: SIMD4<Float>.self))
            if let gradient {
                UnsafeMutableRawPointer(gradient + k).storeBytes(of: SIMD4<Float>(SIMD4<Double>(repeating: gradientScale) * diff),
                                                                 as: SIMD4<Float>.self)
            }
            partial += diff * diff
            counts &+= SIMD4<Int64>().replacing(with: 1, where: (diff .<= high) .& (diff .>= low))
            k += 4
        }
        var squares = (partial[0] + partial[1]) + (partial[2] + partial[3])
        var within = Int(counts.wrappedSum())
        while k < n {
            let diff = Double(y[k]) - Double(t[k])
            gradient?[k] = Float(gradientScale * diff)
            squares += diff * diff
            if abs(diff) <= tolerance { within += 1 }
            k += 1
        }
        return (squares, within)
    }

    /// The widest rows `addColumnSums` takes (its accumulators stay in registers).
    public static let widestColumnSums = 16

    /// sums[j] += Σ_r m[r, j] (m: rows × columns, row-major) when `columns` is even and at most
    /// `widestColumnSums`, returning whether it did (false: sums untouched).
    ///
    /// The order of NNModel's generic `addColumnSums`, value for value: four partial sums per
    /// column (rows r mod 4, each in row order) over the whole groups of four rows, added
    /// pairwise to the sum; then the rows left over, in order. Four rows of an even width are a
    /// whole number of vectors, each lane one (row mod 4, column) partial sum.
    @inline(never)
    public static func addColumnSums(of m: UnsafePointer<Float>, rows: Int, columns c: Int,
                                     into sums: UnsafeMutablePointer<Float>) -> Bool {
        guard c > 0, c % 2 == 0, c <= widestColumnSums else { return false }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * widestColumnSums) { buffer in
            let partial = buffer.baseAddress!, groups = rows / 4, group = 4 * c
            switch c {
            case 2: partialSums(m, groups: groups, into: partial, vectors: 1)
            case 4: partialSums(m, groups: groups, into: partial, vectors: 2)
            case 8: partialSums(m, groups: groups, into: partial, vectors: 4)
            case 16: partialSums(m, groups: groups, into: partial, vectors: 8)
            default:
                partial.initialize(repeating: 0, count: group)
                for g in 0..<groups {
                    let block = m + g * group
                    for v in stride(from: 0, to: group, by: 8) { (partial + v).store((partial + v).vector() + (block + v).vector()) }
                }
            }
            for j in 0..<c { sums[j] += (partial[j] + partial[c + j]) + (partial[2 * c + j] + partial[3 * c + j]) }
            for r in (4 * groups)..<rows {
                let row = m + r * c
                for j in 0..<c { sums[j] += row[j] }
            }
        }
        return true
    }

    /// The lane-wise sums of `groups` blocks of `vectors` vectors each, in block order, into
    /// `partial`: with `vectors` a constant at the call, the sums stay in registers.
    @inline(__always)
    private static func partialSums(_ m: UnsafePointer<Float>, groups: Int, into partial: UnsafeMutablePointer<Float>, vectors: Int) {
        var acc = (Vector8(), Vector8(), Vector8(), Vector8(), Vector8(), Vector8(), Vector8(), Vector8())
        for g in 0..<groups {
            let block = m + g * vectors * 8
            acc.0 += block.vector()
            if vectors > 1 { acc.1 += (block + 8).vector() }
            if vectors > 2 { acc.2 += (block + 16).vector(); acc.3 += (block + 24).vector() }
            if vectors > 4 {
                acc.4 += (block + 32).vector(); acc.5 += (block + 40).vector()
                acc.6 += (block + 48).vector(); acc.7 += (block + 56).vector()
            }
        }
        partial.store(acc.0)
        if vectors > 1 { (partial + 8).store(acc.1) }
        if vectors > 2 { (partial + 16).store(acc.2); (partial + 24).store(acc.3) }
        if vectors > 4 {
            (partial + 32).store(acc.4); (partial + 40).store(acc.5)
            (partial + 48).store(acc.6); (partial + 56).store(acc.7)
        }
    }
}
