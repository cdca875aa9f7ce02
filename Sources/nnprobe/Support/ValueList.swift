import ArgumentParser

/// A flag value that may list several values (`1,0.2,0.01`) or, for integers, ranges (`0..99`,
/// inclusive); more than one value makes `train` a sweep over them.
struct ValueList<T: LosslessStringConvertible & Sendable>: ExpressibleByArgument, Sendable {
    let values: [T]

    init?(argument: String) {
        var values: [T] = []
        for part in argument.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if T.self == Int.self, let dots = part.range(of: ".."),
               let lo = Int(part[..<dots.lowerBound]), let hi = Int(part[dots.upperBound...]), lo <= hi,
               case let (span, overflow) = hi.subtractingReportingOverflow(lo), !overflow, span < 1_000_000 {
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
