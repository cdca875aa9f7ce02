import Foundation
import NNLinalg
import Testing
@testable import NNAnalysis

@Suite struct SpectrumTests {
    static let cases = (Reference.shared.json["spectra"] as! [[String: Any]]).indices.map { $0 }

    @Test(arguments: cases)
    func matchesNumpy(index: Int) throws {
        let ref = (Reference.shared.json["spectra"] as! [[String: Any]])[index]
        let w = Matrix(rows: ref["rows"] as! Int, cols: ref["cols"] as! Int, storage: doubles(ref["matrix"]))
        let s = try Spectrum(w)
        let expected = doubles(ref["singular_values"])
        #expect(s.singularValues.count == expected.count)
        for (a, b) in zip(s.singularValues, expected) { #expect(agrees(a, b, 1e-6, floor: expected[0]), "\(w.shape): \(a) vs \(b)") }
        for (key, value) in [("spectral_norm", s.spectralNorm), ("frobenius_norm", s.frobeniusNorm), ("stable_rank", s.stableRank),
                             ("effective_rank", s.effectiveRank), ("participation_ratio", s.participationRatio),
                             ("random_matrix_edge", s.randomMatrixEdge)] {
            #expect(agrees(value, (ref[key] as! NSNumber).doubleValue, 1e-6), "\(key) of \(w.shape)")
        }
        #expect(s.numericalRank == ref["numerical_rank"] as! Int, "numerical rank of \(w.shape)")
        #expect(s.aboveRandomEdge == ref["above_random_edge"] as! Int, "MP edge count of \(w.shape)")
    }

    @Test func nearEqualLeadingValuesFormAGroup() throws {
        let s = try Spectrum(Matrix([[3, 0, 0, 0], [0, 2.95, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0.99]]))
        #expect(s.nearEqualGroups == [0...1, 2...3])
        #expect(try Spectrum(Matrix([[4, 0], [0, 1]])).nearEqualGroups.isEmpty)
    }

    @Test func smallestAndDegenerateShapes() throws {
        let one = try Spectrum(Matrix<Double>([[-2]]))
        #expect(one.singularValues == [2] && one.stableRank == 1 && one.effectiveRank == 1 && one.conditionNumber == 1)
        let zero = try Spectrum(Matrix<Double>(rows: 2, cols: 1))
        #expect(zero.numericalRank == 0 && zero.stableRank == 0 && zero.conditionNumber.isNaN == false)
        let deficient = try Spectrum(Matrix<Double>([[1, 2], [2, 4]]))
        #expect(deficient.numericalRank == 1 && deficient.conditionNumber > 1e12)
        #expect(deficient.energy(top: 1) > 0.999_999)
    }
}

@Suite struct PCATests {
    let ref = Reference.shared["pca"]

