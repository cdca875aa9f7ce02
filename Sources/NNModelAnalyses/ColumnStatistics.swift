/// Standard deviation (divisor n − 1) of every column of a row-major N × `width` buffer,
/// accumulated in Float64; zeros when there are fewer than two rows.
public func columnStd(_ values: [Float], width: Int) -> [Double] {
    let n = values.count / max(1, width)
    guard n > 1 else { return Array(repeating: 0, count: width) }
    var mean = [Double](repeating: 0, count: width), square = [Double](repeating: 0, count: width)
    for (k, v) in values.enumerated() { mean[k % width] += Double(v) }
    for j in 0..<width { mean[j] /= Double(n) }
    for (k, v) in values.enumerated() { let d = Double(v) - mean[k % width]; square[k % width] += d * d }
    return square.map { ($0 / Double(n - 1)).squareRoot() }
}
