import Foundation
import NNModel

/// The files of `nnprobe predict`: examples to run a model on (one float dataset of any HDF5 file,
/// e.g. written by h5py) and the outputs it writes (`/outputs`, N × output width, float32).
public enum PredictionFile {
    /// Dataset `name` of the HDF5 file at `path` as examples of `shape`: N × C × H × W, or
    /// N × (C·H·W) flattened (N × C for flat features). Its shape is checked before it is read.
    public static func examples(_ path: String, dataset name: String, shape: FeatureShape) throws -> (count: Int, values: [Float]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw FileFormatError(file: path, "no such file")
        }
        do {
            let root: HDF5Group
            do { root = try HDF5File.openForReading(path) } catch let failure as HDF5File.OpenFailure {
                switch failure {
                case .unreadable: throw FileFormatError(file: path, "permission denied")
                case .notHDF5: throw FileFormatError(file: path, "not an HDF5 file (no HDF5 signature; truncated, or another format)")
                case .corrupted(let error): throw FileFormatError(file: path, "corrupted or truncated HDF5 file (\(error.message))")
                }
            }
            guard try root.kind(of: name) == .dataset else {
                throw FileFormatError(file: path, "no dataset '\(name)' (name it with --dataset)")
            }
            let dataset = try root.dataset(name)
            let dims = try dataset.shape()
            let image = [shape.channels, shape.height, shape.width]
            let accepted = [image, [shape.count]]
            guard let n = dims.first, accepted.contains(Array(dims.dropFirst())) else {
                throw FileFormatError(file: path, "dataset '\(name)' has shape \(dims); the model takes N × \(image.map(String.init).joined(separator: " × "))"
                                      + (shape.isFlat ? "" : " (or N × \(shape.count) flattened)"))
            }
            let values = try dataset.read(as: Float.self)
            return (n, values)
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }

    /// Writes `outputs` (`count` × `width`, row-major) as `/outputs`, with the checkpoint and
    /// inputs it came from as root attributes.
    public static func write(_ outputs: [Float], count: Int, width: Int, to path: String, checkpoint: String, inputs: String) throws {
        try HDF5File.createAtomically(path) { root in
            try root.setAttribute("checkpoint", checkpoint)
            try root.setAttribute("inputs", inputs)
            try root.writeDataset("outputs", outputs, shape: [count, width])
        }
    }
}
