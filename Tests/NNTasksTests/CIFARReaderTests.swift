import Foundation
import NNModel
import Testing
@testable import NNTasks

/// CIFAR-10 and CIFAR-100 binary files: pixels land in C × H × W order with their own labels,
/// the per-channel statistics equal numpy's (Fixtures/make_image_fixtures.py), and every kind of
/// damaged file is one line naming it.
@Suite struct CIFARReaderTests {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnprobe-cifar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    /// The byte at (c, y, x) of record r in the synthetic files: varies along every axis.
    static func byte(_ r: Int, _ c: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((r * 29 + c * 85 + y * 7 + x * 3) % 256) }

    /// Records `first..<first + count` with the given labels before each image.
    static func records(_ rows: Range<Int>, labels: (Int) -> [UInt8]) -> Data {
        var data = Data()
        for r in rows {
            data += labels(r)
            for c in 0..<3 { for y in 0..<32 { for x in 0..<32 { data.append(byte(r, c, y, x)) } } }
        }
        return data
    }

    /// CIFAR-10 files: two records per training batch (records 0…9, label = record), three test
    /// records (10…12, label = record − 10).
    func writeCIFAR10(in folder: URL? = nil) throws {
        let folder = folder ?? dir
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for k in 0..<5 {
            try Self.records((2 * k)..<(2 * k + 2)) { [UInt8($0)] }.write(to: folder.appendingPathComponent("data_batch_\(k + 1).bin"))
        }
        try Self.records(10..<13) { [UInt8($0 - 10)] }.write(to: folder.appendingPathComponent("test_batch.bin"))
    }

    /// CIFAR-100 files: eight training records (fine label 11·r + 3, coarse label fine / 5), two test.
    func writeCIFAR100(in folder: URL? = nil) throws {
        let folder = folder ?? dir
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let labels = { (r: Int) in [UInt8((11 * r + 3) % 100 / 5), UInt8((11 * r + 3) % 100)] }
        try Self.records(0..<8, labels: labels).write(to: folder.appendingPathComponent("train.bin"))
        try Self.records(8..<10, labels: labels).write(to: folder.appendingPathComponent("test.bin"))
    }

    func load(_ name: String, data: URL? = nil, seed: UInt64 = 0, _ configure: (inout TaskOptions) -> Void = { _ in }) throws -> (TaskDefinition, DataSplits) {
        var options = TaskOptions()
        options.data = (data ?? dir).path
        configure(&options)
        return try TaskRegistry.load(name, options: options, seed: seed)
    }

    /// Every value of channel `c` in `data`'s images.
    static func channel(_ c: Int, of data: Dataset) -> [Double] {
        var values: [Double] = []
        for row in 0..<data.count {
            let start = row * 3072 + c * 1024
            values += data.inputs[start..<(start + 1024)].map { Double($0) }
        }
        return values
    }

    /// Checks every row of `data`: the image of the record `record(label)` normalised with `n`.
    func expectRows(_ data: Dataset, record: (Int32) -> Int, _ n: ChannelNormalisation) {
        for (row, label) in data.labels!.enumerated() {
            let r = record(label)
            var mismatches = 0
            for c in 0..<3 { for y in 0..<32 { for x in 0..<32 {
                let expected = n.normalised(Double(Self.byte(r, c, y, x)) / 255, channel: c)
                if data.inputs[row * 3072 + c * 1024 + y * 32 + x] != expected { mismatches += 1 }
            } } }
            #expect(mismatches == 0, "row \(row) (record \(r)): \(mismatches) of 3072 values differ")
        }
    }

    @Test func cifar10PixelsAreChannelRowColumnWithTheirLabels() throws {
        try writeCIFAR10()
        var records = CIFARReader.Records()
        let file = dir.appendingPathComponent("data_batch_2.bin").path
        try CIFARReader.read(file, variant: .cifar10, expected: CIFARReader.recordCount(file, variant: .cifar10), into: &records)
        #expect(records.labels == [2, 3] && records.pixels.count == 2 * 3072)
        #expect(records.pixels[0] == Self.byte(2, 0, 0, 0) && records.pixels[1] == Self.byte(2, 0, 0, 1))
        #expect(records.pixels[32] == Self.byte(2, 0, 1, 0) && records.pixels[1024 + 5 * 32 + 9] == Self.byte(2, 1, 5, 9))
        #expect(records.pixels[3072 + 2048 + 31 * 32 + 31] == Self.byte(3, 2, 31, 31))

        let (task, splits) = try load("cifar10")
        #expect(task.inputShape == FeatureShape(channels: 3, height: 32, width: 32) && task.inputWidth == 3072)
        #expect(task.outputWidth == 10 && task.isClassification)
        #expect(splits.train.count == 9 && splits.validation.count == 1 && splits.test.count == 3)
        #expect(Set(splits.train.labels! + splits.validation.labels!) == Set(0..<10))
        #expect(splits.test.labels! == [0, 1, 2])
        let n = try #require(task.channelNormalisation)
        expectRows(splits.train, record: { Int($0) }, n)
        expectRows(splits.validation, record: { Int($0) }, n)
        expectRows(splits.test, record: { Int($0) + 10 }, n)
    }

