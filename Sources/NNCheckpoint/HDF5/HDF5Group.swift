import CHDF5

/// What a link inside a group points at.
public enum HDF5ObjectKind: Sendable { case group, dataset, other }

/// An open group (the root group of a file is one too).
public final class HDF5Group: HDF5Node {
    /// Creates a child group.
    public func createGroup(_ name: String) throws -> HDF5Group {
        try HDF5Library.serialized {
            let object = childPath(name)
            let id = H5Gcreate2(handle.id, name, nnp_H5P_DEFAULT(), HDF5Library.untimedGroupCreation, nnp_H5P_DEFAULT())
            return HDF5Group(handle: try own(id, close: H5Gclose, "create group", object: object), file: file, path: object)
        }
    }

    /// Opens a child group (or a path below this group, `a/b`); the error names it when it is missing.
    public func group(_ name: String) throws -> HDF5Group {
        try HDF5Library.serialized {
            let object = childPath(name)
            let id = try openChild(name, H5Gopen2, kind: "group")
            return HDF5Group(handle: try own(id, close: H5Gclose, "open group", object: object), file: file, path: object, headers: headers)
        }
    }

    /// Names of the links in this group, in name order.
    public func members() throws -> [String] {
        try HDF5Library.serialized {
            var info = H5G_info_t()
            try check(H5Gget_info(handle.id, &info), "list group")
            // Every link takes bytes of the file: a larger count is damage, not a loop to run.
            let fileSize = try fileSize()
            guard info.nlinks <= UInt64(fileSize) else {
                throw HDF5Error(operation: "list group", file: file, object: path,
                                message: "\(info.nlinks) links, more than the file's \(fileSize) bytes could hold")
            }
            return try (0..<Int(info.nlinks)).map { index in
                let length = try check(
                    H5Lget_name_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), nil, 0, nnp_H5P_DEFAULT()),
                    "list group")
                var buffer = [CChar](repeating: 0, count: length + 1)
                try check(
                    H5Lget_name_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), &buffer, buffer.count, nnp_H5P_DEFAULT()),
                    "list group")
                return String(nullTerminated: buffer)
            }
        }
    }

    /// Opens child `name` (or a path below this group, `a/b/c`) with `open` (H5Gopen2 or H5Dopen2).
    /// Whether the link exists is asked only when opening failed, so that a missing child gets
    /// its own message.
    private func openChild(_ name: String, _ open: (hid_t, UnsafePointer<CChar>, hid_t) -> hid_t, kind: String) throws -> hid_t {
        let valid = !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty }
        // Opening decodes the header (a dataset's datatype among it): check it first.
        var address: haddr_t = 0
        if valid, headers != nil, nnp_link_address(handle.id, name, &address) >= 0, address != 0 {
            try checkHeader(at: address, "open \(kind)", object: childPath(name))
        }
        _ = HDF5Library.takeErrorMessage()
        let id = valid ? open(handle.id, name, nnp_H5P_DEFAULT()) : -1
        guard id < 0 else { return id }
        let message = HDF5Library.takeErrorMessage()
        guard valid, try linkExists(name) else {
            throw HDF5Error(operation: "open \(kind)", file: file, object: childPath(name), message: "no such \(kind)")
        }
        throw HDF5Error(operation: "open \(kind)", file: file, object: childPath(name), message: message)
    }

    /// Whether the link `name` (or every link along a path `a/b/c`) exists here; cheap: no object
    /// header is read.
    private func linkExists(_ name: String) throws -> Bool {
        var prefix = ""
        for part in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { return false }
            prefix += prefix.isEmpty ? part : "/\(part)"
            guard try check(H5Lexists(handle.id, prefix, nnp_H5P_DEFAULT()), "look up '\(prefix)'") > 0 else { return false }
        }
        return !prefix.isEmpty
    }

    /// The kind of object linked as `name`, or nil when there is no such link.
    public func kind(of name: String) throws -> HDF5ObjectKind? {
        try HDF5Library.serialized {
            guard !name.isEmpty, !name.contains("/"),
                  try check(H5Lexists(handle.id, name, nnp_H5P_DEFAULT()), "look up '\(name)'") > 0
            else { return nil }
            var type = H5O_TYPE_UNKNOWN
            try check(nnp_object_type(handle.id, name, &type), "look up '\(name)'", object: childPath(name))
            switch type {
            case H5O_TYPE_GROUP: return .group
            case H5O_TYPE_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// Writes an N-d dataset of `values` (row-major, `shape.reduce(1, *)` of them).
    ///
    /// - Parameters:
    ///   - chunkRows: when set, the dataset is chunked in blocks of this many leading-axis rows,
    ///     so readers can stream row ranges.
    ///   - gzip: deflate level 1–9 (needs `chunkRows`).
    @discardableResult
    public func writeDataset<T: HDF5Scalar>(
        _ name: String, _ values: [T], shape: [Int], chunkRows: Int? = nil, gzip: Int? = nil
    ) throws -> HDF5Dataset {
        precondition(shape.reduce(1, *) == values.count, "\(name): \(values.count) values do not fill shape \(shape)")
        return try HDF5Library.serialized {
            let object = childPath(name)
            let space = try dataspace(shape)
            // No modification times: the same content always gives the same bytes.
            var properties: HDF5Handle?   // a chunked dataset's own; a contiguous one takes the shared list
            if let chunkRows, !shape.isEmpty {
                let list = try own(H5Pcreate(nnp_H5P_DATASET_CREATE()), close: H5Pclose, "create dataset", object: object)
                try check(H5Pset_obj_track_times(list.id, false), "create dataset", object: object)
                var chunk = shape.map { hsize_t(max(1, $0)) }
                chunk[0] = hsize_t(max(1, min(chunkRows, shape[0])))
                try check(H5Pset_chunk(list.id, Int32(shape.count), chunk), "chunk dataset", object: object)
                if let gzip { try check(H5Pset_deflate(list.id, UInt32(gzip)), "compress dataset", object: object) }
                properties = list
            }
            let type = T.hdf5Kind.nativeType
            let id = H5Dcreate2(handle.id, name, type, space.id, nnp_H5P_DEFAULT(), properties?.id ?? HDF5Library.untimedDatasetCreation,
                                nnp_H5P_DEFAULT())
            let dataset = HDF5Dataset(handle: try own(id, close: H5Dclose, "create dataset", object: object), file: file, path: object)
            if !values.isEmpty {
                _ = try values.withUnsafeBufferPointer { buffer in
                    try check(H5Dwrite(dataset.handle.id, type, nnp_H5S_ALL(), nnp_H5S_ALL(), nnp_H5P_DEFAULT(), buffer.baseAddress!),
                              "write dataset", object: object)
                }
            }
            return dataset
        }
    }

    /// Opens a child dataset (or a path below this group, `a/b`); the error names it when it is missing.
    public func dataset(_ name: String) throws -> HDF5Dataset {
        try HDF5Library.serialized {
            let object = childPath(name)
            let id = try openChild(name, H5Dopen2, kind: "dataset")
            return HDF5Dataset(handle: try own(id, close: H5Dclose, "open dataset", object: object), file: file, path: object, headers: headers)
        }
    }
}
