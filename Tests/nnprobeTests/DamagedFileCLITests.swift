import Foundation
import Testing

/// Issue 19 at the command line: `svd`, `norms`, `inspect` and `dump` on damaged checkpoints and
/// dumps exit with status 1 and one stderr line naming the file — never a signal, never a hang.
@Suite struct DamagedFileCLITests {
    /// `Tests/NNCheckpointTests/Fixtures/<name>`.
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("NNCheckpointTests/Fixtures/\(name)")
    }

    /// A copy of fixture `name` in `directory` with its first dataspace of `shape` declaring
    /// `value` at `axis` (or, with `keep`, cut to that many bytes).
    static func damaged(_ name: String, shape: [UInt64], axis: Int = 0, to value: UInt64 = 0, keep: Int? = nil,
                        as output: String, in directory: URL) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: fixture(name)))
        if let keep {
            bytes = Array(bytes.prefix(keep))
        } else {
            let at = try #require(firstDataspace(of: shape, in: bytes)) + 8 * axis
            for index in 0..<8 { bytes[at + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        }
        let path = directory.appendingPathComponent(output).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Where the dimensions of the first version-1 dataspace message declaring `shape` start.
    static func firstDataspace(of shape: [UInt64], in bytes: [UInt8]) -> Int? {
        let packed: [UInt8] = shape.flatMap { (dim: UInt64) -> [UInt8] in (0..<8).map { UInt8(truncatingIfNeeded: dim >> (8 * $0)) } }
        let rank = UInt8(shape.count)
        for at in 8..<(bytes.count - packed.count) where bytes[at - 8] == 1 && bytes[at - 7] == rank {
            if bytes[at..<at + packed.count].elementsEqual(packed) { return at }
        }
        return nil
    }

    @Test func damagedFilesExitWithOneLineNamingTheFile() throws {
        let directory = try temporaryDirectory()
        let files = [
            try Self.damaged("h5py_multihead.h5", shape: [2, 16], to: 3, as: "relabelled.h5", in: directory),
            try Self.damaged("h5py_multihead.h5", shape: [2, 16], to: 1 << 45, as: "two-to-45.h5", in: directory),
            try Self.damaged("h5py_mlp.h5", shape: [16, 16], axis: 1, to: UInt64(Int64.max), as: "int-max.h5", in: directory),
            try Self.damaged("fuzz/checkpoint.h5", shape: [8, 4], axis: 1, to: 5, as: "wide.h5", in: directory),
            try Self.damaged("fuzz/checkpoint.h5", shape: [], keep: 30_000, as: "cut.h5", in: directory),
            try Self.damaged("fuzz/dump.h5", shape: [32, 8], to: 1 << 45, as: "dump-two-to-45.h5", in: directory),
        ]
        for file in files {
            for command in [["svd"], ["norms"], ["inspect"], ["dump", "--out", directory.appendingPathComponent("out.h5").path]] {
                let result = try runNNProbe([command[0], file] + command.dropFirst())
                let lines = result.stderr.split(separator: "\n")
                #expect(!result.terminatedBySignal, "\(command[0]) \(file): signal")
                if URL(fileURLWithPath: file).lastPathComponent == "dump-two-to-45.h5", command[0] != "inspect" {
                    // svd, norms and dump take checkpoints: the dump is refused by kind before its shapes matter.
                    #expect(result.status == 1)
                    continue
                }
                #expect(result.status == 1, "\(command[0]) \(file): status \(result.status)")
                #expect(lines.count == 1 && lines[0].contains(file), "\(command[0]) \(file): \(result.stderr)")
            }
        }
    }
}
