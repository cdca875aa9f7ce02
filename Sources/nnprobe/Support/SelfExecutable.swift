import Foundation

/// The path of the running `nnprobe` binary, for starting child processes of itself.
let selfExecutable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
