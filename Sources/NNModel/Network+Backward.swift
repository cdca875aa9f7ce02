import NNLinalg

extension Network {
    /// Back-propagates the gradient in `workspace`'s `dOutput` (set by a loss) through the
    /// last `forward` in training mode, accumulating into `gradients`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward(_ workspace: Workspace<T>, rows: Int) {
        let layout = self.layout
        parameters.withUnsafeBufferPointer { pp in
            gradients.withUnsafeMutableBufferPointer { gp in
                workspace.arena.withUnsafeMutableBufferPointer { ap in
                    let p = pp.baseAddress!, g = gp.baseAddress!, a = ap.baseAddress!
                    let multiHead = !layout.heads.isEmpty
                    // dOut of every layer starts at zero, except the output layer's (the loss gradient).
                    for (i, l) in layout.layers.enumerated() where multiHead || i < layout.layers.count - 1 {
                        (a + workspace.layers[i].dOut).update(repeating: 0, count: rows * l.outputs)
                    }
                    for h in layout.heads {
                        let source = workspace.layers[h.sourceLayer]
                        affineBackward(dW: g + h.weight.offset, db: g + h.bias.offset, dx: a + source.dOut,
                                       dOut: a + workspace.dOutput, x: a + source.out, w: p + h.weight.offset,
                                       rows: rows, inputs: h.inputs, outputs: h.outputs)
                    }
                    for i in layout.layers.indices.reversed() {
                        let l = layout.layers[i], o = workspace.layers[i]
                        let count = rows * l.outputs
                        let d = a + o.dPre
                        activationBackward(l.activation, d: d, dOut: a + o.dOut, pre: a + o.pre, count: count)
                        if let mask = o.mask { for k in 0..<count { d[k] *= a[mask + k] } }
                        if let gamma = l.gamma, let beta = l.beta {
                            batchNormBackward(d: d, xhat: a + o.xhat!, invStd: a + o.invStd!, gamma: p + gamma.offset,
                                              dGamma: g + gamma.offset, dBeta: g + beta.offset,
                                              scratch: a + o.bnScratch!, batch: rows, channels: l.outputs)
                        }
                        let x = i == 0 ? a + workspace.input : a + workspace.layers[i - 1].out
                        let dx = i == 0 ? nil : a + workspace.layers[i - 1].dOut
                        affineBackward(dW: g + l.weight.offset, db: g + l.bias.offset, dx: dx, dOut: d, x: x,
                                       w: p + l.weight.offset, rows: rows, inputs: l.inputs, outputs: l.outputs)
                        if l.residual, let dx { for k in 0..<count { dx[k] += a[o.dOut + k] } }
                    }
                }
            }
        }
    }
}
