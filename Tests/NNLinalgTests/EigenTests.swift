import Testing
@testable import NNLinalg

@Suite struct EigenTests {
    @Test func twoByTwoSymmetric() throws {
        let e = try Matrix<Double>([[2, 1], [1, 2]]).symmetricEigen()
        #expect(close(e.values[0], 3, 1e-12) && close(e.values[1], 1, 1e-12))
        let r = 1 / 2.0.squareRoot()
        #expect(close(e.vectors[0, 0], r, 1e-12) && close(e.vectors[0, 1], r, 1e-12))
        // Second vector ±(1, −1)/√2: the sign rule makes the first largest-magnitude entry positive.
        #expect(close(e.vectors[1, 0], r, 1e-12) && close(e.vectors[1, 1], -r, 1e-12))
    }

    @Test func diagonalSortsDescending() throws {
        let e = try Matrix<Float>([[1, 0, 0], [0, 9, 0], [0, 0, 4]]).symmetricEigen()
        #expect(e.values == [9, 4, 1])
        #expect(e.vectors == Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))
    }

    @Test func eigenvaluesOfGramAreSquaredSingularValues() throws {
        let m = Matrix<Double>([[1, 2, 0], [0, 1, -1], [2, 0, 1], [1, 1, 1]])
        let gram = m.transposed * m
        let e = try gram.symmetricEigen()
        let s = try m.singularValues()
        for (value, sigma) in zip(e.values, s) { #expect(close(value, sigma * sigma, 1e-12)) }
    }
}
