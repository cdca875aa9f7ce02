/// Why a probe (logistic or ridge regression) cannot be fitted or scored on the values given.
/// Settings are named by key (`C`, `alpha`), never by flag.
public enum ProbeFitError: Error, Equatable, Sendable {
    /// No training rows.
    case noRows
    /// The features have `features` rows, the labels or targets `targets`.
    case rowCountMismatch(features: Int, targets: Int)
    /// Scoring rows with `given` features on a probe fitted on `fitted`.
    case featureCountMismatch(fitted: Int, given: Int)
    /// Logistic regression needs two classes among the training rows; they hold only `label`.
    case oneClass(label: Int)
    /// A setting outside its range: `requirement` says what it must be, e.g. "> 0".
    case setting(key: String, value: Double, requirement: String)
    /// `what` (features, targets) holds NaN or ±∞.
    case nonFinite(String)
}

extension ProbeFitError: CustomStringConvertible {
    /// The sentence with settings named by their keys.
    public var description: String { described { $0 } }

    /// The sentence with every setting named by `name` (e.g. its flag).
    public func described(naming name: (String) -> String) -> String {
        switch self {
        case .noRows: "no training rows"
        case .rowCountMismatch(let features, let targets): "\(features) rows of features but \(targets) of targets"
        case .featureCountMismatch(let fitted, let given): "the probe was fitted on \(fitted) features, given \(given)"
        case .oneClass(let label): "the training rows hold only class \(label); logistic regression needs two classes"
        case .setting(let key, let value, let requirement): "\(name(key)) \(value.formatted): must be \(requirement)"
        case .nonFinite(let what): "the \(what) hold NaN or ±∞"
        }
    }
}

private extension Double {
    /// `3` for whole numbers, else Swift's shortest form (`0.5`).
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
