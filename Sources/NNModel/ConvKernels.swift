import NNLinalg

// Convolution kernels on raw NCHW buffers, one per operation and direction, for one image at a
// time (`g` the window; the caller loops over the batch). Backward kernels accumulate.

/// cols (C·kh·kw × oh·ow) ← the input image x (C × H × W) unrolled: column p holds the patch
/// under output position p, zeros where the window lies on padding.
@inline(__always)
func im2col<T: LinalgScalar>(cols: UnsafeMutablePointer<T>, x: UnsafePointer<T>, g: ConvGeometry) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    var row = 0
    for c in 0..<g.channels {
        let plane = x + c * g.height * g.width
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let out = cols + row * oh * ow
                for oy in 0..<oh {
                    let iy = oy * g.stride - g.padding + ky
                    for ox in 0..<ow {
                        let ix = ox * g.stride - g.padding + kx
                        out[oy * ow + ox] = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width ? plane[iy * g.width + ix] : 0
                    }
                }
                row += 1
            }
        }
    }
}

/// dx (C × H × W) += the columns folded back onto the image (the adjoint of `im2col`).
@inline(__always)
func col2imAdd<T: LinalgScalar>(dx: UnsafeMutablePointer<T>, cols: UnsafePointer<T>, g: ConvGeometry) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    var row = 0
    for c in 0..<g.channels {
        let plane = dx + c * g.height * g.width
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let column = cols + row * oh * ow
                for oy in 0..<oh {
                    let iy = oy * g.stride - g.padding + ky
                    guard iy >= 0 && iy < g.height else { continue }
                    for ox in 0..<ow {
                        let ix = ox * g.stride - g.padding + kx
                        if ix >= 0 && ix < g.width { plane[iy * g.width + ix] += column[oy * ow + ox] }
                    }
                }
                row += 1
            }
        }
    }
}

/// out (Cout × oh·ow) = W (Cout × C·kh·kw) · cols + b, for one image; `cols` is scratch of
/// C·kh·kw × oh·ow.
@inline(__always)
func conv2dForward<T: LinalgScalar>(out: UnsafeMutablePointer<T>, x: UnsafePointer<T>, w: UnsafePointer<T>,
                                   b: UnsafePointer<T>?, cols: UnsafeMutablePointer<T>, g: ConvGeometry, outChannels: Int) {
    let positions = g.positions
    for o in 0..<outChannels {
        let value = b?[o] ?? 0
        (out + o * positions).update(repeating: value, count: positions)
    }
    im2col(cols: cols, x: x, g: g)
    T._gemm(transA: false, transB: false, m: outChannels, n: positions, k: g.patchSize, alpha: 1, a: w, lda: g.patchSize,
            b: cols, ldb: positions, beta: 1, c: out, ldc: positions)
}

/// dW (Cout × C·kh·kw) += dOut · colsᵀ;  db (Cout) += Σ_positions dOut;  dx (C × H × W) += col2im(Wᵀ · dOut)
/// when dx is given. `cols` is scratch (refilled from x), `dCols` scratch of the same size.
@inline(__always)
func conv2dBackward<T: LinalgScalar>(dW: UnsafeMutablePointer<T>, db: UnsafeMutablePointer<T>?, dx: UnsafeMutablePointer<T>?,
                                    dOut: UnsafePointer<T>, x: UnsafePointer<T>, w: UnsafePointer<T>,
                                    cols: UnsafeMutablePointer<T>, dCols: UnsafeMutablePointer<T>, g: ConvGeometry, outChannels: Int) {
    let positions = g.positions
    im2col(cols: cols, x: x, g: g)
    T._gemm(transA: false, transB: true, m: outChannels, n: g.patchSize, k: positions, alpha: 1, a: dOut, lda: positions,
            b: cols, ldb: positions, beta: 1, c: dW, ldc: g.patchSize)
    if let db {
        for o in 0..<outChannels {
            let row = dOut + o * positions
            var sum = T.zero
            for p in 0..<positions { sum += row[p] }
            db[o] += sum
        }
    }
    guard let dx else { return }
    T._gemm(transA: true, transB: false, m: g.patchSize, n: positions, k: outChannels, alpha: 1, a: w, lda: g.patchSize,
            b: dOut, ldb: positions, beta: 0, c: dCols, ldc: positions)
    col2imAdd(dx: dx, cols: dCols, g: g)
}

