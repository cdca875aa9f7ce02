import NNLinalg

/// The buffers of one batch size: every step's output values and gradients, and what the
/// backward pass needs (batch norm's x̂ and statistics, max-pool positions, dropout masks).
/// A class, so that its arrays are borrowed one at a time while a pass holds the others.
final class LayerWorkspace<T: LinalgScalar> {
    var batch = 0
    /// Values of every buffer, then their gradients (`gradientBase` on).
    var values: [T] = []
    var offsets: [Int] = []
    var gradientBase = 0
    /// Per step: where its saved values start in `saved` (x̂, mean, 1/σ, scratch; dropout mask).
    var savedOffsets: [Int] = []
    var saved: [T] = []
    /// Per step: where its max-pool positions start in `positions`.
    var positionOffsets: [Int] = []
    var positions: [Int32] = []
    /// Scratch: an unrolled image for convolutions (twice), a batch of values for in-place kernels.
    var scratch: [T] = []
    var columns = 0
    /// Per conv step (by output buffer): its oneDNN convolution for this batch size, or why there is none.
    var convolutions: [Int: Result<DNNLConvolution, DNNLError>] = [:]
    /// Per max-pooling step (by output buffer): its oneDNN pooling for this batch size, or why there is none.
    var poolings: [Int: Result<DNNLMaxPooling, DNNLError>] = [:]
}

