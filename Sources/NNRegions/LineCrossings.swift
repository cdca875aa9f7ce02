/// Exact number of linear regions a straight segment from p0 to p1 crosses, in any input
/// dimension (Hanin & Rolnick's measure): the segment is cut at every ReLU's zero on it,
/// layer by layer, exactly as the plane is cut into polygons.
public func regionsAlongSegment(_ net: PiecewiseLinearNet, from p0: [Double], to p1: [Double]) -> Int {
    struct Piece { var t0: Double; var t1: Double; var state: [Double] }   // state: per unit (slope, intercept) in t
    var pieces = [Piece(t0: 0, t1: 1, state: (0..<net.inputWidth).flatMap { [p1[$0] - p0[$0], p0[$0]] })]
    for layer in net.layers {
        var next: [Piece] = []
        for piece in pieces {
            var z = [Double](repeating: 0, count: 2 * layer.outputs)
            for j in 0..<layer.outputs {
                var slope = 0.0, intercept = layer.bias[j]
                for k in 0..<layer.inputs {
                    let w = layer.weight[j * layer.inputs + k]
                    slope += w * piece.state[2 * k]
                    intercept += w * piece.state[2 * k + 1]
                }
                z[2 * j] = slope; z[2 * j + 1] = intercept
            }
            var cuts = [piece.t0, piece.t1]
            if layer.relu {
                for j in 0..<layer.outputs where z[2 * j] != 0 {
                    let t = -z[2 * j + 1] / z[2 * j]
                    if t > piece.t0 + 1e-12 && t < piece.t1 - 1e-12 { cuts.append(t) }
                }
            }
            cuts.sort()
            for (a, b) in zip(cuts, cuts.dropFirst()) where b - a > 1e-12 {
                let mid = (a + b) / 2
                var state = z
                if layer.relu {
                    for j in 0..<layer.outputs where !(z[2 * j] * mid + z[2 * j + 1] > 0) { state[2 * j] = 0; state[2 * j + 1] = 0 }
                }
                if layer.residual { for k in 0..<state.count { state[k] += piece.state[k] } }
                next.append(Piece(t0: a, t1: b, state: state))
            }
        }
        pieces = next
    }
    return pieces.count
}
