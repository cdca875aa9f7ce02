import ArgumentParser
import Foundation
import NNCheckpoint

/// `nnprobe pack`: the weights of a directory of checkpoints stacked into one file.
struct Pack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stack the weights of a directory of checkpoints into one file, DIR/sweep-pack.hdf5, for fast analyses.",
        discussion: """
            Reads every checkpoint that `svd DIR` would list (recursively, in natural order; no \
            activation dumps, no --save-every snapshots) and writes their model tensors, one \
            dataset of shape [runs, …] per tensor and per group of runs with identical shapes, \
            each run's settings and learning curves, and each checkpoint's size and modification \
            time (format `nnprobe.pack`, docs/checkpoint-format.md). `svd DIR`, `norms DIR`, \
            `ortho DIR` and `summary DIR --plot` then read the pack instead of \
            the checkpoints, with identical results, as long as the directory still holds exactly \
            the packed checkpoints unchanged; otherwise they read the checkpoints themselves. The \
            checkpoints stay the record: the pack can be deleted or rebuilt at any time. A sweep \
            (`train --seeds …`, `run`) writes it when its last run ends. The pack is written \
            atomically; an unreadable checkpoint stops it, naming the file.
            """)

    @Argument(help: "The directory of checkpoints (.h5) to pack.", completion: .directory)
    var directory: String
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        struct Group: Encodable {
            let name: String
            let runs: Int
            let shapes: [String: [Int]]
        }
        let schema = "nnprobe.pack/1"
        let pack: String
        let runs: Int
        let groups: [Group]
        let bytes: Int64
        let seconds: Double
    }

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw ValidationError("\(directory): no such directory")
        }
        guard isDirectory.boolValue else { throw ValidationError("\(directory): is a file, expected a directory of checkpoints") }
    }

    func run() throws {
        let started = Date()
        let written = try WeightPack.write(directory: directory, files: try CheckpointInputs.checkpoints(in: directory))
        let report = Report(
            pack: written.path, runs: written.runs,
            groups: written.groups.map { group in
                Report.Group(name: group.name, runs: group.runs,
                             shapes: Dictionary(group.shapes.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first }))
            },
            bytes: written.bytes, seconds: Date().timeIntervalSince(started))
        if output.json { return try printJSON(report) }
        let shapes = written.groups.map { group in
            "\(group.runs) × " + group.shapes.filter { $0.name.hasSuffix("/weight") }.map { $0.shape.map(String.init).joined(separator: "×") }
                .joined(separator: ", ")
        }
        print("packed \(written.runs) checkpoints into \(written.path) (\(formatBytes(written.bytes))): "
              + "\(written.groups.count) shape group\(written.groups.count == 1 ? "" : "s"): \(shapes.joined(separator: "; "))")
    }

    private func formatBytes(_ bytes: Int64) -> String {
        bytes < 1 << 20 ? String(format: "%.1f KiB", Double(bytes) / 1024) : String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
