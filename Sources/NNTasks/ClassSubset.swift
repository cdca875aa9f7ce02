/// Some of an image task's classes, in a chosen order: the task keeps only their rows, on every
/// split, and relabels them 0…k−1 in that order (`5,6,7,8,9` makes class 5 label 0). Written
/// `0-4`, `5,6,7,8,9` or `0-2,7`; stored as the list of classes (`[5, 6, 7, 8, 9]`), and read
/// from either spelling.
public struct ClassSubset: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The original labels kept, in the order of their new labels.
    public let classes: [Int]

    /// Most classes a subset may name (CIFAR-100 has 100; a cap keeps `0-999999999` from allocating).
    public static let maxClasses = 10_000

    /// Checks `classes`: at least two, each ≥ 0, none twice.
    public init(_ classes: [Int]) throws(SettingProblem) {
        let text = classes.map(String.init).joined(separator: ",")
        guard classes.count >= 2 else { throw SettingProblem(Self.key, text, "keep at least 2 classes") }
        guard classes.count <= Self.maxClasses else { throw SettingProblem(Self.key, nil, "at most \(Self.maxClasses) classes") }
        if let negative = classes.first(where: { $0 < 0 }) { throw SettingProblem(Self.key, text, "class \(negative) is negative") }
        var seen = Set<Int>()
        if let twice = classes.first(where: { !seen.insert($0).inserted }) {
            throw SettingProblem(Self.key, text, "class \(twice) is named twice")
        }
        self.classes = classes
    }

    /// `0-4`, `5,6,7,8,9`, `0-2,7`: numbers and ascending ranges, comma-separated.
    public init(parsing text: String) throws(SettingProblem) {
        var classes: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(ends.count), let low = ends.first!, let high = ends.last! else {
                throw SettingProblem(Self.key, text, "expected classes and ranges such as 0-4 or 5,6,7,8,9")
            }
            guard low <= high else { throw SettingProblem(Self.key, text, "range \(low)-\(high) runs backwards") }
            guard high - low < Self.maxClasses, classes.count + high - low < Self.maxClasses else {
                throw SettingProblem(Self.key, text, "at most \(Self.maxClasses) classes")
            }
            classes += Array(low...high)
        }
        try self.init(classes)
    }

    /// The setting's key.
    public static let key = "data.class_subset"

    /// Number of classes kept.
    public var count: Int { classes.count }

    /// `0-4` for a run of consecutive ascending classes, else the list `5,7,9`.
    public var description: String {
        if let first = classes.first, let last = classes.last, classes == Array(first...max(first, last)), classes.count > 2 {
            return "\(first)-\(last)"
        }
        return classes.map(String.init).joined(separator: ",")
    }

    /// Each original label's new label (nil: not kept), for labels 0..<`labelCount`.
    public func relabelling(labelCount: Int) throws(SettingProblem) -> [Int32?] {
        if let missing = classes.first(where: { $0 >= labelCount }) {
            throw SettingProblem(Self.key, description, "class \(missing) is not in the data, whose labels are 0…\(labelCount - 1)")
        }
        var table = [Int32?](repeating: nil, count: labelCount)
        for (new, old) in classes.enumerated() { table[old] = Int32(new) }
        return table
    }

    /// The rows of `labels` that are kept (in order) and their new labels.
    public func keep(_ labels: [Int32], labelCount: Int) throws(SettingProblem) -> (rows: [Int], labels: [Int32]) {
        let table = try relabelling(labelCount: labelCount)
        var rows: [Int] = [], kept: [Int32] = []
        for (i, label) in labels.enumerated() {
            guard label >= 0, Int(label) < labelCount, let new = table[Int(label)] else { continue }
            rows.append(i)
            kept.append(new)
        }
        return (rows, kept)
    }

    /// The rows of `data` whose class is kept, in order, relabelled (its output width unchanged).
    public func kept(_ data: Dataset, labelCount: Int) throws(SettingProblem) -> Dataset {
        let (rows, labels) = try keep(data.labels ?? [], labelCount: labelCount)
        var subset = data.subset(rows)
        subset.labels = labels
        return subset
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(classes)
    }

    /// A list of classes, or the text form.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        do {
            if let list = try? c.decode([Int].self) { try self.init(list) } else { try self.init(parsing: try c.decode(String.self)) }
        } catch let problem as SettingProblem {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: problem.problem)
        }
    }
}
