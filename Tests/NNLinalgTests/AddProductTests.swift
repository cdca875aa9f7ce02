import Testing
import NNSmallProducts
@testable import NNLinalg

/// `addProduct` (C += op(A)·op(B)), which trains every dense layer: against plain Float64 loops
/// written here, for every shape NNSmallProducts' kernels take (each kernel, each width, the rows
/// its blocks leave over) and shapes left to BLAS; and, on CPUs that run the kernels, a row's
/// result the same bits whether it is computed alone or in a batch (the forward and
/// input-gradient products), and the kernels taking exactly the shapes they document.
@Suite struct AddProductTests {
    /// (transA, transB, m, n, k) covering each branch of `SmallProducts.add` and BLAS's.
    static let shapes: [(Bool, Bool, Int, Int, Int)] = {
        var shapes: [(Bool, Bool, Int, Int, Int)] = []
        for rows in [1, 2, 3, 5, 127, 128] {
            for n in [8, 16, 24, 32] { for k in [1, 2, 4, 5, 16, 32] { shapes.append((false, true, rows, n, k)) } }   // A·Bᵀ, broadcast
            for n in [1, 2, 3, 10] { for k in [8, 16, 32] { shapes.append((false, true, rows, n, k)) } }          // A·Bᵀ, dot products (10: BLAS)
            for n in [8, 16, 24, 32] { for k in [1, 2, 5, 16] { shapes.append((false, false, rows, n, k)) } }     // A·B, broadcast
            for (m, n) in [(1, 8), (2, 16), (3, 24), (4, 8), (5, 32), (16, 16), (16, 8)] {
                shapes.append((true, false, m, n, rows))                                                         // Aᵀ·B, tiles
            }
            for (m, n) in [(8, 1), (16, 2), (16, 4), (32, 5)] { shapes.append((true, false, m, n, rows)) }      // Aᵀ·B, transposed
            for (m, n, k) in [(rows, 3, 3), (rows, 40, 8), (rows, 8, 40)] { shapes.append((false, true, m, n, k)) }   // BLAS
            shapes.append((false, false, rows, 3, 4))
            shapes.append((true, false, 3, 5, rows))
            shapes.append((true, true, rows, 8, 8))
        }
        return shapes
    }()

    /// Deterministic values in [−1, 1] (`pseudoRandomUniform`, rounded to Float).
    static func values(_ count: Int, seed: UInt64) -> [Float] { pseudoRandomUniform(count, seed: seed).map(Float.init) }

    /// Whether NNSmallProducts' kernels take this shape (call only where the CPU runs them).
    static func taken(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int) -> Bool {
        let a = [Float](repeating: 1, count: m * k), b = [Float](repeating: 1, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        return c.withUnsafeMutableBufferPointer { c in
            SmallProducts.add(transA: transA, transB: transB, m: m, n: n, k: k, a: a, b: b, c: c.baseAddress!)
        }
    }

    @Test func matchesFloat64Loops() {
        for (index, (transA, transB, m, n, k)) in Self.shapes.enumerated() {
            let a = Self.values(m * k, seed: UInt64(3 * index)), b = Self.values(k * n, seed: UInt64(3 * index + 1))
            let start = Self.values(m * n, seed: UInt64(3 * index + 2))
            var c = start
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        addProduct(transA: transA, transB: transB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                    }
                }
            }
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    var sum = Double(start[i * n + j]), size = abs(sum)
                    for t in 0..<k {
                        let x = Double(transA ? a[t * m + i] : a[i * k + t]), y = Double(transB ? b[j * k + t] : b[t * n + j])
                        sum += x * y
                        size += abs(x * y)
                    }
                    worst = max(worst, abs(Double(c[i * n + j]) - sum) / size)
                }
            }
            // Float32 rounding: each of the k + 1 additions at most half an ulp of the running size.
            #expect(worst <= Double(k + 1) * 0.6e-7, "transA \(transA) transB \(transB) m \(m) n \(n) k \(k): \(worst)")
        }
    }

    /// BLAS makes no such promise (its blocking depends on the number of rows): the kernels' shapes only.
    @Test(.enabled(if: cpuRunsSmallProducts, "the CPU lacks AVX2 or FMA: BLAS does every product"))
    func aRowGivesTheSameBitsAloneAndInABatch() {
        for (index, (transA, transB, m, n, k)) in Self.shapes.enumerated() where !transA && m > 1 && Self.taken(false, transB, m, n, k) {
            let a = Self.values(m * k, seed: UInt64(index)), b = Self.values(k * n, seed: UInt64(index + 1))
            let start = Self.values(m * n, seed: UInt64(index + 2))
            var batch = start, alone = start
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    batch.withUnsafeMutableBufferPointer { c in
                        addProduct(transA: false, transB: transB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                    }
                    alone.withUnsafeMutableBufferPointer { c in
                        for r in 0..<m {
                            addProduct(transA: false, transB: transB, m: 1, n: n, k: k, a: a.baseAddress! + r * k, b: b.baseAddress!,
                                       c: c.baseAddress! + r * n)
                        }
                    }
                }
            }
            let same = batch.map(\.bitPattern) == alone.map(\.bitPattern)
            #expect(same, "transB \(transB) m \(m) n \(n) k \(k)")
        }
    }

    /// `overwrite` (a layer's input gradient set by its one reader): C's old values, NaN here, are
    /// not read, and C gets the bits of C += op(A)·op(B) onto +0, for every shape, the kernels'
    /// and BLAS's (and an empty inner side).
    @Test func overwriteGivesTheBitsOfAddingOntoZero() {
        for (index, (transA, transB, m, n, k)) in (Self.shapes + [(false, false, 4, 8, 0)]).enumerated() {
            let a = Self.values(m * k, seed: UInt64(index)), b = Self.values(k * n, seed: UInt64(index + 1))
            var set = [Float](repeating: .nan, count: m * n), added = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    set.withUnsafeMutableBufferPointer { c in
                        addProduct(transA: transA, transB: transB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!,
                                   c: c.baseAddress!, overwrite: true)
                    }
                    added.withUnsafeMutableBufferPointer { c in
                        addProduct(transA: transA, transB: transB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                    }
                }
            }
            #expect(set.map(\.bitPattern) == added.map(\.bitPattern), "transA \(transA) transB \(transB) m \(m) n \(n) k \(k)")
        }
    }

    @Test(.enabled(if: cpuRunsSmallProducts, "the CPU lacks AVX2 or FMA: BLAS does every product"))
    func theKernelsTakeTheShapesTheyDocument() {
        let taken = Self.taken
        // A 4-16-2 net: forward, weight gradients and the hidden layer's input gradient.
        #expect(taken(false, true, 128, 16, 4) && taken(false, true, 128, 2, 16))
        #expect(taken(true, false, 16, 4, 128) && taken(true, false, 2, 16, 128) && taken(false, false, 128, 16, 2))
        // Neither side a multiple of 8, wider than `widest`, both transposed, or empty: BLAS.
        #expect(!taken(false, true, 128, 3, 3) && !taken(false, false, 128, 3, 4) && !taken(true, false, 3, 5, 128))
        #expect(!taken(false, true, 128, 40, 8) && !taken(false, true, 128, 8, 40) && !taken(true, false, 64, 8, 128))
        // Dot products for 1-3 columns only (`narrowestDots`): a 16-10 read-out goes to BLAS.
        #expect(taken(false, true, 128, 3, 32) && !taken(false, true, 128, 4, 16) && !taken(false, true, 128, 10, 16))
        #expect(!taken(true, true, 8, 8, 8) && !taken(false, true, 0, 8, 8))
    }
}
