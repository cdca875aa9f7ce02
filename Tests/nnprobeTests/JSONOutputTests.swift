import Foundation
import Testing
@testable import nnprobe
import NNTasks

/// `JSONOutput`, the one JSON writer: Foundation's `JSONEncoder` (pretty, keys sorted, slashes as
/// is) with NaN and ±∞ written as `null`.
struct JSONOutputTests {
    struct Inner: Encodable { let x: Double; let tag: String? }
    struct Sample: Encodable {
        let numbers: [Double]
        let floats: [Float]
        let integers: [Int]
        let strings: [String]
        let empty: [Int]
        let map: [String: Inner]
        let absent: Double?
        let present: Double?
        let inner: Inner
    }

    @Test func writesPrettySortedTextWithFoundationNumbers() throws {
        let sample = Sample(
            numbers: [1, 0.1, 1e-5, -3.25, 1e15], floats: [0.1, 3, 1e-7], integers: [0, -7],
            strings: ["a/b", "quote \" nl \n"], empty: [],
            map: ["b": Inner(x: 1, tag: nil), "B": Inner(x: 2, tag: "t"), "a_b": Inner(x: 3, tag: ""), "10": Inner(x: 4, tag: nil), "2": Inner(x: 5, tag: nil)],
            absent: nil, present: 2.5, inner: Inner(x: 0.3, tag: "x"))
        // Keys in byte order ("10" < "2" < "B" < "a_b" < "b"); an absent optional has no key; a
        // Float prints in its own shortest form (0.1, not 0.10000000149011612).
        let expected = """
        {
          "empty" : [

          ],
          "floats" : [
            0.1,
            3,
            1e-07
          ],
          "inner" : {
            "tag" : "x",
            "x" : 0.3
          },
          "integers" : [
            0,
            -7
          ],
          "map" : {
            "10" : {
              "x" : 4
            },
            "2" : {
              "x" : 5
            },
            "B" : {
              "tag" : "t",
              "x" : 2
            },
            "a_b" : {
              "tag" : "",
              "x" : 3
            },
            "b" : {
              "x" : 1
            }
          },
          "numbers" : [
            1,
            0.1,
            1e-05,
            -3.25,
            1000000000000000
          ],
          "present" : 2.5,
          "strings" : [
            "a/b",
            "quote \\" nl \\n"
          ]
        }
        """
        #expect(try JSONOutput.encode(sample) == expected)
        #expect(try JSONOutput.encode(sample, pretty: false).hasPrefix(#"{"empty":[],"floats":[0.1,3,1e-07],"inner":{"tag":"x","x":0.3}"#))
    }

    @Test func nonFiniteNumbersAreNullEverywhere() throws {
        struct Metrics: Encodable {
            let loss: Double
            let accuracy: Float
            let maybe: Double?
            let nested: [[Double?]]
            let byName: [String: Double]
            let stored: JSONValue
        }
        let metrics = Metrics(loss: .nan, accuracy: .infinity, maybe: -.infinity, nested: [[nil, 1, .nan], []],
                              byName: ["a": .nan, "b": 0.5], stored: .array([.number(.infinity), .string("nnprobe:non-finite")]))
        let text = try JSONOutput.encode(metrics, pretty: false)
        #expect(text == #"{"accuracy":null,"byName":{"a":null,"b":0.5},"loss":null,"maybe":null,"nested":[[null,1,null],[]],"stored":[null,"nnprobe:non-finite"]}"#)
        #expect(try JSONOutput.encode([Double.nan, -.infinity, 1]) == "[\n  null,\n  null,\n  1\n]")
        #expect(try JSONOutput.encode(Double.nan) == "null")
        // Escapes next to a marker, and a marker at the very end.
        struct Edge: Encodable { let a = "back\\"; let b = Double.nan; let c = "\u{1}x"; let z = Float.nan }
        #expect(try JSONOutput.encode(Edge(), pretty: false) == #"{"a":"back\\","b":null,"c":"\u0001x","z":null}"#)
        // Parsed back, the nulls are plain JSON nulls.
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(parsed["loss"] is NSNull)
    }

    @Test func outputIsDeterministic() throws {
        let map = Dictionary(uniqueKeysWithValues: (0..<200).map { ("key\($0)", Double($0) / 7) })
        let first = try JSONOutput.encode(map)
        for _ in 0..<5 { #expect(try JSONOutput.encode(Dictionary(uniqueKeysWithValues: map.shuffled())) == first) }
        #expect(first.hasPrefix("{\n  \"key0\" : 0,\n  \"key1\" : 0.14285714285714285,\n  \"key10\" : "))
    }
}
