import CDNNL

/// A 2-D convolution of a whole Float batch by oneDNN, for one batch size and window: its
/// forward, backward-data and backward-weights primitives are created once (the backward ones
/// on first use) and run on the caller's buffers, in PyTorch's layouts: x N × C × H × W,
/// weight Cout × C × kh × kw, bias Cout, output N × Cout × oh × ow.
///
/// The forward pass writes its output; the backward passes add into the gradients, as the
/// engine's kernels do (backward-data can write instead). Threads: `DNNLThreads.current` when
/// the convolution is created.
public final class DNNLConvolution {
    /// Where oneDNN computes: in the caller's plain layouts, or in layouts it chooses (blocked
    /// by 8 or 16 channels), with reorders to and from the caller's.
    public enum Layout: String, Sendable, CaseIterable {
        case plain, chosen
    }

    public let batch: Int
    public let geometry: ConvGeometry
    public let outChannels: Int
    public let hasBias: Bool
    public let layout: Layout
    /// The thread count (`DNNLThreads`) when the convolution was created: its primitives are
    /// planned for it and run with it.
    public let threads: Int

    /// "convolution 128×16×32×32 → 32, 3×3 stride 2 padding 1", for errors.
    private let name: String
    private let stream: DNNLStream
    private let forwardDescriptor: dnnl_primitive_desc_t
    private let forwardPass: DNNLPass
    private var dataPass: DNNLPass?
    private var weightsPass: DNNLPass?
    /// The input of the last forward pass and the output gradient of the last backward-data
    /// pass: their reordered copies serve the backward-weights pass when it is given the same buffers.
    private var lastInput: UnsafeRawPointer?
    private var lastOutputGradient: UnsafeRawPointer?
    /// The caller's layouts: x, weight, bias, output.
    private let plain: (x: dnnl_memory_desc_t, w: dnnl_memory_desc_t, b: dnnl_memory_desc_t, y: dnnl_memory_desc_t)
    /// The layouts the primitives are described with (`plain`, or oneDNN's choice).
    private let wanted: (x: dnnl_memory_desc_t, w: dnnl_memory_desc_t, b: dnnl_memory_desc_t, y: dnnl_memory_desc_t)

