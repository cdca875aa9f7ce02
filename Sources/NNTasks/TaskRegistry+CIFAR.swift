import Foundation
import NNModel

extension TaskRegistry {
    /// `cifar10` or `cifar100` from the binary files in `--data` (nothing downloads): 3 × 32 × 32
    /// images scaled to [0, 1] and normalised per channel with the training split's statistics.
    /// As for idx, a seeded 10 % of the training files is the validation split (`valSize` caps
    /// it) and `trainSize` / `testSize` cap the others; the statistics are those of the training
    /// split as capped, the rows the model trains on.
    static func loadCIFAR(_ variant: CIFARVariant, options: TaskOptions, rng: inout RandomSource) throws -> (TaskDefinition, DataSplits) {
        guard let data = options.data else {
            throw SettingProblem("data.data", nil, "task \(variant.rawValue) needs the directory of \(variant.title)'s binary files "
                                 + "(\(variant.tarball) from https://www.cs.toronto.edu/~kriz/cifar.html, unpacked; nothing downloads)")
        }
        let folder = CIFARReader.folder(of: variant, in: data)
        let path = { (name: String) in URL(fileURLWithPath: folder).appendingPathComponent(name).path }
        // Every file's size is checked before anything is read.
        let trainFiles = try variant.trainFiles.map { (path($0), try CIFARReader.recordCount(path($0), variant: variant)) }
        let testCount = try CIFARReader.recordCount(path(variant.testFile), variant: variant)
        let fileTotal = trainFiles.reduce(0) { $0 + $1.1 }
        guard fileTotal >= 2 else { throw TaskError("\(folder): \(fileTotal) training image; need at least 2") }
        let image = CIFARReader.imageShape.count
        do {   // the splits as capped from every row of the files (a class subset keeps fewer)
            let valCount = max(1, min(options.valSize ?? fileTotal / 10, fileTotal - 1))
            let rows = valCount + capped(fileTotal - valCount, options.trainSize) + capped(testCount, options.testSize)
            let fileBytes = Double(fileTotal + testCount) * Double(image)
            if let problem = MemoryBudget.problem(needing: fileBytes + 4 * Double(image) * Double(rows)) {
                throw TaskError("\(folder): loading \(variant.title) \(problem)")
            }
        }
        var train = CIFARReader.Records(), test = CIFARReader.Records()
        for (file, count) in trainFiles { try CIFARReader.read(file, variant: variant, expected: count, into: &train) }
        try CIFARReader.read(path(variant.testFile), variant: variant, expected: testCount, into: &test)
        let classes = options.classSubset?.count ?? variant.classes
        if let subset = options.classSubset {
            (train, test) = (try train.keeping(subset, labelCount: variant.classes), try test.keeping(subset, labelCount: variant.classes))
            guard train.count >= 2, test.count >= 1 else {
                throw SettingProblem(ClassSubset.key, subset.description, "leaves \(train.count) training and \(test.count) test images; need at least 2 and 1")
            }
        }
        let total = train.count
        let valCount = max(1, min(options.valSize ?? total / 10, total - 1))
        let trainCount = capped(total - valCount, options.trainSize), testRows = capped(test.count, options.testSize)

        var order = Array(0..<total)
        order.shuffle(using: &rng)
        let trainRows = order[valCount..<(valCount + trainCount)], valRows = order[..<valCount]
        let normalisation = ChannelNormalisation(fitting: train.pixels, rows: trainRows, shape: CIFARReader.imageShape)
        let table = normalisation.byteTable()
        func dataset(_ records: CIFARReader.Records, _ rows: some Collection<Int>) -> Dataset {
            var inputs = [Float](repeating: 0, count: rows.count * image)   // (N, 3, 32, 32)
            let positions = CIFARReader.imageShape.positions
            inputs.withUnsafeMutableBufferPointer { x in
                records.pixels.withUnsafeBufferPointer { p in
                    for (n, row) in rows.enumerated() {
                        for c in 0..<3 {
                            let to = n * image + c * positions, from = row * image + c * positions
                            for k in 0..<positions { x[to + k] = table[c * 256 + Int(p[from + k])] }
                        }
                    }
                }
            }
            return Dataset(inputs: inputs, labels: rows.map { records.labels[$0] }, inputWidth: image, outputWidth: classes)
        }
        let low = (0..<3).map { normalisation.normalised(0, channel: $0) }.min()!
        let high = (0..<3).map { normalisation.normalised(1, channel: $0) }.max()!
        var definition = TaskDefinition(name: variant.rawValue, summary: "\(variant.title) images from \(folder)", inputWidth: image,
                                        outputWidth: classes, loss: .crossEntropy, subtasks: [], inputRange: Double(low)...Double(high))
        definition.inputShape = CIFARReader.imageShape
        definition.channelNormalisation = normalisation
        return (definition, DataSplits(train: dataset(train, trainRows), validation: dataset(train, valRows),
                                       test: dataset(test, 0..<testRows)))
    }

    /// `count`, or `limit` when it is a positive number below it (as `cap` treats a split).
    private static func capped(_ count: Int, _ limit: Int?) -> Int {
        guard let limit, limit > 0, limit < count else { return count }
        return limit
    }
}

extension CIFARReader.Records {
    /// The records of `subset`'s classes, in order, relabelled.
    func keeping(_ subset: ClassSubset, labelCount: Int) throws(SettingProblem) -> Self {
        let (rows, labels) = try subset.keep(self.labels, labelCount: labelCount)
        let image = CIFARReader.imageShape.count
        var kept = Self()
        kept.pixels.reserveCapacity(rows.count * image)
        for row in rows { kept.pixels += pixels[(row * image)..<((row + 1) * image)] }
        kept.labels = labels
        return kept
    }
}
