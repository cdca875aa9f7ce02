import Foundation
import NNModel

/// Every task nnprobe trains on, by name, with its data split by seed.
public enum TaskRegistry {
    /// Task names with one-line summaries, for `--help` and error messages.
    public static let catalogue: [(name: String, summary: String)] = [
        ("multi-mult", "two products in parallel: (x0·x1, x2·x3); sub-tasks task0, task1"),
        ("mult", "one product f = m·a"),
        ("regression", "4 outputs of a fixed random tanh teacher on 8 inputs"),
        ("spirals", "2-D interleaved spirals, K classes"),
        ("moons", "2-D interleaving half circles"),
        ("circles", "2-D concentric circles"),
        ("blobs", "2-D Gaussian blobs, K classes"),
        ("idx", "MNIST-format IDX files (optionally gzipped) from a data directory"),
        ("fashion-mnist", "Fashion-MNIST, 28×28 grey images in 10 classes (Debian's dataset-fashion-mnist, or --data DIR)"),
        ("cifar10", "CIFAR-10, 32×32 colour images in 10 classes, from the binary files in --data DIR"),
        ("cifar100", "CIFAR-100, 32×32 colour images in 100 classes (fine labels), from the binary files in --data DIR"),
        ("csv", "numeric CSV from a data file, integer label column"),
    ]

    public static var names: [String] { catalogue.map(\.name) }

    /// Loads task `name` and its train/validation/test splits; `seed` fixes the data. Image
    /// files already in `files` are not decoded again (and those decoded now are kept there).
    public static func load(_ name: String, options: TaskOptions, seed: UInt64,
                            files: ImageFileCache? = nil) throws -> (TaskDefinition, DataSplits) {
        if let subset = options.classSubset, !["idx", "fashion-mnist"].contains(name), CIFARVariant(rawValue: name) == nil {
            throw SettingProblem(ClassSubset.key, subset.description, "only the image classification tasks (idx, fashion-mnist, cifar10, cifar100) take a class subset")
        }
        var rng = RandomSource.stream(.data, seed: seed)
        var (definition, splits): (TaskDefinition, DataSplits)
        if let synthetic = try synthetic(name, options: options) {
            definition = synthetic.definition
            let sizes = [options.trainSize ?? 10_000, options.valSize ?? 2_000, options.testSize ?? 2_000]
            for (key, size) in zip(["data.train_size", "data.val_size", "data.test_size"], sizes) where size < 1 {
                throw SettingProblem(key, "\(size)", "a split needs at least 1 row")
            }
            let rowBytes = 8 * Double(definition.inputWidth + (definition.isClassification ? 1 : definition.outputWidth))
            if let problem = MemoryBudget.problem(needing: rowBytes * sizes.reduce(0.0) { $0 + Double($1) }) {
                let key = sizes[0] >= max(sizes[1], sizes[2]) ? "data.train_size" : sizes[1] >= sizes[2] ? "data.val_size" : "data.test_size"
                throw SettingProblem(key, nil, "the data \(problem)")
            }
            splits = DataSplits(train: synthetic.generate(count: sizes[0], using: &rng),
                                validation: synthetic.generate(count: sizes[1], using: &rng),
                                test: synthetic.generate(count: sizes[2], using: &rng))
        } else if name == "idx" || name == "fashion-mnist" {
            (definition, splits) = try loadIDX(name, options: options, rng: &rng, files: files)
        } else if let variant = CIFARVariant(rawValue: name) {
            (definition, splits) = try loadCIFAR(variant, options: options, rng: &rng)
        } else if name == "csv" {
            (definition, splits) = try loadCSV(options: options, rng: &rng)
        } else {
            throw TaskError("unknown task '\(name)'; known tasks: \(names.joined(separator: ", "))")
        }
        if options.randomLabels { shuffleTargets(&splits.train, using: &rng) }
        return (definition, splits)
    }

    private static func synthetic(_ name: String, options: TaskOptions) throws -> SyntheticTask? {
        if ["spirals", "blobs"].contains(name), options.classes < 2 {
            throw SettingProblem("data.classes", "\(options.classes)", "a classification set needs at least 2 classes")
        }
        switch name {
        case "multi-mult": return .multiMult(noise: options.noise ?? 0)
        case "mult": return .mult(noise: options.noise ?? 0)
        case "regression": return .regression(noise: options.noise ?? 0.05)
        case "spirals": return .spirals(classes: options.classes, noise: options.noise ?? 0.03)
        case "moons": return .moons(noise: options.noise ?? 0.1)
        case "circles": return .circles(noise: options.noise ?? 0.05)
        case "blobs": return .blobs(classes: options.classes, noise: options.noise ?? 0.2)
        default: return nil
        }
    }

    /// Permutes the training targets (or labels) across rows: the random-label control.
    private static func shuffleTargets(_ data: inout Dataset, using rng: inout RandomSource) {
        var order = Array(0..<data.count)
        order.shuffle(using: &rng)
        let shuffled = data.subset(order)
        data.targets = shuffled.targets
        data.labels = shuffled.labels
    }

    private static func cap(_ data: Dataset, _ limit: Int?) -> Dataset {
        guard let limit, limit > 0, limit < data.count else { return data }
        return data.subset(0..<limit)
    }

