import CDNNL

/// Max pooling of a whole Float batch by oneDNN, for one batch size and window, in PyTorch's
/// NCHW layout (padding never wins): the forward pass records where each maximum came from in
/// its own workspace, which the backward pass routes the gradient through. Primitives are
/// created once (the backward one on first use); threads as `DNNLConvolution`.
public final class DNNLMaxPooling {
    public let batch: Int
    public let geometry: ConvGeometry
    public let threads: Int

    private let name: String
    private let stream: DNNLStream
    private let forwardDescriptor: dnnl_primitive_desc_t
    private let forwardPass: DNNLPass
    private var backwardPass: DNNLPass?
    /// Where each maximum came from (oneDNN's layout), written by `forward`, read by `backward`.
    private let workspace: UnsafeMutableRawPointer
    private let workspaceLayout: dnnl_memory_desc_t
    private let plain: (x: dnnl_memory_desc_t, y: dnnl_memory_desc_t)

    /// Prepares the forward primitive for `batch` images through window `geometry`.
    public init(batch: Int, geometry g: ConvGeometry) throws(DNNLError) {
        precondition(batch >= 1 && g.problem == nil && 2 * g.padding <= g.kernelHeight, "DNNLMaxPooling: \(batch) × \(g)")
        (self.batch, geometry, threads) = (batch, g, DNNLThreads.current)
        name = "max pooling \(batch)×\(g.channels)×\(g.height)×\(g.width), \(g.kernelHeight)×\(g.kernelWidth) "
            + "stride \(g.stride) padding \(g.padding)"
        DNNLThreads.apply(threads)
        stream = try DNNLStream()
        func describe(_ dims: [Int]) throws(DNNLError) -> dnnl_memory_desc_t {
            var md = dnnl_memory_desc_t(), d = dims.map(Int64.init)
            try check(dnnl_memory_desc_init_by_tag(&md, 4, &d, dnnl_f32, dnnl_nchw), "describing a \(dims) tensor")
            return md
        }
        plain = (try describe([batch, g.channels, g.height, g.width]), try describe([batch, g.channels, g.outHeight, g.outWidth]))
        var description = dnnl_pooling_desc_t()
        var (xd, yd) = plain
        var window = Self.window(g)
        let name = self.name
        try check(dnnl_pooling_forward_desc_init(&description, dnnl_forward_training, dnnl_pooling_max, &xd, &yd, &window.strides,
                                                 &window.kernel, &window.padding, &window.padding), "describing the \(name)")
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&descriptor, &description, nil, stream.engine.handle, nil), "describing the \(name)")
        forwardDescriptor = descriptor!
        guard let layout = dnnl_primitive_desc_query_md(descriptor, dnnl_query_workspace_md, 0) else {
            dnnl_primitive_desc_destroy(descriptor)
            throw DNNLError(operation: "querying the workspace of the \(name)", status: "no workspace")
        }
        workspaceLayout = layout.pointee
        workspace = .allocate(byteCount: max(1, dnnl_memory_desc_get_size(layout)), alignment: 64)
        do {
            forwardPass = try DNNLPass(descriptor!, slots: [
                .init(argument: DNNL_ARG_SRC, query: dnnl_query_src_md, index: 0, plain: plain.x, role: .read, what: "its input"),
                .init(argument: DNNL_ARG_DST, query: dnnl_query_dst_md, index: 0, plain: plain.y, role: .write, what: "its output"),
                .init(argument: DNNL_ARG_WORKSPACE, query: dnnl_query_workspace_md, index: 0, plain: workspaceLayout, role: .write,
                      what: "its workspace"),
            ], engine: stream.engine, what: "the \(name)")
        } catch {
            workspace.deallocate()
            dnnl_primitive_desc_destroy(descriptor)
            throw error
        }
    }

    deinit {
        workspace.deallocate()
        dnnl_primitive_desc_destroy(forwardDescriptor)
    }

    private static func window(_ g: ConvGeometry) -> (strides: [Int64], kernel: [Int64], padding: [Int64]) {
        ([Int64(g.stride), Int64(g.stride)], [Int64(g.kernelHeight), Int64(g.kernelWidth)], [Int64(g.padding), Int64(g.padding)])
    }

    /// oneDNN's implementations of the passes created so far (forward, backward).
    public var implementations: [String] { [forwardPass.implementation] + (backwardPass.map { [$0.implementation] } ?? []) }

    /// out (N × C × oh × ow) = the maximum of x under each window.
    public func forward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>) throws(DNNLError) {
        try forwardPass.run([.buffer(x), .buffer(out), .buffer(workspace)], threads: threads, stream: stream, what: "the \(name)")
    }

    /// dx (N × C × H × W) += dOut routed to where each maximum of the last `forward` came from;
    /// with `replacing`, dx = that (for a dx known to hold zeros).
    public func backward(dx: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, replacing: Bool = false) throws(DNNLError) {
        if backwardPass == nil {
            DNNLThreads.apply(threads)
            var description = dnnl_pooling_desc_t()
            var (xd, yd) = plain
            var window = Self.window(geometry)
            try check(dnnl_pooling_backward_desc_init(&description, dnnl_pooling_max, &xd, &yd, &window.strides, &window.kernel,
                                                      &window.padding, &window.padding), "describing the backward \(name)")
            var descriptor: dnnl_primitive_desc_t?
            try check(dnnl_primitive_desc_create(&descriptor, &description, nil, stream.engine.handle, forwardDescriptor),
                      "describing the backward \(name)")
            defer { dnnl_primitive_desc_destroy(descriptor) }
            backwardPass = try DNNLPass(descriptor!, slots: [
                .init(argument: DNNL_ARG_DIFF_DST, query: dnnl_query_diff_dst_md, index: 0, plain: plain.y, role: .read,
                      what: "its output gradient"),
                .init(argument: DNNL_ARG_WORKSPACE, query: dnnl_query_workspace_md, index: 0, plain: workspaceLayout, role: .read,
                      what: "its workspace"),
                .init(argument: DNNL_ARG_DIFF_SRC, query: dnnl_query_diff_src_md, index: 0, plain: plain.x, role: .add,
                      what: "its input gradient"),
            ], engine: stream.engine, what: "the backward \(name)")
        }
        try backwardPass!.run([.buffer(dOut), .buffer(workspace), replacing ? .replacing(dx) : .buffer(dx)], threads: threads,
                              stream: stream, what: "the backward \(name)")
    }
}
