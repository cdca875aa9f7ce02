import Foundation
import NNCheckpoint
import NNModel
import NNTasks
import Testing
@testable import NNModelAnalyses

@Suite struct DumpPCATests {
    /// PCA streamed from a written dump of a probe grid equals PCA of the same grid computed from
    /// the checkpoint (the dump stores the same float32 activations).
    @Test func dumpAndCheckpointGiveTheSameComponents() throws {
        let checkpoint = InMemoryModel.checkpoint
        let task = try CheckpointTask(checkpoint)
        let dump = try InMemoryModel.varyDump("task0", gridSize: 6, contexts: 4)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnmodelanalyses-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try dump.write(to: path)
        let reader = try ActivationDumpReader(path: path)

        let settings = ActivationPCA.Settings(vary: .subtask("task0"), gridSize: 6, contexts: 4, components: 2)
        let fromDump = try ActivationPCA.of(reader, settings: settings, file: path)
        let fromCheckpoint = try ActivationPCA.of(checkpoint, task: task, settings: settings, file: "memory").report
        #expect(fromDump.source == "dump" && fromDump.variedTask == "task0" && fromDump.gridSize == 6 && fromDump.contexts == 4)
        #expect(fromDump.layers.count == fromCheckpoint.layers.count)
        for (a, b) in zip(fromDump.layers, fromCheckpoint.layers) {
            #expect(a.nSamples == 144 && b.nSamples == 144 && a.nContexts == 4)
            for (x, y) in zip(a.explainedVariance, b.explainedVariance) { #expect(close(x, y, 1e-9), "layer \(a.layer): \(x) vs \(y)") }
        }
        // Only the dump's own probe may be asked for.
        #expect(throws: AnalysisError.dumpProbeMismatch(wanted: "task1", probe: reader.probe)) {
            try ActivationPCA.of(reader, settings: .init(vary: .subtask("task1")), file: path)
        }
        #expect(AnalysisError.dumpProbeMismatch(wanted: "task1", probe: reader.probe).description == "this dump varies task0, not task1")
        let projection = try ActivationPCA.projection(reader, layer: 0, preActivations: false)
        #expect(projection.first.count == 144 && projection.task == "task0" && projection.colourName == "input 0")
    }
}
