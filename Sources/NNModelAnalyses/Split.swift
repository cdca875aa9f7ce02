import NNTasks

/// One of a task's three data splits, by the name dumps and flags use.
public enum Split: String, CaseIterable, Sendable {
    case test, val, train

    /// This split's rows in `splits`.
    public func rows(of splits: DataSplits) -> Dataset {
        switch self {
        case .test: splits.test
        case .val: splits.validation
        case .train: splits.train
        }
    }
}
