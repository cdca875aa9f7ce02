import Foundation

/// The epoch of a `--save-every` snapshot (`NAME.epoch-0005.h5` → 5), or nil.
func snapshotEpoch(_ path: String) -> Int? {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 3, parts[parts.count - 1] == "h5", parts[parts.count - 2].hasPrefix("epoch-") else { return nil }
    let digits = parts[parts.count - 2].dropFirst("epoch-".count)
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    return Int(digits)
}

/// A metric per named series over a run's snapshots: `epochs` and, per series, one value per epoch.
struct Timeline: Encodable {
    let epochs: [Int]
    let series: [String: [Double]]

    /// Builds a timeline when every file is a snapshot (and there are at least two);
    /// `values(i)` gives file i's (series name, value) pairs.
    init?(files: [String], values: (Int) -> [(String, Double)]) {
        guard files.count >= 2 else { return nil }
        var epochs: [Int] = []
        for file in files {
            guard let epoch = snapshotEpoch(file) else { return nil }
            epochs.append(epoch)
        }
        let order = epochs.indices.sorted { epochs[$0] < epochs[$1] }
        self.epochs = order.map { epochs[$0] }
        var series: [String: [Double]] = [:]
        for i in order { for (name, value) in values(i) { series[name, default: []].append(value) } }
        self.series = series
    }

    /// Epochs as rows, series as columns.
    func text(title: String) -> String {
        let names = series.keys.sorted(by: { $0.localizedStandardCompare($1) == .orderedAscending })
        var table = TextTable(["epoch"] + names)
        for (row, epoch) in epochs.enumerated() { table.add([String(epoch)] + names.map { formatNumber(series[$0]![row]) }) }
        return "\(title) over epochs:\n" + table.render()
    }
}