    /// Where Debian's `dataset-fashion-mnist` puts its (gzipped) IDX files.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// `idx` (IDX files from --data) or `fashion-mnist` (the same, from Debian's package by default).
    private static func loadIDX(_ name: String, options: TaskOptions, rng: inout RandomSource,
                                files: ImageFileCache?) throws -> (TaskDefinition, DataSplits) {
        guard let directory = options.data ?? (name == "fashion-mnist" ? fashionMNISTDirectory : nil) else {
            throw SettingProblem("data.data", nil, "task idx needs the directory holding the IDX files")
        }
        if name == "fashion-mnist", options.data == nil, !FileManager.default.fileExists(atPath: directory) {
            throw TaskError("\(directory): no such directory; install Debian's dataset-fashion-mnist package, or give --data DIR")
        }
        let file = { (name: String) in IDXReader.file(name, in: directory) }
        let pair = { (images: String, labels: String) in
            try files?.idxPair(images: file(images), labels: file(labels)) ?? IDXReader.readPair(images: file(images), labels: file(labels))
        }
        let train = try pair("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
        let test = try pair("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
        guard train.shape == test.shape else { throw TaskError("\(directory): train images are \(train.shape), test images \(test.shape)") }
        guard train.labels.count >= 2, !test.labels.isEmpty else {
            throw TaskError("\(directory): \(train.labels.count) training and \(test.labels.count) test images; need at least 2 and 1")
        }
        let fileClasses = Int((train.labels + test.labels).max() ?? 0) + 1
        let classes = options.classSubset?.count ?? fileClasses
        let width = train.shape.count
        var all = Dataset(inputs: train.pixels, labels: train.labels, inputWidth: width, outputWidth: classes)
        var testSet = Dataset(inputs: test.pixels, labels: test.labels, inputWidth: width, outputWidth: classes)
        if let subset = options.classSubset {
            (all, testSet) = (try subset.kept(all, labelCount: fileClasses), try subset.kept(testSet, labelCount: fileClasses))
            guard all.count >= 2, testSet.count >= 1 else {
                throw SettingProblem(ClassSubset.key, subset.description, "leaves \(all.count) training and \(testSet.count) test images; need at least 2 and 1")
            }
        }
        var order = Array(0..<all.count)
        order.shuffle(using: &rng)
        let valCount = max(1, min(options.valSize ?? all.count / 10, all.count - 1))
        var definition = TaskDefinition(name: name, summary: "IDX images from \(directory)", inputWidth: width,
                                        outputWidth: classes, loss: .crossEntropy, subtasks: [], inputRange: 0...1)
        definition.inputShape = train.shape
        return (definition, DataSplits(train: cap(all.subset(order[valCount...]), options.trainSize),
                                       validation: all.subset(order[..<valCount]),
                                       test: cap(testSet, options.testSize)))
    }

    private static func loadCSV(options: TaskOptions, rng: inout RandomSource) throws -> (TaskDefinition, DataSplits) {
        guard let path = options.data else { throw SettingProblem("data.data", nil, "task csv needs a CSV file") }
        let csv = try CSVReader.read(path, labelColumn: options.labelColumn)
        guard csv.labels.count >= 3 else { throw TaskError("\(path): \(csv.labels.count) rows are too few to split into train, validation and test") }
        let all = Dataset(inputs: csv.features, labels: csv.labels, inputWidth: csv.width, outputWidth: max(2, csv.classes))
        var order = Array(0..<all.count)
        order.shuffle(using: &rng)
        let holdout = max(1, all.count * 15 / 100)
        var train = all.subset(order[(2 * holdout)...]), validation = all.subset(order[..<holdout])
        var test = all.subset(order[holdout..<(2 * holdout)])
        standardise(&train, &validation, &test)
        let definition = TaskDefinition(name: "csv", summary: "CSV features from \(path)", inputWidth: csv.width,
                                        outputWidth: max(2, csv.classes), loss: .crossEntropy, subtasks: [], inputRange: -3...3)
        return (definition, DataSplits(train: cap(train, options.trainSize), validation: cap(validation, options.valSize),
                                       test: cap(test, options.testSize)))
    }

    /// Scales every feature to zero mean and unit variance using the training split's statistics.
    private static func standardise(_ train: inout Dataset, _ validation: inout Dataset, _ test: inout Dataset) {
        let d = train.inputWidth, n = Double(train.count)
        var mean = [Double](repeating: 0, count: d), variance = [Double](repeating: 0, count: d)
        for (k, v) in train.inputs.enumerated() { mean[k % d] += Double(v) / n }
        for (k, v) in train.inputs.enumerated() { variance[k % d] += (Double(v) - mean[k % d]) * (Double(v) - mean[k % d]) / n }
        let scale = variance.map { $0 > 0 ? 1 / $0.squareRoot() : 1 }
        func apply(_ data: inout Dataset) {
            for k in data.inputs.indices { data.inputs[k] = Float((Double(data.inputs[k]) - mean[k % d]) * scale[k % d]) }
        }
        apply(&train)
        apply(&validation)
        apply(&test)
    }
}
