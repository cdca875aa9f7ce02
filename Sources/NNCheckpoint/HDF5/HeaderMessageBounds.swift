/// The one check nnprobe makes on HDF5 bytes itself, because the library cannot be trusted there:
/// in a file read whole, that the attribute and datatype messages of a version-1 object header
/// hold what their own size fields say they hold, before HDF5 decodes any of them.
///
/// Why the library cannot do this. HDF5 1.10 decodes an attribute message by walking its name,
/// datatype and dataspace by the part sizes stored in the message, then copies the value from
/// where those sizes point, for as many bytes as the dataspace and type say, without checking
/// either against the message. No API reports the stored part sizes: for a message whose
/// dataspace size field is damaged, `H5Oget_info` (header and message bytes), `H5Aget_info`
/// (`data_size`), `H5Aget_storage_size`, `H5Tget_size` and the dataspace's point count are the
/// same as for the undamaged file, and the first call that decodes the attributes has already
/// read past the header: valgrind reports an invalid read in `H5Aiterate2` →
/// `H5A__compact_build_table`, and outside valgrind the process segfaults or reads back whatever
/// was there (`n_heads` 0 one run, 2 the next). Likewise an enumeration whose base type is
/// narrower than itself makes HDF5 copy each member past the message, a variable-length string's
/// global heap object is copied for as many bytes as the heap says, from wherever that reaches,
/// and a collection whose free space stops short of its end makes HDF5 loop forever (so the
/// strings of string datasets are checked too, `stringsFit`). So before the library decodes a
/// header (opening the object, or reading its attributes) this walks the header's messages and
/// checks exactly those sizes; everything else (bit layouts, dataset shapes, storage sizes) is
/// checked through the library's own answers.
///
/// Only version-1 headers are walked (version-2 headers, `OHDR`, carry checksums HDF5 verifies);
/// a header whose own structure is damaged is left to the library, which refuses it. Layout
/// references are to the HDF5 File Format Specification, version 3.0.
struct HeaderMessageBounds {
    /// The file's bytes.
    let bytes: [UInt8]
    /// Where address 0 is in `bytes`: after the user block, if any (`H5Pget_userblock`).
    let base: Int
    /// Sizes of file addresses and of lengths, in bytes (`H5Pget_sizes`).
    let offsetSize: Int
    let lengthSize: Int

    /// A field or part that lies outside the bytes it must lie in.
    struct Outside: Error {}

    /// Most header blocks (the header and its continuations) followed, against loops in a damaged file.
    private static let blockLimit = 64

    /// Whether every attribute message of the version-1 header at file address `address` holds its
    /// name, type, dataspace and values inside itself (and each variable-length string inside its
    /// heap object), and every datatype message's enumeration is as wide as its base type: nil when
    /// the header is not a version-1 header this walks, false when any of that fails.
    func attributesFit(headerAt address: UInt) -> Bool? {
        guard address < UInt(bytes.count - base) else { return nil }
        var fits = true
        do {
            try walk(header: base + Int(address)) { type, data, size in
                if type == 0x0C, fits { fits = attributeFits(at: data, end: data + size) }
                if type == 0x03, fits { fits = datatypeSize(at: data) != nil }
            }
        } catch { return nil }
        return fits
    }

    /// Whether the `count` variable-length strings whose heap IDs start at file address `address`
    /// (a contiguous dataset's data) each fit their global heap collection, as `heapObjects`
    /// checks; each collection is walked once.
    func stringsFit(at address: UInt, count: Int) -> Bool {
        let idSize = 8 + offsetSize
        guard address < UInt(bytes.count - base), count <= (bytes.count - base - Int(address)) / idSize else { return false }
        var collections: [Int: Set<Int>] = [:]
        for element in 0..<count {
            let id = base + Int(address) + element * idSize
            guard let collection = try? field(at: id + 4, size: offsetSize), let index = try? field(at: id + 4 + offsetSize, size: 4) else { return false }
            if collection == 0 { continue }
            if collections[collection] == nil {
                guard let objects = heapObjects(collection: collection) else { return false }
                collections[collection] = objects
            }
            guard collections[collection]!.contains(index) else { return false }
        }
        return true
    }

    /// Calls `body` with the type, data position and size of each message of the version-1 object
    /// header at `start` (§ IV.A.1.a), following continuation blocks.
    private func walk(header start: Int, _ body: (Int, Int, Int) -> Void) throws(Outside) {
        guard try field(at: start, size: 1) == 1 else { throw Outside() }   // "OHDR" starts version 2
        let messageCount = try field(at: start + 2, size: 2)
        var blocks = [(start: start + 16, end: start + 16 + (try field(at: start + 8, size: 4)))]
        var parsed = 0, next = 0
        while next < blocks.count, parsed < messageCount {
            let (blockStart, end) = blocks[next]
            next += 1
            guard end <= bytes.count else { throw Outside() }
            var position = blockStart
            while position + 8 <= end, parsed < messageCount {
                let type = try field(at: position, size: 2), size = try field(at: position + 2, size: 2)
                let data = position + 8
                guard data + size <= end else { throw Outside() }
                if type == 0x10 {   // continuation: another block of messages
                    let address = try field(at: data, size: offsetSize), length = try field(at: data + offsetSize, size: lengthSize)
                    guard address < bytes.count - base, length <= bytes.count, blocks.count < Self.blockLimit else { throw Outside() }
                    blocks.append((base + address, base + address + length))
                } else if try field(at: position + 4, size: 1) & 0x02 == 0 {   // a shared message lives elsewhere
                    body(type, data, size)
                }
                parsed += 1
                position = data + size
            }
        }
    }

