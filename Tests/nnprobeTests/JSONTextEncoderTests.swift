import Foundation
import Testing
@testable import nnprobe

/// `JSONTextEncoder` must write what Foundation's `JSONEncoder` writes with nnprobe's settings
/// (pretty, sorted keys, slashes as is): Foundation is the independent reference here.
struct JSONTextEncoderTests {
    struct Inner: Encodable { let x: Double; let tag: String? }
    struct Sample: Encodable {
        let numbers: [Double]
        let integers: [Int]
        let small: [Int32]
        let bytes: [UInt8]
        let flags: [Bool]
        let strings: [String]
        let nested: [[Double]]
        let empty: [Int]
        let emptyObject: [String: Int]
        let map: [String: Inner]
        let optional: Int?
        let present: Int?
        let inner: Inner
        let number: JSONNumber
    }

    func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func writesWhatFoundationWrites() throws {
        let sample = Sample(
            numbers: [1, 0.1, 1e-5, 1e21, 1e16, 123_456_789, .leastNonzeroMagnitude, 1.7976931348623157e308, 2.5e-7, 1e15, 12_345_678_901_234_568, -3.25],
            integers: [0, -7, Int.max], small: [Int32.min], bytes: [0, 255], flags: [true, false],
            strings: ["a/b", "quote \" back \\ nl \n tab \t cr \r bell \u{7} nul \u{0}", "é✓ 日本", ""],
            nested: [[], [1, 2], [0.5]], empty: [], emptyObject: [:],
            map: ["b": Inner(x: 1, tag: nil), "B": Inner(x: 2, tag: "t"), "a_b": Inner(x: 3, tag: ""), "10": Inner(x: 4, tag: nil)],
            optional: nil, present: 4, inner: Inner(x: 0.3, tag: "x"), number: JSONNumber(2.5))
        #expect(try JSONTextEncoder.encode(sample) == foundation(sample))
        #expect(try JSONTextEncoder.encode([Double]()) == foundation([Double]()))
        #expect(try JSONTextEncoder.encode("top-level / string") == foundation("top-level / string"))
    }

    @Test func nonFiniteNumbersAreNull() throws {
        #expect(try JSONTextEncoder.encode([JSONNumber(.nan), JSONNumber(.infinity), JSONNumber(1)]) == "[\n  null,\n  null,\n  1\n]")
        #expect(JSONTextEncoder.number(-.infinity) == "null")
    }
}
