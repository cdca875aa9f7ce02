import CHDF5
import Foundation

/// An HDF5 file: opening for reading, and creating atomically (temp file + rename).
public enum HDF5File {
    /// The 8-byte signature that starts an HDF5 superblock.
    private static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether `path` holds an HDF5 file: its superblock signature sits at byte 0, or after a
    /// user block at 512, 1024, 2048, … (read directly, without opening the file in HDF5).
    public static func isHDF5(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HDF5Error(operation: "read", file: path, object: "/", message: "cannot open for reading")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        var offset: UInt64 = 0
        while offset + 8 <= size {
            try handle.seek(toOffset: offset)
            if let bytes = try handle.read(upToCount: 8), [UInt8](bytes) == signature { return true }
            offset = offset == 0 ? 512 : offset * 2
        }
        return false
    }

    /// Opens `path` read-only and returns its root group.
    public static func openForReading(_ path: String) throws -> HDF5Group {
        try HDF5Library.serialized {
            let id = H5Fopen(path, nnp_H5F_ACC_RDONLY(), nnp_H5P_DEFAULT())
            let file = try HDF5Handle.owning(id, close: H5Fclose, "open", file: path, object: "/")
            let root = H5Gopen2(file.id, "/", nnp_H5P_DEFAULT())
            return HDF5Group(handle: try HDF5Handle.owning(root, close: H5Gclose, "open", file: path, object: "/"),
                             file: path, path: "/")
        }
    }

    /// Creates `path` atomically: `write` fills a temporary file in the same directory, which is
    /// closed and renamed over `path` only when `write` returns. On any error the temporary file
    /// is removed and nothing appears under `path`.
    public static func createAtomically(_ path: String, _ write: (HDF5Group) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString.prefix(8)).tmp").path
        do {
            try HDF5Library.serialized {
                let id = H5Fcreate(temporary, nnp_H5F_ACC_EXCL(), nnp_H5P_DEFAULT(), nnp_H5P_DEFAULT())
                let file = try HDF5Handle.owning(id, close: H5Fclose, "create", file: path, object: "/")
                do {
                    let rootID = H5Gopen2(file.id, "/", nnp_H5P_DEFAULT())
                    let root = HDF5Group(handle: try HDF5Handle.owning(rootID, close: H5Gclose, "create", file: path, object: "/"),
                                         file: path, path: "/")
                    try write(root)
                }
                try HDF5Library.check(H5Fflush(file.id, H5F_SCOPE_GLOBAL), "write", file: path, object: "/")
            }
            // Every handle made inside `write` is released by now, so the file is closed.
            guard rename(temporary, path) == 0 else {
                throw HDF5Error(operation: "write", file: path, object: "/",
                                message: "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
