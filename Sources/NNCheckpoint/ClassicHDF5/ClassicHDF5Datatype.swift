/// The element types `ClassicHDF5Image` reads (spec § IV.A.2.d, Datatype message); every other is `.other`.
enum ClassicHDF5Datatype {
    /// A little-endian two's-complement or unsigned integer of 1 to 8 bytes.
    case integer(size: Int, signed: Bool)
    /// IEEE 754 binary32, little-endian.
    case float32
    /// A fixed-length string, NUL-terminated or NUL-padded.
    case fixedString(size: Int)
    /// A variable-length string: a length and a global heap ID per element.
    case variableString(size: Int)
    /// Anything else (kept so that unread attributes of other types do not stop the read).
    case other(size: Int)

    /// Bytes per element as stored.
    var size: Int {
        switch self {
        case .integer(let size, _), .fixedString(let size), .variableString(let size), .other(let size): size
        case .float32: 4
        }
    }

    /// Parses the Datatype message at `offset`.
    init(_ image: ClassicHDF5Image, at offset: Int) throws(ClassicHDF5Image.Unsupported) {
        let classAndVersion = try image.integer(at: offset, size: 1)
        let bits = try image.integer(at: offset + 1, size: 3)
        let size = Int(try image.integer(at: offset + 4, size: 4))
        // Properties: for integers the bit offset and precision; for floats those, then the
        // exponent's and mantissa's location and size, and the exponent bias (12 bytes in all).
        let properties = Array((try? image.slice(at: offset + 8, count: 12)) ?? [])
        let wholeBytes = properties.count == 12 && properties[0...3].elementsEqual([0, 0, UInt8(truncatingIfNeeded: 8 * size), 0])
        switch classAndVersion & 0x0F {
        case 0 where bits & 0x01 == 0 && (1...8).contains(size) && wholeBytes:   // fixed-point, little-endian
            self = .integer(size: size, signed: bits & 0x08 != 0)
        case 1 where size == 4 && bits & 0x41 == 0 && bits & 0x30 == 0x20 && (bits >> 8) & 0xFF == 31
                     && properties.elementsEqual([0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0]):
            // Floating-point, little-endian, implied leading mantissa bit, sign at bit 31; offset 0,
            // precision 32, exponent at 23 of 8 bits, mantissa at 0 of 23 bits, bias 127: binary32.
            self = .float32
        case 3 where bits & 0x0F <= 1:   // string, NUL-terminated or NUL-padded (not space-padded)
            self = .fixedString(size: size)
        case 9 where bits & 0x0F == 1:   // variable-length, of type string
            self = .variableString(size: size)
        case 8:
            // An enumeration is as wide as its base type, which follows the 8-byte header; HDF5 1.10
            // copies each member's value at the base type's size, from past the message when that
            // size is damaged.
            guard try image.integer(at: offset + 12, size: 4) == UInt64(size) else { throw ClassicHDF5Image.Unsupported() }
            self = .other(size: size)
        default:
            self = .other(size: size)
        }
    }
}