    @Test func cifar100UsesTheFineLabel() throws {
        try writeCIFAR100()
        let (task, splits) = try load("cifar100")
        #expect(task.outputWidth == 100 && task.inputShape == FeatureShape(channels: 3, height: 32, width: 32))
        #expect(splits.train.count == 7 && splits.validation.count == 1 && splits.test.count == 2)
        let fine = (0..<10).map { (11 * $0 + 3) % 100 }
        #expect(Set(splits.train.labels! + splits.validation.labels!) == Set(fine[..<8].map(Int32.init)))
        #expect(splits.test.labels! == fine[8...].map(Int32.init))
        let n = try #require(task.channelNormalisation)
        let record = { (label: Int32) in fine.firstIndex(of: Int(label))! }
        expectRows(splits.train, record: record, n)
        expectRows(splits.validation, record: record, n)
        expectRows(splits.test, record: record, n)
    }

    /// numpy's per-channel mean and population std, over all training records and over the
    /// training split the task keeps (all but the validation record), and normalised test values.
    @Test(arguments: [CIFARVariant.cifar10, .cifar100])
    func normalisationMatchesNumpy(variant: CIFARVariant) throws {
        struct Statistics: Decodable { let mean: [Double], std: [Double] }
        struct Value: Decodable { let c: Int, y: Int, x: Int, value: Float }
        struct HeldOut: Decodable { let mean: [Double], std: [Double], test0: [Value] }
        struct Reference: Decodable { let all: Statistics, held_out: [String: HeldOut], test_labels: [Int32] }
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        struct File: Decodable { let cifar10: Reference, cifar100: Reference }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: fixtures.appendingPathComponent("cifar_reference.json")))
        let reference = variant == .cifar10 ? file.cifar10 : file.cifar100
        func expectClose(_ a: [Double], _ b: [Double], _ what: String) {
            #expect(a.count == 3 && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }, "\(what): \(a) vs numpy \(b)")
        }

        // Over every training record, read from the folder the tarball unpacks to.
        let folder = fixtures.appendingPathComponent(variant.subdirectory).path
        var records = CIFARReader.Records()
        for name in variant.trainFiles {
            let file = folder + "/" + name
            try CIFARReader.read(file, variant: variant, expected: CIFARReader.recordCount(file, variant: variant), into: &records)
        }
        let all = ChannelNormalisation(fitting: records.pixels, rows: 0..<records.count, shape: CIFARReader.imageShape)
        expectClose(all.mean, reference.all.mean, "mean")
        expectClose(all.std, reference.all.std, "std")

        // The task: --data names the parent folder; the validation record is known by its label.
        let (task, splits) = try load(variant.rawValue, data: fixtures)
        #expect(splits.validation.count == 1 && splits.test.labels! == reference.test_labels)
        let heldOut = try #require(reference.held_out[String(splits.validation.labels![0])])
        let n = try #require(task.channelNormalisation)
        expectClose(n.mean, heldOut.mean, "training split mean")
        expectClose(n.std, heldOut.std, "training split std")
        for v in heldOut.test0 {
            let value = splits.test.inputs[v.c * 1024 + v.y * 32 + v.x]
            #expect(abs(value - v.value) <= 1e-6 * max(1, abs(v.value)), "test image 0 at \(v.c), \(v.y), \(v.x)")
        }
        // Normalised, the training split has per-channel mean 0 and std 1.
        let train = splits.train
        for c in 0..<3 {
            let values = Self.channel(c, of: train)
            let mean: Double = values.reduce(0, +) / Double(values.count)
            let squares: Double = values.reduce(0) { (sum: Double, v: Double) in sum + (v - mean) * (v - mean) }
            let std = (squares / Double(values.count)).squareRoot()
            #expect(abs(mean) < 1e-6 && abs(std - 1) < 1e-6, "channel \(c): mean \(mean), std \(std)")
        }
        // The files directly in --data read the same.
        let direct = try load(variant.rawValue, data: fixtures.appendingPathComponent(variant.subdirectory))
        #expect(direct.1.train.inputs == splits.train.inputs && direct.1.test.inputs == splits.test.inputs)
        #expect(task.inputRange.lowerBound < 0 && task.inputRange.upperBound > 1)
    }

    @Test func splitsFollowTheSeedAndTheCaps() throws {
        try writeCIFAR10(in: dir.appendingPathComponent("cifar-10-batches-bin"))
        let a = try load("cifar10", seed: 3), b = try load("cifar10", seed: 3)
        #expect(a.1.train.inputs == b.1.train.inputs && a.1.validation.labels == b.1.validation.labels)
        let seeds = try (0..<6).map { try load("cifar10", seed: $0).1.validation.labels![0] }
        #expect(Set(seeds).count > 1, "the validation record should depend on the seed")
        let capped = try load("cifar10") { $0.trainSize = 4; $0.valSize = 3; $0.testSize = 2 }
        #expect(capped.1.train.count == 4 && capped.1.validation.count == 3 && capped.1.test.count == 2)
        #expect(capped.1.test.labels! == [0, 1])
        #expect(Set(capped.1.train.labels! + capped.1.validation.labels!).count == 7)
        // The statistics are the capped training split's: its 4 images have mean 0 in every channel.
        for c in 0..<3 {
            let values = Self.channel(c, of: capped.1.train)
            #expect(values.count == 4096 && abs(values.reduce(0, +) / 4096) < 1e-6)
        }
    }

    /// One TaskError line: `path: problem`.
    func expectError(_ name: String, _ file: URL, _ problem: String, data: URL? = nil) {
        let error = #expect(throws: TaskError.self) { try load(name, data: data) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("\(file.path): \(problem)"), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test func damagedCIFAR10FilesAreOneLineNamingTheFile() throws {
        try writeCIFAR10()
        let batch = dir.appendingPathComponent("data_batch_3.bin")
        let good = try Data(contentsOf: batch)
        try good.dropLast().write(to: batch)
        expectError("cifar10", batch, "6145 bytes is not a whole number of 3073-byte CIFAR-10 records (1 and 3072 bytes over): truncated, padded or not a CIFAR-10 file")
        try (good + [7]).write(to: batch)
        expectError("cifar10", batch, "6147 bytes is not a whole number of 3073-byte CIFAR-10 records (2 and 1 bytes over)")
        try Data().write(to: batch)
        expectError("cifar10", batch, "empty file (a CIFAR-10 file holds records of 3073 bytes)")
        var relabelled = good
        relabelled[3073] = 10   // the second record's label
        try relabelled.write(to: batch)
        expectError("cifar10", batch, "record 2 of 2 has label 10; CIFAR-10 labels are 0 to 9 (not a CIFAR-10 file?)")
        try good.write(to: batch)
        try FileManager.default.removeItem(at: batch)
        try FileManager.default.createDirectory(at: batch, withIntermediateDirectories: false)
        expectError("cifar10", batch, "not a regular file")
        try FileManager.default.removeItem(at: batch)
        try good.write(to: batch)

        let test = dir.appendingPathComponent("test_batch.bin")
        try FileManager.default.moveItem(at: test, to: dir.appendingPathComponent("test_batch"))
        expectError("cifar10", test, "no such file; test_batch beside it is from the Python version, nnprobe reads the binary version "
                    + "(cifar10 reads data_batch_1.bin … data_batch_5.bin and test_batch.bin from --data DIR or DIR/cifar-10-batches-bin: "
                    + "cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, unpacked; nothing downloads)")
        let nowhere = dir.appendingPathComponent("none")
        expectError("cifar10", nowhere.appendingPathComponent("data_batch_1.bin"), "no such file (cifar10 reads", data: nowhere)

        let missing = #expect(throws: SettingProblem.self) { _ = try TaskRegistry.load("cifar10", options: TaskOptions(), seed: 0) }
        #expect(missing?.key == "data.data" && missing?.description.contains("nothing downloads") == true)
    }

    @Test func damagedCIFAR100FilesAreOneLineNamingTheFile() throws {
        try writeCIFAR100()
        let train = dir.appendingPathComponent("train.bin")
        let good = try Data(contentsOf: train)
        try good.prefix(3 * 3074 + 100).write(to: train)
        expectError("cifar100", train, "9322 bytes is not a whole number of 3074-byte CIFAR-100 records (3 and 100 bytes over)")
        // A CIFAR-10 batch is not a CIFAR-100 file.
        try Self.records(0..<4) { [UInt8($0)] }.write(to: train)
        expectError("cifar100", train, "12292 bytes is not a whole number of 3074-byte CIFAR-100 records")
        var relabelled = good
        relabelled[2 * 3074 + 1] = 100   // the third record's fine label
        try relabelled.write(to: train)
        expectError("cifar100", train, "record 3 of 8 has label 100; CIFAR-100 labels are 0 to 99 (not a CIFAR-100 file?)")
        relabelled = good
        relabelled[7 * 3074] = 20   // the last record's coarse label
        try relabelled.write(to: train)
        expectError("cifar100", train, "record 8 of 8 has coarse label 20; CIFAR-100 coarse labels are 0 to 19")
        try good.prefix(3074).write(to: train)
        let error = #expect(throws: TaskError.self) { try load("cifar100") }
        #expect(error?.description == "\(dir.path): 1 training image; need at least 2")
    }
}
