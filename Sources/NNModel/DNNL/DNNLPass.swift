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

    /// What a slot is given for one run: the caller's buffer, or the primitive memory of a
    /// tensor of another pass that already holds the values in this slot's layout.
    enum Binding {
        case buffer(UnsafeRawPointer)
        /// For an `add` tensor: the caller's buffer, written over rather than added to.
        case replacing(UnsafeRawPointer)
        case prepared(DNNLTensor)
    }

    /// The tensor of slot `index`.
    func tensor(_ index: Int) -> DNNLTensor { tensors[index] }

    /// Runs the primitive on `bindings` (one per slot, in slot order) with `threads` threads (the
    /// count it was created for), and waits for it.
    func run(_ bindings: [Binding], threads: Int, stream: DNNLStream, what: @autoclosure () -> String) throws(DNNLError) {
        precondition(bindings.count == tensors.count, "\(bindings.count) buffers for \(tensors.count) tensors")
        DNNLThreads.apply(threads)
        for (i, binding) in bindings.enumerated() {
            switch binding {
            case .buffer(let buffer), .replacing(let buffer):
                try tensors[i].bind(buffer, stream: stream)
                arguments[i].memory = tensors[i].memory
            case .prepared(let other):
                precondition(tensors[i].role == .read && other.layout(matches: tensors[i]), "a prepared tensor in another layout")
                arguments[i].memory = other.memory
            }
        }
        try check(dnnl_primitive_execute(primitive, stream.handle, Int32(arguments.count), &arguments), "running \(what())")
        for (tensor, binding) in zip(tensors, bindings) {
            switch binding {
            case .buffer: try tensor.finish(stream: stream)
            case .replacing: try tensor.finish(stream: stream, replacing: true)
            case .prepared: break
            }
        }
        try check(dnnl_stream_wait(stream.handle), "waiting for \(what())")
    }

    deinit { dnnl_primitive_destroy(primitive) }
}