/// out (C × oh·ow) = the maximum under each window (padding never wins, and NaN does, as in
/// PyTorch); `argmax` records each maximum's index into the image's C·H·W values (the first
/// of equal maxima, in row-major window order).
///
/// Windows that lie wholly inside the image horizontally go a whole output row at a time, one
/// window element after another, with no bounds checks; the few clipped windows at the edges go
/// one by one. (Float networks pool with oneDNN, `DNNLMaxPooling`: this kernel, with the
/// compare-and-select the compiler still turns into a branch taken at random, was 25–37 % of a
/// small CNN's training step.)
@inline(__always)
func maxPoolForward<T: LinalgScalar>(out: UnsafeMutablePointer<T>, argmax: UnsafeMutablePointer<Int32>,
                                    x: UnsafePointer<T>, g: ConvGeometry) {
    let (oh, ow, s, p, kw) = (g.outHeight, g.outWidth, g.stride, g.padding, g.kernelWidth)
    // Output columns whose window starts at or after column 0 and ends by the last one.
    let inside = min(ow, (p + s - 1) / s)..<max(min(ow, (p + s - 1) / s), min(ow, (g.width - kw + p) / s + 1))
    for c in 0..<g.channels {
        let plane = c * g.height * g.width
        for oy in 0..<oh {
            let top = oy * s - p
            let rows = max(0, top)..<min(g.height, top + g.kernelHeight)
            let best = out + (c * oh + oy) * ow, at = argmax + (c * oh + oy) * ow
            for ox in 0..<ow where !inside.contains(ox) {
                let left = ox * s - p
                let columns = max(0, left)..<min(g.width, left + kw)
                var i = plane + rows.lowerBound * g.width + columns.lowerBound
                var top = x[i]
                for iy in rows {
                    for ix in columns {
                        let j = plane + iy * g.width + ix, v = x[j]
                        let take = (v > top) != (v != v)   // v > top, or v is NaN (never both)
                        top = take ? v : top
                        i = take ? j : i
                    }
                }
                best[ox] = top
                at[ox] = Int32(truncatingIfNeeded: i)
            }
            guard !inside.isEmpty else { continue }
            for ox in inside {
                let i = plane &+ rows.lowerBound &* g.width &+ ox &* s &- p
                best[ox] = x[i]
                at[ox] = Int32(truncatingIfNeeded: i)
            }
            for iy in rows {
                let row = plane &+ iy &* g.width &- p
                for kx in (iy == rows.lowerBound ? 1 : 0)..<kw {
                    for ox in inside {
                        let j = row &+ ox &* s &+ kx, v = x[j]
                        let take = (v > best[ox]) != (v != v)
                        best[ox] = take ? v : best[ox]
                        at[ox] = take ? Int32(truncatingIfNeeded: j) : at[ox]
                    }
                }
            }
        }
    }
}

/// dx (C × H × W) += dOut routed to the position each window's maximum came from.
@inline(__always)
func maxPoolBackward<T: LinalgScalar>(dx: UnsafeMutablePointer<T>, dOut: UnsafePointer<T>,
                                     argmax: UnsafePointer<Int32>, outputs: Int) {
    for o in 0..<outputs { dx[Int(argmax[o])] += dOut[o] }
}

/// out (C × oh·ow) = the mean under each window, padding counted as zeros in the divisor
/// (PyTorch's `count_include_pad=True`).
@inline(__always)
func avgPoolForward<T: LinalgScalar>(out: UnsafeMutablePointer<T>, x: UnsafePointer<T>, g: ConvGeometry) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    let divisor = T(g.kernelHeight * g.kernelWidth)
    for c in 0..<g.channels {
        for oy in 0..<oh {
            for ox in 0..<ow {
                var sum = T.zero
                for ky in 0..<g.kernelHeight {
                    let iy = oy * g.stride - g.padding + ky
                    guard iy >= 0 && iy < g.height else { continue }
                    for kx in 0..<g.kernelWidth {
                        let ix = ox * g.stride - g.padding + kx
                        if ix >= 0 && ix < g.width { sum += x[(c * g.height + iy) * g.width + ix] }
                    }
                }
                out[(c * oh + oy) * ow + ox] = sum / divisor
            }
        }
    }
}

/// dx (C × H × W) += each window's dOut spread evenly over the window.
@inline(__always)
func avgPoolBackward<T: LinalgScalar>(dx: UnsafeMutablePointer<T>, dOut: UnsafePointer<T>, g: ConvGeometry) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    let divisor = T(g.kernelHeight * g.kernelWidth)
    for c in 0..<g.channels {
        for oy in 0..<oh {
            for ox in 0..<ow {
                let share = dOut[(c * oh + oy) * ow + ox] / divisor
                for ky in 0..<g.kernelHeight {
                    let iy = oy * g.stride - g.padding + ky
                    guard iy >= 0 && iy < g.height else { continue }
                    for kx in 0..<g.kernelWidth {
                        let ix = ox * g.stride - g.padding + kx
                        if ix >= 0 && ix < g.width { dx[(c * g.height + iy) * g.width + ix] += share }
                    }
                }
            }
        }
    }
}

/// out (C) = the mean of each channel's plane (C × positions): global average pooling.
@inline(__always)
func globalAvgPoolForward<T: LinalgScalar>(out: UnsafeMutablePointer<T>, x: UnsafePointer<T>, channels: Int, positions: Int) {
    for c in 0..<channels {
        let plane = x + c * positions
        var sum = T.zero
        for p in 0..<positions { sum += plane[p] }
        out[c] = sum / T(positions)
    }
}

/// dx (C × positions) += dOut[c] / positions at every position of channel c.
@inline(__always)
func globalAvgPoolBackward<T: LinalgScalar>(dx: UnsafeMutablePointer<T>, dOut: UnsafePointer<T>, channels: Int, positions: Int) {
    for c in 0..<channels {
        let share = dOut[c] / T(positions)
        let plane = dx + c * positions
        for p in 0..<positions { plane[p] += share }
    }
}
