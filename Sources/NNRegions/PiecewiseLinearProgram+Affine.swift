import NNModel

/// The affine steps on a piece's state. A state holds, per value of a buffer, the affine
/// function of the slice coordinates it is on the piece: (∂/∂u, ∂/∂v, constant) at 3k…3k+2.
/// A linear part L and offset b map it to (L·a_u, L·a_v, L·c + b): offsets reach the constant only.
extension PiecewiseLinearProgram.Operation {
    /// The output state of an affine step from its input states (`second`: the sum's other
    /// input; `previous`: the heads' output so far, for an accumulating read-out). Not for ReLU
    /// and max pooling, which `RegionPartition` splits by.
    func applyAffine(_ x: [Double], second: [Double]?, previous: [Double]?) -> [Double] {
        switch self {
        case .dense(let weight, let bias, let inputs, let outputs):
            var z = [Double](repeating: 0, count: 3 * outputs)
            for j in 0..<outputs {
                // Summed in PiecewiseLinearNet's order, so MLP regions come out bit for bit.
                var au = 0.0, av = 0.0, c = bias[j]
                let row = j * inputs
                for k in 0..<inputs {
                    let w = weight[row + k]
                    au += w * x[3 * k]
                    av += w * x[3 * k + 1]
                    c += w * x[3 * k + 2]
                }
                z[3 * j] = au; z[3 * j + 1] = av; z[3 * j + 2] = c
            }
            return z
        case .conv(let weight, let bias, let g, let outChannels):
            return Self.convolve(x, weight: weight, bias: bias, g: g, outChannels: outChannels)
        case .channelAffine(let scale, let shift, let positions):
            var z = x
            for c in 0..<scale.count {
                for k in (c * positions)..<((c + 1) * positions) {
                    z[3 * k] *= scale[c]; z[3 * k + 1] *= scale[c]; z[3 * k + 2] = scale[c] * z[3 * k + 2] + shift[c]
                }
            }
            return z
        case .avgPool(let g):
            var z = [Double](repeating: 0, count: 3 * g.channels * g.positions)
            let divisor = Double(g.kernelHeight * g.kernelWidth)   // padding counted, as PyTorch's default
            for c in 0..<g.channels {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var au = 0.0, av = 0.0, k0 = 0.0
                        g.forEachInput(inWindowOf: c, oy, ox) { _, i in
                            au += x[3 * i]; av += x[3 * i + 1]; k0 += x[3 * i + 2]
                        }
                        let o = 3 * ((c * g.outHeight + oy) * g.outWidth + ox)
                        z[o] = au / divisor; z[o + 1] = av / divisor; z[o + 2] = k0 / divisor
                    }
                }
            }
            return z
        case .globalAvgPool(let channels, let positions):
            var z = [Double](repeating: 0, count: 3 * channels)
            for c in 0..<channels {
                var au = 0.0, av = 0.0, k0 = 0.0
                for p in (c * positions)..<((c + 1) * positions) { au += x[3 * p]; av += x[3 * p + 1]; k0 += x[3 * p + 2] }
                let n = Double(positions)
                z[3 * c] = au / n; z[3 * c + 1] = av / n; z[3 * c + 2] = k0 / n
            }
            return z
        case .add:
            let y = second!
            return (0..<x.count).map { x[$0] + y[$0] }
        case .readOut(let weight, let bias, let inputs, let outputs, let accumulate):
            var out = accumulate ? previous! : [Double](repeating: 0, count: 3 * outputs)
            for o in 0..<outputs {
                out[3 * o + 2] += bias[o]
                for k in 0..<inputs {
                    let w = weight[o * inputs + k]
                    out[3 * o] += w * x[3 * k]
                    out[3 * o + 1] += w * x[3 * k + 1]
                    out[3 * o + 2] += w * x[3 * k + 2]
                }
            }
            return out
        case .identity:
            return x
        case .relu, .maxPool:
            preconditionFailure("applyAffine: ReLU and max pooling split pieces")
        }
    }

    /// A convolution of a state: out[o, y, x] = b_o (constant only) + Σ_{i, ky, kx} w · in[i, y·s − p + ky, x·s − p + kx].
    static func convolve(_ x: [Double], weight: [Double], bias: [Double], g: ConvGeometry, outChannels: Int) -> [Double] {
        let (oh, ow, k) = (g.outHeight, g.outWidth, g.kernelHeight)
        var z = [Double](repeating: 0, count: 3 * outChannels * oh * ow)
        x.withUnsafeBufferPointer { xs in
            weight.withUnsafeBufferPointer { ws in
                z.withUnsafeMutableBufferPointer { zs in
                    for o in 0..<outChannels {
                        for oy in 0..<oh {
                            let top = oy * g.stride - g.padding
                            let rows = max(0, -top)..<min(k, g.height - top)
                            for ox in 0..<ow {
                                let left = ox * g.stride - g.padding
                                let columns = max(0, -left)..<min(k, g.width - left)
                                var au = 0.0, av = 0.0, c = bias[o]
                                for i in 0..<g.channels {
                                    let wBase = (o * g.channels + i) * k * k
                                    for ky in rows {
                                        let xRow = (i * g.height + top + ky) * g.width + left
                                        for kx in columns {
                                            let w = ws[wBase + ky * k + kx], at = 3 * (xRow + kx)
                                            au += w * xs[at]; av += w * xs[at + 1]; c += w * xs[at + 2]
                                        }
                                    }
                                }
                                let out = 3 * ((o * oh + oy) * ow + ox)
                                zs[out] = au; zs[out + 1] = av; zs[out + 2] = c
                            }
                        }
                    }
                }
            }
        }
        return z
    }
}
