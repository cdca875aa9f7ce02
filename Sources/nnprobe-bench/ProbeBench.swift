import Foundation
import NNAnalysis
import NNLinalg

/// A logistic-regression probe's fit (C = 1, 10 classes) on 10,000 rows × 128 features, read from
/// `directory` (bench/make_data.py: raw little-endian float32 features, int32 labels), in process:
/// the fit alone, as the peer times scikit-learn's. `tolerance` is the largest gradient entry
/// allowed at the end (scikit-learn's `tol`, the same test). One thread (BLAS too), as the peer
/// runs: on a machine shared with other work, threads' spin-waits swamp a two-core comparison.
func benchProbe(directory: String, tolerance: Double, name: String) {
    let (n, p) = (10_000, 128)
    guard let features = FileManager.default.contents(atPath: directory + "/features.f32"), features.count == n * p * 4,
          let labelData = FileManager.default.contents(atPath: directory + "/labels.i32"), labelData.count == n * 4
    else { fail("\(directory): probe data missing or of the wrong size (run bench/make_data.py)") }
    let x = Matrix(rows: n, cols: p, storage: features.withUnsafeBytes { raw in
        (0..<(n * p)).map { Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))) }
    })
    let labels = labelData.withUnsafeBytes { raw in (0..<n).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) } }
    let clock = ContinuousClock()
    var model: LogisticRegression?
    let elapsed = clock.measure { model = try? LogisticRegression.fit(x, labels: labels, settings: .init(c: 1, tolerance: tolerance)) }
    guard let model, let accuracy = try? model.accuracy(x, labels: labels) else { fail("probe: the fit failed") }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print(#"{"bench": "\#(name)", "net": "\#(name)", "impl": "nnprobe", "seconds": \#(seconds), "peak_mib": \#(peakMemoryMiB()), "check": {"iterations": \#(model.iterations), "train_accuracy": \#(accuracy), "converged": \#(model.converged)}}"#)
}
