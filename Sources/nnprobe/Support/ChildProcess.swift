import Foundation

/// Child `nnprobe` processes (sweep runs, recipe steps) that never outlive the process that
/// started them.
///
/// The parent passes its process id in `NNPROBE_PARENT_PID`; a child that finds it in its
/// environment watches its parent and exits when it is gone, even after `kill -9`, which no
/// parent-side clean-up can catch.
enum ChildProcess {
    static let parentKey = "NNPROBE_PARENT_PID"

    /// A process running this binary with `arguments`, marked as this process's child.
    static func make(_ arguments: [String], environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: selfExecutable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        environment[parentKey] = String(getpid())
        process.environment = environment
        return process
    }

    /// How often an orphan-watching child looks at its parent.
    private static let watchInterval: TimeInterval = 0.2

    /// In a child started by `make`: exits (status 143, as after SIGTERM) as soon as the parent
    /// that started it is gone. Without atexit handlers: the main thread may be inside HDF5, and
    /// a temporary file it leaves is removed when the sweep resumes.
    static func exitWithParent() {
        guard let text = ProcessInfo.processInfo.environment[parentKey], let parent = pid_t(text) else { return }
        guard getppid() == parent else { _exit(143) }
        let watcher = Thread {
            while true {
                Thread.sleep(forTimeInterval: watchInterval)
                if getppid() != parent { _exit(143) }
            }
        }
        watcher.start()
    }
}
