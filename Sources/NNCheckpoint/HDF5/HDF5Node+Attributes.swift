import CHDF5
import Foundation

/// An attribute's value as read back from a file.
public enum HDF5AttributeValue: Equatable, Sendable {
    case string(String)
    case strings([String])
    case integers([Int64])
    case floats([Double])
}

extension HDF5Node {
    /// Whether an attribute called `name` exists here.
    public func hasAttribute(_ name: String) throws -> Bool {
        try HDF5Library.serialized {
            try checkAttributeMessages()
            return try check(H5Aexists(handle.id, name), "look up attribute '\(name)'") > 0
        }
    }

    /// Names of every attribute of this node, in creation order.
    public func attributeNames() throws -> [String] {
        try HDF5Library.serialized {
            try checkAttributeMessages()
            let count = try check(nnp_attribute_count(handle.id), "count attributes")
            let fileSize = try fileSize()
            guard count <= fileSize else {
                throw HDF5Error(operation: "count attributes", file: file, object: path,
                                message: "\(count) attributes, more than the file's \(fileSize) bytes could hold")
            }
            return try (0..<Int(count)).map { index in
                let length = try check(
                    H5Aget_name_by_idx(handle.id, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, hsize_t(index), nil, 0, nnp_H5P_DEFAULT()),
                    "read attribute name")
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                try check(
                    H5Aget_name_by_idx(handle.id, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, hsize_t(index), &buffer, buffer.count, nnp_H5P_DEFAULT()),
                    "read attribute name")
                return String(nullTerminated: buffer)
            }
        }
    }

    /// Writes a scalar UTF-8 string attribute (variable length, as h5py writes `str`).
    public func setAttribute(_ name: String, _ value: String) throws {
        try HDF5Library.serialized {
            let type = try variableStringType(cset: H5T_CSET_UTF8)
            let space = try dataspace(nil)
            let attribute = try createAttribute(name, type: type.id, space: space.id)
            _ = try value.withCString { cString in
                var pointer: UnsafePointer<CChar>? = cString
                try check(H5Awrite(attribute.id, type.id, &pointer), "write attribute '\(name)'")
            }
        }
    }

    /// Writes a 1-D attribute of variable-length UTF-8 strings (what h5py writes for a list of `str`).
    public func setAttribute(_ name: String, _ values: [String]) throws {
        try HDF5Library.serialized {
            let type = try variableStringType(cset: H5T_CSET_UTF8)
            let space = try dataspace([values.count])
            let attribute = try createAttribute(name, type: type.id, space: space.id)
            guard !values.isEmpty else { return }
            var pointers: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
            defer { for pointer in pointers { free(pointer) } }
            try check(H5Awrite(attribute.id, type.id, &pointers), "write attribute '\(name)'")
        }
    }

    /// Writes a scalar numeric attribute.
    public func setAttribute<T: HDF5Scalar>(_ name: String, _ value: T) throws {
        try writeNumericAttribute(name, [value], dims: nil)
    }

    /// Writes a 1-D numeric array attribute.
    public func setAttribute<T: HDF5Scalar>(_ name: String, _ values: [T]) throws {
        try writeNumericAttribute(name, values, dims: [values.count])
    }

    /// Reads a string attribute (fixed or variable length; a scalar or the first of an array).
    public func stringAttribute(_ name: String) throws -> String {
        switch try attribute(name) {
        case .string(let s): return s
        case .strings(let list) where !list.isEmpty: return list[0]
        default:
            throw HDF5Error(operation: "read attribute '\(name)'", file: file, object: path,
                            message: "it is numeric, expected a string")
        }
    }

    /// Reads an integer attribute (scalar, or a 1-element array).
    public func integerAttribute(_ name: String) throws -> Int64 {
        guard case .integers(let values) = try attribute(name), values.count == 1 else {
            throw HDF5Error(operation: "read attribute '\(name)'", file: file, object: path,
                            message: "expected one integer")
        }
        return values[0]
    }

    /// Reads a floating-point attribute (scalar or 1-element array; integers are converted).
    public func doubleAttribute(_ name: String) throws -> Double {
        switch try attribute(name) {
        case .floats(let v) where v.count == 1: return v[0]
        case .integers(let v) where v.count == 1: return Double(v[0])
        default:
            throw HDF5Error(operation: "read attribute '\(name)'", file: file, object: path,
                            message: "expected one number")
        }
    }

