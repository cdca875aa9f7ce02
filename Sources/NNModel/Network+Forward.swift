import NNLinalg

extension Network {
    /// Runs the model on rows 0..<rows of `workspace`'s input.
    ///
    /// - Parameters:
    ///   - training: batch statistics for batch norm (and running-statistics updates) and dropout;
    ///     otherwise running statistics and no dropout, like PyTorch's `eval()`.
    ///   - dropout: draws fresh dropout masks in training; nil keeps the masks already in the
    ///     workspace (fixed masks, for gradient checks).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ workspace: Workspace<T>, rows: Int, training: Bool, dropout: inout RandomSource?) {
        precondition(rows <= workspace.capacity, "batch of \(rows) rows exceeds the workspace's \(workspace.capacity)")
        let layout = self.layout
        parameters.withUnsafeBufferPointer { pp in
            state.withUnsafeMutableBufferPointer { sp in
                workspace.arena.withUnsafeMutableBufferPointer { ap in
                    let p = pp.baseAddress!, s = sp.baseAddress!, a = ap.baseAddress!
                    var x = UnsafePointer(a + workspace.input)
                    for (i, l) in layout.layers.enumerated() {
                        let o = workspace.layers[i]
                        let count = rows * l.outputs
                        let pre = a + o.pre, out = a + o.out
                        affineForward(out: pre, x: x, w: p + l.weight.offset, b: p + l.bias.offset,
                                      rows: rows, inputs: l.inputs, outputs: l.outputs)
                        if let gamma = l.gamma, let beta = l.beta, let rm = l.runningMean, let rv = l.runningVar {
                            if training {
                                batchNormTrainForward(
                                    z: pre, xhat: a + o.xhat!, mean: a + o.mean!, invStd: a + o.invStd!,
                                    gamma: p + gamma.offset, beta: p + beta.offset, runningMean: s + rm, runningVar: s + rv,
                                    batch: rows, channels: l.outputs, eps: l.eps, momentum: l.momentum)
                            } else {
                                batchNormEvalForward(z: pre, gamma: p + gamma.offset, beta: p + beta.offset,
                                                     runningMean: s + rm, runningVar: s + rv,
                                                     batch: rows, channels: l.outputs, eps: l.eps)
                            }
                        }
                        activationForward(l.activation, out: out, pre: pre, count: count)
                        if training, let maskOffset = o.mask {
                            let mask = a + maskOffset
                            if dropout != nil {
                                let keep = 1 - l.dropout, scale = T(1 / keep)
                                for k in 0..<count { mask[k] = dropout!.unit() < keep ? scale : 0 }
                            }
                            for k in 0..<count { out[k] *= mask[k] }
                        }
                        if l.residual { for k in 0..<count { out[k] += x[k] } }
                        x = UnsafePointer(out)
                    }
                    guard !layout.heads.isEmpty else { return }
                    let y = a + workspace.output
                    for (k, h) in layout.heads.enumerated() {
                        let source = UnsafePointer(a + workspace.layers[h.sourceLayer].out)
                        affineForward(out: y, x: source, w: p + h.weight.offset, b: p + h.bias.offset,
                                      rows: rows, inputs: h.inputs, outputs: h.outputs, accumulate: k > 0)
                    }
                }
            }
        }
    }

    /// Forward in evaluation mode (no dropout, running batch-norm statistics).
    public func evaluate(_ workspace: Workspace<T>, rows: Int) {
        var none: RandomSource? = nil
        forward(workspace, rows: rows, training: false, dropout: &none)
    }
}
