extension ClassicHDF5Image {
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
