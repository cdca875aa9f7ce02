/// The exact partition of a 2-D input slice into the linear regions of a ReLU network.
///
/// Starting from the slice's box, every layer's pre-activations are affine on each current
/// region; each ReLU unit's zero line splits the regions it crosses (convex polygon clipping),
/// and the region's map is updated with the unit's on/off state (plus the residual skip).
/// Everything is Float64. A region therefore carries its polygon, its activation pattern and
/// the affine map from (u, v) to the network's output.
///
/// Degenerate geometry: a unit whose line coefficients are all below `tolerance` splits
/// nothing (its state is the sign of its constant); vertices within `tolerance` of a line count
/// as on it, so lines through vertices, along edges, or parallel to others make no slivers;
/// pieces under 1e-15 of the box area are dropped (their area is below any reported precision).
public struct RegionPartition: Sendable {
    public struct Region: Sendable {
        public let polygon: ConvexPolygon
        /// On/off state of every ReLU unit, layer after layer; for a `PiecewiseLinearProgram`,
        /// after each max pooling the selected position of every window (ky·k + kx), and empty
        /// when patterns were not kept.
        public let pattern: [UInt8]
        /// Output as affine function of (u, v): per output o, (∂/∂u, ∂/∂v, constant) at 3o…3o+2.
        public let outputMap: [Double]
    }

    public let slice: PlaneSlice
    public let regions: [Region]
    /// Number of regions after each layer (layer order; identity layers repeat the count).
    public let countsAfterLayer: [Int]
    public let outputWidth: Int

    public init(_ net: PiecewiseLinearNet, slice: PlaneSlice) {
        self.slice = slice
        outputWidth = net.outputWidth
        let box = slice.box
        let extent = max(box[1] - box[0], box[3] - box[2])
        let minimumArea = 1e-15 * slice.boxArea

        struct Piece {
            var polygon: ConvexPolygon
            var pattern: [UInt8]
            /// Current hidden state: per unit (a_u, a_v, c).
            var state: [Double]
            var output: [Double]
        }
        var initial = [Double](repeating: 0, count: 3 * net.inputWidth)
        for k in 0..<net.inputWidth {
            initial[3 * k] = slice.first[k]
            initial[3 * k + 1] = slice.second[k]
            initial[3 * k + 2] = slice.origin[k]
        }
        var pieces = [Piece(polygon: .box(box[0], box[1], box[2], box[3]), pattern: [],
                            state: initial, output: [Double](repeating: 0, count: 3 * net.outputWidth))]
        var counts: [Int] = []
        for (index, layer) in net.layers.enumerated() {
            var next: [Piece] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces {
                // Pre-activations on this piece: z_j = Σ_k W_jk · state_k + b_j (affine in u, v).
                var z = [Double](repeating: 0, count: 3 * layer.outputs)
                for j in 0..<layer.outputs {
                    var au = 0.0, av = 0.0, c = layer.bias[j]
                    let row = j * layer.inputs
                    for k in 0..<layer.inputs {
                        let w = layer.weight[row + k]
                        au += w * piece.state[3 * k]
                        av += w * piece.state[3 * k + 1]
                        c += w * piece.state[3 * k + 2]
                    }
                    z[3 * j] = au; z[3 * j + 1] = av; z[3 * j + 2] = c
                }
                var parts = [(polygon: piece.polygon, bits: [UInt8]())]
                if layer.relu {
                    for j in 0..<layer.outputs {
                        let au = z[3 * j], av = z[3 * j + 1], c = z[3 * j + 2]
                        let tolerance = 1e-10 * (abs(au) * extent + abs(av) * extent + abs(c))
                        var split: [(polygon: ConvexPolygon, bits: [UInt8])] = []
                        for part in parts {
                            if abs(au) * extent + abs(av) * extent <= tolerance {   // a flat unit splits nothing
                                split.append((part.polygon, part.bits + [c > 0 ? 1 : 0]))
                                continue
                            }
                            let (positive, negative) = part.polygon.split(a: au, b: av, c: c, tolerance: tolerance)
                            if let positive, positive.area > minimumArea { split.append((positive, part.bits + [1])) }
                            if let negative, negative.area > minimumArea { split.append((negative, part.bits + [0])) }
                        }
                        parts = split
                    }
                }
                for part in parts {
                    var state = z
                    if layer.relu {
                        for j in 0..<layer.outputs where part.bits[j] == 0 {
                            state[3 * j] = 0; state[3 * j + 1] = 0; state[3 * j + 2] = 0
                        }
                    }
                    if layer.residual { for k in 0..<state.count { state[k] += piece.state[k] } }
                    var output = piece.output
                    for head in net.heads where head.source == index {
                        for o in 0..<net.outputWidth {
                            output[3 * o + 2] += head.bias[o]
                            for k in 0..<head.inputs {
                                let w = head.weight[o * head.inputs + k]
                                output[3 * o] += w * state[3 * k]
                                output[3 * o + 1] += w * state[3 * k + 1]
                                output[3 * o + 2] += w * state[3 * k + 2]
                            }
                        }
                    }
                    next.append(Piece(polygon: part.polygon, pattern: piece.pattern + part.bits, state: state, output: output))
                }
            }
            pieces = next
            counts.append(pieces.count)
        }
        regions = pieces.map { Region(polygon: $0.polygon, pattern: $0.pattern, outputMap: net.heads.isEmpty ? $0.state : $0.output) }
        countsAfterLayer = counts
    }

    /// A partition computed elsewhere (`init(_:slice:limits:)` for any `LayerModel`).
    init(slice: PlaneSlice, regions: [Region], countsAfterLayer: [Int], outputWidth: Int) {
        self.slice = slice
        self.regions = regions
        self.countsAfterLayer = countsAfterLayer
        self.outputWidth = outputWidth
    }

    /// Sum of the region areas (equals the box area up to round-off).
    public var totalArea: Double { regions.reduce(0) { $0 + $1.polygon.area } }
}
