import NNLinalg

/// An edit of one buffer during a forward pass (ablation, activation patching): right after the
/// step that writes `buffer` (a layer's output or a residual sum), chosen directions of every
/// row's values are replaced, before any later step reads them.
///
/// A row's values at one position form a vector h over the buffer's channels (flat features: one
/// position, the units; a conv layer's output: H·W positions, its channels). With orthonormal
/// directions V (k × C), h becomes h − Vᵀ V (h − r), where r is the replacement at that position:
/// zero, a constant (e.g. each value's mean over rows) or the same row's values in another run.
/// Chosen units are the case V = rows of the identity: h_j ← r_j for each unit j (a conv channel
/// at every position).
public struct Intervention<T: LinalgScalar>: Sendable {
    /// What is replaced.
    public enum Directions: Sendable {
        /// These units (channels), each at every position.
        case units([Int])
        /// `count` orthonormal directions over the channels (count × C, row-major).
        case subspace(basis: [T], count: Int)
    }

    /// What replaces it.
    public enum Replacement: Sendable {
        case zero
        /// One example's values (C·H·W, channel-major), the same for every row: e.g. the mean.
        case constant([T])
        /// Every row's values (batch × C·H·W): another run's activations of the same buffer.
        case rows([T])
    }

    /// The buffer edited (see `LayerNetwork.buffer(named:)`).
    public let buffer: Int
    public let directions: Directions
    public let replacement: Replacement

    public init(buffer: Int, directions: Directions, replacement: Replacement) {
        self.buffer = buffer
        self.directions = directions
        self.replacement = replacement
    }

    /// Rewrites `batch` rows of `values`, each of `shape`.
    func apply(to values: UnsafeMutablePointer<T>, batch: Int, shape: FeatureShape) {
        let count = shape.count, positions = shape.positions, channels = shape.channels
        switch replacement {
        case .zero: break
        case .constant(let c): precondition(c.count == count, "intervention: \(c.count) constant values for \(shape)")
        case .rows(let r): precondition(r.count == batch * count, "intervention: \(r.count) values for \(batch) rows of \(shape)")
        }
        /// The replacement of value `k` (channel-major within a row) of row `n`.
        func target(_ n: Int, _ k: Int) -> T {
            switch replacement {
            case .zero: 0
            case .constant(let c): c[k]
            case .rows(let r): r[n * count + k]
            }
        }
        switch directions {
        case .units(let units):
            precondition(units.allSatisfy { (0..<channels).contains($0) }, "intervention: units \(units) of \(channels) channels")
            for n in 0..<batch {
                let row = values + n * count
                for j in units {
                    for p in 0..<positions { row[j * positions + p] = target(n, j * positions + p) }
                }
            }
        case .subspace(let basis, let k):
            precondition(basis.count == k * channels, "intervention: a basis of \(basis.count) values for \(k) × \(channels)")
            var difference = [T](repeating: 0, count: channels)
            for n in 0..<batch {
                let row = values + n * count
                for p in 0..<positions {
                    for c in 0..<channels { difference[c] = row[c * positions + p] - target(n, c * positions + p) }
                    for d in 0..<k {
                        var along: T = 0
                        for c in 0..<channels { along += basis[d * channels + c] * difference[c] }
                        for c in 0..<channels { row[c * positions + p] -= basis[d * channels + c] * along }
                    }
                }
            }
        }
    }
}

extension LayerNetwork {
    /// The buffer called `name`: a layer's or a residual sum's step name (`block0.main.2`,
    /// `block1.add`), or `blockN` for block N's output (after its sum and the layers after it).
    /// Heads' read-outs, which add into one shared buffer, have none.
    public func buffer(named name: String) -> Int? {
        if let step = steps.first(where: { $0.name == name }) {
            if case .readOut = step.operation { return nil }
            return step.output
        }
        guard name.hasPrefix("block"), let b = Int(name.dropFirst(5)), String(b) == name.dropFirst(5) else { return nil }
        return steps.last { $0.name.hasPrefix("block\(b).") }?.output
    }

    /// Every name `buffer(named:)` knows, in execution order: each block's steps, then the block.
    public var bufferNames: [String] {
        var names: [String] = []
        for step in steps {
            if case .readOut = step.operation { continue }
            names.append(step.name)
            if let block = step.name.split(separator: ".").first, buffer(named: String(block)) == step.output,
               !names.contains(String(block)) {
                names.append(String(block))
            }
        }
        return names
    }

    /// Runs `inputs` forward in evaluation mode (running batch-norm statistics, no dropout), with
    /// `interventions` applied as their buffers are written; returns the outputs (batch × output width).
    public func evaluate(_ inputs: [T], batch: Int, interventions: [Intervention<T>] = []) -> [T] {
        var unused = RandomSource(seed: 0)
        return forward(inputs, batch: batch, training: false, dropout: &unused, interventions: interventions)
    }
}
