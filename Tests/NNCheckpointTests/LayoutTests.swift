import Foundation
import Testing
@testable import NNCheckpoint

/// The nine layouts of `Fixtures/layouts/` (make_fixtures.py: default, libver latest, creation
/// order tracked, a 512-byte user block, fixed-length strings, compact, chunked + gzip, float64,
/// big-endian) read through the library, their object headers checked by `HeaderMessageBounds`
/// where they are version 1 (the user block moves every address by 512 bytes), weights equal to
/// `weights.json` within float32 rounding.
@Suite struct LayoutTests {
    static let names = ["default", "latest", "track_order", "userblock", "fixed_strings", "compact", "chunked_gzip", "float64", "big_endian"]

    @Test(arguments: names) func layoutReadsItsWeights(_ name: String) throws {
        let expected = try JSONDecoder().decode([[[Double]]].self, from: Data(contentsOf: fixtureURL("layouts/weights.json")))
        let path = fixture("layouts/\(name).h5")
        let weights = try Checkpoint.readWeights(from: path)
        #expect(weights.map(\.name) == ["layer_0", "layer_1"])
        for (weight, rows) in zip(weights.map(\.weight), expected) {
            #expect(weight.rows == rows.count && weight.cols == rows[0].count)
            #expect(weight.storage == rows.flatMap { $0.map(Float.init) }, "\(name)")
        }
        // The header check runs on these files (they are read whole) and passes every object.
        let model = try HDF5File.openForReading(path).group("model")
        #expect(try model.integerAttribute("n_layers") == 2)
    }

    /// Behind a 512-byte user block the header check finds the same damage as at byte 0: an
    /// attribute message whose dataspace size reaches past it (HDF5 would copy past the header).
    @Test func headerCheckFindsDamageBehindAUserBlock() throws {
        var bytes = [UInt8](try Data(contentsOf: fixtureURL("layouts/userblock.h5")))
        let name = Array("n_layers\0".utf8)
        let at = try #require((8..<bytes.count - name.count).first { bytes[$0..<$0 + name.count].elementsEqual(name) })
        #expect(bytes[at - 8] == 1 && bytes[at - 6] == UInt8(name.count))   // version-1 attribute message
        bytes[at - 1] = 0x3A
        let path = try temporaryDirectory().appendingPathComponent("userblock-damaged.h5").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: FileFormatError.self) { try Checkpoint.readWeights(from: path) }
        #expect(error?.problem.hasPrefix("/model: cannot open group: its object header is damaged") == true, "\(String(describing: error))")
    }
}
