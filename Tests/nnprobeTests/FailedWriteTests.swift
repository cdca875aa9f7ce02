import Foundation
import Testing

/// A disk that fills while a checkpoint is written (simulated by a file-size limit, with the
/// SIGXFSZ that would kill the process ignored, so writes fail as on a full disk): one line
/// naming the file and the system's reason, exit 1, and nothing half-written left behind.
@Suite struct FailedWriteTests {
    /// Runs nnprobe with files limited to `kilobytes`.
    func runLimited(_ arguments: [String], kilobytes: Int, in directory: URL) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(kilobytes); exec \"$0\" \"$@\"",
                             productsDirectory().appendingPathComponent("nnprobe").path] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func aCheckpointThatCannotBeWrittenIsOneLineAndNothingIsLeft() throws {
        let dir = try temporaryDirectory()
        let result = try runLimited(["train", "mult", "--epochs", "1", "--hidden", "256,256", "--save", "full.h5", "--no-dump"],
                                    kilobytes: 20, in: dir)
        #expect(result.status == 1 && !result.terminatedBySignal, "status \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("nnprobe: error: full.h5: cannot write") && lines[0].hasSuffix("file write failed: File too large"),
                "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aSweepRunThatCannotBeWrittenIsReportedNotASignal() throws {
        let dir = try temporaryDirectory()
        let result = try runLimited(["train", "mult", "--epochs", "1", "--hidden", "256,256", "--seeds", "0..1", "--save", "sweep", "--jobs", "1"],
                                    kilobytes: 40, in: dir)
        #expect(result.status == 1 && !result.stderr.contains("signal"), "\(result.stderr)")
        #expect(result.stderr.contains("file write failed: File too large"))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sweep").path)
        #expect(!left.contains { $0.hasSuffix(".h5") || $0.hasSuffix(".tmp") }, "\(left)")
    }
}
