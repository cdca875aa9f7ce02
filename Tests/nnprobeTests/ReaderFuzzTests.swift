import Foundation
import NNCheckpoint
import NNModel
import NNTasks
import NNTrain
import Testing
@testable import nnprobe

/// Every reader of files from outside — safetensors (MLPs, ResNets, nn.Sequential conv nets), IDX (plain and gzipped), CIFAR-10 and
/// CIFAR-100 binary files, CSV, YAML settings and recipes, the sweep indexes and probe reports `rank` reads — on mutants of a valid file: flipped
/// and overwritten bytes, truncations, insertions, absurd numbers, deep nesting. Each read either
/// succeeds or throws; a trap, abort or hang fails the run. The corpus is made here from a fixed seed, so a failing mutant recurs:
/// the fast tier reads a sample, the full tier (`readersSurviveThousandsOfMutants`) thousands.
/// `NNPROBE_FUZZ_DUMP=DIR` also writes every mutant to DIR (to replay them through a binary).
@Suite struct ReaderFuzzTests {
    /// xorshift64*: the corpus's only source of randomness.
    struct Draw {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    }

    static let absurdNumbers = ["-1", "0", "9223372036854775807", "-9223372036854775808", "1e308", "NaN", "99999999999999999999999", "4294967295"]

    /// One mutant of `bytes` (text-aware mutations when `text`).
    static func mutate(_ bytes: [UInt8], text: Bool, draw: inout Draw) -> [UInt8] {
        var b = bytes
        switch draw.below(text ? 7 : 5) {
        case 0:   // flip a few bytes
            for _ in 0...draw.below(8) where !b.isEmpty { b[draw.below(b.count)] = UInt8(truncatingIfNeeded: draw.next()) }
        case 1:   // truncate
            b = Array(b.prefix(draw.below(b.count)))
        case 2:   // insert random bytes
            let insert = (0..<(1 + draw.below(64))).map { _ in UInt8(truncatingIfNeeded: draw.next()) }
            b.insert(contentsOf: insert, at: draw.below(b.count + 1))
        case 3:   // overwrite a 4- or 8-byte little-endian field with an extreme value
            let width = draw.below(2) == 0 ? 4 : 8
            if b.count > width {
                let at = draw.below(b.count - width)
                let extremes: [[UInt8]] = [Array(repeating: 0xFF, count: width),                  // all ones (−1)
                                           Array(repeating: 0xFF, count: width - 1) + [0x7F],     // the largest signed value
                                           Array(repeating: 0x00, count: width),                  // zero
                                           Array(repeating: 0x00, count: width - 1) + [0x80]]     // the smallest signed value
                b.replaceSubrange(at..<(at + width), with: extremes[draw.below(4)])
            }
        case 4:   // duplicate a chunk
            if !b.isEmpty {
                let start = draw.below(b.count), end = min(b.count, start + 1 + draw.below(256))
                b.insert(contentsOf: b[start..<end], at: draw.below(b.count + 1))
            }
        case 5:   // an absurd number in place of a number
            var s = String(decoding: b, as: UTF8.self)
            let digits = s.indices.filter { s[$0].isNumber }
            if !digits.isEmpty {
                let at = digits[draw.below(digits.count)]
                s.replaceSubrange(at...at, with: absurdNumbers[draw.below(absurdNumbers.count)])
            }
            b = Array(s.utf8)
        default:  // deep nesting
            let depth = 1 + draw.below(300)
            b.insert(contentsOf: Array(repeating: UInt8(ascii: draw.below(2) == 0 ? "[" : "{"), count: depth), at: draw.below(b.count + 1))
        }
        return b
    }

    /// A valid safetensors file: two F32 matrices chaining 3 → 4 → 2, a bias, an I64 counter.
    static func validSafeTensorsReads() throws -> Bool {
        let url = try temporaryDirectory().appendingPathComponent("valid.safetensors")
        try Data(safeTensors()).write(to: url)
        return try SafeTensors.mlp(from: SafeTensors.read(url.path), activation: .relu, file: url.path).layers.count == 2
    }

