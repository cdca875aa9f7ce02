import NNModelAnalyses

/// The command-line wording of `AnalysisError`s: settings become the flags that set them
/// (`layer` → `--layer`), the file is named first, and a hint says what to run instead where
/// there is one.
enum AnalysisFlags {
    /// The flag of an analysis setting: `layer` → `--layer`, `p0` → `--p0`, and the settings
    /// whose flags differ from their keys (the XGBoost baseline's, named as scikit-learn's API).
    static func flag(for key: String) -> String {
        ["n_estimators": "--estimators", "max_depth": "--max-depth", "learning_rate": "--learning-rate"][key] ?? "--" + key
    }

    /// The problem worded with flags, without the file; `flags` overrides the flag of a setting
    /// for one command (`probe` sets the sub-task with `--task`, not `--vary`).
    static func describe(_ error: AnalysisError, flags: [String: String] = [:]) -> String {
        let text = error.described { flags[$0] ?? flag(for: $0) }
        if case .dumpProbeMismatch(let wanted, _) = error {
            return text + "; make one with `nnprobe dump CKPT --vary \(wanted)` or pass the checkpoint"
        }
        if case .rowsDiffer = error {
            return text + "; pass the checkpoints instead (nnprobe runs them all on the rows of the first file)"
        }
        return text
    }

    /// Runs `body`, an analysis of `file`: an `AnalysisError` it throws becomes the one-line
    /// failure `FILE: problem`; other errors pass through.
    static func naming<T>(_ file: String, flags: [String: String] = [:], _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AnalysisError { throw CommandFailure("\(file): \(describe(error, flags: flags))") }
    }
}
