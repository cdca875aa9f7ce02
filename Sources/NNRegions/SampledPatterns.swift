import NNLinalg
import NNModel

/// Distinct activation patterns among sampled inputs: a lower bound on the number of linear
/// regions those inputs touch. Runs the ordinary batched forward pass (Float64, evaluation
/// mode), independent of the polygon clipping in `RegionPartition`.
public struct SampledPatterns {
    private let network: LayerNetwork<Double>
    private let chunk: Int
    /// The pre-activation buffer of every ReLU layer, with its width.
    private let reluLayers: [(buffer: Int, width: Int)]
    private let words: Int

    public init(_ model: MLP, chunk: Int = 4096) {
        network = LayerNetwork<Double>(model)
        self.chunk = max(1, chunk)
        let blocks = network.blockBuffers
        reluLayers = model.layers.enumerated().filter { $0.element.activation == .relu }
            .map { (blocks[$0.offset].pre, $0.element.outputs) }
        words = (reluLayers.reduce(0) { $0 + $1.width } + 63) / 64
    }

    /// Number of distinct patterns among `count` inputs produced by `input(i)`.
    public func count(_ count: Int, input: (Int) -> [Double]) -> Int {
        var seen = Set<[UInt64]>()
        var start = 0
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
            seen.formUnion(patterns)
            start += rows
        }
        return seen.count
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
