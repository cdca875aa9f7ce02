import NNLinalg
import NNSmallProducts
import Testing
@testable import NNModel

/// NNSmallProducts' AVX2 element-wise kernels give the bits of NNModel's generic loops, which a
/// training pass on a CPU without AVX2 runs: a checkpoint does not depend on which ran.
@Suite(.enabled(if: cpuRunsSmallProducts, "the CPU lacks AVX2 or FMA: the generic loops run everywhere"))
struct ElementwiseKernelTests {
    /// Values in [−scale, scale] with every tenth one 1,000 times larger, so that the order of
    /// the additions shows in the rounded sums.
    static func floats(_ count: Int, seed: UInt64, scale: Double = 1) -> [Float] {
        ConvKernelTests.values(count, seed: seed).enumerated().map { Float($0.element * scale * ($0.offset % 10 == 3 ? 1000 : 1)) }
    }

    /// Taken for even widths up to 16 and then the generic loop's sums, bit for bit, for any
    /// number of rows (whole groups of four and the rest); refused otherwise, the sums untouched.
    @Test func columnSumsAreTheGenericLoopsSums() {
        for columns in 1...20 {
            for rows in [0, 1, 3, 4, 5, 7, 8, 9, 127, 128, 131] {
                let m = Self.floats(rows * columns, seed: UInt64(100 * columns + rows))
                let start = Self.floats(columns, seed: 7)
                var kernel = start, generic = start
                let taken = m.withUnsafeBufferPointer { m in
                    kernel.withUnsafeMutableBufferPointer { s in
                        SmallElementwise.addColumnSums(of: m.baseAddress!, rows: rows, columns: columns, into: s.baseAddress!)
                    }
                }
                m.withUnsafeBufferPointer { m in
                    generic.withUnsafeMutableBufferPointer { s in
                        addColumnSumsInOrder(of: m.baseAddress!, rows: rows, columns: columns, into: s.baseAddress!)
                    }
                }
                #expect(taken == (columns % 2 == 0 && columns <= 16), "\(columns) columns")
                guard taken else {
                    #expect(kernel.map(\.bitPattern) == start.map(\.bitPattern), "\(columns) columns: refused, yet changed")
                    continue
                }
                #expect(kernel.map(\.bitPattern) == generic.map(\.bitPattern), "\(rows) × \(columns)")
                // And they are the sums: against Float64, within Float rounding of the largest terms.
                for j in 0..<columns {
                    let exact = Double(start[j]) + (0..<rows).reduce(0.0) { $0 + Double(m[$1 * columns + j]) }
                    #expect(abs(Double(kernel[j]) - exact) <= 1e-3 * (1 + Double(rows)), "\(rows) × \(columns), column \(j)")
                }
            }
        }
    }

    /// Special values where the select could go wrong: NaN, ±0, ±∞ and the smallest subnormal.
    static let edges: [Float] = [.nan, 0, -0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1, -1]

    /// ReLU forward and backward: every value as the generic loop's `pre > 0 ? … : 0`, for counts
    /// around whole vectors, with special values at every lane.
    @Test func reluForwardAndBackwardAreTheGenericLoops() {
        for count in Array(0...19) + [128, 131] {
            var pre = Self.floats(count, seed: UInt64(count) + 1)
            for k in 0..<count where k % 3 == 0 { pre[k] = Self.edges[(k / 3) % Self.edges.count] }
            let dOut = Self.floats(count, seed: UInt64(count) + 50)
            let start = Self.floats(count, seed: UInt64(count) + 90)
            var out = [Float](repeating: 7, count: count), d = start
            pre.withUnsafeBufferPointer { p in
                dOut.withUnsafeBufferPointer { g in
                    out.withUnsafeMutableBufferPointer { o in SmallElementwise.relu(out: o.baseAddress!, pre: p.baseAddress!, count: count) }
                    d.withUnsafeMutableBufferPointer { o in
                        SmallElementwise.addReLUGradient(o.baseAddress!, dOut: g.baseAddress!, pre: p.baseAddress!, count: count)
                    }
                }
            }
            var set = [Float](repeating: .nan, count: count)   // overwritten, never read
            pre.withUnsafeBufferPointer { p in
                dOut.withUnsafeBufferPointer { g in
                    set.withUnsafeMutableBufferPointer { o in
                        SmallElementwise.addReLUGradient(o.baseAddress!, dOut: g.baseAddress!, pre: p.baseAddress!, count: count, overwrite: true)
                    }
                }
            }
            #expect(set.map(\.bitPattern) == (0..<count).map { (0 + (pre[$0] > 0 ? dOut[$0] : 0)).bitPattern }, "relu′ set, \(count) values")
            #expect(out.map(\.bitPattern) == pre.map { ($0 > 0 ? $0 : 0).bitPattern }, "relu, \(count) values")
            #expect(d.map(\.bitPattern) == (0..<count).map { (start[$0] + (pre[$0] > 0 ? dOut[$0] : 0)).bitPattern }, "relu′, \(count) values")
        }
    }
}

extension ElementwiseKernelTests {
    /// Mean squared error's sums and gradient: the generic loop's bits, for counts around whole
    /// vectors, with differences on the tolerance's edges and special values.
    @Test func meanSquaredErrorIsTheGenericLoops() {
        for count in Array(0...13) + [256, 259, 1024, 1027] {
            // Targets 2²⁹ times smaller than the predictions: differences and squares with every
            // bit of a Float64 in use, so that the sums round and their order shows.
            var y = Self.floats(count, seed: UInt64(count) + 3)
            let t = Self.floats(count, seed: UInt64(count) + 30).map { $0 * 0x1p-29 }
            for k in 0..<count where k % 7 == 1 { y[k] = 0.25 }    // differences just inside +tolerance
            for k in 0..<count where k % 7 == 2 { y[k] = -0.25 }   // and −tolerance
            if count > 9 { y[9] = .nan; y[7] = .infinity }
            var kernelGradient = [Float](repeating: 7, count: count), genericGradient = kernelGradient
            let kernel = kernelGradient.withUnsafeMutableBufferPointer { g in
                SmallElementwise.meanSquaredError(y, t, count: count, tolerance: 0.25, gradientScale: 2 / Double(max(count, 1)), gradient: g.baseAddress)
            }
            let generic = genericGradient.withUnsafeMutableBufferPointer { g in
                meanSquaredErrorInOrder(y, t, count: count, tolerance: 0.25, gradientScale: 2 / Double(max(count, 1)), gradient: g.baseAddress)
            }
            #expect(kernel.squares.bitPattern == generic.squares.bitPattern && kernel.within == generic.within, "\(count) values")
            #expect(kernelGradient.map(\.bitPattern) == genericGradient.map(\.bitPattern), "\(count) values")
            // And they are the sums: against a plain Float64 loop.
            let differences = (0..<count).map { Double(y[$0]) - Double(t[$0]) }
            if count > 9 { continue }   // NaN and ∞ above
            #expect(abs(kernel.squares - differences.reduce(0) { $0 + $1 * $1 }) <= 1e-12 * (1 + kernel.squares))
            #expect(kernel.within == differences.filter { abs($0) <= 0.25 }.count)
        }
    }
}
