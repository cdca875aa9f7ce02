import Foundation
import NNModel

/// The two CIFAR data sets, in the binary version their authors distribute
/// (https://www.cs.toronto.edu/~kriz/cifar.html): 32 × 32 colour images, one record each.
public enum CIFARVariant: String, CaseIterable, Sendable {
    /// 10 classes; `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, records of
    /// 1 label byte + 3,072 pixel bytes; the tarball unpacks to `cifar-10-batches-bin/`.
    case cifar10
    /// 100 classes (the fine labels); `train.bin` and `test.bin`, records of 1 coarse label byte,
    /// 1 fine label byte + 3,072 pixel bytes; the tarball unpacks to `cifar-100-binary/`.
    case cifar100

    /// `CIFAR-10`, `CIFAR-100`.
    public var title: String { self == .cifar10 ? "CIFAR-10" : "CIFAR-100" }
    /// Classes of the label nnprobe trains on.
    public var classes: Int { self == .cifar10 ? 10 : 100 }
    /// Label bytes before each image.
    var labelBytes: Int { self == .cifar10 ? 1 : 2 }
    /// Bytes per record: the labels and 3 × 32 × 32 pixels.
    var recordBytes: Int { labelBytes + CIFARReader.imageShape.count }
    var trainFiles: [String] { self == .cifar10 ? (1...5).map { "data_batch_\($0).bin" } : ["train.bin"] }
    var testFile: String { self == .cifar10 ? "test_batch.bin" : "test.bin" }
    /// The folder the distributed tarball unpacks to.
    var subdirectory: String { self == .cifar10 ? "cifar-10-batches-bin" : "cifar-100-binary" }
    var tarball: String { self == .cifar10 ? "cifar-10-binary.tar.gz" : "cifar-100-binary.tar.gz" }
}

/// Reads CIFAR binary files: a whole number of fixed-size records, each the label byte(s) then
/// the image, channel-major (all red, then green, then blue), each channel row-major — already
/// the C × H × W order nnprobe's rows hold.
enum CIFARReader {
    /// Every CIFAR image: 3 channels of 32 × 32.
    static let imageShape = FeatureShape(channels: 3, height: 32, width: 32)

    /// Images as read: `pixels` holds N × 3,072 bytes (C × H × W per image), `labels` N labels.
    struct Records {
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        var count: Int { labels.count }
    }

    /// The folder holding `variant`'s files: `directory` itself when the first training file is
    /// there, else the tarball's subdirectory when `directory` has it.
    static func folder(of variant: CIFARVariant, in directory: String) -> String {
        let here = URL(fileURLWithPath: directory)
        let nested = here.appendingPathComponent(variant.subdirectory).path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: here.appendingPathComponent(variant.trainFiles[0]).path),
           FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory), isDirectory.boolValue {
            return nested
        }
        return here.path
    }

    /// How many records the file at `path` holds, from its size alone (nothing is read or
    /// allocated): refuses a missing, empty or non-regular file and one whose size is not a whole
    /// number of records.
    static func recordCount(_ path: String, variant: CIFARVariant) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else {
            guard errno == ENOENT || errno == ENOTDIR else { throw TaskError("\(path): \(String(cString: strerror(errno)))") }
            // The Python version of the data set names its files without `.bin`.
            let pythonVersion = URL(fileURLWithPath: path).deletingPathExtension()
            let hint = FileManager.default.fileExists(atPath: pythonVersion.path)
                ? "; \(pythonVersion.lastPathComponent) beside it is from the Python version, nnprobe reads the binary version" : ""
            throw TaskError("\(path): no such file\(hint) (\(variant.rawValue) reads \(expectedFiles(variant)) from --data DIR or "
                            + "DIR/\(variant.subdirectory): \(variant.tarball) from https://www.cs.toronto.edu/~kriz/cifar.html, unpacked; nothing downloads)")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw TaskError("\(path): not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { throw TaskError("\(path): empty file (a \(variant.title) file holds records of \(variant.recordBytes) bytes)") }
        guard size % variant.recordBytes == 0 else {
            throw TaskError("\(path): \(size) bytes is not a whole number of \(variant.recordBytes)-byte \(variant.title) records "
                            + "(\(size / variant.recordBytes) and \(size % variant.recordBytes) bytes over): truncated, padded or not a \(variant.title) file")
        }
        return size / variant.recordBytes
    }

    /// Appends the `expected` records of the file at `path` (as `recordCount` measured them) to
    /// `records`, checking every label.
    static func read(_ path: String, variant: CIFARVariant, expected: Int, into records: inout Records) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw TaskError("\(path): cannot be read") }
        guard data.count == expected * variant.recordBytes else {
            throw TaskError("\(path): changed while being read (\(data.count) bytes, \(expected * variant.recordBytes) expected)")
        }
        let image = imageShape.count, recordBytes = variant.recordBytes, labelBytes = variant.labelBytes
        records.pixels.reserveCapacity(records.pixels.count + expected * image)
        records.labels.reserveCapacity(records.labels.count + expected)
        try data.withUnsafeBytes { (file: UnsafeRawBufferPointer) in
            let bytes = file.bindMemory(to: UInt8.self)
            for r in 0..<expected {
                let start = r * recordBytes
                // CIFAR-100: the coarse label (20 superclasses), then the fine one.
                if variant == .cifar100, bytes[start] >= 20 {
                    throw TaskError("\(path): record \(r + 1) of \(expected) has coarse label \(bytes[start]); \(variant.title) coarse labels are 0 to 19 (not a \(variant.title) file?)")
                }
                let label = Int(bytes[start + labelBytes - 1])
                guard label < variant.classes else {
                    throw TaskError("\(path): record \(r + 1) of \(expected) has label \(label); \(variant.title) labels are 0 to \(variant.classes - 1) (not a \(variant.title) file?)")
                }
                records.labels.append(Int32(label))
                records.pixels.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + labelBytes)..<(start + recordBytes)]))
            }
        }
    }

    /// `data_batch_1.bin … data_batch_5.bin and test_batch.bin`.
    static func expectedFiles(_ variant: CIFARVariant) -> String {
        let train = variant.trainFiles
        return (train.count > 1 ? "\(train[0]) … \(train[train.count - 1])" : train[0]) + " and \(variant.testFile)"
    }
}
