import NNModelAnalyses

/// The command-line wording of `AnalysisError`s: settings become the flags that set them
/// (`layer` → `--layer`), the file is named first, and a hint says what to run instead where
/// there is one.
enum AnalysisFlags {
    /// The flag of an analysis setting: `layer` → `--layer`, `p0` → `--p0`.
    static func flag(for key: String) -> String { "--" + key }

    /// The problem worded with flags, without the file.
    static func describe(_ error: AnalysisError) -> String {
        let text = error.described(naming: flag)
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
    static func naming<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AnalysisError { throw CommandFailure("\(file): \(describe(error))") }
    }
}
