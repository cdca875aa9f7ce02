import NNModel
import NNTasks
import Testing
@testable import NNModelAnalyses

@Suite struct DumpBuilderTests {
    /// A probe-grid dump holds each row's activations as the weights compute them.
    @Test func varyDumpHoldsTheForwardPass() throws {
        let dump = try InMemoryModel.varyDump("task1", gridSize: 3, contexts: 2)
        #expect(InMemoryModel.model.layers.map(\.activation) == [.relu, .relu, .identity])
        #expect(dump.probe.kind == .vary && dump.probe.variedTask == "task1" && dump.probe.variedInputs == [2, 3])
        #expect(dump.rowCount == 18 && dump.contextIndex.count == 18 && dump.layers.count == 3)
        #expect(dump.probe.contexts.rows == 2 && dump.targets.rows == 18)
        for row in [0, 7, 17] {
            let x = (0..<4).map { dump.inputs[row, $0] }
            for layer in 0..<3 {
                let expected = InMemoryModel.activations(of: x, throughLayer: layer)
                for j in expected.pre.indices {
                    #expect(close(Double(dump.layers[layer].pre[row, j]), expected.pre[j], 1e-5))
                    #expect(close(Double(dump.layers[layer].post[row, j]), expected.post[j], 1e-5))
                }
            }
            // multi-mult's targets: x0·x1, x2·x3.
            #expect(close(Double(dump.targets[row, 1]), Double(x[2] * x[3]), 1e-6))
        }
    }

    @Test func datasetDumpNamesItsSplit() throws {
        let checkpoint = InMemoryModel.checkpoint
        let task = try CheckpointTask(checkpoint)
        let data = Split.val.rows(of: task.splits)
        let dump = DumpBuilder.dataset(LayerNetwork<Float>(checkpoint.model), data: data, split: .val, task: "multi-mult", source: "memory")
        #expect(dump.probe.kind == .dataset && dump.probe.dataset == "val")
        #expect(dump.rowCount == data.count && data.count == task.splits.validation.count)
        let x = (0..<4).map { dump.inputs[3, $0] }
        let expected = InMemoryModel.activations(of: x, throughLayer: 2)
        for j in 0..<2 { #expect(close(Double(dump.outputs[3, j]), expected.post[j], 1e-5)) }
    }
}
