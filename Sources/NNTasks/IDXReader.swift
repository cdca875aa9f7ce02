import Foundation

/// Reads MNIST-format IDX files: a big-endian header (magic 0x0000080D, D = number of
/// dimensions, element type 0x08 = unsigned byte), the dimensions, then the bytes.
enum IDXReader {
    /// The dimensions and raw bytes of an unsigned-byte IDX file.
    static func read(_ path: String) throws -> (dims: [Int], bytes: [UInt8]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaskError("\(path): no such file (idx expects train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte in the data directory)")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0x1F, 0x8B]) { throw TaskError("\(path): gzip-compressed; run gunzip on it first") }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw TaskError("\(path): not an IDX file (bad magic number)")
        }
        guard bytes[2] == 0x08 else { throw TaskError("\(path): IDX element type 0x\(String(bytes[2], radix: 16)) is not unsigned byte (0x08)") }
        let rank = Int(bytes[3])
        guard rank >= 1, bytes.count >= 4 + 4 * rank else { throw TaskError("\(path): truncated IDX header") }
        let dims = (0..<rank).map { d in
            (0..<4).reduce(0) { ($0 << 8) | Int(bytes[4 + 4 * d + $1]) }
        }
        let start = 4 + 4 * rank
        let expected = dims.reduce(1, *)
        guard bytes.count - start == expected else {
            throw TaskError("\(path): truncated or padded: header promises \(expected) bytes of data, file has \(bytes.count - start)")
        }
        return (dims, Array(bytes[start...]))
    }

    /// Images (scaled to [0, 1]) and labels from a pair of IDX files.
    static func readPair(images: String, labels: String) throws -> (pixels: [Float], labels: [Int32], width: Int) {
        let (imageDims, pixels) = try read(images)
        let (labelDims, labelBytes) = try read(labels)
        guard imageDims.count >= 2 else { throw TaskError("\(images): expected an image file (3 dimensions), found \(imageDims.count)") }
        guard labelDims.count == 1 else { throw TaskError("\(labels): expected a label file (1 dimension), found \(labelDims.count)") }
        guard imageDims[0] == labelDims[0] else {
            throw TaskError("\(images) has \(imageDims[0]) images but \(labels) has \(labelDims[0]) labels")
        }
        return (pixels.map { Float($0) / 255 }, labelBytes.map { Int32($0) }, imageDims.dropFirst().reduce(1, *))
    }
}
