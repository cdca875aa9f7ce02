import CHDF5

/// Owns one HDF5 identifier and closes it exactly once, when the handle is released.
final class HDF5Handle {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    /// Takes ownership of `id`, which must be valid; `close` is the matching H5?close.
    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    /// Checks `id` and takes ownership of it, or throws with HDF5's message.
    static func owning(
        _ id: hid_t, close: @escaping (hid_t) -> herr_t,
        _ operation: @autoclosure () -> String, file: String, object: @autoclosure () -> String
    ) throws -> HDF5Handle {
        try HDF5Library.check(id, operation(), file: file, object: object())
        return HDF5Handle(id, close: close)
    }

    deinit { HDF5Library.serialized { _ = close(id) } }
}
