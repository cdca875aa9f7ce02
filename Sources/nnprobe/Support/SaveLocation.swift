import Foundation

/// Where results will be written, checked before any work is done: a run that cannot save finds
/// out before its first step, not after its last.
enum SaveLocation {
    /// Creates `directory` (and its parents) if needed and checks that files can be created in it.
    static func prepareDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure("\(directory): exists and is not a directory")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure("\(directory): cannot create the directory (\(reason(error)))")
        }
        let probe = (directory as NSString).appendingPathComponent(".nnprobe-write-check-\(getpid()).tmp")
        let descriptor = open(probe, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure("\(directory): cannot write here (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Prepares the directory a file `path` will be written to; `path` must not be a directory.
    static func prepareFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure("\(path): is a directory; give a file name ending in .h5")
        }
        let directory = (path as NSString).deletingLastPathComponent
        try prepareDirectory(directory.isEmpty ? "." : directory)
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return underlying.map { String(cString: strerror(Int32($0.code))) } ?? error.localizedDescription
    }
}
