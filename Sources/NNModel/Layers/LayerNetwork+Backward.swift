import NNLinalg

extension LayerNetwork {
    /// Back-propagates `dOutputs` (batch × output width, the loss gradient w.r.t. the outputs of
    /// the last training-mode `forward`): adds each parameter's gradient into `gradients`, and
    /// leaves the gradient w.r.t. the inputs in `inputGradient`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward(_ dOutputs: [T]) {
        let w = workspace, batch = w.batch
        let last = outputBuffer
        precondition(dOutputs.count == batch * buffers[last].count, "backward: \(dOutputs.count) values for \(batch) examples")
        w.values.withUnsafeMutableBufferPointer { values in
            let a = values.baseAddress!, d = a + w.gradientBase
            for b in gradientsZeroed { (d + w.offsets[b]).update(repeating: 0, count: batch * buffers[b].count) }
            (d + w.offsets[last]).update(from: dOutputs, count: dOutputs.count)
            w.saved.withUnsafeMutableBufferPointer { saved in
                w.positions.withUnsafeMutableBufferPointer { positions in
                    w.scratch.withUnsafeMutableBufferPointer { scratch in
                        parameters.withUnsafeBufferPointer { p in
                            gradients.withUnsafeMutableBufferPointer { g in
                                w.offsets.withUnsafeBufferPointer { offsets in
                                    for i in unretainedSteps.indices.reversed() {
                                        unretainedSteps[i]._withUnsafeGuaranteedRef { step in
                                            back(step, setsInputGradient: setsInputGradient[i], values: a, grads: d, offsets: offsets.baseAddress!,
                                                 saved: saved.baseAddress! + w.savedOffsets[i],
                                                 positions: positions.baseAddress! + w.positionOffsets[i],
                                                 scratch: scratch.baseAddress!, columns: w.columns,
                                                 p: p.baseAddress!, g: g.baseAddress!, batch: batch)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The gradient w.r.t. the inputs after `backward` (batch × input count); zeros where
    /// `computesInputGradient` is off and a convolution reads the input.
    public var inputGradient: [T] {
        let w = workspace
        return Array(w.values[(w.gradientBase + w.offsets[0])..<(w.gradientBase + w.offsets[0] + w.batch * buffers[0].count)])
    }

    /// One step backward: reads its output's gradient, adds into its inputs' gradients (or sets
    /// its input's, `setsInputGradient`) and its parameters'.
    private func back(_ step: Step, setsInputGradient set: Bool, values a: UnsafeMutablePointer<T>, grads d: UnsafeMutablePointer<T>,
                      offsets: UnsafePointer<Int>,
                      saved: UnsafeMutablePointer<T>, positions: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<T>,
                      columns: Int, p: UnsafePointer<T>, g: UnsafeMutablePointer<T>, batch: Int) {
        let x = a + offsets[step.inputs[0]], dx = d + offsets[step.inputs[0]], dOut = d + offsets[step.output]
        let (inCount, outCount) = (step.inShape.count, step.outShape.count)
        let all = batch * inCount
        let layer: Layer
        switch step.operation {
        case .add:
            let dy = d + offsets[step.inputs[1]]
            for k in 0..<(batch * outCount) { dx[k] += dOut[k]; dy[k] += dOut[k] }
            return
        case .readOut(let outputs, _):
            layer = .linear(outputs: outputs)
        case .layer(let l):
            layer = l
        }
        switch layer {
        case .linear(let outputs):
            let dInput = computesInputGradient || step.inputs[0] != 0 ? dx : nil
            affineBackward(dW: g + step.weight!.offset, db: g + step.bias!.offset, dx: dInput, dOut: dOut, x: x,
                           w: p + step.weight!.offset, rows: batch, inputs: inCount, outputs: outputs, overwriteDx: set)
        case .conv2d(let channels, let k, let stride, let padding, _):
            let geometry = geometry(step, kernel: k, stride: stride, padding: padding)
            let dInput = computesInputGradient || step.inputs[0] != 0 ? dx : nil
            if dnnlConvolutionBackward(step, dW: g + step.weight!.offset, db: step.bias.map { g + $0.offset }, dx: dInput,
                                       dOut: dOut, x: x, w: p + step.weight!.offset, cols: scratch, dCols: scratch + columns,
                                       batch: batch) { break }
            for n in 0..<batch {
                conv2dBackward(dW: g + step.weight!.offset, db: step.bias.map { g + $0.offset }, dx: dInput.map { $0 + n * inCount },
                               dOut: dOut + n * outCount, x: x + n * inCount, w: p + step.weight!.offset,
                               cols: scratch, dCols: scratch + columns, g: geometry, outChannels: channels)
            }
        case .batchNorm:
            let c = step.inShape.channels, tmp = scratch + 2 * columns
            tmp.update(from: dOut, count: all)
            batchNormBackward(d: tmp, xhat: saved, invStd: saved + all + c, gamma: p + step.weight!.offset,
                              dGamma: g + step.weight!.offset, dBeta: g + step.bias!.offset, scratch: saved + all + 2 * c,
                              batch: batch, channels: c, positions: step.inShape.positions)
            for k in 0..<all { dx[k] += tmp[k] }
        case .activation(let activation):
            activationBackward(activation, adding: dx, dOut: dOut, pre: x, count: all, overwrite: set)
        case .maxPool:
            if dnnlMaxPoolBackward(step, dx: dx, dOut: dOut, x: x, argmax: positions, scratch: scratch + 2 * columns, batch: batch) {
                break
            }
            for n in 0..<batch {
                maxPoolBackward(dx: dx + n * inCount, dOut: dOut + n * outCount, argmax: positions + n * outCount, outputs: outCount)
            }
        case .avgPool(let k, let stride, let padding):
            let geometry = geometry(step, kernel: k, stride: stride, padding: padding)
            for n in 0..<batch { avgPoolBackward(dx: dx + n * inCount, dOut: dOut + n * outCount, g: geometry) }
        case .globalAvgPool:
            for n in 0..<batch {
                globalAvgPoolBackward(dx: dx + n * inCount, dOut: dOut + n * outCount, channels: step.inShape.channels,
                                      positions: step.inShape.positions)
            }
        case .flatten:
            for k in 0..<all { dx[k] += dOut[k] }
        case .dropout(let rate):
            if rate > 0 { for k in 0..<all { dx[k] += dOut[k] * saved[k] } } else { for k in 0..<all { dx[k] += dOut[k] } }
        }
    }
}
