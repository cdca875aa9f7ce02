import CHDF5

/// An open HDF5 object (the root group, a group, or a dataset): its handle, the file it lives
/// in and its path inside that file. Attributes hang off any node.
public class HDF5Node {
    let handle: HDF5Handle
    /// The file on disk (used in error messages).
    public let file: String
    /// The object's absolute path inside the file, e.g. `/model/layer_0`.
    public let path: String
    /// The file's bytes, when it was read whole and opened from memory: object headers are then
    /// checked (`checkAttributeMessages`, `HeaderMessageBounds`) before HDF5 decodes them.
    let headers: HeaderMessageBounds?
    /// Whether this object's header has passed `checkAttributeMessages`.
    private var attributeMessagesChecked = false

    init(handle: HDF5Handle, file: String, path: String, headers: HeaderMessageBounds? = nil) {
        self.handle = handle
        self.file = file
        self.path = path
        self.headers = headers
    }

    /// Throws when this object's header (version 1, in a file read whole) is damaged in a way
    /// HDF5 1.10 does not notice (`checkHeader(at:)`). Every attribute call runs this first,
    /// before HDF5 decodes any attribute of the object.
    func checkAttributeMessages() throws {
        guard !attributeMessagesChecked, headers != nil else { return }
        var info = H5O_info_t()
        try check(nnp_object_info(handle.id, &info), "read object header")
        try checkHeader(at: info.addr, "read attributes", object: path)
        attributeMessagesChecked = true
    }

    /// Throws when the version-1 object header at file address `address` holds an attribute whose
    /// value reaches past its message or its global heap object, or an enumeration narrower than
    /// its base type (`HeaderMessageBounds`): HDF5 1.10 trusts those sizes and copies from memory
    /// past the header or heap, a different value each run, or a segfault. Only files read whole
    /// are checked; headers that are not version 1 are left to the library.
    func checkHeader(at address: haddr_t, _ operation: @autoclosure () -> String, object: @autoclosure () -> String) throws {
        guard let headers, headers.attributesFit(headerAt: address) == false else { return }
        throw HDF5Error(operation: operation(), file: file, object: object(),
                        message: "its object header is damaged (an attribute's value reaches past its message or heap object, or a datatype contradicts itself)")
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

    /// Checks that a stored integer, float or enum type describes bits inside its own bytes:
    /// precision and bit offset (and a float's sign, exponent and mantissa) within `8 × size`.
    /// HDF5 1.10 accepts any of these from a file and its conversions then read bits past each
    /// element — memory nobody wrote, so a damaged `n_layers` read as 2^63 − 1 one run and −2^63
    /// the next. Every numeric read (datasets and attributes) calls this before converting.
    func checkBitLayout(_ type: hid_t, _ operation: @autoclosure () -> String) throws {
        guard H5Tget_class(type) == H5T_ENUM else { return try checkAtomicBitLayout(type, operation()) }
        let base = try own(H5Tget_super(type), close: H5Tclose, operation())
        try checkAtomicBitLayout(base.id, operation())
    }

    private func checkAtomicBitLayout(_ type: hid_t, _ operation: @autoclosure () -> String) throws {
        let bits = 8 * H5Tget_size(type)
        let precision = H5Tget_precision(type), offset = Int(H5Tget_offset(type))
        var inside = bits > 0 && precision > 0 && offset >= 0 && offset + precision <= bits
        if inside, H5Tget_class(type) == H5T_FLOAT {
            var sign = 0, exponent = 0, exponentSize = 0, mantissa = 0, mantissaSize = 0
            inside = H5Tget_fields(type, &sign, &exponent, &exponentSize, &mantissa, &mantissaSize) >= 0
                && exponentSize > 0 && exponentSize < 64 && mantissaSize > 0
                && [sign, exponent + exponentSize - 1, mantissa + mantissaSize - 1].allSatisfy { $0 < precision }
        }
        guard inside else {
            _ = HDF5Library.takeErrorMessage()
            throw HDF5Error(operation: operation(), file: file, object: path,
                            message: "its stored type (\(bits / 8) bytes, precision \(precision), bit offset \(offset)) is damaged")
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