extension LayerNetwork {
    /// Sizes the workspace for `batch` examples (kept when the size is unchanged).
    /// Workspaces of up to three sizes are kept, so training batches, an epoch's shorter last
    /// batch and evaluation chunks alternate without reallocating.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func prepare(batch: Int) {
        guard workspace.batch != batch else { return }
        if workspace.batch > 0 { keptWorkspaces[workspace.batch] = workspace }
        if let kept = keptWorkspaces[batch] {
            workspace = kept
            return
        }
        if keptWorkspaces.count >= 3, let oldest = keptWorkspaces.keys.min() { keptWorkspaces[oldest] = nil }
        let w = LayerWorkspace<T>()
        w.batch = batch
        var total = 0
        for shape in buffers { w.offsets.append(total); total += batch * shape.count }
        w.gradientBase = total
        w.values = Array(repeating: 0, count: 2 * total)
        var saved = 0, positions = 0, columns = 0, largest = 0
        for step in steps {
            w.savedOffsets.append(saved)
            w.positionOffsets.append(positions)
            largest = max(largest, batch * step.outShape.count)
            guard case .layer(let layer) = step.operation else { continue }
            switch layer {
            case .batchNorm: saved += batch * step.inShape.count + 4 * step.inShape.channels
            case .dropout: saved += batch * step.inShape.count
            case .maxPool: positions += batch * step.outShape.count
            case .conv2d(_, let k, let s, let p, _):
                let g = geometry(step, kernel: k, stride: s, padding: p)
                columns = max(columns, g.patchSize * g.positions)
            default: break
            }
        }
        w.saved = Array(repeating: 0, count: saved)
        w.positions = Array(repeating: 0, count: positions)
        w.columns = columns
        w.scratch = Array(repeating: 0, count: 2 * columns + largest)
        workspace = w
    }

    /// The window of a convolution or pooling step.
    func geometry(_ step: Step, kernel: Int, stride: Int, padding: Int) -> ConvGeometry {
        ConvGeometry(channels: step.inShape.channels, height: step.inShape.height, width: step.inShape.width,
                     kernel: kernel, stride: stride, padding: padding)
    }

    /// Runs `inputs` (batch × input count, NCHW) forward; returns the outputs (batch × output width).
    /// Training uses batch statistics (moving the running ones) and draws dropout masks from `dropout`.
    /// Each of `interventions` rewrites its buffer as soon as the buffer is written (LayerNetwork+Intervention.swift).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ inputs: [T], batch: Int, training: Bool, dropout: inout RandomSource,
                        interventions: [Intervention<T>] = []) -> [T] {
        precondition(inputs.count == batch * buffers[0].count, "forward: \(inputs.count) values for \(batch) examples of \(buffers[0])")
        prepare(batch: batch)
        let w = workspace
        w.values.withUnsafeMutableBufferPointer { values in
            let a = values.baseAddress!
            (a + w.offsets[0]).update(from: inputs, count: inputs.count)
            w.saved.withUnsafeMutableBufferPointer { saved in
                w.positions.withUnsafeMutableBufferPointer { positions in
                    w.scratch.withUnsafeMutableBufferPointer { scratch in
                        parameters.withUnsafeBufferPointer { p in
                            state.withUnsafeMutableBufferPointer { s in
                                w.offsets.withUnsafeBufferPointer { offsets in
                                    for i in unretainedSteps.indices {
                                        unretainedSteps[i]._withUnsafeGuaranteedRef { step in
                                            run(step, values: a, offsets: offsets.baseAddress!, saved: saved.baseAddress! + w.savedOffsets[i],
                                                positions: positions.baseAddress! + w.positionOffsets[i], cols: scratch.baseAddress!,
                                                p: p.baseAddress!, s: s.baseAddress!, batch: batch, training: training, dropout: &dropout)
                                            for edit in interventions where edit.buffer == step.output {
                                                edit.apply(to: a + offsets[step.output], batch: batch, shape: step.outShape)
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
        let last = outputBuffer
        return Array(w.values[w.offsets[last]..<(w.offsets[last] + batch * buffers[last].count)])
    }

    private func run(_ step: Step, values a: UnsafeMutablePointer<T>, offsets: UnsafePointer<Int>, saved: UnsafeMutablePointer<T>,
                     positions: UnsafeMutablePointer<Int32>, cols: UnsafeMutablePointer<T>, p: UnsafePointer<T>,
                     s: UnsafeMutablePointer<T>, batch: Int, training: Bool, dropout: inout RandomSource) {
        let x = a + offsets[step.inputs[0]], out = a + offsets[step.output]
        let (inCount, outCount) = (step.inShape.count, step.outShape.count)
        let layer: Layer
        switch step.operation {
        case .add:
            let y = a + offsets[step.inputs[1]]
            for k in 0..<(batch * outCount) { out[k] = x[k] + y[k] }
            return
        case .readOut(let outputs, let accumulate):
            affineForward(out: out, x: x, w: p + step.weight!.offset, b: p + step.bias!.offset,
                          rows: batch, inputs: inCount, outputs: outputs, accumulate: accumulate, training: training)
            return
        case .layer(let l):
            layer = l
        }
        switch layer {
        case .linear(let outputs):
            affineForward(out: out, x: x, w: p + step.weight!.offset, b: p + step.bias!.offset,
                          rows: batch, inputs: inCount, outputs: outputs, training: training)
        case .conv2d(let channels, let k, let stride, let padding, _):
            let g = geometry(step, kernel: k, stride: stride, padding: padding)
            let bias = step.bias.map { p + $0.offset }
            if dnnlConvolutionForward(step, out: out, x: x, w: p + step.weight!.offset, b: bias, batch: batch) { break }
            for n in 0..<batch {
                conv2dForward(out: out + n * outCount, x: x + n * inCount, w: p + step.weight!.offset, b: bias,
                              cols: cols, g: g, outChannels: channels)
            }
        case .batchNorm:
            let c = step.inShape.channels
            out.update(from: x, count: batch * inCount)
            if training {
                batchNormTrainForward(z: out, xhat: saved, mean: saved + batch * inCount, invStd: saved + batch * inCount + c,
                                      gamma: p + step.weight!.offset, beta: p + step.bias!.offset,
                                      runningMean: s + step.state!, runningVar: s + step.state! + c,
                                      batch: batch, channels: c, positions: step.inShape.positions, eps: 1e-5, momentum: 0.1)
            } else {
                batchNormEvalForward(z: out, gamma: p + step.weight!.offset, beta: p + step.bias!.offset,
                                     runningMean: s + step.state!, runningVar: s + step.state! + c,
                                     batch: batch, channels: c, positions: step.inShape.positions, eps: 1e-5)
            }
        case .activation(let activation):
            activationForward(activation, out: out, pre: x, count: batch * inCount)
        case .maxPool(let k, let stride, let padding):
            let g = geometry(step, kernel: k, stride: stride, padding: padding)
            if dnnlMaxPoolForward(step, out: out, x: x, batch: batch) { break }
            for n in 0..<batch {
                maxPoolForward(out: out + n * outCount, argmax: positions + n * outCount, x: x + n * inCount, g: g)
            }
        case .avgPool(let k, let stride, let padding):
            let g = geometry(step, kernel: k, stride: stride, padding: padding)
            for n in 0..<batch { avgPoolForward(out: out + n * outCount, x: x + n * inCount, g: g) }
        case .globalAvgPool:
            for n in 0..<batch {
                globalAvgPoolForward(out: out + n * outCount, x: x + n * inCount, channels: step.inShape.channels,
                                     positions: step.inShape.positions)
            }
        case .flatten:
            out.update(from: x, count: batch * inCount)
        case .dropout(let rate):
            guard training, rate > 0 else { out.update(from: x, count: batch * inCount); return }
            let keep = 1 - rate, scale = T(1 / keep)
            for k in 0..<(batch * inCount) {
                saved[k] = dropout.unit() < keep ? scale : 0
                out[k] = x[k] * saved[k]
            }
        }
    }
}
