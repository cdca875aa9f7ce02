import Foundation
import NNTasks

/// nnprobe's one JSON writer: Foundation's `JSONEncoder`, keys sorted (so two runs compare equal),
/// slashes as is, pretty (`"key" : value`, two-space indents) unless `pretty` is false.
///
/// NaN and ±∞, which JSON lacks, become `null` wherever a Double or Float is encoded: the encoder
/// writes them as a marker string, which is then replaced by `null`. The marker begins with a
/// control character (written `\u0001`), which no string nnprobe writes contains.
///
/// Numbers are Foundation's: integers as written, a whole Double without a fraction (`3`), others
/// in Swift's shortest round-trip form (`0.1`, `1e-05`); a Float in its own shortest form (`0.1`).
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: marker, negativeInfinity: marker, nan: marker)
        return String(decoding: nullingNonFinite([UInt8](try encoder.encode(value))), as: UTF8.self)
    }

    private static let marker = "\u{1}nnprobe:non-finite"
    /// The marker as `JSONEncoder` writes it.
    private static let encodedMarker = Array("\"\\u0001nnprobe:non-finite\"".utf8)

    /// `bytes` with each encoded marker replaced by `null`.
    private static func nullingNonFinite(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0, i = 0
        // Markers are found by their `\`, which is rare in nnprobe's JSON (only in escapes).
        while let slash = bytes[i...].firstIndex(of: UInt8(ascii: "\\")) {
            if slash > 0, bytes[(slash - 1)...].starts(with: encodedMarker) {
                if out.isEmpty { out.reserveCapacity(bytes.count) }
                out += bytes[start..<(slash - 1)]
                out += "null".utf8
                start = slash - 1 + encodedMarker.count
                i = start
            } else {
                i = slash + 2   // past the escape, which is at least two bytes
            }
            if i >= bytes.count { break }
        }
        guard start > 0 else { return bytes }
        out += bytes[start...]
        return out
    }
}

/// Prints one JSON document on stdout (see `JSONOutput`).
func printJSON<T: Encodable>(_ document: T) throws {
    print(try JSONOutput.encode(document))
}
