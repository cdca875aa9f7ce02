import Foundation
import NNLinalg
import NNSmallProducts

// Row-major kernels on raw buffers, one per operation and direction. Shapes are named in
// the signature; `B` is the number of rows. Backward kernels accumulate into their outputs, or
// set them (`overwrite`) where the step is the only reader of its input (`setsInputGradient`).

/// out (B × o) = x (B × i) · Wᵀ (W: o × i) + b  (or += with `accumulate`)
///
/// The bias is laid into `out` first so the product is added in the same pass. Training passes
/// may multiply small shapes with NNSmallProducts' kernels (`addProduct`); inference passes
/// (evaluation, dumps, analyses) always with BLAS, so the activations a checkpoint gives are the
/// same bits on every CPU and as before those kernels.
@inline(__always)
func affineForward<T: LinalgScalar>(out: UnsafeMutablePointer<T>, x: UnsafePointer<T>, w: UnsafePointer<T>,
                                    b: UnsafePointer<T>, rows: Int, inputs: Int, outputs: Int, accumulate: Bool = false,
                                    training: Bool) {
    if accumulate {
        for r in 0..<rows {
            let row = out + r * outputs
            for j in 0..<outputs { row[j] += b[j] }
        }
    } else if rows > 0 {
        // The bias in the first row, then the rows filled so far copied after themselves (1, 2,
        // 4, … rows): a few block copies instead of a loop per row, which stalled on narrow rows.
        out.update(from: b, count: outputs)
        var filled = 1
        while filled < rows {
            let count = min(filled, rows - filled)
            (out + filled * outputs).update(from: out, count: count * outputs)
            filled += count
        }
    }
    guard inputs > 0, rows > 0 else { return }
    addProduct(transA: false, transB: true, m: rows, n: outputs, k: inputs, a: x, b: w, c: out, smallKernels: training)
}

/// dW (o × i) += dOutᵀ · x;  db (o) += Σ_rows dOut;  dx (B × i) += dOut · W  (when dx is given;
/// with `overwriteDx`, dx = 0 + dOut · W without reading dx)
@inline(__always)
func affineBackward<T: LinalgScalar>(dW: UnsafeMutablePointer<T>, db: UnsafeMutablePointer<T>,
                                     dx: UnsafeMutablePointer<T>?, dOut: UnsafePointer<T>, x: UnsafePointer<T>,
                                     w: UnsafePointer<T>, rows: Int, inputs: Int, outputs: Int, overwriteDx: Bool = false) {
    guard rows > 0 else { return }
    if inputs > 0 {
        addProduct(transA: true, transB: false, m: outputs, n: inputs, k: rows, a: dOut, b: x, c: dW)
        if let dx {
            addProduct(transA: false, transB: false, m: rows, n: inputs, k: outputs, a: dOut, b: w, c: dx, overwrite: overwriteDx)
        }
    }
    addColumnSums(of: dOut, rows: rows, columns: outputs, into: db)
}

/// sums (c) += Σ_rows m (rows × c), as `addColumnSumsInOrder` sums: for Float rows of an even
/// width up to 16, NNSmallProducts' AVX2 loop on CPUs that have it (the same sums, bit for bit).
@inline(__always)
func addColumnSums<T: LinalgScalar>(of m: UnsafePointer<T>, rows: Int, columns c: Int, into sums: UnsafeMutablePointer<T>) {
    if T.self == Float.self, cpuRunsSmallProducts,
       SmallElementwise.addColumnSums(of: m.floats, rows: rows, columns: c, into: sums.floats) {
        return
    }
    addColumnSumsInOrder(of: m, rows: rows, columns: c, into: sums)
}

