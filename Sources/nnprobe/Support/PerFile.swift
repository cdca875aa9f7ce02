import ArgumentParser
import NNLinalg

/// The results of analysing many input files independently: one bad file (unreadable, damaged,
/// NaN weights, a LAPACK failure) costs only its own result.
///
/// Use: `let done = PerFile.analyse(paths) { try analyse($0) }`, then `try done.requireAny()`
/// (every file failed: their error lines, exit 1), print the report of `done.values` with
/// `done.errors` as its `errors`, and end with `try done.finish()` (the error lines on stderr,
/// one per bad file, and exit 1 if there were any).
struct PerFile<Value: Sendable>: Sendable {
    /// The files analysed, in input order.
    var values: [Value]
    /// The files that failed, in input order.
    var errors: [FileError]

    /// Files between two progress-bar updates when analysing side by side.
    static var batchSize: Int { 256 }

    /// `analysis` applied to every file, one after the other or (`concurrently`) side by side on all
    /// cores in batches; `bar` is updated as files finish, counting `unit`s.
    static func analyse(_ files: [String], concurrently: Bool = false, bar: ProgressBar? = nil, unit: String = "files",
                        _ analysis: @escaping @Sendable (String) throws -> Value) -> PerFile {
        let attempt: @Sendable (String) -> Result<Value, FileError> = { file in
            Result { () throws(FileError) -> Value in try FileError.naming(file) { try analysis(file) } }
        }
        var results: [Result<Value, FileError>] = []
        results.reserveCapacity(files.count)
        let step = concurrently ? batchSize : 1
        for start in stride(from: 0, to: files.count, by: step) {
            let batch = Array(files[start..<min(start + step, files.count)])
            results += concurrently ? batch.concurrentMap(attempt) : batch.map(attempt)
            bar?.update(done: results.count, total: files.count, detail: "\(results.count)/\(files.count) \(unit)")
        }
        bar?.finish()
        var done = PerFile(values: [], errors: [])
        for result in results {
            switch result {
            case .success(let value): done.values.append(value)
            case .failure(let error): done.errors.append(error)
            }
        }
        return done
    }

    /// When no file could be analysed: prints each one's error line and exits 1 (nothing on stdout).
    func requireAny() throws {
        guard values.isEmpty else { return }
        try finish()
        throw CommandFailure("no files to analyse")
    }

    /// Prints one `nnprobe: error: FILE: problem` line per failed file on stderr; then exit status 1
    /// if there were any. Call it after printing the report of the files that worked.
    func finish() throws {
        guard !errors.isEmpty else { return }
        for error in errors { printDiagnostic("nnprobe: error: \(error.line)") }
        throw ExitCode.failure
    }
}