    /// Reads any attribute nnprobe understands: strings, integers (and booleans), floats.
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        try HDF5Library.serialized {
            try checkAttributeMessages()
            let attribute = try own(H5Aopen(handle.id, name, nnp_H5P_DEFAULT()), close: H5Aclose, "open attribute '\(name)'")
            let fileType = try own(H5Aget_type(attribute.id), close: H5Tclose, "read type of attribute '\(name)'")
            let space = try own(H5Aget_space(attribute.id), close: H5Sclose, "read shape of attribute '\(name)'")
            let dims = try dimensions(of: space.id)
            let count = try checkedCount(dims, fileType: fileType.id, name: name)
            let typeClass = H5Tget_class(fileType.id)
            switch typeClass {
            case H5T_STRING:
                let strings = try readStrings(attribute: attribute.id, fileType: fileType.id, space: space.id, count: count, name: name)
                return dims.isEmpty ? .string(strings.first ?? "") : .strings(strings)
            case H5T_INTEGER, H5T_ENUM:
                try checkBitLayout(fileType.id, "read attribute '\(name)'")
                var values = [Int64](repeating: 0, count: count)
                let memType = typeClass == H5T_ENUM ? try enumBase(fileType.id) : nnp_H5T_NATIVE_INT64()
                if memType == nnp_H5T_NATIVE_INT64() {
                    try check(H5Aread(attribute.id, memType, &values), "read attribute '\(name)'")
                } else {
                    var small = [Int8](repeating: 0, count: count)
                    try check(H5Aread(attribute.id, memType, &small), "read attribute '\(name)'")
                    values = small.map { Int64($0) }
                }
                return .integers(values)
            case H5T_FLOAT:
                try checkBitLayout(fileType.id, "read attribute '\(name)'")
                var values = [Double](repeating: 0, count: count)
                try check(H5Aread(attribute.id, nnp_H5T_NATIVE_DOUBLE(), &values), "read attribute '\(name)'")
                return .floats(values)
            case H5T_NO_CLASS:
                throw HDF5Error(operation: "read type of attribute '\(name)'", file: file, object: path,
                                message: HDF5Library.takeErrorMessage())
            default:
                throw HDF5Error(operation: "read attribute '\(name)'", file: file, object: path,
                                message: "its type is neither a string nor a number")
            }
        }
    }

    // MARK: - Helpers

    /// The element count of an attribute of shape `dims`, checked (`StoredExtent`) before any
    /// buffer is made for it: its bytes as stored, and as read into 8-byte numbers or pointers,
    /// can be counted and fit in the file.
    private func checkedCount(_ dims: [Int], fileType: hid_t, name: String) throws -> Int {
        let operation = "read attribute '\(name)'"
        let elementSize = H5Tget_size(fileType)
        guard elementSize > 0 else {
            throw HDF5Error(operation: operation, file: file, object: path, message: HDF5Library.takeErrorMessage())
        }
        let stored = try extent(dims, elementSize: elementSize, operation)
        _ = try extent(dims, elementSize: 8, operation)
        let fileSize = try fileSize()
        try checked(operation) { () throws(StoredExtent.Problem) in
            try stored.requireAtMost(fileSize, "the file's \(fileSize) bytes", shape: dims)
        }
        return stored.count
    }

    private func writeNumericAttribute<T: HDF5Scalar>(_ name: String, _ values: [T], dims: [Int]?) throws {
        try HDF5Library.serialized {
            let space = try dataspace(dims)
            let attribute = try createAttribute(name, type: T.hdf5Kind.nativeType, space: space.id)
            guard !values.isEmpty else { return }
            _ = try values.withUnsafeBufferPointer { buffer in
                try check(H5Awrite(attribute.id, T.hdf5Kind.nativeType, buffer.baseAddress!), "write attribute '\(name)'")
            }
        }
    }

    private func createAttribute(_ name: String, type: hid_t, space: hid_t) throws -> HDF5Handle {
        if try check(H5Aexists(handle.id, name), "look up attribute '\(name)'") > 0 {
            try check(H5Adelete(handle.id, name), "replace attribute '\(name)'")
        }
        return try own(
            H5Acreate2(handle.id, name, type, space, nnp_H5P_DEFAULT(), nnp_H5P_DEFAULT()),
            close: H5Aclose, "create attribute '\(name)'")
    }

    private func variableStringType(cset: H5T_cset_t) throws -> HDF5Handle {
        let type = try own(H5Tcopy(nnp_H5T_C_S1()), close: H5Tclose, "create string type")
        try check(H5Tset_size(type.id, nnp_H5T_VARIABLE()), "create string type")
        try check(H5Tset_cset(type.id, cset), "create string type")
        return type
    }

    /// An enum's (h5py booleans') values are read through a signed 8-bit view when 1 byte wide.
    private func enumBase(_ type: hid_t) throws -> hid_t {
        H5Tget_size(type) == 1 ? nnp_H5T_NATIVE_INT8() : nnp_H5T_NATIVE_INT64()
    }

    private func readStrings(attribute: hid_t, fileType: hid_t, space: hid_t, count: Int, name: String) throws -> [String] {
        let cset = H5Tget_cset(fileType)
        if try check(H5Tis_variable_str(fileType), "read type of attribute '\(name)'") > 0 {
            let memType = try variableStringType(cset: cset)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try check(H5Aread(attribute, memType.id, &pointers), "read attribute '\(name)'")
            defer { _ = H5Dvlen_reclaim(memType.id, space, nnp_H5P_DEFAULT(), &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(fileType)
        let memType = try own(H5Tcopy(nnp_H5T_C_S1()), close: H5Tclose, "create string type")
        try check(H5Tset_size(memType.id, size), "create string type")
        try check(H5Tset_cset(memType.id, cset), "create string type")
        // The file's padding too: converting a NUL-padded string that fills its size to C's
        // NUL-terminated one would drop its last character to make room for the terminator.
        try check(H5Tset_strpad(memType.id, H5Tget_strpad(fileType)), "create string type")
        var bytes = [UInt8](repeating: 0, count: size * count)
        try check(H5Aread(attribute, memType.id, &bytes), "read attribute '\(name)'")
        return (0..<count).map { index in
            let slice = bytes[(index * size)..<((index + 1) * size)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
                .trimmingCharacters(in: [" "])
        }
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let last = s.last, set.contains(last) { s.removeLast() }
        return String(s)
    }
}
