import Testing
@testable import NNLinalg

@Suite struct GEMMTests {
    @Test func productOfKnownMatrices() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        #expect(a * b == Matrix([[58, 64], [139, 154]]))
    }

    @Test func transposesAndAccumulates() {
        let a = Matrix<Float>([[1, 2], [3, 4], [5, 6]])   // 3 × 2
        var c = Matrix<Float>([[1, 1], [1, 1]])
        gemm(a, transposeA: true, a, alpha: 1, beta: 2, into: &c)   // aᵀa + 2c
        #expect(c == Matrix([[37, 46], [46, 58]]))
        var outer = Matrix<Float>(rows: 3, cols: 3)
        gemm(a, a, transposeB: true, into: &outer)
        #expect(outer[2, 0] == 5 * 1 + 6 * 2)
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let a = Matrix<Double>(rows: 2, cols: 0)
        let b = Matrix<Double>(rows: 0, cols: 3)
        var c = Matrix<Double>(rows: 2, cols: 3, repeating: 7)
        gemm(a, b, into: &c)
        #expect(c.storage.allSatisfy { $0 == 0 })
    }
}
