import CHDF5

/// An open dataset: its shape and element type, whole reads, and row-range (hyperslab) reads.
public final class HDF5Dataset: HDF5Node {
    /// Dimensions, leading axis first (empty for a scalar dataset).
    public func shape() throws -> [Int] {
        try HDF5Library.serialized {
            let space = try own(H5Dget_space(handle.id), close: H5Sclose, "read shape")
            return try dimensions(of: space.id)
        }
    }

    /// The stored element type, described like numpy (`float32`, `int64`, `string`, …).
    public func elementTypeName() throws -> String {
        try HDF5Library.serialized {
            let type = try own(H5Dget_type(handle.id), close: H5Tclose, "read type")
            let size = H5Tget_size(type.id) * 8
            switch H5Tget_class(type.id) {
            case H5T_FLOAT: return "float\(size)"
            case H5T_INTEGER: return H5Tget_sign(type.id) == H5T_SGN_NONE ? "uint\(size)" : "int\(size)"
            case H5T_STRING: return "string"
            default: return "other"
            }
        }
    }

    /// Reads every element, converting to `T`. Floating-point kinds read float datasets,
    /// integer kinds read integer datasets; anything else is an error naming the stored type.
    public func read<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
        try readWithShape(as: type).values
    }

    /// Reads every element as `read(as:)` does, together with the dataset's shape.
    public func readWithShape<T: HDF5Scalar>(as type: T.Type = T.self) throws -> (shape: [Int], values: [T]) {
        try HDF5Library.serialized {
            try checkElementClass(T.hdf5Kind)
            let shape = try checkedShape(memoryElementSize: MemoryLayout<T>.stride)
            var values = [T](repeating: T(), count: try extent(shape, elementSize: 1, "read dataset").count)
            guard !values.isEmpty else { return (shape, values) }
            _ = try values.withUnsafeMutableBufferPointer { buffer in
                try check(H5Dread(handle.id, T.hdf5Kind.nativeType, nnp_H5S_ALL(), nnp_H5S_ALL(), nnp_H5P_DEFAULT(), buffer.baseAddress!),
                          "read dataset")
            }
            return (shape, values)
        }
    }

    /// Reads rows `rows` along the leading axis of a dataset of 2 or more dimensions (row-major,
    /// `rows.count × (product of the other dimensions)` values): an (N, w) matrix's rows, or an
    /// (N, C, H, W) array's examples.
    public func readRows<T: HDF5Scalar>(_ rows: Range<Int>, as type: T.Type = T.self) throws -> [T] {
        try HDF5Library.serialized {
            try checkElementClass(T.hdf5Kind)
            let dims = try checkedShape(memoryElementSize: MemoryLayout<T>.stride)
            guard dims.count >= 2, rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
                throw HDF5Error(operation: "read rows \(rows.lowerBound)..<\(rows.upperBound)", file: file, object: path,
                                message: "dataset has shape \(dims), expected 2 or more dimensions and at least \(rows.upperBound) rows")
            }
            let selected = [rows.count] + dims.dropFirst()
            var values = [T](repeating: T(), count: try extent(selected, elementSize: 1, "read rows").count)
            guard !values.isEmpty else { return values }
            let fileSpace = try own(H5Dget_space(handle.id), close: H5Sclose, "read shape")
            let start: [hsize_t] = [hsize_t(rows.lowerBound)] + dims.dropFirst().map { _ in 0 }
            let count: [hsize_t] = selected.map { hsize_t($0) }
            try check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, count, nil), "select rows")
            let memorySpace = try dataspace(selected)
            _ = try values.withUnsafeMutableBufferPointer { buffer in
                try check(H5Dread(handle.id, T.hdf5Kind.nativeType, memorySpace.id, fileSpace.id, nnp_H5P_DEFAULT(), buffer.baseAddress!),
                          "read rows")
            }
            return values
        }
    }

    /// The dataset's shape, once it is known that the file stores exactly that much data for it
    /// (`StoredExtent`), and that a buffer of `memoryElementSize`-byte elements for all of it can
    /// be counted. Every read calls this before allocating or reading anything:
    /// - contiguous or compact: the storage size is the shape's bytes, and is in the file;
    /// - chunked: every chunk the shape spans is allocated (no part of the array is fill values
    ///   the file never held), and without filters the chunks hold exactly their bytes; with
    ///   filters (deflate) the shape's bytes are at most 1032 times the stored ones, deflate's
    ///   largest expansion.
    func checkedShape(memoryElementSize: Int) throws -> [Int] {
        let operation = "read dataset"
        let shape = try self.shape()
        let type = try own(H5Dget_type(handle.id), close: H5Tclose, "read type")
        let stored = try extent(shape, elementSize: H5Tget_size(type.id), operation)
        _ = try extent(shape, elementSize: memoryElementSize, operation)
        let fileSize = try fileSize()
        let properties = try own(H5Dget_create_plist(handle.id), close: H5Pclose, "read layout")
        let storage = Int(clamping: H5Dget_storage_size(handle.id))
        try checked(operation) { () throws(StoredExtent.Problem) in
            guard storage <= fileSize else {
                throw StoredExtent.Problem(description: "\(storage) bytes stored, more than the file's \(fileSize)")
            }
        }
        switch H5Pget_layout(properties.id) {
        case H5D_CONTIGUOUS, H5D_COMPACT:
            try checked(operation) { () throws(StoredExtent.Problem) in try stored.requireStored(storage, shape: shape) }
        case H5D_CHUNKED:
            var chunk = [hsize_t](repeating: 0, count: shape.count)
            try check(H5Pget_chunk(properties.id, Int32(shape.count), &chunk), "read chunk shape")
            let chunkShape = try checked(operation) { () throws(StoredExtent.Problem) in try StoredExtent.shape(chunk) }
            guard !chunkShape.contains(where: { $0 <= 0 }) else {
                throw HDF5Error(operation: operation, file: file, object: path, message: "chunk shape \(chunkShape) is not valid")
            }
            // Chunks along each axis: ceil(extent / chunk extent), without adding to the extent (2^63 − 1 would overflow).
            let spanned = try extent(zip(shape, chunkShape).map { $0 / $1 + ($0 % $1 == 0 ? 0 : 1) }, elementSize: 1, operation).count
            let space = try own(H5Dget_space(handle.id), close: H5Sclose, "read shape")
            var allocated: hsize_t = 0
            try check(H5Dget_num_chunks(handle.id, space.id, &allocated), "count chunks")
            guard allocated == spanned else {
                throw HDF5Error(operation: operation, file: file, object: path,
                                message: "shape \(shape) spans \(spanned) chunks of \(chunkShape), but \(allocated) are stored")
            }
            let chunkBytes = try extent(chunkShape, elementSize: H5Tget_size(type.id), operation).byteCount
            if H5Pget_nfilters(properties.id) == 0 {
                let (expected, overflow) = chunkBytes.multipliedReportingOverflow(by: spanned)
                guard !overflow, storage == expected else {
                    throw HDF5Error(operation: operation, file: file, object: path,
                                    message: "\(spanned) chunks of \(chunkBytes) bytes, but \(storage) bytes are stored")
                }
            } else {
                let (limit, overflow) = storage.multipliedReportingOverflow(by: 1032)
                try checked(operation) { () throws(StoredExtent.Problem) in
                    try stored.requireAtMost(overflow ? .max : limit, "1032 times the \(storage) compressed bytes stored", shape: shape)
                }
            }
        default:
            throw HDF5Error(operation: operation, file: file, object: path, message: "its storage layout is not contiguous, compact or chunked")
        }
        return shape
    }

    private func checkElementClass(_ kind: HDF5ScalarKind) throws {
        let type = try own(H5Dget_type(handle.id), close: H5Tclose, "read type")
        let typeClass = H5Tget_class(type.id)
        let matches = kind.isFloatingPoint ? typeClass == H5T_FLOAT : typeClass == H5T_INTEGER
        if !matches {
            throw HDF5Error(operation: "read dataset", file: file, object: path,
                            message: "stored as \(try elementTypeName()), expected \(kind.isFloatingPoint ? "floating point" : "integers")")
        }
        try checkBitLayout(type.id, "read dataset")
    }
}
