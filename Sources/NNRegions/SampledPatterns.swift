import NNLinalg
import NNModel

/// Distinct activation patterns among sampled inputs: a lower bound on the number of linear
/// regions those inputs touch. A pattern is the sign of every ReLU's input (1 = z > 0) and,
/// for every max pooling, the position each window takes (the first of its largest entries).
/// Runs the ordinary batched forward pass (Float64, evaluation mode), independent of the
/// polygon clipping in `RegionPartition`.
public struct SampledPatterns {
    private let network: LayerNetwork<Double>
    private let chunk: Int
    /// The input buffer of every ReLU step, with its width.
    private let reluLayers: [(buffer: Int, width: Int)]
    /// The input buffer of every max-pooling step, with its window.
    private let pools: [(buffer: Int, geometry: ConvGeometry)]
    /// ReLU (true) and max-pooling steps in execution order, each with its index in its list.
    private let order: [(relu: Bool, index: Int)]
    private let words: Int

    public init(_ model: MLP, chunk: Int = 4096) {
        self.init(network: LayerNetwork<Double>(model), chunk: chunk)
    }

    /// Any model; throws when its layers do not fit its values.
    public init(_ model: LayerModel, chunk: Int = 4096) throws {
        self.init(network: try LayerNetwork<Double>(model), chunk: chunk)
    }

    private init(network: LayerNetwork<Double>, chunk: Int) {
        self.network = network
        self.chunk = max(1, chunk)
        var relus: [(Int, Int)] = [], pools: [(Int, ConvGeometry)] = [], order: [(Bool, Int)] = []
        for step in network.steps {
            guard case .layer(let layer) = step.operation else { continue }
            switch layer {
            case .activation(.relu):
                order.append((true, relus.count))
                relus.append((step.inputs[0], step.inShape.count))
            case .maxPool(let k, let s, let p):
                order.append((false, pools.count))
                pools.append((step.inputs[0], ConvGeometry(channels: step.inShape.channels, height: step.inShape.height,
                                                           width: step.inShape.width, kernel: k, stride: s, padding: p)))
            default: break
            }
        }
        reluLayers = relus
        self.pools = pools
        self.order = order
        let poolOutputs = pools.reduce(0) { $0 + $1.1.channels * $1.1.positions }
        words = (relus.reduce(0) { $0 + $1.1 } + 63) / 64 + (poolOutputs + 7) / 8
    }

    /// The patterns of `rows` inputs in the layout of `RegionPartition.Region.pattern`.
    public func patterns(_ inputs: [Double], rows: Int) -> [[UInt8]] {
        var none = RandomSource(seed: 0)
        _ = network.forward(inputs, batch: rows, training: false, dropout: &none)
        var result = [[UInt8]](repeating: [], count: rows)
        for (relu, index) in order {
            if relu {
                let (buffer, width) = reluLayers[index]
                let pre = network.values(ofBuffer: buffer)
                for r in 0..<rows { result[r] += (0..<width).map { pre[pre.startIndex + r * width + $0] > 0 ? 1 : 0 } }
            } else {
                let (buffer, g) = pools[index]
                let x = network.values(ofBuffer: buffer)
                for r in 0..<rows { result[r] += Self.argmax(x, start: x.startIndex + r * g.inputCount, g: g) }
            }
        }
        return result
    }

    /// Number of distinct patterns among `count` inputs produced by `input(i)`.
    public func count(_ count: Int, input: (Int) -> [Double]) -> Int {
        var seen = Set<[UInt64]>()
        var start = 0
        let reluWords = (reluLayers.reduce(0) { $0 + $1.width } + 63) / 64
        while start < count {
            let rows = min(chunk, count - start)
            var none = RandomSource(seed: 0)
            _ = network.forward((0..<rows).flatMap { input(start + $0) }, batch: rows, training: false, dropout: &none)
            var patterns = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: rows)
            var bit = 0
            for (buffer, width) in reluLayers {
                let pre = network.values(ofBuffer: buffer)
                for r in 0..<rows {
                    for j in 0..<width where pre[pre.startIndex + r * width + j] > 0 {
                        patterns[r][(bit + j) / 64] |= 1 << UInt64((bit + j) % 64)
                    }
                }
                bit += width
            }
            var byte = 0
            for (buffer, g) in pools {
                let x = network.values(ofBuffer: buffer)
                for r in 0..<rows {
                    for (k, offset) in Self.argmax(x, start: x.startIndex + r * g.inputCount, g: g).enumerated() {
                        patterns[r][reluWords + (byte + k) / 8] |= UInt64(offset) << UInt64(8 * ((byte + k) % 8))
                    }
                }
                byte += g.channels * g.positions
            }
            seen.formUnion(patterns)
            start += rows
        }
        return seen.count
    }

    /// Per window of a max pooling over the image at `start` of `x`, the position (ky·k + kx) of
    /// its first largest entry; padding is never an entry.
    static func argmax(_ x: ArraySlice<Double>, start: Int, g: ConvGeometry) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(g.channels * g.positions)
        for c in 0..<g.channels {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    var best: UInt8 = 0, top = -Double.infinity
                    g.forEachInput(inWindowOf: c, oy, ox) { offset, i in
                        if x[start + i] > top { top = x[start + i]; best = UInt8(offset) }
                    }
                    result.append(best)
                }
            }
        }
        return result
    }

    /// Distinct patterns on an n × n grid of cell centres over the slice's box.
    public func onGrid(_ slice: PlaneSlice, size n: Int) -> Int {
        let b = slice.box
        return count(n * n) { i in
            slice.point(b[0] + (Double(i % n) + 0.5) / Double(n) * (b[1] - b[0]), b[2] + (Double(i / n) + 0.5) / Double(n) * (b[3] - b[2]))
        }
    }

    /// Distinct patterns among `m` inputs uniform in `range` in every dimension, from `seed`.
    public func random(_ m: Int, range: ClosedRange<Double>, dimension: Int, seed: UInt64) -> Int {
        var rng = RandomSource(seed: seed)
        let points = (0..<m).map { _ in (0..<dimension).map { _ in rng.uniform(range.lowerBound, range.upperBound) } }
        return count(m) { points[$0] }
    }
}
