import ArgumentParser

/// A flag value that may list several values (`1,0.2,0.01`) or, for integers, ranges (`0..99`,
/// inclusive); more than one value makes `train` a sweep over them.
struct ValueList<T: LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    let values: [T]

    init?(argument: String) {
        var values: [T] = []
        for part in argument.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if T.self == Int.self, let dots = part.range(of: ".."),
               let lo = Int(part[..<dots.lowerBound]), let hi = Int(part[dots.upperBound...]), lo <= hi, hi - lo < 1_000_000 {
                values += (lo...hi).map { T(String($0))! }
            } else if let value = T(part) {
                values.append(value)
            } else {
                return nil
            }
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    init(_ values: [T]) { self.values = values }
}

/// One swept flag: its name, how many values it has, and how to set value i on a config.
struct SweepAxis<Config> {
    let flag: String
    let labels: [String]
    let set: (inout Config, Int) -> Void

    init<T>(_ flag: String, _ list: ValueList<T>?, _ set: @escaping (inout Config, T) -> Void) {
        self.flag = flag
        labels = list?.values.map { "\($0)" } ?? []
        self.set = { config, i in set(&config, list!.values[i]) }
    }

    var isActive: Bool { !labels.isEmpty }
}

/// Every combination of the active axes applied to `base` (the first axis varies slowest),
/// each with its (flag, value) labels.
func crossProduct<Config>(_ base: Config, _ axes: [SweepAxis<Config>]) -> [(config: Config, labels: [(String, String)])] {
    var result = [(config: base, labels: [(String, String)]())]
    for axis in axes where axis.isActive {
        result = result.flatMap { entry in
            axis.labels.indices.map { i in
                var c = entry.config
                axis.set(&c, i)
                return (c, entry.labels + [(axis.flag, axis.labels[i])])
            }
        }
    }
    return result
}
