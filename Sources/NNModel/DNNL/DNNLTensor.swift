import CDNNL

/// One tensor a oneDNN primitive reads or writes. The caller's buffer is in a plain layout
/// (`nchw`, `oihw`, `x`); when the primitive computes in another layout, or its result is to be
/// added to the caller's buffer rather than written over it, the tensor owns the primitive's
/// memory and a reorder between the two (for `add`, a reorder with oneDNN's sum post-op:
/// user ← user + result, and a plain one for the runs that replace the caller's values).
final class DNNLTensor {
    enum Role { case read, write, add }
    let role: Role
    private let user: dnnl_memory_t
    /// The primitive's own memory; nil when it computes in the caller's buffer.
    private let inner: dnnl_memory_t?
    private let reorder: dnnl_primitive_t?
    /// For `add`: the reorder that writes over the caller's buffer instead.
    private let replacingReorder: dnnl_primitive_t?

    /// The layout the primitive computes in.
    private var wanted: dnnl_memory_desc_t

    /// The memory the primitive is given.
    var memory: dnnl_memory_t { inner ?? user }

    /// Whether `other`'s primitive computes in the same layout as this one's.
    func layout(matches other: DNNLTensor) -> Bool { dnnl_memory_desc_equal(&wanted, &other.wanted) != 0 }

    /// A tensor whose caller's layout is `plain` and whose primitive wants `wanted`; `what`
    /// names it in errors.
    init(plain: dnnl_memory_desc_t, wanted: dnnl_memory_desc_t, role: Role, engine: DNNLEngine, what: String) throws(DNNLError) {
        var plain = plain, wanted = wanted
        self.role = role
        self.wanted = wanted
        var user: dnnl_memory_t?
        try check(dnnl_memory_create(&user, &plain, engine.handle, nil), "creating the memory of \(what)")
        var inner: dnnl_memory_t?, reorder: dnnl_primitive_t?, replacing: dnnl_primitive_t?
        do {
            guard role == .add || dnnl_memory_desc_equal(&plain, &wanted) == 0 else {
                (self.user, self.inner, self.reorder, replacingReorder) = (user!, nil, nil, nil)
                return
            }
            try check(dnnl_memory_create(&inner, &wanted, engine.handle, nnp_dnnl_memory_allocate()), "allocating \(what)")
            reorder = try role == .read
                ? Self.reorder(from: &plain, to: &wanted, adding: false, engine: engine, what: what)
                : Self.reorder(from: &wanted, to: &plain, adding: role == .add, engine: engine, what: what)
            if role == .add { replacing = try Self.reorder(from: &wanted, to: &plain, adding: false, engine: engine, what: what) }
        } catch {
            if let reorder { dnnl_primitive_destroy(reorder) }
            if let inner { dnnl_memory_destroy(inner) }
            dnnl_memory_destroy(user)
            throw error
        }
        (self.user, self.inner, self.reorder, replacingReorder) = (user!, inner, reorder, replacing)
    }

    private static func reorder(from source: inout dnnl_memory_desc_t, to target: inout dnnl_memory_desc_t, adding: Bool,
                                engine: DNNLEngine, what: String) throws(DNNLError) -> dnnl_primitive_t {
        var attributes: dnnl_primitive_attr_t?, postOps: dnnl_post_ops_t?
        defer {
            if let postOps { dnnl_post_ops_destroy(postOps) }
            if let attributes { dnnl_primitive_attr_destroy(attributes) }
        }
        if adding {
            try check(dnnl_primitive_attr_create(&attributes), "creating attributes for \(what)")
            try check(dnnl_post_ops_create(&postOps), "creating post-ops for \(what)")
            try check(dnnl_post_ops_append_sum(postOps, 1), "appending a sum for \(what)")
            try check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "setting the post-ops of \(what)")
        }
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_reorder_primitive_desc_create(&descriptor, &source, engine.handle, &target, engine.handle, attributes),
                  "describing the reorder of \(what)")
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor), "creating the reorder of \(what)")
        return primitive!
    }

    /// Points the tensor at the caller's buffer; a read tensor in another layout is reordered now.
    func bind(_ buffer: UnsafeRawPointer, stream: DNNLStream) throws(DNNLError) {
        try check(dnnl_memory_set_data_handle(user, UnsafeMutableRawPointer(mutating: buffer)), "binding a buffer")
        if role == .read, let reorder, let inner { try run(reorder, from: user, to: inner, stream: stream) }
    }

    /// Takes a written or added result into the caller's buffer (when the primitive computed
    /// elsewhere); `replacing`: an `add` tensor writes over the caller's values instead.
    func finish(stream: DNNLStream, replacing: Bool = false) throws(DNNLError) {
        guard role != .read, let inner else { return }
        if replacing, let replacingReorder {
            try run(replacingReorder, from: inner, to: user, stream: stream)
        } else if let reorder {
            try run(reorder, from: inner, to: user, stream: stream)
        }
    }

    private func run(_ reorder: dnnl_primitive_t, from: dnnl_memory_t, to: dnnl_memory_t, stream: DNNLStream) throws(DNNLError) {
        var arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to)]
        try check(dnnl_primitive_execute(reorder, stream.handle, 2, &arguments), "reordering")
    }

    deinit {
        if let replacingReorder { dnnl_primitive_destroy(replacingReorder) }
        if let reorder { dnnl_primitive_destroy(reorder) }
        if let inner { dnnl_memory_destroy(inner) }
        dnnl_memory_destroy(user)
    }
}