    @Test func plainPCAMatchesScikitLearn() throws {
        let n = ref["n"] as! Int, d = ref["d"] as! Int
        var accumulator = CovarianceAccumulator(dimension: d)
        let x = doubles(ref["x"]).map(Float.init)
        for start in stride(from: 0, to: n, by: 400) {   // streamed in uneven blocks
            let rows = min(400, n - start)
            accumulator.add(Matrix(rows: rows, cols: d, storage: Array(x[(start * d)..<((start + rows) * d)])))
        }
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
        let variance = doubles(ref["explained_variance"]), ratio = doubles(ref["explained_variance_ratio"])
        for k in 0..<3 {
            #expect(agrees(pcs.explainedVariance[k], variance[k], 1e-6), "explained_variance[\(k)]")
            #expect(agrees(pcs.explainedVarianceRatio[k], ratio[k], 1e-6), "explained_variance_ratio[\(k)]")
            let component = doubles((ref["components"] as! [Any])[k])
            for j in 0..<d { #expect(abs(pcs.components[k, j] - component[j]) < 1e-5, "components[\(k)][\(j)]") }
        }
        #expect(pcs.componentsNeeded(for: 0.9) == (pcs.cumulativeRatio.firstIndex { $0 >= 0.9 }! + 1))
    }

    @Test func blocksLargerThanAChunkMatchATwoPassComputation() {
        // 10,000 rows (several 4,096-row chunks), labels changing inside chunks, as one block and
        // as uneven blocks; checked against the textbook two-pass pooled within-context covariance.
        let n = 10_000, d = 5
        var state: UInt64 = 12345
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 250
        }
        let x = (0..<(n * d)).map { i in next() + Float(i % d) * 3 }
        let labels = (0..<n).map { Int32(($0 / 777) % 3) }
        var whole = CovarianceAccumulator(dimension: d), pieces = CovarianceAccumulator(dimension: d)
        whole.add(Matrix(rows: n, cols: d, storage: x), contexts: labels[...])
        var start = 0
        for rows in [1, 4095, 4097, 3, 1804] {
            pieces.add(Matrix(rows: rows, cols: d, storage: Array(x[(start * d)..<((start + rows) * d)])), contexts: labels[start..<(start + rows)])
            start += rows
        }
        var means: [Int32: [Double]] = [:], counts: [Int32: Double] = [:]
        for r in 0..<n {
            counts[labels[r], default: 0] += 1
            for j in 0..<d { means[labels[r], default: Array(repeating: 0, count: d)][j] += Double(x[r * d + j]) }
        }
        for (label, count) in counts { means[label] = means[label]!.map { $0 / count } }
        var expected = [Double](repeating: 0, count: d * d)
        for r in 0..<n {
            for i in 0..<d {
                for j in 0..<d {
                    expected[i * d + j] += (Double(x[r * d + i]) - means[labels[r]]![i]) * (Double(x[r * d + j]) - means[labels[r]]![j])
                }
            }
        }
        expected = expected.map { $0 / Double(n - counts.count) }
        for accumulator in [whole, pieces] {
            #expect(accumulator.count == n && accumulator.contextCount == 3)
            let c = accumulator.covariance()
            for k in 0..<(d * d) { #expect(abs(c.storage[k] - expected[k]) <= 1e-9 * abs(expected[k]) + 1e-12, "element \(k)") }
            for (label, mean) in accumulator.means() {
                for j in 0..<d { #expect(abs(mean[j] - means[label]![j]) < 1e-9) }
            }
        }
    }

    @Test func perContextCentringMatchesPooledWithinCovariance() throws {
        let n = ref["n"] as! Int, d = ref["d"] as! Int
        var accumulator = CovarianceAccumulator(dimension: d)
        let labels = (ref["contexts"] as! [Int]).map(Int32.init)
        accumulator.add(Matrix(rows: n, cols: d, storage: doubles(ref["x_contexts"]).map(Float.init)), contexts: labels[...])
        #expect(accumulator.contextCount == 5)
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: n)
        let expected = doubles(ref["within_context_explained_variance"])
        for k in 0..<4 { #expect(agrees(pcs.explainedVariance[k], expected[k], 1e-6)) }
    }

    @Test func principalAnglesMatchScipy() throws {
        let a = Reference.shared["angles"]
        let angles = try principalAngles(Matrix(rows: 3, cols: 8, storage: doubles(a["a"])), Matrix(rows: 3, cols: 8, storage: doubles(a["b"])))
        for (x, y) in zip(angles, doubles(a["angles_degrees"])) { #expect(abs(x - y) < 1e-6) }
    }
}

@Suite struct ReadoutTests {
    @Test func cosinesInterferenceAndSharesMatchNumpy() {
        let ref = Reference.shared["readout"]
        let g = ReadoutGeometry(weight: Matrix(rows: 2, cols: 16, storage: doubles(ref["weight"])),
                                tasks: [("task0", [0]), ("task1", [1])], unitStd: doubles(ref["unit_std"]))
        #expect(agrees(g.pairs[0].cosine, (ref["cosine"] as! NSNumber).doubleValue, 1e-9))
        #expect(agrees(g.pairs[0].angleDegrees, (ref["angle_degrees"] as! NSNumber).doubleValue, 1e-9))
        for (a, b) in zip(g.interference, doubles(ref["interference"])) { #expect(agrees(a, b, 1e-9)) }
        let shares = (ref["shares"] as! [Any]).map(doubles)
        for (unit, expected) in zip(g.units, shares) where unit.kind != .dead {
            for (a, b) in zip(unit.shares, expected) { #expect(abs(a - b) < 1e-12) }
        }
        #expect(g.units[3].kind == .dead)
    }

    @Test func distributionQuartilesFollowNumpy() {
        let d = Distribution([4, 1, 3, 2, .nan])
        #expect(d.count == 4 && d.mean == 2.5 && d.median == 2.5 && d.q25 == 1.75 && d.q75 == 3.25)
        #expect(abs(d.std - 1.2909944487358056) < 1e-12)
        #expect(histogram([0, 0.04, 0.05, 0.5, 1], bins: 20) == [2, 1] + Array(repeating: 0, count: 8) + [1] + Array(repeating: 0, count: 8) + [1])
    }
}

@Suite struct CovarianceMeanTests {
    @Test func perContextMeansAreTheRowAverages() {
        var accumulator = CovarianceAccumulator(dimension: 2)
        accumulator.add(Matrix(rows: 4, cols: 2, storage: [1, 2, 3, 4, 10, 20, 30, 40]), contexts: [0, 0, 1, 1])
        accumulator.add(Matrix(rows: 1, cols: 2, storage: [5, 6]), contexts: [0])
        let means = accumulator.means()
        #expect(means[0]!.enumerated().allSatisfy { abs($0.element - [3.0, 4.0][$0.offset]) < 1e-12 })
        #expect(means[1]!.enumerated().allSatisfy { abs($0.element - [20.0, 30.0][$0.offset]) < 1e-12 })
    }
}
