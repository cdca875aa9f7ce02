import ArgumentParser
import Foundation
import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks

/// `nnprobe pca`: activation PCA while one task's inputs vary.
struct PCA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pca",
        abstract: "PCA of each layer's activations while one task's inputs sweep a grid (or over a whole split).",
        discussion: """
            From a checkpoint, --vary TASK sweeps that sub-task's inputs over an N×N grid while the \
            other inputs are held at C contexts; activations are centred per context and pooled \
            (divisor N − C). It also reports the principal angles between each pair of tasks' top-k \
            subspaces and the cross-task leakage: how much each other task's outputs move, relative to \
            the varied task's own, while only its inputs vary. --vary all is plain PCA over the \
            checkpoint's test split. From an activation dump, the dump's own probe is used and the \
            rows are streamed in blocks (covariance accumulated in Float64), so memory does not grow \
            with N. Keys follow scikit-learn: explained_variance (divisor n − 1), \
            explained_variance_ratio, components (sign: largest entry positive).
            """)

    @Argument(help: "A checkpoint or activation dump (default: the newest checkpoint under checkpoints/).")
    var file: String?
    @Option(help: "The sub-task whose inputs vary (task0, task1, …), or all (default all).")
    var vary = "all"
    @Option(help: "Only this layer (0-based).")
    var layer: Int?
    @Option(help: "Grid points per varied input (checkpoints; default 21).")
    var grid = 21
    @Option(help: "Held contexts (checkpoints; default 5).")
    var contexts = 5
    @Option(help: "Components listed, and k for principal angles (default 3).")
    var components = 3
    @Flag(help: "Use pre-activations (before the nonlinearity) instead of layer outputs.")
    var pre = false
    @OptionGroup var output: OutputOptions

    static let blockRows = 65_536

    func validate() throws {
        if grid < 2 { throw ValidationError("--grid \(grid): need at least 2 points") }
        if contexts < 1 { throw ValidationError("--contexts \(contexts): need at least 1") }
        if components < 1 { throw ValidationError("--components \(components): need at least 1") }
    }

    func run() throws {
        let path = try file ?? CheckpointInputs.defaultCheckpoint()
        let (_, kind) = try NNProbeFile.open(path)
        let report = kind == .activations ? try fromDump(path) : try fromCheckpoint(path)
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    // MARK: From a checkpoint

    private func fromCheckpoint(_ path: String) throws -> PCAReport {
        let checkpoint = try Checkpoint.read(from: path)
        let context = try CheckpointTask(checkpoint, file: path)
        let network = Network<Float>(checkpoint.model)
        let layers = try selectedLayers(count: checkpoint.model.layers.count, file: path)
        var report = PCAReport(file: path, source: "checkpoint", variedTask: vary, gridSize: vary == "all" ? 0 : grid,
                               contexts: vary == "all" ? 0 : contexts, components: components)
        if vary == "all" {
            let acts = network.collectActivations(inputs: context.splits.test.inputs)
            for i in layers {
                report.layers.append(try analyse(pre ? acts.pre[i] : acts.post[i], width: checkpoint.model.layers[i].outputs,
                                                 contexts: nil, layer: i).entry)
            }
            return report
        }
        let varied = try context.subtask(vary, file: path)
        // Every sub-task's grid: the varied one is reported; the others give principal angles.
        var perTask: [String: [Int: PrincipalComponents]] = [:]
        for subtask in context.task.subtasks {
            let probe = ProbeGrid(task: context.task, subtask: subtask, gridSize: grid, contexts: contexts, seed: context.config.seed)
            let acts = network.collectActivations(inputs: probe.inputs)
            for i in layers {
                let (entry, pcs) = try analyse(pre ? acts.pre[i] : acts.post[i], width: checkpoint.model.layers[i].outputs,
                                               contexts: probe.contextIndex, layer: i)
                perTask[subtask.name, default: [:]][i] = pcs
                if subtask == varied { report.layers.append(entry) }
            }
            if subtask == varied {
                let movement = OutputMovement(outputs: acts.outputs, width: checkpoint.model.outputWidth, contextIndex: probe.contextIndex)
                for other in context.task.subtasks where other != varied {
                    report.leakage.append(.init(from: varied.name, to: other.name,
                                                ratio: JSONNumber(movement.ratio(of: other.outputs, to: varied.outputs))))
                }
            }
        }
        for other in context.task.subtasks where other != varied {
            for i in layers {
                let a = perTask[varied.name]![i]!, b = perTask[other.name]![i]!
                report.principalAngles.append(.init(layer: i, tasks: [varied.name, other.name], k: components,
                                                    anglesDegrees: try principalAngles(a.top(components), b.top(components))))
            }
        }
        return report
    }

    // MARK: From a dump

    private func fromDump(_ path: String) throws -> PCAReport {
        let reader = try ActivationDumpReader(path: path)
        let probe = reader.probe
        if vary != "all" && vary != probe.variedTask {
            throw CommandFailure("\(path): this dump varies \(probe.kind == "vary" ? probe.variedTask : "nothing (it is the \(probe.dataset) split)"), not \(vary); "
                                 + "make one with `nnprobe dump CKPT --vary \(vary)` or pass the checkpoint")
        }
        let contextIndex: [Int32]? = probe.kind == "vary" ? try reader.readAll(layersToo: false).contextIndex : nil
        var report = PCAReport(file: path, source: "dump", variedTask: probe.kind == "vary" ? probe.variedTask : "all",
                               gridSize: probe.gridSize, contexts: probe.contexts.rows, components: components)
        for i in try selectedLayers(count: reader.layerCount, file: path) {
            var accumulator = CovarianceAccumulator(dimension: try reader.width(ofLayer: i))
            var start = 0
            while start < reader.rowCount {
                let rows = start..<min(reader.rowCount, start + Self.blockRows)
                accumulator.add(try reader.layerRows(i, rows: rows, pre: pre), contexts: contextIndex?[rows])
                start = rows.upperBound
            }
            let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
            report.layers.append(.init(layer: i, pcs: pcs, contexts: accumulator.contextCount, components: components))
        }
        return report
    }

    // MARK: Helpers

    private func selectedLayers(count: Int, file: String) throws -> [Int] {
        guard let layer else { return Array(0..<count) }
        guard (0..<count).contains(layer) else {
            throw CommandFailure("\(file): --layer \(layer) is out of range; valid layers: 0…\(count - 1)")
        }
        return [layer]
    }

    private func analyse(_ values: [Float], width: Int, contexts: [Int32]?, layer: Int) throws -> (entry: PCAReport.Layer, pcs: PrincipalComponents) {
        var accumulator = CovarianceAccumulator(dimension: width)
        accumulator.add(Matrix(rows: values.count / width, cols: width, storage: values), contexts: contexts.map { $0[...] })
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
        return (PCAReport.Layer(layer: layer, pcs: pcs, contexts: accumulator.contextCount, components: components), pcs)
    }
}
