import Foundation

/// Writes `text` to a temporary file beside `path`, then renames it into place: readers see the
/// old file or the new one, never part of one. `durable` (the default) also flushes the file to
/// disk before the rename; a file the same command writes again when re-run (a sweep's
/// `configs/NAME.json`) skips that: the flush cost a 100-run sweep a tenth of a second of
/// waiting before its first run started.
func writeAtomically(_ text: String, to path: String, durable: Bool = true) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
    do {
        if durable {
            try Data(text.utf8).write(to: temporary)
        } else {
            try writeUnflushed(Array(text.utf8), to: temporary.path)
        }
        guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw CommandFailure("\(path): cannot write (\(error.localizedDescription))")
    }
}

/// Creates `path` (which must not exist) holding `bytes`, without flushing it to disk.
private func writeUnflushed(_ bytes: [UInt8], to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { throw POSIXError(count < 0 ? POSIXErrorCode(rawValue: errno) ?? .EIO : .ENOSPC) }
        written += count
    }
}
