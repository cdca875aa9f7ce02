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
            let shape = try self.shape()
            var values = [T](repeating: T(), count: shape.reduce(1, *))
            guard !values.isEmpty else { return (shape, values) }
            _ = try values.withUnsafeMutableBufferPointer { buffer in
                try check(H5Dread(handle.id, T.hdf5Kind.nativeType, nnp_H5S_ALL(), nnp_H5S_ALL(), nnp_H5P_DEFAULT(), buffer.baseAddress!),
                          "read dataset")
            }
            return (shape, values)
        }
    }

    /// Reads rows `rows` of a 2-D dataset (row-major, `rows.count × columns` values).
    public func readRows<T: HDF5Scalar>(_ rows: Range<Int>, as type: T.Type = T.self) throws -> [T] {
        try HDF5Library.serialized {
            try checkElementClass(T.hdf5Kind)
            let dims = try shape()
            guard dims.count == 2, rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
                throw HDF5Error(operation: "read rows \(rows.lowerBound)..<\(rows.upperBound)", file: file, object: path,
                                message: "dataset has shape \(dims), expected 2-D with at least \(rows.upperBound) rows")
            }
            var values = [T](repeating: T(), count: rows.count * dims[1])
            guard !values.isEmpty else { return values }
            let fileSpace = try own(H5Dget_space(handle.id), close: H5Sclose, "read shape")
            let start: [hsize_t] = [hsize_t(rows.lowerBound), 0]
            let count: [hsize_t] = [hsize_t(rows.count), hsize_t(dims[1])]
            try check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, count, nil), "select rows")
            let memorySpace = try dataspace([rows.count, dims[1]])
            _ = try values.withUnsafeMutableBufferPointer { buffer in
                try check(H5Dread(handle.id, T.hdf5Kind.nativeType, memorySpace.id, fileSpace.id, nnp_H5P_DEFAULT(), buffer.baseAddress!),
                          "read rows")
            }
            return values
        }
    }

    private func checkElementClass(_ kind: HDF5ScalarKind) throws {
        let type = try own(H5Dget_type(handle.id), close: H5Tclose, "read type")
        let typeClass = H5Tget_class(type.id)
        let matches = kind.isFloatingPoint ? typeClass == H5T_FLOAT : typeClass == H5T_INTEGER
        if !matches {
            throw HDF5Error(operation: "read dataset", file: file, object: path,
                            message: "stored as \(try elementTypeName()), expected \(kind.isFloatingPoint ? "floating point" : "integers")")
        }
    }
}
