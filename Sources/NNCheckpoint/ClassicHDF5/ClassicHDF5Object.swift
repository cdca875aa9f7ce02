/// What `ClassicHDF5Image` needs from one object header (spec § IV.A.1.a, version 1): its
/// attributes, and a group's symbol table or a dataset's shape, element type and data. (New-style
/// groups, with Link messages, come with version-2 headers, which this reader declines.)
struct ClassicHDF5Object {
    typealias Unsupported = ClassicHDF5Image.Unsupported

    /// An attribute's element type, element count and where its raw values start.
    struct Attribute {
        let type: ClassicHDF5Datatype
        let count: Int
        let data: Int
    }

    /// Where a dataset's raw data is: contiguous in the file or compact in the header; both are one range.
    struct Storage {
        let start: Int
        let size: Int
    }

    private(set) var attributes: [(name: String, value: Attribute)] = []
    /// Set by an Attribute Info message: some attributes may be stored densely, out of this reader's reach.
    private(set) var mayHaveDenseAttributes = false
    /// A classic group's v1 B-tree and local heap.
    private(set) var symbolTable: (tree: Int, heap: Int)?
    /// A dataset's dimensions (empty for a scalar; nil for no Dataspace message or a null dataspace).
    private(set) var shape: [Int]?
    private(set) var type: ClassicHDF5Datatype?
    private(set) var storage: Storage?

    /// Most header blocks (the header and its continuations) followed, against loops in a damaged file.
    private static let blockLimit = 64

    /// Parses the object header at `address`, following continuation blocks.
    init(_ image: ClassicHDF5Image, at address: Int) throws(Unsupported) {
        try Self.walk(image, at: address) { type, data, size throws(Unsupported) in
            try read(message: type, at: data, size: size, in: image)
        }
    }

    /// Calls `body` with the type, data position and size of each message of the version-1 object
    /// header at `address`, following continuation blocks.
    private static func walk(_ image: ClassicHDF5Image, at address: Int,
                             _ body: (UInt64, Int, Int) throws(Unsupported) -> Void) throws(Unsupported) {
        guard try image.integer(at: address, size: 1) == 1 else { throw Unsupported() }   // "OHDR" starts version 2
        let messageCount = Int(try image.integer(at: address + 2, size: 2))
        let headerSize = Int(try image.integer(at: address + 8, size: 4))
        var blocks = [(start: address + 16, end: address + 16 + headerSize)]
        var parsed = 0
        var next = 0
        while next < blocks.count, parsed < messageCount {
            let (start, end) = blocks[next]
            next += 1
            guard end <= image.bytes.count else { throw Unsupported() }
            var position = start
            while position + 8 <= end, parsed < messageCount {
                let type = try image.integer(at: position, size: 2)
                let size = Int(try image.integer(at: position + 2, size: 2))
                let flags = try image.integer(at: position + 4, size: 1)
                let data = position + 8
                guard data + size <= end, flags & 0x02 == 0 || ![0x01, 0x03, 0x08, 0x0C].contains(type) else {
                    throw Unsupported()   // past the block, or a shared message this reader would need
                }
                if type == 0x10 {   // continuation: another block of messages
                    let block = try image.address(at: data)
                    blocks.append((block, block + (try image.length(at: data + image.offsetSize))))
                    guard blocks.count <= Self.blockLimit else { throw Unsupported() }
                } else {
                    try body(type, data, size)
                }
                parsed += 1
                position = data + size
            }
        }
    }

    /// Whether every attribute message of the version-1 object header at `address` (a position in
    /// `image.bytes`) holds its values inside itself, and every datatype is self-consistent: nil
    /// when the header is not one this reader walks (a version-2 header, which HDF5 checksums, or
    /// one it declines), false when an attribute's name, type, dataspace or values reach past its
    /// message, or an enumeration's base type is not as wide as the enumeration.
    ///
    /// HDF5 1.10 copies an attribute's values from where the message's part sizes point, for as
    /// many bytes as its dataspace and type say, without checking either against the message: a
    /// damaged dataspace size sends that copy into memory past the header, and the value read
    /// back (`n_heads`, say) is whatever was there — different from run to run. Readers through
    /// the library check a header with this before asking HDF5 for any of its attributes.
    static func attributesFitTheirMessages(_ image: ClassicHDF5Image, at address: Int) -> Bool? {
        var fits = true
        do {
            try walk(image, at: address) { type, data, size throws(Unsupported) in
                if type == 0x0C, fits { fits = valuesFit(image, at: data, end: data + size) }
                if type == 0x03, fits { fits = (try? ClassicHDF5Datatype(image, at: data)) != nil }
            }
        } catch { return nil }
        return fits
    }

    /// Whether the attribute message at `offset` holds its values, and, for variable-length
    /// strings, whether each string is an object of its global heap collection with every object
    /// of the collection inside it (HDF5 1.10 copies a string for as many bytes as its heap object
    /// says, from wherever that reaches).
    private static func valuesFit(_ image: ClassicHDF5Image, at offset: Int, end: Int) -> Bool {
        guard let (_, attribute) = try? attribute(image, at: offset, end: end) else { return isShared(image, at: offset) }
        guard case .variableString(let size) = attribute.type else { return true }
        for element in 0..<attribute.count {
            let id = attribute.data + element * size
            guard let collection = try? image.address(at: id + 4),
                  let index = try? image.integer(at: id + 4 + image.offsetSize, size: 4) else { return false }
            // A zero collection address is an empty string (nil pointer), which HDF5 reads without a heap.
            if (try? image.integer(at: id + 4, size: image.offsetSize)) == 0 { continue }
            guard (try? image.globalHeapObject(collection: collection, index: index)) != nil else { return false }
        }
        return true
    }

