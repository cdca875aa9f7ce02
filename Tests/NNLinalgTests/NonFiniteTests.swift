import Testing
@testable import NNLinalg

/// NaN or ±∞ entries are refused before LAPACK runs, with counts, not LAPACK's "argument N was invalid".
@Suite struct NonFiniteTests {
    @Test func decompositionsRefuseNaNAndInfinity() throws {
        var m = Matrix<Double>(rows: 16, cols: 4)
        for i in 0..<16 { m[i, i % 4] = Double(i + 1) }
        m[0, 0] = .nan
        m[3, 1] = .infinity
        for attempt in [{ _ = try m.svd() }, { _ = try m.singularValues() }, { _ = try m.singularValuesFast() }] {
            let error = #expect(throws: NonFiniteError.self) { try attempt() }
            #expect(error?.nanCount == 1 && error?.infinityCount == 1)
            #expect(error?.description == "a matrix has 1 NaN and 1 infinite value (16 × 4 matrix); its spectrum is undefined")
        }
        var square = Matrix<Float>(rows: 3, cols: 3)
        square[1, 1] = -.infinity
        #expect(throws: NonFiniteError.self) { try square.symmetricEigenvalues() }
        #expect(throws: NonFiniteError.self) { try square.symmetricEigen() }
    }

    @Test func theErrorNamesTheMatrix() {
        var m = Matrix<Float>(rows: 2, cols: 2)
        m[1, 0] = .nan
        #expect(throws: NonFiniteError.self) { try m.requireFinite(name: "layer_1/weight") }
        do { try m.requireFinite(name: "layer_1/weight") } catch {
            #expect(error.description == "layer_1/weight has 1 NaN (2 × 2 matrix); its spectrum is undefined")
        }
        #expect(throws: Never.self) { try Matrix<Float>(rows: 2, cols: 2).requireFinite() }
    }
}
