import Foundation
import NNLinalg

/// The singular values of many checkpoints' weight matrices, read by several processes at once.
///
/// Debian's HDF5 serialises every call within a process, and over thousands of small checkpoints
/// opening the files costs far more than decomposing their matrices. So the file list is cut into
/// one contiguous shard per core (`minimumShard` files or more per process on average): this
/// process reads the first, a little longer than the others, and a child `nnprobe svd --shard-of LIST --shard-to VALUES` reads each other, writing
/// its singular values to a temporary file. Results come back in file order.
enum SpectraShards {
    /// One weight matrix's shape and singular values (descending).
    struct Values: Equatable {
        let name: String
        let rows: Int
        let cols: Int
        let singularValues: [Double]
    }

    /// Below this many files per shard, starting a process (~40 ms) costs more than it saves.
    static let minimumShard = 200

    /// Files read in about the time a child process takes to start.
    private static let startupInFiles = 200

    /// How many shards `count` files are cut into on this machine (1: read them all here).
    static func shardCount(files count: Int) -> Int {
        max(1, min(availableCores, count / minimumShard))
    }

    /// The singular values of every selected matrix of every file, in file order; `progress` is
    /// called with the number of files this process has read of its own shard.
    static func singularValues(of files: [String], layer: Int?, progress: (Int, Int) -> Void) throws -> [[Values]] {
        let shards = shardCount(files: files.count)
        // This process starts reading at once; each child first spends ~40 ms starting up, as long
        // as reading ~200 small files takes. So this process takes that many more, the rest is split.
        let lead = min(files.count, (files.count + (shards - 1) * startupInFiles) / shards)
        let bounds = [0] + (0..<shards).map { lead + (files.count - lead) * $0 / max(shards - 1, 1) }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnprobe-svd-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let threads = BLASThreads.current
        BLASThreads.set(1)   // one core per process
        defer { BLASThreads.set(threads) }

        let children = try (1..<max(shards, 1)).map { shard in
            try Child(files: Array(files[bounds[shard]..<bounds[shard + 1]]), layer: layer, directory: directory, number: shard)
        }
        defer { for child in children where child.process.isRunning { child.process.terminate() } }
        let own = files[bounds[0]..<bounds[1]]
        var results = try own.enumerated().map { index, file in
            defer { progress(index + 1, own.count) }
            return try read(file, layer: layer)
        }
        for child in children { results += try child.collect() }
        return results
    }

    /// The child side: reads the files listed (NUL-separated) in `list` and writes their values to `output`.
    static func serve(list: String, output: String, layer: Int?) throws {
        let files = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\0").map(String.init)
        var record = ValueRecord()
        for file in files { record.append(try read(file, layer: layer)) }
        try Data(record.bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
    }

    private static func read(_ file: String, layer: Int?) throws -> [Values] {
        try ModelFile.load(file, allowSafeTensors: true, weightsOnly: true).select(layer: layer).map {
            Values(name: $0.name, rows: $0.weight.rows, cols: $0.weight.cols,
                   singularValues: try $0.weight.converted(to: Double.self).singularValuesFast())
        }
    }

    /// A running child reading one shard.
    private struct Child {
        let process = Process()
        let output: String
        let errors: String
        let count: Int

        init(files: [String], layer: Int?, directory: String, number: Int) throws {
            let list = "\(directory)/shard-\(number).paths"
            output = "\(directory)/shard-\(number).values"
            errors = "\(directory)/shard-\(number).stderr"
            count = files.count
            try files.joined(separator: "\0").write(toFile: list, atomically: false, encoding: .utf8)
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.executableURL = URL(fileURLWithPath: selfExecutable)
            process.arguments = ["svd", "--shard-of", list, "--shard-to", output] + (layer.map { ["--layer", String($0)] } ?? [])
            process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(forWritingAtPath: errors)
            try process.run()
        }

        /// Waits for the child and returns its values, or throws the error it printed.
        func collect() throws -> [[Values]] {
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let printed = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                let line = printed.split(separator: "\n").last.map(String.init) ?? "a reader process failed (status \(process.terminationStatus))"
                throw CommandFailure(line.hasPrefix("nnprobe: error: ") ? String(line.dropFirst(16)) : line)
            }
            guard let data = FileManager.default.contents(atPath: output), let values = ValueRecord.parse([UInt8](data)),
                  values.count == count else {
                throw CommandFailure("\(output): a reader process wrote an incomplete result")
            }
            return values
        }
    }
}
