/// The children's result file: per file, per matrix, its name, shape and singular values, as
/// little-endian UInt32 counts and Float64 bit patterns.
struct ValueRecord {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ file: [SpectraShards.Values]) {
        put(file.count)
        for matrix in file {
            put(matrix.name.utf8.count)
            bytes += matrix.name.utf8
            put(matrix.rows)
            put(matrix.cols)
            put(matrix.singularValues.count)
            for value in matrix.singularValues { put(value.bitPattern, width: 8) }
        }
    }

    private mutating func put(_ value: Int) { put(UInt64(value), width: 4) }

    private mutating func put(_ value: UInt64, width: Int) {
        for byte in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
    }

    /// Every file's values, or nil when the bytes do not parse to the end.
    static func parse(_ bytes: [UInt8]) -> [[SpectraShards.Values]]? {
        var at = 0
        func take(_ width: Int) -> UInt64? {
            guard at + width <= bytes.count else { return nil }
            defer { at += width }
            return (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
        }
        func count() -> Int? { take(4).map { Int($0) } }
        var files: [[SpectraShards.Values]] = []
        while at < bytes.count {
            guard let matrices = count() else { return nil }
            var file: [SpectraShards.Values] = []
            for _ in 0..<matrices {
                guard let length = count(), at + length <= bytes.count else { return nil }
                let name = String(decoding: bytes[at..<at + length], as: UTF8.self)
                at += length
                guard let rows = count(), let cols = count(), let n = count() else { return nil }
                var values: [Double] = []
                values.reserveCapacity(n)
                for _ in 0..<n {
                    guard let bits = take(8) else { return nil }
                    values.append(Double(bitPattern: bits))
                }
                file.append(SpectraShards.Values(name: name, rows: rows, cols: cols, singularValues: values))
            }
            files.append(file)
        }
        return files
    }
}
