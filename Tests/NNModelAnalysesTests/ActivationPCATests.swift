import NNAnalysis
import NNLinalg
import NNModel
import Testing
@testable import NNModelAnalyses

@Suite struct ActivationPCATests {
    /// Plain PCA over the test split: the explained variances are the eigenvalues of the activations'
    /// covariance (divisor n − 1), computed here directly from the forward pass.
    @Test func explainedVarianceIsTheCovarianceSpectrum() throws {
        let checkpoint = InMemoryModel.checkpoint
        let task = try CheckpointTask(checkpoint)
        let settings = ActivationPCA.Settings(vary: .all, layer: 0, components: 2)
        let (report, projections) = try ActivationPCA.of(checkpoint, task: task, settings: settings, file: "memory", projections: true)
        let layer = try #require(report.layers.first)

        let inputs = task.splits.test.inputs
        let post = LayerNetwork<Float>(checkpoint.model).collectActivations(inputs: inputs).post[0]
        let width = 8, n = post.count / width
        var mean = [Double](repeating: 0, count: width)
        for r in 0..<n { for j in 0..<width { mean[j] += Double(post[r * width + j]) / Double(n) } }
        var covariance = Matrix<Double>(rows: width, cols: width)
        for r in 0..<n {
            for i in 0..<width {
                for j in 0..<width {
                    covariance[i, j] += (Double(post[r * width + i]) - mean[i]) * (Double(post[r * width + j]) - mean[j]) / Double(n - 1)
                }
            }
        }
        let eigenvalues = try covariance.symmetricEigenvalues().sorted(by: >)
        #expect(layer.nSamples == n && layer.nFeatures == width && layer.nContexts == 1)
        #expect(layer.explainedVariance.count == width)
        for (a, b) in zip(layer.explainedVariance, eigenvalues) { #expect(close(a, b, 1e-6), "\(a) vs \(b)") }
        let total = eigenvalues.reduce(0, +)
        #expect(close(layer.explainedVarianceRatio[0], eigenvalues[0] / total, 1e-6))
        // The trace is the sum of the columns' variances.
        #expect(close(total, columnStd(post, width: width).reduce(0) { $0 + $1 * $1 }, 1e-6))
        #expect(layer.components.count == 2)
        // The projection on the first component has the first component's variance.
        let first = try #require(projections.first?.first)
        #expect(first.count == n)
        #expect(close(first.reduce(0) { $0 + $1 * $1 } / Double(n - 1), eigenvalues[0], 1e-5))
    }

    /// A varied sub-task: N = grid² · contexts rows, leakage to the other task, one angle set per layer.
    @Test func variedTaskReportsAnglesAndLeakage() throws {
        let checkpoint = InMemoryModel.checkpoint
        let settings = ActivationPCA.Settings(vary: .subtask("task0"), gridSize: 5, contexts: 3, components: 2)
        let (report, projections) = try ActivationPCA.of(checkpoint, task: try CheckpointTask(checkpoint), settings: settings, file: "memory")
        #expect(report.variedTask == "task0" && report.gridSize == 5 && report.contexts == 3)
        #expect(report.layers.map(\.layer) == [0, 1, 2])
        #expect(report.layers.allSatisfy { $0.nSamples == 75 && $0.nContexts == 3 })
        #expect(report.leakage.count == 1 && report.leakage[0].from == "task0" && report.leakage[0].to == "task1")
        #expect(report.leakage[0].ratio >= 0 && report.leakage[0].ratio.isFinite)
        #expect(report.principalAngles.map(\.layer) == [0, 1, 2])
        #expect(report.principalAngles.allSatisfy { $0.tasks == ["task0", "task1"] && $0.anglesDegrees.count == 2
                                                    && $0.anglesDegrees.allSatisfy { (0...90.000_001).contains($0) } })
        #expect(projections.isEmpty)
    }

    @Test func unknownSubtaskAndLayerNameTheirSettings() throws {
        let checkpoint = InMemoryModel.checkpoint
        let task = try CheckpointTask(checkpoint)
        #expect(throws: AnalysisError.unknownSubtask("task9", task: "multi-mult", known: ["task0", "task1"])) {
            try ActivationPCA.of(checkpoint, task: task, settings: .init(vary: .subtask("task9")), file: "memory")
        }
        #expect(throws: AnalysisError.activationLayerOutOfRange(5, count: 3)) {
            try ActivationPCA.of(checkpoint, task: task, settings: .init(layer: 5), file: "memory")
        }
        #expect(AnalysisError.activationLayerOutOfRange(5, count: 2).described { "--" + $0 } == "--layer 5 is out of range; valid layers: 0…1")
        #expect(AnalysisError.unknownSubtask("x", task: "spirals", known: []).description == "task spirals has no sub-task 'x'; it has none (use vary all)")
    }
}
