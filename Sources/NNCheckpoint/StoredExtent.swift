/// The one check made on every array shape read from a file, by every reader (the HDF5 library
/// path, `HeaderMessageBounds`, row reads, attributes, activation dumps), before anything is
/// allocated or read for it: the element and byte counts are computed without overflow, no extent
/// is negative, and the bytes must be what the file stores for the array (or at most what the
/// file holds at all, where the stored size is not known).
///
/// A damaged dimension field otherwise does harm in three ways: 2^63 − 1 wraps the element count
/// and sizes a buffer smaller than what is then read into it; 2^45 asks for terabytes, or loops
/// over fill values for hours; one row too many (2×16 read as 3×16) reads past the dataset's data
/// into whatever follows it, and gives wrong numbers without any error.
struct StoredExtent: Equatable {
    /// Number of elements.
    let count: Int
    /// Bytes those elements take.
    let byteCount: Int

    /// Why a shape read from a file cannot be what the file holds; the description is one line.
    struct Problem: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    /// Counts `shape`'s elements of `elementSize` bytes each.
    /// - Throws: `Problem` when an extent is negative or the counts do not fit in `Int`.
    init(_ shape: [Int], elementSize: Int) throws(Problem) {
        guard elementSize > 0 else { throw Problem(description: "element size \(elementSize) is not valid") }
        var count = 1
        for extent in shape {
            guard extent >= 0 else { throw Problem(description: "shape \(shape) has a negative extent") }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw Problem(description: "shape \(shape) has more elements than can be counted") }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else {
            throw Problem(description: "shape \(shape) of \(elementSize)-byte elements has more bytes than can be counted")
        }
        self.count = count
        self.byteCount = bytes
    }

    /// Shape `dimensions` as read from a file (unsigned, as HDF5 stores them) as `Int`s.
    /// - Throws: `Problem` when one is past `Int.max`.
    static func shape<D: BinaryInteger>(_ dimensions: [D]) throws(Problem) -> [Int] {
        var shape: [Int] = []
        for dimension in dimensions {
            guard let extent = Int(exactly: dimension) else {
                throw Problem(description: "dimension \(dimension) is too large to be real")
            }
            shape.append(extent)
        }
        return shape
    }

    /// Checks that the storage holds exactly these bytes: `stored` is what the file says the
    /// array's data takes (a contiguous or compact dataset's storage size, a layout message's size).
    func requireStored(_ stored: Int, shape: [Int]) throws(Problem) {
        guard stored == byteCount else {
            throw Problem(description: "shape \(shape) needs \(byteCount) bytes, but \(stored) are stored")
        }
    }

    /// Checks that these bytes fit in `limit` bytes, `what` naming the limit ("the file's 12345 bytes").
    func requireAtMost(_ limit: Int, _ what: @autoclosure () -> String, shape: [Int]) throws(Problem) {
        guard byteCount <= limit else {
            throw Problem(description: "shape \(shape) needs \(byteCount) bytes, more than \(what())")
        }
    }
}
