import NNLinalg
import NNModel

extension WeightPack {
    /// One run's settings of one layer (or, for a head, its source layer alone), as a version-2
    /// pack stores them per group: one [runs] dataset per setting beside the layer's tensors.
    struct LayerSettings {
        var activation = Activation.identity
        var batchNorm = false
        var eps = 1e-5, momentum = 0.1
        var residual = false
        var dropout = 0.0
        var sourceLayer = 0

        /// Each row's settings of every layer, then every head, of group `group`, whose first
        /// model is `model`.
        static func read(_ group: HDF5Group, model: PackedModel, packBytes: Int64) throws -> [[LayerSettings]] {
            let runs = Int(try group.integerAttribute("n_runs"))
            var rows = Array(repeating: [LayerSettings](), count: runs)
            for index in 0..<model.layers {
                let node = try group.group("layer_\(index)")
                let activations = try strings("activation", in: node, runs: runs, packBytes: packBytes)
                let batchNorm = try column("batch_norm", in: node, runs: runs, packBytes: packBytes, as: Int64.self)
                let eps = try column("bn_eps", in: node, runs: runs, packBytes: packBytes, as: Double.self)
                let momentum = try column("bn_momentum", in: node, runs: runs, packBytes: packBytes, as: Double.self)
                let residual = try column("residual", in: node, runs: runs, packBytes: packBytes, as: Int64.self)
                let dropout = try column("dropout", in: node, runs: runs, packBytes: packBytes, as: Double.self)
                for row in 0..<runs {
                    // A run without a record has an empty activation here, and is never rebuilt.
                    let activation = Activation(rawValue: activations[row]) ?? .identity
                    rows[row].append(LayerSettings(activation: activation, batchNorm: batchNorm[row] != 0, eps: eps[row],
                                                   momentum: momentum[row], residual: residual[row] != 0, dropout: dropout[row]))
                }
            }
            for index in 0..<model.heads {
                let sources = try column("source_layer", in: group.group("head_\(index)"), runs: runs, packBytes: packBytes, as: Int64.self)
                for row in 0..<runs { rows[row].append(LayerSettings(sourceLayer: Int(clamping: sources[row]))) }
            }
            return rows
        }

        /// The model of run `run` from its packed tensors and its layers' settings, checked as
        /// `Checkpoint.read` checks a model.
        static func model(_ packed: PackedModel, settings: [LayerSettings], run: Int) throws -> MLP {
            func tensor(_ name: String) throws -> [Float] {
                guard let found = packed.tensor(name) else { throw Unusable.damaged("run \(run): no \(name)") }
                return found.values
            }
            func weight(_ group: String) throws -> Matrix<Float> {
                guard let w = packed.tensor("\(group)/weight"), w.shape.count == 2 else { throw Unusable.damaged("run \(run): no \(group)/weight") }
                return Matrix(rows: w.shape[0], cols: w.shape[1], storage: w.values)
            }
            guard settings.count == packed.layers + packed.heads else { throw Unusable.damaged("run \(run): settings of \(settings.count) layers") }
            let layers = try (0..<packed.layers).map { index in
                let s = settings[index], name = "layer_\(index)"
                let batchNorm = s.batchNorm ? BatchNorm(
                    gamma: try tensor("\(name)/gamma"), beta: try tensor("\(name)/beta"), runningMean: try tensor("\(name)/running_mean"),
                    runningVar: try tensor("\(name)/running_var"), eps: s.eps, momentum: s.momentum) : nil
                return DenseLayer(weight: try weight(name), bias: try tensor("\(name)/bias"), batchNorm: batchNorm,
                                  activation: s.activation, residual: s.residual, dropout: s.dropout)
            }
            let heads = try (0..<packed.heads).map { index in
                Head(weight: try weight("head_\(index)"), bias: try tensor("head_\(index)/bias"),
                     sourceLayer: settings[packed.layers + index].sourceLayer)
            }
            let model = MLP(layers: layers, heads: heads)
            if let problem = model.shapeProblems().first { throw Unusable.damaged("run \(run): model/\(problem)") }
            return model
        }
    }
}
