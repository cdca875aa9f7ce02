import NNAnalysis
import NNCheckpoint
import NNModel
import NNTasks

extension ActivationPCA {
    /// PCA of `checkpoint`'s activations on its rebuilt `task` data. With a varied sub-task, every
    /// sub-task's probe grid is run: the varied one is reported, each other gives the principal
    /// angles between the two top-k subspaces, and the leakage says how much each other task's
    /// outputs move while only the varied task's inputs do. With `projections`, also each task's
    /// probe activations at the first selected layer on their own top two components (figure
    /// data), from the same forward passes. `file` names the checkpoint in the report.
    ///
    /// Throws `AnalysisError` for an unknown sub-task or a layer out of range, and
    /// `LinalgError`/`NonFiniteError` from the decompositions.
    public static func of(_ checkpoint: Checkpoint, task context: CheckpointTask, settings: Settings, file: String,
                          projections withProjections: Bool = false) throws -> (report: PCAReport, projections: [PCAProjection]) {
        if let layers = checkpoint.layers {   // a conv net: its blocks' pooled channels (ActivationPCA+Layers.swift)
            return try of(layers, task: context, settings: settings, file: file, projections: withProjections)
        }
        let model = checkpoint.model
        let network = LayerNetwork<Float>(model)
        let layers = try selectedLayers(count: model.layers.count, settings: settings)
        let plotted = withProjections ? layers.first : nil
        let pre = settings.preActivations, k = settings.components
        func rows(_ acts: CollectedActivations, _ i: Int) -> [Float] { pre ? acts.pre[i] : acts.post[i] }

        guard let variedName = settings.vary.subtaskName else {
            var report = PCAReport(file: file, source: "checkpoint", variedTask: "all", gridSize: 0, contexts: 0, components: k)
            let data = context.splits.test
            let acts = network.collectActivations(inputs: data.inputs)
            for i in layers {
                report.layers.append(try analyse(rows(acts, i), width: model.layers[i].outputs, contexts: nil, layer: i, components: k).entry)
            }
            var projections: [PCAProjection] = []
            if let plotted {
                projections.append(try PCAProjection(
                    rows(acts, plotted), width: model.layers[plotted].outputs, contexts: nil,
                    colour: stride(from: 0, to: data.inputs.count, by: data.inputWidth).map { Double(data.inputs[$0]) },
                    task: "all inputs", colourName: "input 0"))
            }
            return (report, projections)
        }

        var report = PCAReport(file: file, source: "checkpoint", variedTask: variedName, gridSize: settings.gridSize,
                               contexts: settings.contexts, components: k)
        let varied = try context.subtask(named: variedName)
        var projections: [PCAProjection] = []
        // Every sub-task's components per layer, in the task's order: the others give principal angles.
        var perTask: [(subtask: SubTask, components: [Int: PrincipalComponents])] = []
        for subtask in context.task.subtasks {
            let probe = ProbeGrid(task: context.task, subtask: subtask, gridSize: settings.gridSize, contexts: settings.contexts,
                                  seed: context.seed)
            let acts = network.collectActivations(inputs: probe.inputs)
            var components: [Int: PrincipalComponents] = [:]
            for i in layers {
                let (entry, pcs) = try analyse(rows(acts, i), width: model.layers[i].outputs, contexts: probe.contextIndex, layer: i, components: k)
                components[i] = pcs
                if subtask == varied { report.layers.append(entry) }
            }
            perTask.append((subtask, components))
            if let plotted {
                let input = subtask.inputs[0]
                projections.append(try PCAProjection(
                    rows(acts, plotted), width: model.layers[plotted].outputs, contexts: probe.contextIndex,
                    colour: (0..<probe.count).map { Double(probe.inputs[$0 * probe.inputWidth + input]) },
                    task: subtask.name + (subtask == varied ? " (varied)" : ""), colourName: "input \(input)"))
            }
            if subtask == varied {
                let movement = OutputMovement(outputs: acts.outputs, width: model.outputWidth, contextIndex: probe.contextIndex)
                for other in context.task.subtasks where other != varied {
                    report.leakage.append(.init(from: varied.name, to: other.name, ratio: movement.ratio(of: other.outputs, to: varied.outputs)))
                }
            }
        }
        let variedComponents = perTask.first { $0.subtask == varied }!.components
        for (other, otherComponents) in perTask where other != varied {
            for i in layers {
                report.principalAngles.append(.init(
                    layer: i, tasks: [varied.name, other.name], k: k,
                    anglesDegrees: try principalAngles(variedComponents[i]!.top(k), otherComponents[i]!.top(k))))
            }
        }
        return (report, projections)
    }
}
