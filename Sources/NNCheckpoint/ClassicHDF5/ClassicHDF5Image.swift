/// A small HDF5 file held in memory and walked in Swift, only to check what HDF5 1.10 would trust
/// blindly: before the library reads any attribute of an object in a file opened from memory,
/// `ClassicHDF5Object.attributesFitTheirMessages` checks that the object's attribute values lie
/// inside their messages and heap objects (`HDF5Node`). Nothing is read through it any more: every
/// value comes from the HDF5 library (and many checkpoints' weights from a directory's pack,
/// `WeightPack`). It understands the classic layout only: superblock version 0 or 1, version-1
/// object headers; anything else throws `ClassicHDF5Image.Unsupported` and is not judged.
/// Layout references are to the HDF5 File Format Specification, version 3.0.
struct ClassicHDF5Image {
    /// The file uses something this reader does not (or is damaged): open it with the HDF5 library.
    struct Unsupported: Error {}

    let bytes: [UInt8]
    /// Sizes of file addresses and of lengths, in bytes (8 and 8 by default).
    let offsetSize: Int
    let lengthSize: Int
    /// Where address 0 is in `bytes`: the superblock's position (after a user block, if any).
    let base: Int
    /// Where the root group's object header starts in `bytes`.
    let rootAddress: Int

    /// Parses the superblock (spec § II.A, versions 0 and 1), found at byte 0 or after a user block of 512, 1024, … bytes.
    init(_ bytes: [UInt8]) throws(Unsupported) {
        self.bytes = bytes
        guard let found = HDF5File.superblockOffsets(size: UInt64(bytes.count))
            .first(where: { bytes[Int($0)..<Int($0) + 8].elementsEqual(HDF5File.signature) }) else { throw Unsupported() }
        let start = Int(found)
        guard start + 24 <= bytes.count else { throw Unsupported() }
        let version = bytes[start + 8]
        offsetSize = Int(bytes[start + 13])
        lengthSize = Int(bytes[start + 14])
        guard version <= 1, [2, 4, 8].contains(offsetSize), [2, 4, 8].contains(lengthSize) else { throw Unsupported() }
        // After the fixed fields: base address, free-space address, end-of-file address, driver
        // block address, then the root group's symbol table entry (link name offset, object header
        // address). Addresses count from the superblock, whatever the base address field says
        // (the HDF5 library does the same when the two differ).
        let addresses = start + 24 + (version == 1 ? 4 : 0)
        let root = try Self.integer(in: bytes, at: addresses + 5 * offsetSize, size: offsetSize)
        let end = try Self.integer(in: bytes, at: addresses + 2 * offsetSize, size: offsetSize)
        // A file shorter than its end-of-file address (stored counting the user block) is
        // truncated: the library says so.
        guard root < UInt64(bytes.count - start), end <= UInt64(bytes.count) else { throw Unsupported() }
        base = start
        rootAddress = start + Int(root)
    }

    /// The unsigned little-endian integer of `size` bytes at `offset`.
    func integer(at offset: Int, size: Int) throws(Unsupported) -> UInt64 {
        try Self.integer(in: bytes, at: offset, size: size)
    }

    private static func integer(in bytes: [UInt8], at offset: Int, size: Int) throws(Unsupported) -> UInt64 {
        guard offset >= 0, size <= 8, offset <= bytes.count - size else { throw Unsupported() }
        var value: UInt64 = 0
        for index in stride(from: offset + size - 1, through: offset, by: -1) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// A length field (`lengthSize` bytes) at `offset`, as a count that fits in this file.
    func length(at offset: Int) throws(Unsupported) -> Int {
        let value = try integer(at: offset, size: lengthSize)
        guard value <= UInt64(bytes.count) else { throw Unsupported() }
        return Int(value)
    }

    /// The file address (`offsetSize` bytes) at `offset`, as a position in `bytes`. The undefined
    /// address (all ones) and addresses past the end are unsupported.
    func address(at offset: Int) throws(Unsupported) -> Int {
        let value = try integer(at: offset, size: offsetSize)
        guard value < UInt64(bytes.count - base) else { throw Unsupported() }
        return base + Int(value)
    }

    /// `count` bytes from `offset`.
    func slice(at offset: Int, count: Int) throws(Unsupported) -> ArraySlice<UInt8> {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else { throw Unsupported() }
        return bytes[offset..<offset + count]
    }

    /// Checks that the 4-letter signature of a structure (`TREE`, `SNOD`, `HEAP`, `GCOL`) is at `offset`.
    func expect(_ signature: String, at offset: Int) throws(Unsupported) {
        guard try slice(at: offset, count: 4).elementsEqual(signature.utf8) else { throw Unsupported() }
    }

    /// The text of `count` bytes at `offset` up to the first NUL, as UTF-8.
    func string(at offset: Int, count: Int) throws(Unsupported) -> String {
        let raw = try slice(at: offset, count: count)
        return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
