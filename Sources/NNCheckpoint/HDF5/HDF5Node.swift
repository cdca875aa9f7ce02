import CHDF5

/// An open HDF5 object (the root group, a group, or a dataset): its handle, the file it lives
/// in and its path inside that file. Attributes hang off any node.
public class HDF5Node {
    let handle: HDF5Handle
    /// The file on disk (used in error messages).
    public let file: String
    /// The object's absolute path inside the file, e.g. `/model/layer_0`.
    public let path: String

    init(handle: HDF5Handle, file: String, path: String) {
        self.handle = handle
        self.file = file
        self.path = path
    }

    /// Path of a child called `name`.
    func childPath(_ name: String) -> String { path == "/" ? "/\(name)" : "\(path)/\(name)" }

    /// Throws an `HDF5Error` about this node (or `object`) when `status` is negative.
    @discardableResult
    func check<T: BinaryInteger>(_ status: T, _ operation: @autoclosure () -> String, object: @autoclosure () -> String? = nil) throws -> T {
        try HDF5Library.check(status, operation(), file: file, object: object() ?? path)
    }

    /// Takes ownership of a freshly opened `id`, or throws with HDF5's message.
    func own(_ id: hid_t, close: @escaping (hid_t) -> herr_t, _ operation: @autoclosure () -> String,
             object: @autoclosure () -> String? = nil) throws -> HDF5Handle {
        try HDF5Handle.owning(id, close: close, operation(), file: file, object: object() ?? path)
    }

    /// A simple dataspace of `dims` (a scalar dataspace when `dims` is nil).
    func dataspace(_ dims: [Int]?) throws -> HDF5Handle {
        let id: hid_t
        if let dims {
            let hdims = dims.map { hsize_t($0) }
            id = H5Screate_simple(Int32(dims.count), hdims, nil)
        } else {
            id = H5Screate(H5S_SCALAR)
        }
        return try own(id, close: H5Sclose, "create dataspace")
    }

    /// The dimensions of a dataspace (empty for a scalar); a dimension past `Int.max` is an error.
    func dimensions(of space: hid_t) throws -> [Int] {
        let rank = try check(H5Sget_simple_extent_ndims(space), "read dataspace rank")
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try check(H5Sget_simple_extent_dims(space, &dims, nil), "read dataspace dimensions")
        return try checked("read dataspace dimensions") { () throws(StoredExtent.Problem) in try StoredExtent.shape(dims) }
    }

    /// `shape`'s element and byte counts at `elementSize` bytes per element, checked (`StoredExtent`).
    func extent(_ shape: [Int], elementSize: Int, _ operation: @autoclosure () -> String) throws -> StoredExtent {
        try checked(operation()) { () throws(StoredExtent.Problem) in try StoredExtent(shape, elementSize: elementSize) }
    }

    /// Runs a `StoredExtent` check, turning its problem into an `HDF5Error` about this node.
    func checked<R>(_ operation: @autoclosure () -> String, _ body: () throws(StoredExtent.Problem) -> R) throws -> R {
        do { return try body() } catch {
            throw HDF5Error(operation: operation(), file: file, object: path, message: error.description)
        }
    }

    /// The length in bytes of the file this node is in: no array in it can hold more.
    func fileSize() throws -> Int {
        let fileID = try own(H5Iget_file_id(handle.id), close: H5Fclose, "read file size")
        var size: hsize_t = 0
        try check(H5Fget_filesize(fileID.id, &size), "read file size")
        return Int(clamping: size)
    }
}

extension String {
    /// Decodes a NUL-terminated C buffer as UTF-8.
    init(nullTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