    /// Whether the attribute message at `offset` keeps its type or dataspace elsewhere (version 2
    /// or 3 with the shared flags), which this reader cannot size; such a message is not judged.
    private static func isShared(_ image: ClassicHDF5Image, at offset: Int) -> Bool {
        guard let version = try? image.integer(at: offset, size: 1), let flags = try? image.integer(at: offset + 1, size: 1) else { return false }
        return (2...3).contains(version) && flags & 0x03 != 0
    }

    private mutating func read(message type: UInt64, at data: Int, size: Int, in image: ClassicHDF5Image) throws(Unsupported) {
        switch type {
        case 0x01: shape = try Self.dataspace(image, at: data)
        case 0x03: self.type = try ClassicHDF5Datatype(image, at: data)
        case 0x07, 0x0B: throw Unsupported()   // external data files, filters
        case 0x08: storage = try Self.layout(image, at: data)
        case 0x0C: attributes.append(try Self.attribute(image, at: data, end: data + size))
        case 0x11: symbolTable = (try image.address(at: data), try image.address(at: data + image.offsetSize))
        case 0x15: mayHaveDenseAttributes = true
        default: break
        }
    }

    /// The attribute called `name`, if this header holds it.
    func attribute(_ name: String) throws(Unsupported) -> Attribute? {
        if let found = attributes.first(where: { $0.name == name }) { return found.value }
        guard !mayHaveDenseAttributes else { throw Unsupported() }
        return nil
    }

    /// Dataspace message (§ IV.A.2.b, versions 1 and 2): the dimensions.
    private static func dataspace(_ image: ClassicHDF5Image, at offset: Int) throws(Unsupported) -> [Int]? {
        let version = try image.integer(at: offset, size: 1)
        let rank = Int(try image.integer(at: offset + 1, size: 1))
        guard version == 1 || version == 2 else { throw Unsupported() }
        if version == 2, try image.integer(at: offset + 3, size: 1) == 2 { return nil }   // null dataspace
        let dimensions = offset + (version == 1 ? 8 : 4)
        var shape: [Int] = []
        for axis in 0..<rank { shape.append(try image.length(at: dimensions + axis * image.lengthSize)) }
        // Each extent is at most the file's length (`length(at:)`); their product must be too.
        guard let extent = try? StoredExtent(shape, elementSize: 1),
              (try? extent.requireAtMost(image.bytes.count, "the file", shape: shape)) != nil else { throw Unsupported() }
        return shape
    }

    /// Data Layout message (§ IV.A.2.i, versions 3 and 4): contiguous or compact storage only.
    private static func layout(_ image: ClassicHDF5Image, at offset: Int) throws(Unsupported) -> Storage {
        guard (3...4).contains(try image.integer(at: offset, size: 1)) else { throw Unsupported() }
        switch try image.integer(at: offset + 1, size: 1) {
        case 0: return Storage(start: offset + 4, size: Int(try image.integer(at: offset + 2, size: 2)))
        case 1: return Storage(start: try image.address(at: offset + 2), size: try image.length(at: offset + 2 + image.offsetSize))
        default: throw Unsupported()   // chunked or virtual
        }
    }

    /// Attribute message (§ IV.A.2.m, versions 1 to 3): name, type, element count and data position.
    private static func attribute(_ image: ClassicHDF5Image, at offset: Int, end: Int) throws(Unsupported) -> (name: String, value: Attribute) {
        let version = try image.integer(at: offset, size: 1)
        let flags = try image.integer(at: offset + 1, size: 1)
        guard (1...3).contains(version), version == 1 || flags == 0 else {
            throw Unsupported()   // unknown version, or a shared type or dataspace
        }
        let nameSize = Int(try image.integer(at: offset + 2, size: 2))
        let typeSize = Int(try image.integer(at: offset + 4, size: 2))
        let spaceSize = Int(try image.integer(at: offset + 6, size: 2))
        let padded = { (size: Int) in version == 1 ? (size + 7) & ~7 : size }
        let nameStart = offset + (version == 3 ? 9 : 8)
        let typeStart = nameStart + padded(nameSize)
        let spaceStart = typeStart + padded(typeSize)
        let data = spaceStart + padded(spaceSize)
        let type = try ClassicHDF5Datatype(image, at: typeStart)
        // A null dataspace holds no values; any other must hold its values inside the message.
        let shape = try dataspace(image, at: spaceStart) ?? [0]
        guard data <= end, let extent = try? StoredExtent(shape, elementSize: max(type.size, 1)),
              (try? extent.requireAtMost(end - data, "the message", shape: shape)) != nil else { throw Unsupported() }
        return (try image.string(at: nameStart, count: nameSize), Attribute(type: type, count: extent.count, data: data))
    }
}
