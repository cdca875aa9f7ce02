/// A name's sort key in natural order: runs of ASCII digits compare as numbers, the rest byte by
/// byte, so that `seed_9` sorts before `seed_10`; the digits after a decimal point (`lr0.001`)
/// compare as a fraction, so `lr0.001` sorts before `lr0.01`. A digit run sorts before any other
/// text at the same place; equal keys (`seed9`, `seed09`) order the shorter name first.
public struct NaturalSortKey: Comparable, Sendable {
    /// The name's bytes with each digit run replaced by a NUL, its number of significant digits
    /// (4 bytes, big-endian) and those digits, so that plain byte order is natural order (names
    /// hold no NUL of their own).
    private let bytes: [UInt8]
    private let length: Int

    public init(_ name: String) {
        var bytes: [UInt8] = []
        var digits: [UInt8] = []
        var fraction = false        // the run being read follows "<digits>."
        func closeDigits() {
            guard !digits.isEmpty else { return }
            if fraction {
                // Trailing zeros dropped, then a terminator: ".001" < ".01" < ".1" = ".10" < ".12".
                bytes += [0, 0xFF] + digits.reversed().drop { $0 == UInt8(ascii: "0") }.reversed() + [0]
            } else {
                let significant = digits.drop { $0 == UInt8(ascii: "0") }
                let count = UInt32(significant.count)
                bytes += [0, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
                bytes += significant
            }
            digits.removeAll(keepingCapacity: true)
        }
        for byte in name.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte)
            } else {
                let endsNumber = !digits.isEmpty && !fraction
                closeDigits()
                fraction = byte == UInt8(ascii: ".") && endsNumber
                bytes.append(byte)
            }
        }
        closeDigits()
        self.bytes = bytes
        length = name.utf8.count
    }

    public static func < (a: NaturalSortKey, b: NaturalSortKey) -> Bool {
        a.bytes == b.bytes ? a.length < b.length : a.bytes.lexicographicallyPrecedes(b.bytes)
    }
}

extension Sequence {
    /// The elements sorted by the natural order of `name`, each name's key computed once.
    @inlinable public func sortedNaturally(by name: (Element) -> String) -> [Element] {
        map { (NaturalSortKey(name($0)), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
