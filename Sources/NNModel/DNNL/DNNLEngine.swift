import CDNNL

/// oneDNN's CPU engine, created once per process (engines are safe to share between threads).
final class DNNLEngine: @unchecked Sendable {
    let handle: dnnl_engine_t

    /// The CPU engine, or why oneDNN could not create it.
    static let cpu = Result { () throws(DNNLError) in try DNNLEngine() }

    private init() throws(DNNLError) {
        var engine: dnnl_engine_t?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "creating the CPU engine")
        handle = engine!
    }

    deinit { dnnl_engine_destroy(handle) }
}

/// An in-order execution stream on the CPU engine; each user of primitives owns one (a stream
/// is not meant to be shared between threads).
final class DNNLStream {
    let handle: dnnl_stream_t
    let engine: DNNLEngine

    init() throws(DNNLError) {
        engine = try DNNLEngine.cpu.get()
        var stream: dnnl_stream_t?
        try check(dnnl_stream_create(&stream, engine.handle, UInt32(dnnl_stream_default_flags.rawValue)), "creating a stream")
        handle = stream!
    }

    deinit { dnnl_stream_destroy(handle) }
}
