import Foundation

/// The result of running the built `nnprobe` binary.
struct CLIResult {
    let status: Int32
    let terminatedBySignal: Bool
    let stdout: String
    let stderr: String
}

/// Runs `.build/<config>/nnprobe` (built beside this test bundle) with `arguments`, and `input`
/// on its standard input when given.
func runNNProbe(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: String? = nil) throws -> CLIResult {
    let process = Process()
    process.executableURL = productsDirectory().appendingPathComponent("nnprobe")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let stdin = input.map { _ in Pipe() }
    if let stdin { process.standardInput = stdin }
    try process.run()
    if let stdin, let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus,
                     terminatedBySignal: process.terminationReason == .uncaughtSignal,
                     stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
}

/// Starts the built `nnprobe` with `arguments` without waiting: stdout discarded, stderr in the
/// returned pipe (read it to the end, then wait for the process).
func startNNProbe(_ arguments: [String]) throws -> (process: Process, stderr: Pipe) {
    let process = Process()
    process.executableURL = productsDirectory().appendingPathComponent("nnprobe")
    process.arguments = arguments
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, err)
}

/// The build products folder holding the test bundle and the `nnprobe` executable.
func productsDirectory() -> URL {
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnprobe-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The running processes whose command line (arguments joined by spaces, each followed by one)
/// contains `text`, with that command line.
func processes(commandLineContaining text: String) -> [(pid: Int32, arguments: String)] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
        guard let pid = Int32(entry), let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
        let arguments = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return arguments.contains(text) ? (pid, arguments) : nil
    }
}

/// The child processes of the sweep in `sweep`: its `train-group --sweep DIR` workers, and the
/// `train --config DIR/configs/…` processes of runs that train alone.
func sweepChildren(of sweep: String) -> [(pid: Int32, arguments: String)] {
    processes(commandLineContaining: "train-group --sweep \(sweep) ") + processes(commandLineContaining: "--config \(sweep)/configs/")
}

/// The file a process writes its stderr to (a sweep child's log, `DIR/logs/FIRST-RUN.stderr`).
func stderrFile(of pid: Int32) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/2")
}