    static func safeTensors() -> [UInt8] {
        let tensors: [(String, [Int], [Float])] = [("0.weight", [4, 3], (0..<12).map { Float($0) / 7 }), ("0.bias", [4], [0.1, 0.2, 0.3, 0.4]),
                                                   ("1.weight", [2, 4], (0..<8).map { Float($0) / -5 })]
        var header: [String] = [], data: [UInt8] = []
        for (name, shape, values) in tensors {
            let start = data.count
            for v in values { data += (0..<4).map { UInt8(v.bitPattern >> (8 * UInt32($0)) & 0xFF) } }
            header.append(#""\#(name)":{"dtype":"F32","shape":\#(shape),"data_offsets":[\#(start),\#(data.count)]}"#)
        }
        header.append(#""1.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[\#(data.count),\#(data.count + 8)]}"#)
        data += [7, 0, 0, 0, 0, 0, 0, 0]
        let json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        return (0..<8).map { UInt8(UInt64(json.count) >> (8 * UInt64($0)) & 0xFF) } + json + data
    }

    /// A safetensors file of float32 tensors, in the given order.
    static func safeTensors(_ tensors: [(String, [Int], [Float])]) -> [UInt8] {
        var header: [String] = [], data: [UInt8] = []
        for (name, shape, values) in tensors {
            let start = data.count
            for v in values { data += (0..<4).map { UInt8(v.bitPattern >> (8 * UInt32($0)) & 0xFF) } }
            header.append(#""\#(name)":{"dtype":"F32","shape":\#(shape),"data_offsets":[\#(start),\#(data.count)]}"#)
        }
        let json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        return (0..<8).map { UInt8(UInt64(json.count) >> (8 * UInt64($0)) & 0xFF) } + json + data
    }

    /// Tensors of `shape` with distinct small values.
    static func tensor(_ name: String, _ shape: [Int]) -> (String, [Int], [Float]) {
        (name, shape, (0..<shape.reduce(1, *)).map { Float($0 % 11 + 1) / 11 })
    }

    static func batchNorm(_ prefix: String, _ c: Int) -> [(String, [Int], [Float])] {
        ["weight", "bias", "running_mean", "running_var"].map { tensor("\(prefix).\($0)", [c]) }
    }

    /// A torchvision-shaped ResNet state dict on 3 × 8 × 8 images: stem width 2, stages of one
    /// block (widths 2 and 4, the second with its downsample shortcut), 3 classes.
    static func resNetSafeTensors() -> [UInt8] {
        safeTensors([tensor("conv1.weight", [2, 3, 7, 7])] + batchNorm("bn1", 2)
                    + [tensor("layer1.0.conv1.weight", [2, 2, 3, 3])] + batchNorm("layer1.0.bn1", 2)
                    + [tensor("layer1.0.conv2.weight", [2, 2, 3, 3])] + batchNorm("layer1.0.bn2", 2)
                    + [tensor("layer2.0.conv1.weight", [4, 2, 3, 3])] + batchNorm("layer2.0.bn1", 4)
                    + [tensor("layer2.0.conv2.weight", [4, 4, 3, 3])] + batchNorm("layer2.0.bn2", 4)
                    + [tensor("layer2.0.downsample.0.weight", [4, 2, 1, 1])] + batchNorm("layer2.0.downsample.1", 4)
                    + [tensor("fc.weight", [3, 4]), tensor("fc.bias", [3])])
    }

    /// `nn.Sequential(Conv2d(1, 2, 3, padding=1), BatchNorm2d(2), ReLU(), MaxPool2d(2), Flatten(),
    /// Linear(8, 3))` on 1 × 4 × 4 inputs, as `sequentialLayers`.
    static func sequentialSafeTensors() -> [UInt8] {
        safeTensors([tensor("0.weight", [2, 1, 3, 3]), tensor("0.bias", [2])] + batchNorm("1", 2) + [tensor("4.weight", [3, 8]), tensor("4.bias", [3])])
    }

    static let sequentialLayers = "conv2d:2:3:1:1,batchnorm,relu,maxpool:2,flatten,linear:3"

    /// Imports a ResNet file and a Sequential file as `nnprobe import` does.
    static func importConv(resNet: String?, sequential: String?) throws {
        if let resNet { _ = try SafeTensors.resNet(from: SafeTensors.read(resNet), input: FeatureShape(channels: 3, height: 8, width: 8), file: resNet) }
        if let sequential {
            _ = try SafeTensors.sequential(try Layer.list(specs: sequentialLayers), input: FeatureShape(channels: 1, height: 4, width: 4),
                                           from: SafeTensors.read(sequential), file: sequential)
        }
    }

    static func idx(_ dims: [Int], _ bytes: [UInt8]) -> [UInt8] {
        var data: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
        for d in dims { data += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return data + bytes
    }

    /// CIFAR records `rows`: valid label byte(s) (`labels` of the row), then 3,072 pixel bytes.
    static func cifar(_ rows: Range<Int>, labels: (Int) -> [UInt8]) -> [UInt8] {
        rows.flatMap { r in labels(r) + (0..<3072).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ r) } }
    }

    /// The files of each CIFAR task, all valid: one record per CIFAR-10 batch, a few for CIFAR-100.
    static let cifarFiles: [(task: String, files: [(String, [UInt8])])] = [
        ("cifar10", (1...5).map { ("data_batch_\($0).bin", cifar($0..<($0 + 1)) { [UInt8($0 % 10)] }) }
            + [("test_batch.bin", cifar(6..<8) { [UInt8($0 % 10)] })]),
        ("cifar100", [("train.bin", cifar(0..<3) { [UInt8($0 % 20), UInt8($0 * 31 % 100)] }),
                      ("test.bin", cifar(3..<4) { [UInt8($0 % 20), UInt8($0 * 31 % 100)] })]),
    ]

    /// Runs `count` mutants through each reader; returns how many each accepted and refused.
    func fuzz(count: Int) throws -> [String: (accepted: Int, refused: Int)] {
        let dir = try temporaryDirectory()
        let dump = ProcessInfo.processInfo.environment["NNPROBE_FUZZ_DUMP"].map { URL(fileURLWithPath: $0) }
        var tally: [String: (accepted: Int, refused: Int)] = [:]
        func attempt(_ reader: String, _ body: () throws -> Void) {
            do { try body(); tally[reader, default: (0, 0)].accepted += 1 } catch { tally[reader, default: (0, 0)].refused += 1 }
        }
        func write(_ bytes: [UInt8], _ name: String, reader: String, index: Int) throws -> String {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            if let dump {
                let folder = dump.appendingPathComponent(reader)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(bytes).write(to: folder.appendingPathComponent(String(format: "%05d-", index) + name))
            }
            return url.path
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // The settings file with a range and a list too, so mutants reach the sweep readers.
        let settings = Array(try Data(contentsOf: root.appendingPathComponent("analyses/study.yaml"))) + Array("seed: 0..4\nmomentum: [0, 0.5]\n".utf8)
        let recipe = Array(try Data(contentsOf: root.appendingPathComponent("analyses/06-seeds-dropout-transfer-distillation.yaml")))
        let csv = Array(("a,b,label\n" + (0..<40).map { "\(Double($0) / 7),\($0 % 5),\($0 % 3)" }.joined(separator: "\n") + "\n").utf8)
        let images = Self.idx([30, 2, 3], (0..<180).map { UInt8($0 % 256) }), labels = Self.idx([30], (0..<30).map { UInt8($0 % 4) })
        var draw = Draw(state: 0x9E37_79B9_7F4A_7C15)
        // The CIFAR mutants draw from their own stream, so the other readers' mutants stay as they were.
        var cifarDraw = Draw(state: 0xC1FA_0010_0BAD_F11E)
        var cifarMutated: [Int?] = [nil, nil]   // which file of each CIFAR folder holds a mutant
        var convDraw = Draw(state: 0xD1B5_4A32_D192_ED03)   // its own stream: the other readers' mutants stay as they were
        var rankDraw = Draw(state: 0x5851_F42D_4C95_7F2D)   // likewise
        var sweepDraw = Draw(state: 0x2545_F491_4F6C_DD1D)   // likewise
        // A sweep's config as the sweep writes it (JSON, read as JSON by its child) with a run's
        // figures as the child sends them back (`RunMetrics`, one line).
        var sweepConfig = TrainingConfig()
        sweepConfig.seed = 7
        sweepConfig.optimization.lr = 0.003
        let configJSON = Array(try JSONOutput.encode(sweepConfig).utf8)
        let metricsLine = Array("{\"dead_units\":0.0625,\"epochs\":20,\"final_train_loss\":0.0012,\"final_val_accuracy\":null,\"final_val_loss\":0.0015,\"first_val_loss\":0.04,\"seconds\":0.011,\"status\":\"ok\",\"steps_per_epoch\":79,\"test_accuracy\":0.5,\"test_loss\":0.0014}".utf8)
        #expect(try ConfigFile.run(try write(configJSON, "valid.json", reader: "valid", index: 0)) == sweepConfig)
        #expect(RunMetrics(line: Substring(String(decoding: metricsLine, as: UTF8.self)))?.stepsPerEpoch == 79)
        let (resNet, sequential) = (Self.resNetSafeTensors(), Self.sequentialSafeTensors())
        for i in 0..<count {
            let tensors = try write(Self.mutate(Self.safeTensors(), text: false, draw: &draw), "t.safetensors", reader: "safetensors", index: i)
            attempt("safetensors") { _ = try SafeTensors.mlp(from: SafeTensors.read(tensors), activation: .relu, file: tensors) }
            // IDX: one of the four files mutated (gzipped half the time), the others valid.
            let idxDir = dir.appendingPathComponent("idx-\(i % 2)")
            try FileManager.default.createDirectory(at: idxDir, withIntermediateDirectories: true)
            let files = [("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels),
                         ("t10k-images-idx3-ubyte", images), ("t10k-labels-idx1-ubyte", labels)]
            let victim = draw.below(4)
            for (k, (name, bytes)) in files.enumerated() {
                for stale in [name, name + ".gz"] { try? FileManager.default.removeItem(at: idxDir.appendingPathComponent(stale)) }
                let content = k == victim ? Self.mutate(bytes, text: false, draw: &draw) : bytes
                try Data(content).write(to: idxDir.appendingPathComponent(name))
                if k == victim, let dump {
                    let folder = dump.appendingPathComponent("idx/\(String(format: "%05d", i))")
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    for (n, b) in files { try Data(n == name ? content : b).write(to: folder.appendingPathComponent(n)) }
                }
            }
            attempt("idx") {
                var options = TaskOptions()
                options.data = idxDir.path
                _ = try TaskRegistry.load("idx", options: options, seed: 0)
            }
            // CIFAR: cifar10 and cifar100 by turns, one file of the task's set mutated, the
            // others valid (each folder keeps its valid files; only the mutated one is rewritten).
            do {
                let (task, set) = Self.cifarFiles[i % 2]
                let folder = dir.appendingPathComponent(task)
                if cifarMutated[i % 2] == nil {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    for (name, bytes) in set { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
                }
                let victim = cifarDraw.below(set.count)
                if let previous = cifarMutated[i % 2], previous != victim {
                    try Data(set[previous].1).write(to: folder.appendingPathComponent(set[previous].0))
                }
                let mutant = Self.mutate(set[victim].1, text: false, draw: &cifarDraw)
                try Data(mutant).write(to: folder.appendingPathComponent(set[victim].0))
                cifarMutated[i % 2] = victim
                if let dump {
                    let copy = dump.appendingPathComponent("cifar/\(String(format: "%05d", i))-\(task)")
                    try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
                    for (k, (name, bytes)) in set.enumerated() { try Data(k == victim ? mutant : bytes).write(to: copy.appendingPathComponent(name)) }
                }
                attempt("cifar") {
                    var options = TaskOptions()
                    options.data = folder.path
                    _ = try TaskRegistry.load(task, options: options, seed: 0)
                }
            }
            let table = try write(Self.mutate(csv, text: true, draw: &draw), "d.csv", reader: "csv", index: i)
            attempt("csv") {
                var options = TaskOptions()
                options.data = table
                _ = try TaskRegistry.load("csv", options: options, seed: 0)
            }
            let config = try write(Self.mutate(settings, text: true, draw: &draw), "c.yaml", reader: "config", index: i)
            attempt("config") { _ = try ConfigFile.settings(config) }
            let steps = try write(Self.mutate(recipe, text: true, draw: &draw), "r.yaml", reader: "recipe", index: i)
            attempt("recipe") {   // the steps as `run` reads them, up to the settings each train step gives
                for case .train(let name, let values) in try Recipe.load(steps).steps {
                    _ = try Run.stepSettings(values, file: steps, sweep: name)
                }
            }
            let resNetFile = try write(Self.mutate(resNet, text: false, draw: &convDraw), "resnet.safetensors", reader: "safetensors-resnet", index: i)
            attempt("safetensors-resnet") { try Self.importConv(resNet: resNetFile, sequential: nil) }
            let sequentialFile = try write(Self.mutate(sequential, text: false, draw: &convDraw), "seq.safetensors", reader: "safetensors-sequential", index: i)
            attempt("safetensors-sequential") { try Self.importConv(resNet: nil, sequential: sequentialFile) }
            // rank's two readers: a sweep's index.json and a probe --json report (their own stream).
            let rankDir = dir.appendingPathComponent("rank-sweep")
            try FileManager.default.createDirectory(at: rankDir, withIntermediateDirectories: true)
            let index = Self.mutate(Self.rankIndex, text: true, draw: &rankDraw)
            try Data(index).write(to: rankDir.appendingPathComponent("index.json"))
            if let dump { try Data(index).write(to: dump.appendingPathComponent("rank-index-\(String(format: "%05d", i)).json")) }
            attempt("rank-index") { _ = try RankReport.models(from: rankDir.path, method: nil) }
            let report = try write(Self.mutate(Self.rankProbeReport, text: true, draw: &rankDraw), "probe.json", reader: "rank-probe", index: i)
            attempt("rank-probe") { _ = try RankReport.models(from: report, method: nil) }
            let sweepJSON = try write(Self.mutate(configJSON, text: true, draw: &sweepDraw), "s.json", reader: "config-json", index: i)
            attempt("config-json") { _ = try ConfigFile.run(sweepJSON) }
            let line = Self.mutate(metricsLine, text: true, draw: &sweepDraw)
            if let dump { try Data(line).write(to: dump.appendingPathComponent("metrics-line-\(String(format: "%05d", i)).json")) }
            attempt("metrics-line") {   // what the sweep does with a child's line: the figures, or nil (read the checkpoint)
                guard RunMetrics(line: Substring(String(decoding: line, as: UTF8.self))) != nil else { throw CommandFailure("not a metrics line") }
            }
        }
        return tally
    }

    func check(count: Int) throws {
        #expect(try Self.validSafeTensorsReads())
        let valid = try temporaryDirectory()
        let (resNet, sequential) = (valid.appendingPathComponent("r.safetensors"), valid.appendingPathComponent("s.safetensors"))
        try Data(Self.resNetSafeTensors()).write(to: resNet)
        try Data(Self.sequentialSafeTensors()).write(to: sequential)
        try Self.importConv(resNet: resNet.path, sequential: sequential.path)
        let sweep = valid.appendingPathComponent("sweep")
        try FileManager.default.createDirectory(at: sweep, withIntermediateDirectories: true)
        try Data(Self.rankIndex).write(to: sweep.appendingPathComponent("index.json"))
        try Data(Self.rankProbeReport).write(to: valid.appendingPathComponent("probe.json"))
        #expect(try RankReport.models(from: sweep.path, method: nil).map(\.testAccuracy) == [0.1, 0.14])
        #expect(try RankReport.models(from: valid.appendingPathComponent("probe.json").path, method: nil).map(\.testAccuracy) == [0.917, 0.948, 0.933])
        let started = Date()
        let tally = try fuzz(count: count)
        for reader in ["safetensors", "safetensors-resnet", "safetensors-sequential", "idx", "cifar", "csv", "config", "recipe",
                       "rank-index", "rank-probe", "config-json", "metrics-line"] {
            let t = tally[reader] ?? (0, 0)
            #expect(t.accepted + t.refused == count, "\(reader)")
            // Mutants of valid files: some still read, and most damage is refused.
            #expect(t.refused > 0, "\(reader): no mutant was refused")
        }
        print("reader fuzz: \(count) mutants each in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: "
              + tally.keys.sorted().map { "\($0) \(tally[$0]!.accepted) read, \(tally[$0]!.refused) refused" }.joined(separator: "; "))
    }

    /// A sweep's index.json of two runs over seeds, as `rank` reads it.
    static let rankIndex = Array("""
        {"schema": "nnprobe.sweep/2", "axes": ["seed"], "task": "fashion-mnist", "seconds": 0.7, "runs": [
          {"checkpoint": "a-s0.h5", "name": "a-s0", "parameters": {"seed": 0}, "seed": 0, "status": "ok", "epochs": 1,
           "steps_per_epoch": 3, "dead_units": 0.1875, "final_train_loss": 2.3, "final_val_loss": 2.27, "final_val_accuracy": 0.14,
           "first_val_loss": 2.27, "test_loss": 2.33, "test_accuracy": 0.1, "seconds": 0.01},
          {"checkpoint": "a-s1.h5", "name": "a-s1", "parameters": {"seed": 1}, "seed": 1, "status": "ok", "epochs": 1,
           "steps_per_epoch": 3, "dead_units": 0.0625, "final_train_loss": 2.3, "final_val_loss": 2.32, "final_val_accuracy": 0.1,
           "first_val_loss": 2.32, "test_loss": 2.31, "test_accuracy": 0.14, "seconds": 0.01}]}
        """.utf8)

    /// What `rank` reads of a probe --json report: test accuracy per probed layer and baseline.
    static let rankProbeReport = Array("""
        {"schema": "nnprobe.probe/1", "metric": "accuracy", "held_out_split": "test",
         "layers": [{"name": "block2", "method": "logistic", "score": 0.917}],
         "baselines": [{"name": "inputs", "method": "xgboost", "score": 0.948}, {"name": "inputs", "method": "logistic", "score": 0.933}]}
        """.utf8)

    @Test func readersSurviveASampleOfMutants() throws { try check(count: 150) }

    @Test func readersSurviveThousandsOfMutants() throws {
        try check(count: ProcessInfo.processInfo.environment["NNPROBE_FUZZ_COUNT"].flatMap(Int.init) ?? 3_000)
    }
}
