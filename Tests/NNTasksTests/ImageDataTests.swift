import Foundation
import NNModel
import Testing
@testable import NNTasks

/// Image data: gzipped IDX files read as the plain ones, headers that cannot be data refused
/// in one line, and Debian's Fashion-MNIST read out of the box.
@Suite struct ImageDataTests {
    let files: FileTaskTests
    init() throws { files = try FileTaskTests() }

    /// `gzip -c` of a file, as the tool writes it.
    func gzipped(_ url: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    @Test func gzippedIDXFilesReadAsThePlainOnes() throws {
        try files.writeMNIST(train: 40, test: 12)
        let plain = try files.load("idx") { $0.data = files.dir.path }
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            let url = files.dir.appendingPathComponent(name)
            try gzipped(url).write(to: url.appendingPathExtension("gz"))
            try FileManager.default.removeItem(at: url)
        }
        let compressed = try files.load("idx") { $0.data = files.dir.path }
        #expect(compressed.1.train.inputs == plain.1.train.inputs && compressed.1.test.labels == plain.1.test.labels)
        #expect(compressed.0.inputShape == FeatureShape(channels: 1, height: 2, width: 2))
        // A damaged or cut stream is one clear error, never a crash.
        let labels = files.dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
        let good = try Data(contentsOf: labels)
        try good.prefix(good.count - 12).write(to: labels)
        var error = #expect(throws: TaskError.self) { try files.load("idx") { $0.data = files.dir.path } }
        #expect(error?.description == "\(labels.path): the file ends before the compressed data does")
        var damaged = good
        damaged[damaged.count - 8] ^= 0xFF   // the CRC-32 of the data, which zlib checks
        try damaged.write(to: labels)
        error = #expect(throws: TaskError.self) { try files.load("idx") { $0.data = files.dir.path } }
        #expect(error?.description.hasPrefix("\(labels.path): ") == true)
    }

    /// Runs sharing an `ImageFileCache` get the splits a run alone gets (each seed its own
    /// validation rows), and the second run reads no file: it still loads with the files gone.
    @Test func aFileCacheDecodesOnceAndChangesNothing() throws {
        try files.writeMNIST(train: 40, test: 12)
        var options = TaskOptions()
        options.data = files.dir.path
        let cache = ImageFileCache()
        let first = try TaskRegistry.load("idx", options: options, seed: 1, files: cache)
        for name in try FileManager.default.contentsOfDirectory(atPath: files.dir.path) {
            try FileManager.default.removeItem(at: files.dir.appendingPathComponent(name))
        }
        let second = try TaskRegistry.load("idx", options: options, seed: 2, files: cache)
        try files.writeMNIST(train: 40, test: 12)
        for (seed, cached) in [(UInt64(1), first), (2, second)] {
            let alone = try TaskRegistry.load("idx", options: options, seed: seed)
            #expect(cached.1.train.inputs == alone.1.train.inputs && cached.1.train.labels == alone.1.train.labels)
            #expect(cached.1.validation.labels == alone.1.validation.labels && cached.1.test.inputs == alone.1.test.inputs)
        }
        #expect(first.1.validation.inputs != second.1.validation.inputs)
    }

    @Test func headersThatCannotBeDataAreRefused() throws {
        try files.writeMNIST(train: 10, test: 5)
        let images = files.dir.appendingPathComponent("train-images-idx3-ubyte")
        // Four dimensions of 2³² − 1 overflow a 64-bit product.
        try files.idx([Int(UInt32.max), Int(UInt32.max), Int(UInt32.max), Int(UInt32.max)], []).write(to: images)
        var error = #expect(throws: TaskError.self) { try files.load("idx") { $0.data = files.dir.path } }
        #expect(error?.description.contains("header promises more than 2^63 bytes") == true)
        var header = Data([0, 0, 8, 255])
        header += Data(repeating: 1, count: 4 * 255)
        try header.write(to: images)
        error = #expect(throws: TaskError.self) { try files.load("idx") { $0.data = files.dir.path } }
        #expect(error?.description == "\(images.path): IDX files of 255 dimensions are not data sets nnprobe reads (1 to 4)")
        try files.idx([0, 2, 2], []).write(to: images)
        try files.idx([0], []).write(to: files.dir.appendingPathComponent("train-labels-idx1-ubyte"))
        error = #expect(throws: TaskError.self) { try files.load("idx") { $0.data = files.dir.path } }
        #expect(error?.description.contains("0 training and 5 test images") == true)
    }

    /// The real data set as Debian packages it (`make test` installs it): 60,000 + 10,000
    /// images of 1 × 28 × 28, 6,000 and 1,000 of each of 10 classes.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TaskRegistry.fashionMNISTDirectory),
                   "needs Debian's dataset-fashion-mnist"))
    func fashionMNISTReadsOutOfTheBox() throws {
        let (task, splits) = try TaskRegistry.load("fashion-mnist", options: TaskOptions(), seed: 0)
        #expect(task.inputShape == FeatureShape(channels: 1, height: 28, width: 28) && task.outputWidth == 10)
        #expect(splits.train.count + splits.validation.count == 60_000 && splits.test.count == 10_000)
        var counts = [Int](repeating: 0, count: 10), testCounts = counts
        for label in splits.train.labels! + splits.validation.labels! { counts[Int(label)] += 1 }
        for label in splits.test.labels! { testCounts[Int(label)] += 1 }
        #expect(counts == Array(repeating: 6_000, count: 10) && testCounts == Array(repeating: 1_000, count: 10))
        #expect(splits.test.inputs.allSatisfy { (0...1).contains($0) } && splits.test.inputs.contains { $0 == 1 })
    }
}
