import Foundation
import Testing
@testable import NNCheckpoint

/// Hostile safetensors headers (sizes that overflow, negative shapes, offsets near Int.min)
/// are one clear error naming the file, never a trap.
@Suite struct SafeTensorsTests {
    /// A safetensors file: the header JSON, then `data`.
    func file(header: String, data: [UInt8] = Array(repeating: 0, count: 16)) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("t.safetensors")
        let json = Array(header.utf8)
        var bytes = (0..<8).map { UInt8(UInt64(json.count) >> (8 * UInt64($0)) & 0xFF) }
        bytes += json + data
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func aWellFormedFileReads() throws {
        let values: [Float] = [1, -2, 3.5, 0.25]
        let data = values.flatMap { v in (0..<4).map { UInt8(v.bitPattern >> (8 * UInt32($0)) & 0xFF) } }
        let path = try file(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#, data: data)
        let tensors = try SafeTensors.read(path)
        #expect(tensors.count == 1 && tensors[0].shape == [2, 2] && tensors[0].values == values.map(Double.init))
    }

    @Test(arguments: [
        (#"{"w":{"dtype":"F32","shape":[2305843009213693952,4],"data_offsets":[0,16]}}"#, "more values than any file holds"),
        (#"{"w":{"dtype":"F64","shape":[1152921504606846976,2],"data_offsets":[0,16]}}"#, "more values than any file holds"),
        (#"{"w":{"dtype":"F32","shape":[-16,-4],"data_offsets":[0,16]}}"#, "a negative dimension"),
        (#"{"w":{"dtype":"F32","shape":[-1,0],"data_offsets":[0,0]}}"#, "a negative dimension"),
        (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,-9223372036854775807]}}"#, "do not hold 4 F32 values"),
        (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[-9223372036854775807,16]}}"#, "do not hold 4 F32 values"),
        (#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[9223372036854775807,16]}}"#, "do not hold 4 F32 values"),
        (#"{"w":{"dtype":"F32","shape":[4,4],"data_offsets":[0,64]}}"#, "do not hold 16 F32 values in 16 data bytes"),
    ])
    func hostileHeadersAreOneError(header: String, expected: String) throws {
        let path = try file(header: header)
        let error = #expect(throws: FileFormatError.self) { try SafeTensors.read(path) }
        #expect(error?.description.hasPrefix(path) == true && error?.description.contains(expected) == true, "\(String(describing: error))")
    }
}
