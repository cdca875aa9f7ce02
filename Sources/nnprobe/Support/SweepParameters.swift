import Foundation

/// A run's swept settings (flag name → value), as the sweep index and `summary` store them:
/// numbers as JSON numbers (`"lr": 0.003`, `"seed": 7`), anything else as text
/// (`"hidden": "16,16"`, `"batch-norm": "true"`).
///
/// In memory each value is text in one canonical spelling — what reading the number back gives
/// (`0.0` → `0`) — so a run's label compares equal before and after a trip through `index.json`.
/// Indexes written before numbers were numbers stored every value as text; they read the same.
struct SweepParameters: Codable, Equatable, Sendable {
    private(set) var values: [String: String]

    init(_ pairs: [(String, String)]) {
        values = Dictionary(pairs.map { ($0.0, Self.canonical($0.1)) }, uniquingKeysWith: { $1 })
    }

    subscript(key: String) -> String? { values[key] }

    /// `text` spelled as its number reads back (integers without a fraction, others in Swift's
    /// shortest round-trip form); text that is not a finite number as it is.
    static func canonical(_ text: String) -> String {
        switch Value(text) {
        case .integer(let n): String(n)
        case .number(let x): Self.spelled(x)
        case .text(let t): t
        }
    }

    private static func spelled(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    private enum Value {
        case integer(Int64), number(Double), text(String)
        init(_ text: String) {
            if let n = Int64(text) { self = .integer(n) } else if let x = Double(text), x.isFinite, text.first != "+" {
                // Double also reads `0x1p3` and `nan`; only decimal spellings count.
                self = text.contains(where: { "xXpP".contains($0) }) ? .text(text) : .number(x)
            } else { self = .text(text) }
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, text) in values {
            switch Value(text) {
            case .integer(let n): try c.encode(n, forKey: AnyCodingKey(key))
            case .number(let x): try c.encode(x, forKey: AnyCodingKey(key))
            case .text(let t): try c.encode(t, forKey: AnyCodingKey(key))
            }
        }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var pairs: [(String, String)] = []
        for key in c.allKeys {
            if let n = try? c.decode(Int64.self, forKey: key) {
                pairs.append((key.stringValue, String(n)))
            } else if let x = try? c.decode(Double.self, forKey: key) {
                pairs.append((key.stringValue, Self.spelled(x)))
            } else {
                pairs.append((key.stringValue, try c.decode(String.self, forKey: key)))   // an older index: text
            }
        }
        self.init(pairs)
    }
}