/// sums (c) += Σ_rows m (rows × c): four partial sums per column (rows r mod 4), added pairwise,
/// then the rows left over: four additions in flight per column instead of one chain through memory.
@inline(__always)
func addColumnSumsInOrder<T: LinalgScalar>(of m: UnsafePointer<T>, rows: Int, columns c: Int, into sums: UnsafeMutablePointer<T>) {
    withUnsafeTemporaryAllocation(of: T.self, capacity: 4 * c) { buffer in
        let partial = buffer.baseAddress!
        partial.initialize(repeating: 0, count: 4 * c)
        var r = 0
        while r + 4 <= rows {
            for q in 0..<4 {
                let row = m + (r + q) * c, part = partial + q * c
                for j in 0..<c { part[j] += row[j] }
            }
            r += 4
        }
        for j in 0..<c { sums[j] += (partial[j] + partial[c + j]) + (partial[2 * c + j] + partial[3 * c + j]) }
        while r < rows {
            let row = m + r * c
            for j in 0..<c { sums[j] += row[j] }
            r += 1
        }
    }
}

/// out = act(pre), element-wise over `count` values.
@inline(__always)
func activationForward<T: LinalgScalar>(_ activation: Activation, out: UnsafeMutablePointer<T>,
                                        pre: UnsafePointer<T>, count: Int) {
    switch activation {
    case .relu where T.self == Float.self && cpuRunsSmallProducts:
        SmallElementwise.relu(out: out.floats, pre: pre.floats, count: count)
    case .relu: for k in 0..<count { out[k] = pre[k] > 0 ? pre[k] : 0 }
    case .identity: out.update(from: pre, count: count)
    case .tanh: for k in 0..<count { out[k] = T(Foundation.tanh(Double(pre[k]))) }
    case .gelu:
        for k in 0..<count {
            let x = Double(pre[k])
            out[k] = T(0.5 * x * (1 + erf(x / 2.0.squareRoot())))
        }
    }
}

/// d += dOut · act′(pre), element-wise (ReLU′(0) = 0 as in PyTorch; GELU is the exact erf form);
/// with `overwrite`, d = 0 + dOut · act′(pre) without reading d first (the bits of adding onto d
/// set to +0).
///
/// `d` and `dOut` are different buffers, so every store is unconditional and the ReLU loop
/// vectorises (a conditional store would branch on random signs).
@inline(__always)
func activationBackward<T: LinalgScalar>(_ activation: Activation, adding d: UnsafeMutablePointer<T>,
                                         dOut: UnsafePointer<T>, pre: UnsafePointer<T>, count: Int, overwrite: Bool = false) {
    if activation == .relu, T.self == Float.self, cpuRunsSmallProducts {
        SmallElementwise.addReLUGradient(d.floats, dOut: dOut.floats, pre: pre.floats, count: count, overwrite: overwrite)
        return
    }
    if overwrite { d.initialize(repeating: 0, count: count) }
    switch activation {
    case .relu:
        for k in 0..<count {
            let g = dOut[k]   // loaded unconditionally, so the select needs no branch
            d[k] += pre[k] > 0 ? g : 0
        }
    case .identity: for k in 0..<count { d[k] += dOut[k] }
    case .tanh:
        for k in 0..<count {
            let t = Foundation.tanh(Double(pre[k]))
            d[k] += dOut[k] * T(1 - t * t)
        }
    case .gelu:
        for k in 0..<count {
            let x = Double(pre[k])
            let cdf = 0.5 * (1 + erf(x / 2.0.squareRoot()))
            let pdf = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            d[k] += dOut[k] * T(cdf + x * pdf)
        }
    }
}

extension UnsafePointer {
    /// This pointer's memory as Float (where `Pointee` is Float: the callers check `T.self == Float.self`).
    @inline(__always) var floats: UnsafePointer<Float> { UnsafeRawPointer(self).assumingMemoryBound(to: Float.self) }
}

extension UnsafeMutablePointer {
    /// This pointer's memory as Float (where `Pointee` is Float: the callers check `T.self == Float.self`).
    @inline(__always) var floats: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: Float.self) }
}
