import NNLinalg
import Testing
@testable import NNModel

/// The convolution and pooling kernels against their definitions written as plain loops, and
/// their backward passes against central differences (Float64).
@Suite struct ConvKernelTests {
    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    /// The definition: out[o, y, x] = b[o] + Σ_{c, ky, kx} W[o, c, ky, kx] · x_padded[c, y·s + ky, x·s + kx].
    static func directConv(x: [Double], w: [Double], b: [Double], g: ConvGeometry, outChannels: Int) -> [Double] {
        var out = [Double](repeating: 0, count: outChannels * g.positions)
        for o in 0..<outChannels {
            for y in 0..<g.outHeight {
                for xx in 0..<g.outWidth {
                    var sum = b[o]
                    for c in 0..<g.channels {
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let iy = y * g.stride + ky - g.padding, ix = xx * g.stride + kx - g.padding
                                guard (0..<g.height).contains(iy), (0..<g.width).contains(ix) else { continue }
                                sum += w[((o * g.channels + c) * g.kernelHeight + ky) * g.kernelWidth + kx] * x[(c * g.height + iy) * g.width + ix]
                            }
                        }
                    }
                    out[(o * g.outHeight + y) * g.outWidth + xx] = sum
                }
            }
        }
        return out
    }

    static let shapes: [(ConvGeometry, Int)] = [
        (ConvGeometry(channels: 3, height: 7, width: 6, kernel: 3, stride: 1, padding: 1), 4),
        (ConvGeometry(channels: 2, height: 8, width: 8, kernel: 3, stride: 2, padding: 1), 5),
        (ConvGeometry(channels: 4, height: 5, width: 5, kernel: 1, stride: 2, padding: 0), 3),
        (ConvGeometry(channels: 1, height: 4, width: 9, kernel: 4, stride: 3, padding: 2), 2),
    ]

    func forward(_ x: [Double], _ w: [Double], _ b: [Double], _ g: ConvGeometry, _ outChannels: Int) -> [Double] {
        var out = [Double](repeating: 0, count: outChannels * g.positions)
        var cols = [Double](repeating: 0, count: g.patchSize * g.positions)
        conv2dForward(out: &out, x: x, w: w, b: b, cols: &cols, g: g, outChannels: outChannels)
        return out
    }

    @Test(arguments: shapes.indices)
    func convolutionIsItsDefinition(index: Int) {
        let (g, outChannels) = Self.shapes[index]
        #expect(g.problem == nil)
        let x = Self.values(g.inputCount, seed: 1), w = Self.values(outChannels * g.patchSize, seed: 2), b = Self.values(outChannels, seed: 3)
        let expected = Self.directConv(x: x, w: w, b: b, g: g, outChannels: outChannels)
        let got = forward(x, w, b, g, outChannels)
        #expect(zip(got, expected).map { abs($0 - $1) }.max()! < 1e-13)
    }

    @Test(arguments: shapes.indices)
    func convolutionGradientsAreCentralDifferences(index: Int) {
        let (g, outChannels) = Self.shapes[index]
        var x = Self.values(g.inputCount, seed: 4), w = Self.values(outChannels * g.patchSize, seed: 5), b = Self.values(outChannels, seed: 6)
        let r = Self.values(outChannels * g.positions, seed: 7)   // loss = Σ r ⊙ out, so dOut = r
        func loss() -> Double { zip(forward(x, w, b, g, outChannels), r).reduce(0) { $0 + $1.0 * $1.1 } }
        var dW = [Double](repeating: 0, count: w.count), db = [Double](repeating: 0, count: b.count), dx = [Double](repeating: 0, count: x.count)
        var cols = [Double](repeating: 0, count: g.patchSize * g.positions), dCols = cols
        conv2dBackward(dW: &dW, db: &db, dx: &dx, dOut: r, x: x, w: w, cols: &cols, dCols: &dCols, g: g, outChannels: outChannels)
        /// The central difference of the loss in one entry of w (0), b (1) or x (2).
        func central(_ tensor: Int, _ i: Int) -> Double {
            centralDifference(of: loss) { delta in
                switch tensor {
                case 0: w[i] += delta
                case 1: b[i] += delta
                default: x[i] += delta
                }
            }
        }
        var worst = 0.0
        for i in w.indices { worst = max(worst, abs(central(0, i) - dW[i])) }
        for i in b.indices { worst = max(worst, abs(central(1, i) - db[i])) }
        for i in x.indices { worst = max(worst, abs(central(2, i) - dx[i])) }
        #expect(worst < 1e-7)
    }

    /// ⟨im2col(x), C⟩ = ⟨x, col2im(C)⟩: the backward fold is the adjoint of the unrolling.
    @Test func col2imIsTheAdjointOfIm2col() {
        let g = ConvGeometry(channels: 3, height: 6, width: 5, kernel: 3, stride: 2, padding: 1)
        let x = Self.values(g.inputCount, seed: 8), c = Self.values(g.patchSize * g.positions, seed: 9)
        var cols = [Double](repeating: 0, count: c.count), folded = [Double](repeating: 0, count: x.count)
        im2col(cols: &cols, x: x, g: g)
        col2imAdd(dx: &folded, cols: c, g: g)
        let left = zip(cols, c).reduce(0) { $0 + $1.0 * $1.1 }, right = zip(x, folded).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(left - right) < 1e-12 * max(1, abs(left)))
    }

    @Test func poolingMatchesItsDefinitionAndItsGradients() {
        let g = ConvGeometry(channels: 2, height: 7, width: 6, kernel: 3, stride: 2, padding: 1)
        var x = Self.values(g.inputCount, seed: 10)
        let r = Self.values(g.channels * g.positions, seed: 11)
        func maxPool(_ x: [Double]) -> ([Double], [Int32]) {
            var out = [Double](repeating: 0, count: r.count), at = [Int32](repeating: 0, count: r.count)
            maxPoolForward(out: &out, argmax: &at, x: x, g: g)
            return (out, at)
        }
        func avgPool(_ x: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: r.count)
            avgPoolForward(out: &out, x: x, g: g)
            return out
        }
        // Definitions: the max over the window's in-image cells; the window's sum over k².
        let (maxOut, argmax) = maxPool(x)
        let avgOut = avgPool(x)
        for c in 0..<g.channels {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    var cells: [Double] = []
                    for ky in 0..<3 { for kx in 0..<3 {
                        let iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx
                        if (0..<g.height).contains(iy) && (0..<g.width).contains(ix) { cells.append(x[(c * g.height + iy) * g.width + ix]) }
                    } }
                    let o = (c * g.outHeight + oy) * g.outWidth + ox
                    #expect(maxOut[o] == cells.max()! && x[Int(argmax[o])] == cells.max()!)
                    #expect(abs(avgOut[o] - cells.reduce(0, +) / 9) < 1e-15)
                }
            }
        }
        var dMax = [Double](repeating: 0, count: x.count), dAvg = dMax
        maxPoolBackward(dx: &dMax, dOut: r, argmax: argmax, outputs: r.count)
        avgPoolBackward(dx: &dAvg, dOut: r, g: g)
        var worst = 0.0
        for i in x.indices {
            let saved = x[i]
            x[i] = saved + 1e-7; let (maxUp, _) = maxPool(x); let avgUp = avgPool(x)
            x[i] = saved - 1e-7; let (maxDown, _) = maxPool(x); let avgDown = avgPool(x)
            x[i] = saved
            let dot = { (a: [Double], b: [Double]) in zip(zip(a, b), r).reduce(0) { $0 + ($1.0.0 - $1.0.1) * $1.1 } / 2e-7 }
            worst = max(worst, abs(dot(maxUp, maxDown) - dMax[i]), abs(dot(avgUp, avgDown) - dAvg[i]))
        }
        #expect(worst < 1e-7)
    }

    @Test func globalAveragePoolingIsTheChannelMean() {
        let x = Self.values(3 * 10, seed: 12), r = Self.values(3, seed: 13)
        var out = [Double](repeating: 0, count: 3), dx = [Double](repeating: 0, count: 30)
        globalAvgPoolForward(out: &out, x: x, channels: 3, positions: 10)
        globalAvgPoolBackward(dx: &dx, dOut: r, channels: 3, positions: 10)
        for c in 0..<3 {
            #expect(abs(out[c] - x[(c * 10)..<(c * 10 + 10)].reduce(0, +) / 10) < 1e-15)
            #expect(dx[(c * 10)..<(c * 10 + 10)].allSatisfy { abs($0 - r[c] / 10) < 1e-16 })
        }
    }

    @Test func windowsThatCannotApplyAreNamed() {
        #expect(ConvGeometry(channels: 1, height: 2, width: 2, kernel: 5).problem?.contains("does not fit") == true)
        #expect(ConvGeometry(channels: 1, height: 8, width: 8, kernel: 3, stride: 0).problem == "the stride must be at least 1")
        #expect(ConvGeometry(channels: 0, height: 8, width: 8, kernel: 3).problem != nil)
        let g = ConvGeometry(channels: 3, height: 32, width: 32, kernel: 3, stride: 2, padding: 1)
        #expect(g.outHeight == 16 && g.outWidth == 16 && g.patchSize == 27)
    }
}
