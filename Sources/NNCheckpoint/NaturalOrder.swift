/// A name split into runs of ASCII digits (compared as numbers) and other text (compared as text),
/// so that `seed_9` sorts before `seed_10`.
public struct NaturalSortKey: Comparable, Sendable {
    private enum Run: Comparable, Sendable {
        /// A digit run by value: leading zeros dropped, then shorter is smaller, then by digits.
        case number(digits: Int, text: String)
        case text(String)
    }

    private let runs: [Run]
    private let length: Int

    public init(_ name: String) {
        var runs: [Run] = []
        var current: [UInt8] = []
        var inDigits = false
        func close() {
            guard !current.isEmpty else { return }
            let text = String(decoding: current, as: UTF8.self)
            if inDigits {
                let significant = String(decoding: current.drop { $0 == UInt8(ascii: "0") }, as: UTF8.self)
                runs.append(.number(digits: significant.utf8.count, text: significant))
            } else {
                runs.append(.text(text))
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in name.utf8 {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if isDigit != inDigits { close() }
            inDigits = isDigit
            current.append(byte)
        }
        close()
        self.runs = runs
        length = name.utf8.count
    }

    public static func < (a: NaturalSortKey, b: NaturalSortKey) -> Bool {
        for (x, y) in zip(a.runs, b.runs) where x != y {
            switch (x, y) {
            case (.number, .number), (.text, .text): return x < y
            case (.number(_, let n), .text(let t)): return n < t
            case (.text(let t), .number(_, let n)): return t < n
            }
        }
        return (a.runs.count, a.length) < (b.runs.count, b.length)
    }
}

extension Sequence {
    /// The elements sorted by the natural order of `name`, each name's key computed once.
    public func sortedNaturally(by name: (Element) -> String) -> [Element] {
        map { (NaturalSortKey(name($0)), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
