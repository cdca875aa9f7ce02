import Foundation
import Testing
@testable import NNLinalg

/// Relative-or-absolute closeness with a stated tolerance.
func close<T: BinaryFloatingPoint>(_ a: T, _ b: T, _ tolerance: T) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

func reconstructs<T: LinalgScalar>(_ m: Matrix<T>, tolerance: T) throws -> Bool {
    let d = try m.svd()
    var us = d.u
    for i in 0..<us.rows { for j in 0..<us.cols { us[i, j] *= d.singularValues[j] } }
    let back = us * d.vt
    return zip(back.storage, m.storage).allSatisfy { close($0, $1, tolerance) }
}

@Suite struct SVDTests {
    @Test func diagonalGivesSortedMagnitudes() throws {
        let m = Matrix<Double>([[2, 0, 0], [0, -5, 0], [0, 0, 3]])
        #expect(try m.singularValues() == [5, 3, 2])
        #expect(try reconstructs(m, tolerance: 1e-12))
    }

    @Test(arguments: [0.3, 1.2, 2.9])
    func rotationHasUnitSingularValues(angle: Double) throws {
        let m = Matrix<Double>([[cos(angle), -sin(angle)], [sin(angle), cos(angle)]])
        let s = try m.singularValues()
        #expect(s.allSatisfy { close($0, 1, 1e-12) })
    }

    @Test func rankDeficientOuterProduct() throws {
        // u vᵀ with |u| = 3, |v| = 5: one singular value 15, the rest 0.
        let u: [Double] = [1, 2, 2], v: [Double] = [3, 4]
        let m = Matrix(rows: 3, cols: 2, storage: u.flatMap { a in v.map { a * $0 } })
        let s = try m.singularValues()
        #expect(s.count == 2)
        #expect(close(s[0], 15, 1e-12))
        #expect(abs(s[1]) < 1e-12)
        let d = try m.svd()
        #expect(close(abs(d.vt[0, 0]), 0.6, 1e-12) && close(abs(d.vt[0, 1]), 0.8, 1e-12))
    }

    @Test func wideAndTallShapes() throws {
        let tall = Matrix<Double>([[3, 0], [0, 4], [0, 0]])
        let wide = tall.transposed
        #expect(try tall.singularValues() == [4, 3])
        #expect(try wide.singularValues() == [4, 3])
        let dt = try tall.svd(), dw = try wide.svd()
        #expect(dt.u.shape == (3, 2) && dt.vt.shape == (2, 2))
        #expect(dw.u.shape == (2, 2) && dw.vt.shape == (2, 3))
        #expect(try reconstructs(tall, tolerance: 1e-12) && reconstructs(wide, tolerance: 1e-12))
    }

    @Test func smallestShapes() throws {
        #expect(try Matrix<Double>([[-7]]).singularValues() == [7])
        #expect(try Matrix<Double>([[3], [4]]).singularValues() == [5])
        #expect(try Matrix<Double>(rows: 0, cols: 3).singularValues().isEmpty)
    }

    @Test func signsAreDeterministic() throws {
        let m = Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        let d = try m.svd()
        for j in 0..<d.u.cols {
            let column = d.u.column(j)
            let largest = column.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
        #expect(try reconstructs(m, tolerance: 1e-12))
    }

    @Test func floatMatchesDouble() throws {
        let m = Matrix<Double>([[0.5, -1.5, 2], [1, 0.25, -0.75]])
        let sd = try m.singularValues()
        let sf = try m.converted(to: Float.self).singularValues()
        for (a, b) in zip(sd, sf) { #expect(close(Float(a), b, 1e-6)) }
        #expect(try reconstructs(m.converted(to: Float.self), tolerance: 1e-5))
    }
}

@Suite struct FastSingularValueTests {
    /// A 96 × 80 matrix with chosen singular values (random orthogonal factors from QR of Gaussians).
    func matrix(singularValues s: [Double], seed: Int) throws -> Matrix<Double> {
        var state = UInt64(seed)
        func gaussian() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u1 = Double(state >> 11) * 0x1.0p-53 + 1e-12
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u2 = Double(state >> 11) * 0x1.0p-53
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        let u = try Matrix(rows: 96, cols: 80, storage: (0..<(96 * 80)).map { _ in gaussian() }).svd().u
        let v = try Matrix(rows: 80, cols: 80, storage: (0..<(80 * 80)).map { _ in gaussian() }).svd().u
        var us = u
        for i in 0..<96 { for j in 0..<80 { us[i, j] *= s[j] } }
        return us * v.transposed
    }

    @Test func gramPathMatchesGesddWhenWellConditioned() throws {
        let s = (0..<80).map { 10 * pow(0.93, Double($0)) }          // condition ≈ 300
        let m = try matrix(singularValues: s, seed: 1)
        let fast = try m.singularValuesFast(), reference = try m.singularValues()
        for (a, b) in zip(fast, reference) { #expect(abs(a - b) <= 1e-9 * b) }
        let wide = try m.transposed.singularValuesFast()
        for (a, b) in zip(wide, reference) { #expect(abs(a - b) <= 1e-9 * b) }
    }

    @Test func illConditionedFallsBackToGesdd() throws {
        var s = (0..<80).map { 10 * pow(0.93, Double($0)) }
        s[79] = 1e-9                                                  // σ_min/σ₁ = 1e-10 < guard
        let m = try matrix(singularValues: s, seed: 2)
        #expect(try m.singularValuesFast() == m.singularValues())
        #expect(abs(try m.singularValuesFast().last! - 1e-9) < 1e-12)
    }
}
