import CDNNL

/// One oneDNN primitive with its tensors, run on the caller's buffers: read tensors are bound
/// (and reordered in), the primitive runs, written and added tensors are reordered out.
final class DNNLPass {
    /// Where a tensor's layout comes from: the primitive descriptor's query and index, with the
    /// caller's plain layout, role and name.
    struct Slot {
        let argument: Int32
        let query: dnnl_query_t
        let index: Int32
        let plain: dnnl_memory_desc_t
        let role: DNNLTensor.Role
        let what: String
    }

    private let primitive: dnnl_primitive_t
    private let tensors: [DNNLTensor]
    private var arguments: [dnnl_exec_arg_t]
    /// oneDNN's implementation, e.g. `jit:avx512_core` or `gemm:jit`.
    let implementation: String

    /// Creates the primitive described by `descriptor` (which stays the caller's) and a tensor per slot.
    init(_ descriptor: dnnl_primitive_desc_t, slots: [Slot], engine: DNNLEngine, what: String) throws(DNNLError) {
        var tensors: [DNNLTensor] = []
        for slot in slots {
            guard let wanted = dnnl_primitive_desc_query_md(descriptor, slot.query, slot.index) else {
                throw DNNLError(operation: "querying the layout of \(slot.what) for \(what)", status: "no such memory")
            }
            tensors.append(try DNNLTensor(plain: slot.plain, wanted: wanted.pointee, role: slot.role, engine: engine, what: slot.what))
        }
        var name: UnsafePointer<CChar>?
        try check(dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name), "querying the implementation of \(what)")
        implementation = name.map { String(cString: $0) } ?? "?"
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor), "creating \(what)")
        self.primitive = primitive!
        self.tensors = tensors
        arguments = zip(slots, tensors).map { dnnl_exec_arg_t(arg: $0.argument, memory: $1.memory) }
    }

    /// Runs the primitive on `buffers` (one per slot, in slot order) with `threads` threads (the
    /// count it was created for), and waits for it.
    func run(_ buffers: [UnsafeRawPointer], threads: Int, stream: DNNLStream, what: @autoclosure () -> String) throws(DNNLError) {
        precondition(buffers.count == tensors.count, "\(buffers.count) buffers for \(tensors.count) tensors")
        DNNLThreads.apply(threads)
        for (tensor, buffer) in zip(tensors, buffers) { try tensor.bind(buffer, stream: stream) }
        try check(dnnl_primitive_execute(primitive, stream.handle, Int32(arguments.count), &arguments), "running \(what())")
        for tensor in tensors { try tensor.finish(stream: stream) }
        try check(dnnl_stream_wait(stream.handle), "waiting for \(what())")
    }

    deinit { dnnl_primitive_destroy(primitive) }
}
