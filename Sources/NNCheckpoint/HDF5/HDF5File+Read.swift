import CHDF5
import Foundation
import Synchronization

extension HDF5File {
    /// Why a file could not be opened for reading.
    public enum OpenFailure: Error, Sendable {
        /// It cannot be read at all (permissions, or it vanished).
        case unreadable
        /// It has no HDF5 superblock signature: another format, or truncated before the superblock.
        case notHDF5
        /// It has the signature but HDF5 cannot open it; the error carries HDF5's message.
        case corrupted(HDF5Error)
    }

    /// Files up to this size are read whole, with one read, and opened from memory (HDF5's core
    /// driver with a file image) instead of object by object from disk: a small checkpoint then
    /// opens with 4 system calls instead of ~20, which is what reading thousands of them costs.
    public static let wholeFileReadLimit: UInt64 = 16 << 20

    /// The 8-byte signature that starts an HDF5 superblock.
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Offsets where a superblock may start: byte 0, or after a user block of 512, 1024, 2048, … bytes.
    static func superblockOffsets(size: UInt64) -> some Sequence<UInt64> {
        sequence(first: UInt64(0)) { $0 == 0 ? 512 : $0 * 2 }.prefix { $0 + 8 <= size }
    }

    /// The whole content of `path` when it is at most `wholeFileReadLimit` bytes long, else nil.
    public static func smallFileBytes(_ path: String) throws(OpenFailure) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil else { throw .unreadable }
        guard size <= wholeFileReadLimit else { return nil }
        guard let data = try? handle.readToEnd() ?? Data() else { throw .unreadable }
        return [UInt8](data)
    }

    /// Opens `path` read-only and returns its root group, after checking the HDF5 signature.
    /// - Parameter contents: the file's bytes, when the caller has already read it whole (`smallFileBytes`).
    public static func openForReading(_ path: String, contents: [UInt8]? = nil) throws -> HDF5Group {
        if let image = try contents ?? smallFileBytes(path) {
            guard superblockOffsets(size: UInt64(image.count)).contains(where: {
                image[Int($0)..<Int($0) + 8].elementsEqual(signature)
            }) else { throw OpenFailure.notHDF5 }
            return try open(path, image: image)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw OpenFailure.unreadable }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { throw OpenFailure.unreadable }
        guard superblockOffsets(size: size).contains(where: { offset in
            guard (try? handle.seek(toOffset: offset)) != nil, let bytes = try? handle.read(upToCount: 8) else { return false }
            return [UInt8](bytes) == signature
        }) else { throw OpenFailure.notHDF5 }
        return try open(path, image: nil)
    }

    /// Numbers the in-memory images opened, so no two share a name.
    private static let imageCount = Atomic<Int>(0)

    private static func nextImageNumber() -> Int {
        imageCount.add(1, ordering: .relaxed).newValue
    }

    /// `H5Fopen` on `path`, or on a copy of `image` in memory when one is given.
    private static func open(_ path: String, image: [UInt8]?) throws -> HDF5Group {
        do {
            return try HDF5Library.serialized {
                var memory: HDF5Handle?
                if let image {
                    let access = try HDF5Handle.owning(H5Pcreate(nnp_H5P_FILE_ACCESS()), close: H5Pclose, "open", file: path, object: "/")
                    try HDF5Library.check(H5Pset_fapl_core(access.id, 1 << 16, false), "open", file: path, object: "/")
                    // HDF5 copies the image, and never writes to it (the file is opened read-only).
                    _ = try image.withUnsafeBytes { bytes in
                        try HDF5Library.check(H5Pset_file_image(access.id, UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count),
                                              "open", file: path, object: "/")
                    }
                    memory = access
                }
                // An image must be opened under a name that exists nowhere (HDF5 refuses an existing
                // file's name) and that no other open image shares (HDF5 would hand back that file).
                let name = memory == nil ? path : "/dev/null/nnprobe-image-\(nextImageNumber())"
                let id = withExtendedLifetime(memory) { H5Fopen(name, nnp_H5F_ACC_RDONLY(), memory?.id ?? nnp_H5P_DEFAULT()) }
                let file = try HDF5Handle.owning(id, close: H5Fclose, "open", file: path, object: "/")
                let root = H5Gopen2(file.id, "/", nnp_H5P_DEFAULT())
                let rootHandle = try HDF5Handle.owning(root, close: H5Gclose, "open", file: path, object: "/")
                return HDF5Group(handle: rootHandle, file: path, path: "/",
                                 headers: try image.map { try headerBounds(file.id, bytes: $0, path: path) })
            }
        } catch let error as HDF5Error {
            throw OpenFailure.corrupted(error)
        }
    }

    /// What `HeaderMessageBounds` needs to walk the headers of the file open as `file`, whose
    /// bytes are `bytes`: the user block's size and the sizes of addresses and lengths, as the
    /// library read them from the superblock.
    private static func headerBounds(_ file: hid_t, bytes: [UInt8], path: String) throws -> HeaderMessageBounds {
        let properties = try HDF5Handle.owning(H5Fget_create_plist(file), close: H5Pclose, "open", file: path, object: "/")
        var offsetSize = 0, lengthSize = 0
        var userBlock: hsize_t = 0
        try HDF5Library.check(H5Pget_sizes(properties.id, &offsetSize, &lengthSize), "open", file: path, object: "/")
        try HDF5Library.check(H5Pget_userblock(properties.id, &userBlock), "open", file: path, object: "/")
        guard userBlock < UInt64(bytes.count) else {
            throw HDF5Error(operation: "open", file: path, object: "/", message: "its user block is longer than the file")
        }
        return HeaderMessageBounds(bytes: bytes, base: Int(userBlock), offsetSize: offsetSize, lengthSize: lengthSize)
    }
}
