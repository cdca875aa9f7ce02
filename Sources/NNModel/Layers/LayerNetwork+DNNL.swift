import NNLinalg

// Float convolutions and max pooling of the whole batch by oneDNN (`DNNLConvolution`,
// `DNNLMaxPooling`), one per step, created when a batch size is first seen and kept with the
// workspace. Double, and any layer oneDNN fails on, runs on the kernels of ConvKernels.swift
// (im2col + GEMM) one image at a time.

extension LayerNetwork {
    /// Why some layers run on nnprobe's own kernels although the network is Float (one line per
    /// layer, naming it and oneDNN's error); empty when every convolution and max pooling runs on oneDNN.
    public var convolutionNotes: [String] {
        steps.compactMap { step in
            let failure = workspace.convolutions[step.output].flatMap { if case .failure(let e) = $0 { e } else { nil } }
                ?? workspace.poolings[step.output].flatMap { if case .failure(let e) = $0 { e } else { nil } }
            return failure.map { "\(step.name): \(String(describing: $0)); this layer runs on nnprobe's kernels instead" }
        }
    }

    /// Whether `step`'s input gradient still holds zeros when its backward runs: no later step
    /// reads the same buffer (backward runs in reverse order, after zeroing every gradient).
    private func inputGradientIsZero(at step: Step) -> Bool {
        let index = steps.firstIndex { $0.output == step.output }!
        return !steps[(index + 1)...].contains { $0.inputs.contains(step.inputs[0]) }
    }

    /// oneDNN's convolution for `step` at the workspace's batch size: nil for Double, when
    /// `convolutionBackend` is im2col, or when oneDNN failed on this layer before.
    private func dnnlConvolution(_ step: Step, batch: Int) -> DNNLConvolution? {
        guard T.self == Float.self, case .dnnl(let layout) = convolutionBackend,
              case .layer(.conv2d(let channels, let k, let stride, let padding, let bias)) = step.operation
        else { return nil }
        switch workspace.convolutions[step.output] {
        case .success(let known) where known.threads == DNNLThreads.current: return known
        case .failure: return nil
        default: break   // none yet, or made for another thread count
        }
        let made = Result { () throws(DNNLError) in
            try DNNLConvolution(batch: batch, geometry: geometry(step, kernel: k, stride: stride, padding: padding),
                                outChannels: channels, bias: bias, layout: layout)
        }
        workspace.convolutions[step.output] = made
        return try? made.get()
    }

    /// Records that oneDNN failed on `step`: this and later passes of the layer use im2col.
    private func giveUpDNNL(_ step: Step, _ error: DNNLError) {
        workspace.convolutions[step.output] = .failure(error)
    }

    /// out (batch × Cout × oh × ow) = the convolution of x by oneDNN; false (nothing written)
    /// when the caller must run the im2col kernels instead.
    func dnnlConvolutionForward(_ step: Step, out: UnsafeMutablePointer<T>, x: UnsafePointer<T>, w: UnsafePointer<T>,
                                b: UnsafePointer<T>?, batch: Int) -> Bool {
        guard let convolution = dnnlConvolution(step, batch: batch) else { return false }
        do {
            try convolution.forward(out: Self.float(out), x: Self.float(x), w: Self.float(w), b: b.map(Self.float))
            return true
        } catch {
            giveUpDNNL(step, error)
            return false
        }
    }

    /// dx += the input gradient (when dx is given), dW and db += the parameter gradients, by
    /// oneDNN; false (nothing added) when the caller must run the im2col kernels instead. When
    /// oneDNN fails after the input gradient, the weight gradients come from im2col here
    /// (`cols`, `dCols`: scratch of one unrolled image each).
    func dnnlConvolutionBackward(_ step: Step, dW: UnsafeMutablePointer<T>, db: UnsafeMutablePointer<T>?,
                                 dx: UnsafeMutablePointer<T>?, dOut: UnsafePointer<T>, x: UnsafePointer<T>, w: UnsafePointer<T>,
                                 cols: UnsafeMutablePointer<T>, dCols: UnsafeMutablePointer<T>, batch: Int) -> Bool {
        guard let convolution = dnnlConvolution(step, batch: batch) else { return false }
        if let dx {
            do {
                try convolution.backwardData(dx: Self.float(dx), dOut: Self.float(dOut), w: Self.float(w),
                                             replacing: inputGradientIsZero(at: step))
            } catch {
                giveUpDNNL(step, error)
                return false
            }
        }
        do {
            try convolution.backwardWeights(dW: Self.float(dW), db: db.map(Self.float), dOut: Self.float(dOut), x: Self.float(x))
        } catch {
            giveUpDNNL(step, error)
            let (g, inCount, outCount) = (convolution.geometry, step.inShape.count, step.outShape.count)
            for n in 0..<batch {
                conv2dBackward(dW: dW, db: db, dx: nil, dOut: dOut + n * outCount, x: x + n * inCount, w: w,
                               cols: cols, dCols: dCols, g: g, outChannels: convolution.outChannels)
            }
        }
        return true
    }

    /// oneDNN's max pooling for `step` at the workspace's batch size, as `dnnlConvolution`.
    private func dnnlMaxPooling(_ step: Step, batch: Int) -> DNNLMaxPooling? {
        guard T.self == Float.self, case .dnnl = convolutionBackend, case .layer(.maxPool(let k, let stride, let padding)) = step.operation
        else { return nil }
        switch workspace.poolings[step.output] {
        case .success(let known) where known.threads == DNNLThreads.current: return known
        case .failure: return nil
        default: break
        }
        let made = Result { () throws(DNNLError) in
            try DNNLMaxPooling(batch: batch, geometry: geometry(step, kernel: k, stride: stride, padding: padding))
        }
        workspace.poolings[step.output] = made
        return try? made.get()
    }

    /// out = the max pooling of x by oneDNN; false (nothing written) when the caller must run
    /// its own kernel instead.
    func dnnlMaxPoolForward(_ step: Step, out: UnsafeMutablePointer<T>, x: UnsafePointer<T>, batch: Int) -> Bool {
        guard let pooling = dnnlMaxPooling(step, batch: batch) else { return false }
        do {
            try pooling.forward(out: Self.float(out), x: Self.float(x))
            return true
        } catch {
            workspace.poolings[step.output] = .failure(error)
            return false
        }
    }

    /// dx += dOut routed through the maxima of the last forward pass, by oneDNN. When oneDNN
    /// fails here, the positions of the maxima are found again by nnprobe's kernel (into
    /// `argmax`, with `scratch` for its output) and the gradient routed by it.
    func dnnlMaxPoolBackward(_ step: Step, dx: UnsafeMutablePointer<T>, dOut: UnsafePointer<T>, x: UnsafePointer<T>,
                             argmax: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<T>, batch: Int) -> Bool {
        guard case .success(let pooling) = workspace.poolings[step.output] else { return false }
        do {
            try pooling.backward(dx: Self.float(dx), dOut: Self.float(dOut), replacing: inputGradientIsZero(at: step))
        } catch {
            workspace.poolings[step.output] = .failure(error)
            let (g, inCount, outCount) = (pooling.geometry, step.inShape.count, step.outShape.count)
            for n in 0..<batch {
                maxPoolForward(out: scratch + n * outCount, argmax: argmax + n * outCount, x: x + n * inCount, g: g)
                maxPoolBackward(dx: dx + n * inCount, dOut: dOut + n * outCount, argmax: argmax + n * outCount, outputs: outCount)
            }
        }
        return true
    }

    @inline(__always)
    private static func float(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inline(__always)
    private static func float(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}