    /// Prepares the forward primitive for `batch` images through window `geometry` into
    /// `outChannels` channels, with or without a bias.
    public init(batch: Int, geometry g: ConvGeometry, outChannels: Int, bias: Bool, layout: Layout = .chosen) throws(DNNLError) {
        precondition(batch >= 1 && outChannels >= 1 && g.problem == nil, "DNNLConvolution: \(batch) × \(g), \(outChannels) out")
        (self.batch, geometry, self.outChannels, hasBias, self.layout) = (batch, g, outChannels, bias, layout)
        name = "convolution \(batch)×\(g.channels)×\(g.height)×\(g.width) → \(outChannels), "
            + "\(g.kernelHeight)×\(g.kernelWidth) stride \(g.stride) padding \(g.padding)"
        threads = DNNLThreads.current
        DNNLThreads.apply(threads)   // oneDNN plans each primitive for the thread count of its creation
        stream = try DNNLStream()
        func describe(_ dims: [Int], _ tag: dnnl_format_tag_t) throws(DNNLError) -> dnnl_memory_desc_t {
            var md = dnnl_memory_desc_t(), d = dims.map(Int64.init)
            try check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), &d, dnnl_f32, tag), "describing a \(dims) tensor")
            return md
        }
        let (x, w, b, y) = ([batch, g.channels, g.height, g.width], [outChannels, g.channels, g.kernelHeight, g.kernelWidth],
                            [outChannels], [batch, outChannels, g.outHeight, g.outWidth])
        plain = (try describe(x, dnnl_nchw), try describe(w, dnnl_oihw), try describe(b, dnnl_x), try describe(y, dnnl_nchw))
        wanted = layout == .plain ? plain
            : (try describe(x, dnnl_format_tag_any), try describe(w, dnnl_format_tag_any), try describe(b, dnnl_x),
               try describe(y, dnnl_format_tag_any))
        var description = dnnl_convolution_desc_t()
        var (xd, wd, bd, yd) = wanted
        var window = Self.window(g)
        let name = self.name
        try check(bias
                  ? dnnl_convolution_forward_desc_init(&description, dnnl_forward_training, dnnl_convolution_direct, &xd, &wd, &bd,
                                                       &yd, &window.strides, &window.padding, &window.padding)
                  : dnnl_convolution_forward_desc_init(&description, dnnl_forward_training, dnnl_convolution_direct, &xd, &wd, nil,
                                                       &yd, &window.strides, &window.padding, &window.padding),
                  "describing the \(name)")
        let forwardDescriptor = try Self.primitiveDescriptor(&description, hint: nil, engine: stream.engine, what: "the \(name)")
        self.forwardDescriptor = forwardDescriptor
        do {
            forwardPass = try DNNLPass(forwardDescriptor, slots: [
                .init(argument: DNNL_ARG_SRC, query: dnnl_query_src_md, index: 0, plain: plain.x, role: .read, what: "its input"),
                .init(argument: DNNL_ARG_WEIGHTS, query: dnnl_query_weights_md, index: 0, plain: plain.w, role: .read, what: "its weight"),
            ] + (bias ? [.init(argument: DNNL_ARG_BIAS, query: dnnl_query_weights_md, index: 1, plain: plain.b, role: .read,
                              what: "its bias")] : []) + [
                .init(argument: DNNL_ARG_DST, query: dnnl_query_dst_md, index: 0, plain: plain.y, role: .write, what: "its output"),
            ], engine: stream.engine, what: "the \(name)")
        } catch {
            dnnl_primitive_desc_destroy(forwardDescriptor)
            throw error
        }
    }

    deinit { dnnl_primitive_desc_destroy(forwardDescriptor) }

    /// Strides and padding as oneDNN takes them (the same padding on both sides: oneDNN sizes
    /// the output as ⌊(H + 2p − k) / s⌋ + 1, as PyTorch does).
    private static func window(_ g: ConvGeometry) -> (strides: [Int64], padding: [Int64]) {
        ([Int64(g.stride), Int64(g.stride)], [Int64(g.padding), Int64(g.padding)])
    }

    private static func primitiveDescriptor(_ description: inout dnnl_convolution_desc_t, hint: dnnl_primitive_desc_t?,
                                            engine: DNNLEngine, what: String) throws(DNNLError) -> dnnl_primitive_desc_t {
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&descriptor, &description, nil, engine.handle, hint), "describing \(what)")
        return descriptor!
    }

    /// oneDNN's implementations of the passes created so far (forward, backward data, backward weights).
    public var implementations: [String] {
        [forwardPass.implementation] + [dataPass, weightsPass].compactMap { $0?.implementation }
    }

    /// out (N × Cout × oh × ow) = x ⋆ w (+ b per channel); `b` is given exactly when the convolution has a bias.
    public func forward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        b: UnsafePointer<Float>?) throws(DNNLError) {
        precondition((b != nil) == hasBias, "DNNLConvolution.forward: bias given \(b != nil), expected \(hasBias)")
        let buffers = [UnsafeRawPointer(x), UnsafeRawPointer(w)] + (b.map { [UnsafeRawPointer($0)] } ?? []) + [UnsafeRawPointer(out)]
        (lastInput, lastOutputGradient) = (nil, nil)
        try forwardPass.run(buffers.map { .buffer($0) }, threads: threads, stream: stream, what: "the \(name)")
        lastInput = UnsafeRawPointer(x)
    }

    /// dx (N × C × H × W) += the gradient w.r.t. the input of the loss whose gradient w.r.t. the
    /// output is dOut; with `replacing`, dx = that gradient (for a dx known to hold zeros, it
    /// saves reading it).
    public func backwardData(dx: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, w: UnsafePointer<Float>,
                             replacing: Bool = false) throws(DNNLError) {
        if dataPass == nil {
            DNNLThreads.apply(threads)
            var description = dnnl_convolution_desc_t()
            var (xd, wd, _, yd) = wanted
            var window = Self.window(geometry)
            try check(dnnl_convolution_backward_data_desc_init(&description, dnnl_convolution_direct, &xd, &wd, &yd,
                                                               &window.strides, &window.padding, &window.padding),
                      "describing the backward-data \(name)")
            let descriptor = try Self.primitiveDescriptor(&description, hint: forwardDescriptor, engine: stream.engine,
                                                          what: "the backward-data \(name)")
            defer { dnnl_primitive_desc_destroy(descriptor) }
            dataPass = try DNNLPass(descriptor, slots: [
                .init(argument: DNNL_ARG_DIFF_DST, query: dnnl_query_diff_dst_md, index: 0, plain: plain.y, role: .read,
                      what: "its output gradient"),
                .init(argument: DNNL_ARG_WEIGHTS, query: dnnl_query_weights_md, index: 0, plain: plain.w, role: .read, what: "its weight"),
                .init(argument: DNNL_ARG_DIFF_SRC, query: dnnl_query_diff_src_md, index: 0, plain: plain.x, role: .add,
                      what: "its input gradient"),
            ], engine: stream.engine, what: "the backward-data \(name)")
        }
        lastOutputGradient = nil
        try dataPass!.run([.buffer(dOut), .buffer(w), replacing ? .replacing(dx) : .buffer(dx)], threads: threads, stream: stream, what: "the backward-data \(name)")
        lastOutputGradient = UnsafeRawPointer(dOut)
    }

    /// dW (Cout × C × kh × kw) += dOut ⋆ x, summed over the batch; db (Cout) += dOut summed over
    /// the batch and positions, given exactly when the convolution has a bias.
    ///
    /// Given the buffers of the last `forward` (x) and `backwardData` (dOut) calls, it reuses
    /// the copies those calls made in oneDNN's layout: the buffers must still hold the same
    /// values, as they do in a training step.
    public func backwardWeights(dW: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?, dOut: UnsafePointer<Float>,
                                x: UnsafePointer<Float>) throws(DNNLError) {
        precondition((db != nil) == hasBias, "DNNLConvolution.backwardWeights: bias given \(db != nil), expected \(hasBias)")
        if weightsPass == nil {
            DNNLThreads.apply(threads)
            var description = dnnl_convolution_desc_t()
            var (xd, wd, bd, yd) = wanted
            var window = Self.window(geometry)
            try check(hasBias
                      ? dnnl_convolution_backward_weights_desc_init(&description, dnnl_convolution_direct, &xd, &wd, &bd, &yd,
                                                                    &window.strides, &window.padding, &window.padding)
                      : dnnl_convolution_backward_weights_desc_init(&description, dnnl_convolution_direct, &xd, &wd, nil, &yd,
                                                                    &window.strides, &window.padding, &window.padding),
                      "describing the backward-weights \(name)")
            let descriptor = try Self.primitiveDescriptor(&description, hint: forwardDescriptor, engine: stream.engine,
                                                          what: "the backward-weights \(name)")
            defer { dnnl_primitive_desc_destroy(descriptor) }
            weightsPass = try DNNLPass(descriptor, slots: [
                .init(argument: DNNL_ARG_SRC, query: dnnl_query_src_md, index: 0, plain: plain.x, role: .read, what: "its input"),
                .init(argument: DNNL_ARG_DIFF_DST, query: dnnl_query_diff_dst_md, index: 0, plain: plain.y, role: .read,
                      what: "its output gradient"),
                .init(argument: DNNL_ARG_DIFF_WEIGHTS, query: dnnl_query_diff_weights_md, index: 0, plain: plain.w, role: .add,
                      what: "its weight gradient"),
            ] + (hasBias ? [.init(argument: DNNL_ARG_DIFF_BIAS, query: dnnl_query_diff_weights_md, index: 1, plain: plain.b,
                                  role: .add, what: "its bias gradient")] : []),
                                    engine: stream.engine, what: "the backward-weights \(name)")
        }
        let pass = weightsPass!
        let source = forwardPass.tensor(0), gradient = dataPass?.tensor(0)
        var bindings: [DNNLPass.Binding] = [.buffer(x), .buffer(dOut), .buffer(dW)] + (db.map { [.buffer($0)] } ?? [])
        if lastInput == UnsafeRawPointer(x), source.layout(matches: pass.tensor(0)) { bindings[0] = .prepared(source) }
        if lastOutputGradient == UnsafeRawPointer(dOut), let gradient, gradient.layout(matches: pass.tensor(1)) {
            bindings[1] = .prepared(gradient)
        }
        try pass.run(bindings, threads: threads, stream: stream, what: "the backward-weights \(name)")
    }
}
