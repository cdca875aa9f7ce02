import Foundation
import Testing
@testable import NNLinalg

/// `count` deterministic pseudo-random values in [−1, 1] (an LCG, no fixture needed).
func pseudoRandomUniform(_ count: Int, seed: UInt64) -> [Double] {
    var state = seed
    return (0..<count).map { _ -> Double in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 52) - 1
    }
}

/// A complex matrix of deterministic pseudo-random entries in [−1, 1].
func pseudoRandomComplex(_ rows: Int, _ cols: Int, seed: UInt64) -> ComplexMatrix {
    ComplexMatrix(rows: rows, cols: cols, storage: pseudoRandomUniform(2 * rows * cols, seed: seed))
}

/// The singular values of A = P + iQ by an independent route: the real matrix [[P, −Q], [Q, P]]
/// (real `dgesdd`) has each of A's singular values twice.
func viaRealEmbedding(_ a: ComplexMatrix) throws -> [Double] {
    var m = Matrix<Double>(rows: 2 * a.rows, cols: 2 * a.cols)
    for i in 0..<a.rows {
        for j in 0..<a.cols {
            let (re, im) = a[i, j]
            (m[i, j], m[i, a.cols + j], m[a.rows + i, j], m[a.rows + i, a.cols + j]) = (re, -im, im, re)
        }
    }
    return try m.singularValues().enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
}

@Suite struct ComplexSVDTests {
    static let shapes = [(1, 1), (1, 4), (4, 1), (3, 5), (5, 3), (16, 16), (64, 48), (48, 64), (70, 70)]

    @Test(arguments: shapes.indices)
    func bothRoutesMatchTheRealEmbedding(index: Int) throws {
        let (rows, cols) = Self.shapes[index]
        let a = pseudoRandomComplex(rows, cols, seed: UInt64(index + 1))
        let expected = try viaRealEmbedding(a)
        let exact = try a.singularValues(), fast = try a.singularValuesFast()
        #expect(exact.count == min(rows, cols) && fast.count == exact.count)
        for (k, e) in expected.enumerated() {
            #expect(abs(exact[k] - e) <= 1e-13 * expected[0], "bidiagonal σ\(k) of \(rows) × \(cols): \(exact[k]) vs \(e)")
            #expect(abs(fast[k] - e) <= 1e-11 * expected[0], "Gram σ\(k) of \(rows) × \(cols): \(fast[k]) vs \(e)")
        }
    }

    /// A = diag(σ) · F with F the unitary DFT matrix has singular values σ exactly; a smallest
    /// value 10⁻⁶ of the largest sends the fast route to `zgesdd`, which resolves it.
    @Test func knownValuesIncludingAnIllConditionedMatrix() throws {
        let n = 6
        let sigma: [Double] = [4, 2.5, 2.5, 1, 0.25, 4e-6]
        var a = ComplexMatrix(rows: n, cols: n)
        for i in 0..<n {
            for j in 0..<n {
                let angle = -2 * Double.pi * Double(i * j) / Double(n)
                a[i, j] = (sigma[i] * cos(angle) / Double(n).squareRoot(), sigma[i] * sin(angle) / Double(n).squareRoot())
            }
        }
        for values in [try a.singularValues(), try a.singularValuesFast()] {
            for (s, e) in zip(values, sigma) { #expect(abs(s - e) <= 1e-14 * 4, "\(s) vs \(e)") }
        }
        // Without the guard the Gram route loses the smallest value to rounding (error ~ ε·σ₁²/σ).
        let unguarded = try a.singularValuesFast(guard: 0)
        #expect(abs(unguarded[5] - 4e-6) > 1e-13)
    }

    @Test func emptyAndZeroMatrices() throws {
        #expect(try ComplexMatrix(rows: 0, cols: 3).singularValuesFast().isEmpty)
        #expect(try ComplexMatrix(rows: 3, cols: 2).singularValuesFast() == [0, 0])
    }

    @Test func nonFiniteEntriesAreRefusedByName() {
        var a = pseudoRandomComplex(3, 3, seed: 9)
        a[1, 2] = (.nan, 0)
        #expect(throws: NonFiniteError.self) { try a.singularValuesFast() }
        #expect((try? a.requireFinite(name: "K̂(1, 2)")) == nil)
        do { try a.requireFinite(name: "K̂(1, 2)") } catch { #expect(error.description.hasPrefix("K̂(1, 2) has 1 NaN")) }
    }
}
