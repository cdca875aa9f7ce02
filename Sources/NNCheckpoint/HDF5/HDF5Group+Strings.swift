import CHDF5
import Foundation

extension HDF5Group {
    /// Writes a 1-D dataset of variable-length UTF-8 strings (what h5py writes for a list of `str`
    /// with `dtype=h5py.string_dtype()`).
    @discardableResult
    public func writeStringDataset(_ name: String, _ values: [String]) throws -> HDF5Dataset {
        try HDF5Library.serialized {
            let object = childPath(name)
            let type = try own(H5Tcopy(nnp_H5T_C_S1()), close: H5Tclose, "create string type", object: object)
            try check(H5Tset_size(type.id, nnp_H5T_VARIABLE()), "create string type", object: object)
            try check(H5Tset_cset(type.id, H5T_CSET_UTF8), "create string type", object: object)
            let space = try dataspace([values.count])
            let id = H5Dcreate2(handle.id, name, type.id, space.id, nnp_H5P_DEFAULT(), HDF5Library.untimedDatasetCreation, nnp_H5P_DEFAULT())
            let dataset = HDF5Dataset(handle: try own(id, close: H5Dclose, "create dataset", object: object), file: file, path: object)
            guard !values.isEmpty else { return dataset }
            var pointers: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
            defer { for pointer in pointers { free(pointer) } }
            try check(H5Dwrite(dataset.handle.id, type.id, nnp_H5S_ALL(), nnp_H5S_ALL(), nnp_H5P_DEFAULT(), &pointers),
                      "write dataset", object: object)
            return dataset
        }
    }
}

extension HDF5Dataset {
    /// Reads a 1-D dataset of strings, variable or fixed length; anything else is an error.
    public func readStrings() throws -> [String] {
        try HDF5Library.serialized {
            let fileType = try own(H5Dget_type(handle.id), close: H5Tclose, "read type")
            guard H5Tget_class(fileType.id) == H5T_STRING else {
                throw HDF5Error(operation: "read strings", file: file, object: path,
                                message: "stored as \(try elementTypeName()), expected strings")
            }
            let space = try own(H5Dget_space(handle.id), close: H5Sclose, "read shape")
            let dims = try dimensions(of: space.id)
            guard dims.count == 1 else {
                throw HDF5Error(operation: "read strings", file: file, object: path, message: "shape \(dims), expected 1-D")
            }
            let count = dims[0]
            guard count > 0 else { return [] }
            let cset = H5Tget_cset(fileType.id)
            if H5Tis_variable_str(fileType.id) > 0 {
                try checkHeapObjects(count: count)
                let memType = try own(H5Tcopy(nnp_H5T_C_S1()), close: H5Tclose, "create string type")
                try check(H5Tset_size(memType.id, nnp_H5T_VARIABLE()), "create string type")
                try check(H5Tset_cset(memType.id, cset), "create string type")
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                try check(H5Dread(handle.id, memType.id, nnp_H5S_ALL(), nnp_H5S_ALL(), nnp_H5P_DEFAULT(), &pointers), "read strings")
                defer { _ = H5Dvlen_reclaim(memType.id, space.id, nnp_H5P_DEFAULT(), &pointers) }
                return pointers.map { $0.map { String(cString: $0) } ?? "" }
            }
            let size = H5Tget_size(fileType.id)
            guard size > 0, size <= 1 << 16 else {
                throw HDF5Error(operation: "read strings", file: file, object: path, message: "string size \(size) is not plausible")
            }
            let memType = try own(H5Tcopy(nnp_H5T_C_S1()), close: H5Tclose, "create string type")
            try check(H5Tset_size(memType.id, size), "create string type")
            try check(H5Tset_cset(memType.id, cset), "create string type")
            try check(H5Tset_strpad(memType.id, H5Tget_strpad(fileType.id)), "create string type")
            var bytes = [UInt8](repeating: 0, count: size * count)
            try check(H5Dread(handle.id, memType.id, nnp_H5S_ALL(), nnp_H5S_ALL(), nnp_H5P_DEFAULT(), &bytes), "read strings")
            return (0..<count).map { index in
                let slice = bytes[(index * size)..<((index + 1) * size)]
                let end = slice.firstIndex(of: 0) ?? slice.endIndex
                return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
            }
        }
    }
}

extension HDF5Dataset {
    /// In a file read whole, throws unless each of the `count` variable-length strings of this
    /// contiguous dataset is an object of a sound global heap collection
    /// (`HeaderMessageBounds.stringsFit`): HDF5 1.10 loops forever, or copies past the
    /// collection, on a damaged one. Strings stored otherwise cannot be checked and are refused
    /// there (nnprobe writes them contiguously, as h5py does).
    func checkHeapObjects(count: Int) throws {
        guard let headers else { return }
        let address = H5Dget_offset(handle.id)
        _ = HDF5Library.takeErrorMessage()
        guard address != haddr_t.max, headers.stringsFit(at: address, count: count) else {
            throw HDF5Error(operation: "read strings", file: file, object: path,
                            message: address == haddr_t.max ? "its strings are not stored contiguously"
                                : "its strings' heap is damaged (a string reaches past its heap object or collection)")
        }
    }
}
