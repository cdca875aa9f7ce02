extension ClassicHDF5Image {
    /// A scalar integer attribute's value.
    func integer(_ attribute: ClassicHDF5Object.Attribute) throws(Unsupported) -> Int64 {
        guard attribute.count == 1, case .integer(let size, let signed) = attribute.type else { throw Unsupported() }
        let raw = try integer(at: attribute.data, size: size)
        if !signed { guard raw <= UInt64(Int64.max) else { throw Unsupported() }; return Int64(raw) }
        let unused = 64 - 8 * size   // sign-extend from `size` bytes
        return Int64(bitPattern: raw << unused) >> unused
    }

    /// A scalar string attribute's value, fixed-length or variable-length.
    func string(_ attribute: ClassicHDF5Object.Attribute) throws(Unsupported) -> String {
        guard attribute.count == 1 else { throw Unsupported() }
        switch attribute.type {
        case .fixedString(let size):
            return try string(at: attribute.data, count: size)
        case .variableString:
            // A length, then a global heap ID: the collection's address and the object's index.
            let length = Int(try integer(at: attribute.data, size: 4))
            let object = try globalHeapObject(collection: try address(at: attribute.data + 4),
                                              index: try integer(at: attribute.data + 4 + offsetSize, size: 4))
            guard length <= object.count else { throw Unsupported() }
            return String(decoding: object.prefix(length), as: UTF8.self)
        default:
            throw Unsupported()
        }
    }

    /// A float32 dataset's shape and values, in row-major order.
    func floats(_ dataset: ClassicHDF5Object) throws(Unsupported) -> (shape: [Int], values: [Float]) {
        guard case .float32 = dataset.type, let shape = dataset.shape, let storage = dataset.storage else { throw Unsupported() }
        // The stored bytes must be exactly the shape's (a relabelled 3×16 over a stored 2×16 is
        // damage, not a read past the data).
        guard let extent = try? StoredExtent(shape, elementSize: 4), (try? extent.requireStored(storage.size, shape: shape)) != nil
        else { throw Unsupported() }
        let count = extent.count
        let raw = try slice(at: storage.start, count: extent.byteCount)
        var values = [Float]()
        values.reserveCapacity(count)
        var index = raw.startIndex
        while index < raw.endIndex {
            values.append(Float(bitPattern: UInt32(raw[index]) | UInt32(raw[index + 1]) << 8
                                           | UInt32(raw[index + 2]) << 16 | UInt32(raw[index + 3]) << 24))
            index += 4
        }
        return (shape, values)
    }

    /// The bytes of object `index` of the global heap collection at `collection` (§ III.E). Every
    /// object before it must lie inside the collection (HDF5 1.10 trusts their sizes, and copies
    /// an object of a damaged size from memory past the collection).
    func globalHeapObject(collection: Int, index: UInt64) throws(Unsupported) -> ArraySlice<UInt8> {
        try expect("GCOL", at: collection)
        let end = collection + (try length(at: collection + 8))
        guard end <= bytes.count else { throw Unsupported() }
        var position = collection + 8 + lengthSize
        var found: ArraySlice<UInt8>?
        while position + 8 + lengthSize <= end {
            let objectIndex = try integer(at: position, size: 2)
            let size = try length(at: position + 8)
            let data = position + 8 + lengthSize
            guard objectIndex != 0 else { break }   // the free space that ends the collection
            guard size <= end - data else { throw Unsupported() }
            if objectIndex == index, found == nil { found = try slice(at: data, count: size) }
            position = data + ((size + 7) & ~7)
        }
        guard let found else { throw Unsupported() }
        return found
    }
}
