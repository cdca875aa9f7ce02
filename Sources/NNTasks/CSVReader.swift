import Foundation

/// Reads a numeric CSV file: comma-separated numbers, an optional header row, and one
/// integer label column.
enum CSVReader {
    /// Features (row-major), labels remapped to 0..<K in sorted order, and K.
    static func read(_ path: String, labelColumn: String?) throws -> (features: [Float], labels: [Int32], width: Int, classes: Int) {
        guard let data = FileManager.default.contents(atPath: path) else { throw TaskError("\(path): no such file") }
        guard let text = String(data: data, encoding: .utf8) else { throw TaskError("\(path): not UTF-8 text") }
        var lines = text.split(whereSeparator: \.isNewline).enumerated().map { ($0.offset + 1, $0.element) }
            .filter { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.first else { throw TaskError("\(path): empty file") }
        let firstFields = first.1.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let hasHeader = firstFields.contains { Double($0) == nil }
        if hasHeader { lines.removeFirst() }
        let columns = firstFields.count
        guard columns >= 2 else { throw TaskError("\(path):\(first.0): need at least one feature and a label column") }
        let label: Int
        if let labelColumn {
            if let index = Int(labelColumn) {
                guard (0..<columns).contains(index) else { throw TaskError("\(path): label column \(index) is out of range 0..<\(columns)") }
                label = index
            } else if hasHeader, let index = firstFields.firstIndex(of: labelColumn) {
                label = index
            } else {
                throw TaskError("\(path): no column named '\(labelColumn)'" + (hasHeader ? " (columns: \(firstFields.joined(separator: ", ")))" : " (the file has no header)"))
            }
        } else {
            label = columns - 1
        }
        var features: [Float] = []
        var rawLabels: [Int] = []
        for (number, line) in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == columns else { throw TaskError("\(path):\(number): expected \(columns) fields, found \(fields.count)") }
            for (c, field) in fields.enumerated() {
                if c == label {
                    guard let value = Double(field), value == value.rounded(), abs(value) < 1e9 else {
                        throw TaskError("\(path):\(number): label '\(field)' is not an integer")
                    }
                    rawLabels.append(Int(value))
                } else {
                    guard let value = Float(field), value.isFinite else { throw TaskError("\(path):\(number): '\(field)' is not a number") }
                    features.append(value)
                }
            }
        }
        guard !rawLabels.isEmpty else { throw TaskError("\(path): no data rows") }
        let classes = Array(Set(rawLabels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, Int32($0.offset)) })
        return (features, rawLabels.map { index[$0]! }, columns - 1, classes.count)
    }
}
