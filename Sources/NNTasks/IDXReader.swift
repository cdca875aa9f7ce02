import Foundation
import NNModel

/// Reads MNIST-format IDX files: a big-endian header (magic 0x0000080D, D = number of
/// dimensions, element type 0x08 = unsigned byte), the dimensions, then the bytes.
enum IDXReader {
    /// The dimensions and raw bytes of an unsigned-byte IDX file, gzip-compressed or not.
    static func read(_ path: String) throws -> (dims: [Int], bytes: [UInt8]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaskError("\(path): no such file (idx expects train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte in the data directory, each optionally .gz)")
        }
        var bytes = [UInt8](data)
        if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes, path: path) }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw TaskError("\(path): not an IDX file (bad magic number)")
        }
        guard bytes[2] == 0x08 else { throw TaskError("\(path): IDX element type 0x\(String(bytes[2], radix: 16)) is not unsigned byte (0x08)") }
        let rank = Int(bytes[3])
        guard (1...4).contains(rank) else { throw TaskError("\(path): IDX files of \(rank) dimensions are not data sets nnprobe reads (1 to 4)") }
        guard bytes.count >= 4 + 4 * rank else { throw TaskError("\(path): truncated IDX header") }
        let dims = (0..<rank).map { d in
            (0..<4).reduce(0) { ($0 << 8) | Int(bytes[4 + 4 * d + $1]) }
        }
        let start = 4 + 4 * rank
        // Checked: four dimensions of up to 2³² − 1 overflow Int.
        let expected = dims.reduce(Optional(1)) { product, d in product.flatMap { p in
            let (value, overflow) = p.multipliedReportingOverflow(by: d)
            return overflow ? nil : value
        } }
        guard let expected, bytes.count - start == expected else {
            throw TaskError("\(path): truncated or padded: header promises \(expected.map(String.init) ?? "more than 2^63") bytes of data, file has \(bytes.count - start)")
        }
        return (dims, Array(bytes[start...]))
    }

    /// Images (scaled to [0, 1]) and labels from a pair of IDX files.
    /// Images (scaled to [0, 1]) and labels from a pair of IDX files, with the images' shape:
    /// N × H × W files are 1 × H × W images, N × C × H × W files C × H × W, N × D files flat.
    static func readPair(images: String, labels: String) throws -> (pixels: [Float], labels: [Int32], shape: FeatureShape) {
        let (imageDims, pixels) = try read(images)
        let (labelDims, labelBytes) = try read(labels)
        guard imageDims.count >= 2 else { throw TaskError("\(images): expected an image file (3 dimensions), found \(imageDims.count)") }
        guard labelDims.count == 1 else { throw TaskError("\(labels): expected a label file (1 dimension), found \(labelDims.count)") }
        guard imageDims[0] == labelDims[0] else {
            throw TaskError("\(images) has \(imageDims[0]) images but \(labels) has \(labelDims[0]) labels")
        }
        guard imageDims.dropFirst().allSatisfy({ $0 >= 1 }) else { throw TaskError("\(images): images of size \(imageDims.dropFirst().map(String.init).joined(separator: "×"))") }
        let shape = switch imageDims.count {
        case 2: FeatureShape(channels: imageDims[1])
        case 3: FeatureShape(channels: 1, height: imageDims[1], width: imageDims[2])
        default: FeatureShape(channels: imageDims[1], height: imageDims[2], width: imageDims[3])
        }
        return (pixels.map { Float($0) / 255 }, labelBytes.map { Int32($0) }, shape)
    }

    /// `directory/name`, or `directory/name.gz` when only the compressed file is there.
    static func file(_ name: String, in directory: String) -> String {
        let plain = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        return FileManager.default.fileExists(atPath: plain) || !FileManager.default.fileExists(atPath: plain + ".gz") ? plain : plain + ".gz"
    }
}
