import Foundation
import NNLinalg
import Testing
@testable import NNAnalysis

@Suite struct SimilarityTests {
    /// numpy's value of `measure` for a fixture pair.
    static func numpy(_ pair: [String: Any], _ measure: SimilarityMeasure) -> Double {
        (pair[measure.rawValue.replacingOccurrences(of: "-", with: "_")] as! NSNumber).doubleValue
    }

    @Test(arguments: SimilarityCase.all)
    func everyPairMatchesNumpy(_ c: SimilarityCase) throws {
        let matrices = try PairwiseSimilarity.compute(c.representations, measures: SimilarityMeasure.allCases)
        for pair in c.pairs {
            let (i, j) = (pair["i"] as! Int, pair["j"] as! Int)
            for (m, measure) in SimilarityMeasure.allCases.enumerated() {
                let expected = Self.numpy(pair, measure)
                let all = matrices[m].values[i, j], one = try measure.value(c.representations[i], c.representations[j])
                #expect(agrees(all, expected, 1e-8), "\(c.name) \(i)-\(j) \(measure): \(all) vs numpy \(expected)")
                #expect(agrees(one, expected, 1e-8), "\(c.name) \(i)-\(j) \(measure) (one pair): \(one) vs numpy \(expected)")
                #expect(matrices[m].values[j, i] == all)
            }
            let x = try RepresentationStatistics(c.representations[i]), y = try RepresentationStatistics(c.representations[j])
            #expect([x.svccaBasis.kept, y.svccaBasis.kept] == pair["svcca_kept"] as! [Int], "\(c.name) \(i)-\(j) SVCCA dimensions")
            var cross = Matrix<Double>(rows: x.width, cols: y.width)
            gemm(c.representations[i].centredColumns(), transposeA: true, c.representations[j].centredColumns(), into: &cross)
            let rho = try SVCCA.correlations(cross: cross, x, y), expected = doubles(pair["canonical_correlations"])
            #expect(rho.count == expected.count)
            for (a, b) in zip(rho, expected) { #expect(agrees(a, b, 1e-8), "\(c.name) \(i)-\(j) canonical correlation \(a) vs \(b)") }
        }
    }

    @Test func offDiagonalIsEachPairOnceInRowOrder() throws {
        let c = SimilarityCase.all.first { $0.representations.count == 4 }!
        let cka = try PairwiseSimilarity.compute(c.representations, measures: [.cka])[0]
        #expect(cka.offDiagonal.count == 6)
        for (value, pair) in zip(cka.offDiagonal, c.pairs) { #expect(agrees(value, Self.numpy(pair, .cka), 1e-8)) }
        let d = cka.distribution
        #expect(d.count == 6 && d.min <= d.median && d.median <= d.max)
    }

    @Test func aRepresentationAgainstItselfIsIdentical() throws {
        var random = TestRandom(seed: 1)
        let x = random.matrix(50, 7)
        let m = try PairwiseSimilarity.compute([x, x], measures: SimilarityMeasure.allCases)
        for s in m {
            for (i, j) in [(0, 0), (0, 1), (1, 1)] {
                if s.measure.isDistance {
                    #expect(s.values[i, j] < 1e-6, "\(s.measure) of X with itself: \(s.values[i, j])")
                } else {
                    #expect(abs(s.values[i, j] - 1) < 1e-12, "\(s.measure) of X with itself: \(s.values[i, j])")
                }
            }
        }
    }

    /// Y = 3·X·Q + c for an orthogonal Q: CKA (both), SVCCA 1; Procrustes and angular 0. Without
    /// the rotation undone (a shuffled copy) nothing is close to identical.
    @Test func anOrthogonalRotationOfItselfIsIdentical() throws {
        var random = TestRandom(seed: 2)
        let x = random.matrix(80, 6)
        let q = try random.matrix(6, 6).svd().u
        var y = x * q
        for i in 0..<y.rows { for j in 0..<y.cols { y[i, j] = 3 * y[i, j] + Double(j) } }
        for measure in SimilarityMeasure.allCases {
            let value = try measure.value(x, y)
            if measure.isDistance {
                #expect(value < 1e-6, "\(measure) of X and a rotation of X: \(value)")
            } else {
                #expect(abs(value - 1) < 1e-10, "\(measure) of X and a rotation of X: \(value)")
            }
        }
        let shuffled = Matrix(rows: 80, cols: 6, storage: (0..<80).flatMap { y.row(($0 * 7) % 80) })
        #expect(try SimilarityMeasure.cka.value(x, shuffled) < 0.5)
        #expect(try SimilarityMeasure.procrustes.value(x, shuffled) > 0.5)
    }

    /// Independent features, 20 rows, 200 units: plain CKA is near 1 (its bias), debiased CKA near 0.
    @Test func independentFeaturesHaveDebiasedCKANearZero() throws {
        var random = TestRandom(seed: 3)
        var plain: [Double] = [], debiased: [Double] = []
        for _ in 0..<20 {
            let x = random.matrix(20, 200), y = random.matrix(20, 200)
            let m = try PairwiseSimilarity.compute([x, y], measures: [.cka, .debiasedCKA])
            plain.append(m[0].values[0, 1])
            debiased.append(m[1].values[0, 1])
        }
        #expect(plain.allSatisfy { $0 > 0.8 }, "plain CKA of independent features: \(plain)")
        #expect(debiased.allSatisfy { abs($0) < 0.3 }, "debiased CKA of independent features: \(debiased)")
        let mean = debiased.reduce(0, +) / 20
        #expect(abs(mean) < 0.06, "mean debiased CKA of independent features: \(mean)")
    }

    @Test func smallAndDegenerateShapes() throws {
        var random = TestRandom(seed: 4)
        let x = random.matrix(30, 5), column = random.matrix(30, 1)
        // One unit against five: every measure defined and in range.
        for measure in SimilarityMeasure.allCases {
            let value = try measure.value(x, column)
            #expect(value.isFinite && value >= -1e-12 && value <= (measure == .angular ? Double.pi / 2 : 1.5), "\(measure): \(value)")
        }
        // A constant representation (a dead layer): NaN, not a number that looks like a result.
        let constant = Matrix<Double>(rows: 30, cols: 3, repeating: 2)
        for measure in SimilarityMeasure.allCases { #expect(try measure.value(x, constant).isNaN, "\(measure) against a constant") }
        // Debiased CKA needs n ≥ 4.
        #expect(try SimilarityMeasure.debiasedCKA.value(random.matrix(3, 2), random.matrix(3, 2)).isNaN)
        // Float input gives the Float64 result of the converted values.
        let f = x.converted(to: Float.self), g = column.converted(to: Float.self)
        let fromFloat = try PairwiseSimilarity.compute([f, g], measures: [.debiasedCKA])[0].values[0, 1]
        let converted = try SimilarityMeasure.debiasedCKA.value(f.converted(to: Double.self), g.converted(to: Double.self))
        #expect(agrees(fromFloat, converted, 1e-12))
    }

    @Test func nonFiniteActivationsAreNamed() throws {
        var x = Matrix<Float>(rows: 5, cols: 2, repeating: 1)
        x[1, 1] = .nan
        #expect(throws: NonFiniteError.self) { try PairwiseSimilarity.compute([x, x], measures: [.cka], names: ["a", "b"]) }
    }
}
