import Foundation
import NNLinalg
import Testing
@testable import NNCheckpoint

@Suite struct ActivationDumpTests {
    func sampleDump(rows: Int) -> ActivationDump {
        let contexts = Matrix<Float>(rows: 2, cols: 4, storage: pattern(8))
        return ActivationDump(
            sourceCheckpoint: "checkpoints/multi-mult/x.h5", task: "multi-mult",
            probe: ActivationProbe(kind: .vary, variedTask: "task0", variedInputs: [0, 1], gridSize: 3, contexts: contexts),
            inputs: Matrix(rows: rows, cols: 4, storage: pattern(rows * 4)),
            targets: Matrix(rows: rows, cols: 2, storage: pattern(rows * 2, offset: 1)),
            outputs: Matrix(rows: rows, cols: 2, storage: pattern(rows * 2, offset: 2)),
            contextIndex: (0..<rows).map { Int32($0 % 2) },
            layers: [LayerActivations(post: Matrix(rows: rows, cols: 16, storage: pattern(rows * 16, offset: 3)),
                                      pre: Matrix(rows: rows, cols: 16, storage: pattern(rows * 16, offset: 4)))],
            created: "2026-11-22T00:00:00Z")
    }

    @Test func roundTripAndRowBlocks() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("dump.h5").path
        let dump = sampleDump(rows: 5000)   // more than one 4096-row chunk
        try dump.write(to: path)
        let reader = try ActivationDumpReader(path: path)
        #expect(reader.rowCount == 5000 && reader.layerCount == 1)
        #expect(try reader.readAll() == dump)
        let block = try reader.layerRows(0, rows: 4090..<4100)
        #expect(block.storage == Array(dump.layers[0].post.storage[(4090 * 16)..<(4100 * 16)]))
        let pre = try reader.layerRows(0, rows: 0..<1, pre: true)
        #expect(pre.storage == dump.layers[0].pre.row(0))
    }

    @Test func outOfRangeRowsAndLayersAreErrors() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("dump.h5").path
        try sampleDump(rows: 10).write(to: path)
        let reader = try ActivationDumpReader(path: path)
        #expect(throws: HDF5Error.self) { try reader.layerRows(0, rows: 5..<11) }
        let error = #expect(throws: FileFormatError.self) { try reader.layerRows(3, rows: 0..<1) }
        #expect(error?.problem.contains("layers 0...0") == true)
    }

    /// The probe kind is `dataset` or `vary` on disk; a dump naming another is refused, not guessed at.
    @Test func unknownProbeKindIsRefused() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("dump.h5").path
        try sampleDump(rows: 4).write(to: path)
        #expect(try ActivationDumpReader(path: path).probe.kind == .vary)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let vary = Array("vary".utf8)
        let at = try #require((0...(bytes.count - 4)).filter { Array(bytes[$0..<($0 + 4)]) == vary }.first)
        bytes.replaceSubrange(at..<(at + 4), with: Array("grid".utf8))
        let renamed = dir.appendingPathComponent("grid.h5").path
        try Data(bytes).write(to: URL(fileURLWithPath: renamed))
        let error = #expect(throws: FileFormatError.self) { try ActivationDumpReader(path: renamed) }
        #expect(error?.problem == "probe attribute \"grid\": expected dataset or vary")
    }

    @Test func checkpointIsNotADump() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("ckpt.h5").path
        try sampleCheckpoint().write(to: path)
        let error = #expect(throws: FileFormatError.self) { try ActivationDumpReader(path: path) }
        #expect(error?.problem == "is a checkpoint, expected an activation dump")
    }
}
