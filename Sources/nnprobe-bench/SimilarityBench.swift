import Foundation
import NNAnalysis
import NNLinalg
import NNModel

/// Debiased CKA between 100 representations of 10,000 rows × 16 units (all 4,950 pairs), in
/// process: the computation alone, without reading files (`similarity` in bench/run.sh times the
/// command end to end). The data: one shared 6-dimensional latent, each net's units a random
/// mixture of it plus its own noise, through a ReLU. BLAS may use every core, as in the command.
func benchSimilarity() {
    let (nets, n, width, latentWidth) = (100, 10_000, 16, 6)
    var rng = RandomSource(seed: 1)
    let latent = (0..<(n * latentWidth)).map { _ in rng.uniform(-1, 1) }
    let representations = (0..<nets).map { _ -> Matrix<Float> in
        let mix = (0..<(latentWidth * width)).map { _ in rng.uniform(-1, 1) }
        var x = Matrix<Float>(rows: n, cols: width)
        for i in 0..<n {
            for j in 0..<width {
                let value = (0..<latentWidth).reduce(0.3 * rng.uniform(-1, 1)) { $0 + latent[i * latentWidth + $1] * mix[$1 * width + j] }
                x[i, j] = Float(max(0, value))
            }
        }
        return x
    }
    BLASThreads.set(availableCores)
    var best = Double.infinity, mean = 0.0
    for _ in 0..<3 {
        let clock = ContinuousClock()
        var matrix: SimilarityMatrix?
        let elapsed = clock.measure { matrix = try? PairwiseSimilarity.compute(representations, measures: [.debiasedCKA])[0] }
        guard let matrix else { fail("similarity: the computation failed") }
        mean = matrix.distribution.mean
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    print(#"{"bench": "similarity-compute", "net": "similarity-compute", "impl": "nnprobe", "seconds": \#(best), "peak_mib": \#(peakMemoryMiB()), "check": \#(mean)}"#)
}
