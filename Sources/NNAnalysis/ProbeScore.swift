import NNLinalg

/// How well a probe's predictions match held-out rows, as scikit-learn scores them.
public enum ProbeScore {
    /// The share of equal entries (`accuracy_score`); NaN for no rows.
    public static func accuracy(predicted: [Int], labels: [Int]) -> Double {
        precondition(predicted.count == labels.count, "accuracy: \(predicted.count) predictions for \(labels.count) labels")
        guard !labels.isEmpty else { return .nan }
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// The coefficient of determination averaged over outputs (`r2_score`, multioutput
    /// 'uniform_average'): per column 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; a constant column scores 1 when
    /// predicted exactly and 0 otherwise (sklearn's `force_finite`). NaN for fewer than two rows.
    public static func r2(predicted: Matrix<Double>, targets: Matrix<Double>) -> Double {
        precondition(predicted.rows == targets.rows && predicted.cols == targets.cols, "r2: shapes differ")
        guard targets.rows >= 2, targets.cols > 0 else { return .nan }
        var total = 0.0
        for j in 0..<targets.cols {
            var mean = 0.0
            for i in 0..<targets.rows { mean += targets[i, j] }
            mean /= Double(targets.rows)
            var residual = 0.0, spread = 0.0
            for i in 0..<targets.rows {
                let (y, e) = (targets[i, j], targets[i, j] - predicted[i, j])
                residual += e * e
                spread += (y - mean) * (y - mean)
            }
            total += spread != 0 ? 1 - residual / spread : (residual == 0 ? 1 : 0)
        }
        return total / Double(targets.cols)
    }
}