    /// Attribute message (§ IV.A.2.m, versions 1 to 3): its values end inside it. A message that
    /// keeps its type or dataspace elsewhere (the shared flags) is not judged.
    private func attributeFits(at offset: Int, end: Int) -> Bool {
        guard let version = try? field(at: offset, size: 1), let flags = try? field(at: offset + 1, size: 1) else { return false }
        if (2...3).contains(version), flags & 0x03 != 0 { return true }
        guard (1...3).contains(version), version == 1 || flags == 0,
              let nameSize = try? field(at: offset + 2, size: 2), let typeSize = try? field(at: offset + 4, size: 2),
              let spaceSize = try? field(at: offset + 6, size: 2) else { return false }
        let padded = { (size: Int) in version == 1 ? (size + 7) & ~7 : size }
        let typeStart = offset + (version == 3 ? 9 : 8) + padded(nameSize)
        let spaceStart = typeStart + padded(typeSize)
        let data = spaceStart + padded(spaceSize)
        guard data <= end, let elementSize = datatypeSize(at: typeStart), let count = elementCount(at: spaceStart),
              let extent = try? StoredExtent([count], elementSize: max(elementSize, 1)), extent.byteCount <= end - data
        else { return false }
        guard isVariableString(at: typeStart) else { return true }
        return (0..<count).allSatisfy { heapObjectFits(id: data + $0 * elementSize) }
    }

    /// Datatype message (§ IV.A.2.d): the element size, or nil when an enumeration's base type
    /// (which follows the 8-byte header) is not as wide as the enumeration.
    private func datatypeSize(at offset: Int) -> Int? {
        guard let classAndVersion = try? field(at: offset, size: 1), let size = try? field(at: offset + 4, size: 4) else { return nil }
        if classAndVersion & 0x0F == 8, (try? field(at: offset + 12, size: 4)) != size { return nil }
        return size
    }

    /// Whether the datatype at `offset` is a variable-length string (class 9, type 1).
    private func isVariableString(at offset: Int) -> Bool {
        (try? field(at: offset, size: 1)).map { $0 & 0x0F == 9 } == true && (try? field(at: offset + 1, size: 1)).map { $0 & 0x0F == 1 } == true
    }

    /// Dataspace message (§ IV.A.2.b, versions 1 and 2): the element count (0 for a null
    /// dataspace), or nil when it cannot be what a file of this length holds.
    private func elementCount(at offset: Int) -> Int? {
        guard let version = try? field(at: offset, size: 1), let rank = try? field(at: offset + 1, size: 1),
              version == 1 || version == 2 else { return nil }
        if version == 2, (try? field(at: offset + 3, size: 1)) == 2 { return 0 }   // null dataspace
        let dimensions = offset + (version == 1 ? 8 : 4)
        var shape: [Int] = []
        for axis in 0..<rank {
            guard let extent = try? field(at: dimensions + axis * lengthSize, size: lengthSize), extent <= bytes.count else { return nil }
            shape.append(extent)
        }
        guard let extent = try? StoredExtent(shape, elementSize: 1), extent.count <= bytes.count else { return nil }
        return extent.count
    }

    /// Whether the variable-length string whose heap ID (length, collection address, object index)
    /// is at `id` is an object of its global heap collection (§ III.E), `heapObjects`. A zero
    /// collection address is an empty string, read without a heap.
    private func heapObjectFits(id: Int) -> Bool {
        guard let address = try? field(at: id + 4, size: offsetSize), let index = try? field(at: id + 4 + offsetSize, size: 4) else { return false }
        return address == 0 || heapObjects(collection: address)?.contains(index) == true
    }

    /// The object indices of the global heap collection at file address `address`, or nil unless
    /// every object lies inside the collection (HDF5 parses them all when it loads it, and copies
    /// an object of a damaged size from past it) and its free space reaches the collection's end
    /// (HDF5 loops forever on a free space that stops short).
    private func heapObjects(collection address: Int) -> Set<Int>? {
        let collection = base + address
        guard address < bytes.count - base, (try? field(at: collection, size: 4)) == 0x4C4F_4347,   // "GCOL"
              let size = try? field(at: collection + 8, size: lengthSize), size <= bytes.count - collection else { return nil }
        let end = collection + size
        var position = collection + 8 + lengthSize
        var indices: Set<Int> = []
        while position + 8 + lengthSize <= end {
            guard let index = try? field(at: position, size: 2), let objectSize = try? field(at: position + 8, size: lengthSize),
                  objectSize <= bytes.count else { return nil }
            // The free space ends the collection, its size counted from its own start.
            if index == 0 { return objectSize == end - position ? indices : nil }
            let data = position + 8 + lengthSize
            guard objectSize <= end - data else { return nil }
            indices.insert(index)
            position = data + ((objectSize + 7) & ~7)
        }
        return indices
    }

    /// The unsigned little-endian integer of `size` bytes at `offset`, when it lies in the file and
    /// is at most the file's length in bytes (any count or address larger than that is damage).
    private func field(at offset: Int, size: Int) throws(Outside) -> Int {
        guard offset >= 0, size <= 8, offset <= bytes.count - size else { throw Outside() }
        var value: UInt64 = 0
        for index in stride(from: offset + size - 1, through: offset, by: -1) { value = value << 8 | UInt64(bytes[index]) }
        guard value <= UInt64(Int.max) else { throw Outside() }
        return Int(value)
    }
}
