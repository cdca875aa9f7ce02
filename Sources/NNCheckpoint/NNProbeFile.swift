import Foundation

/// The kinds of file nnprobe writes, told apart by the root attribute `format`.
public enum NNProbeFileKind: String, Sendable {
    case checkpoint = "nnprobe.checkpoint"
    case activations = "nnprobe.activations"

    /// The newest `format_version` of this kind that this build reads and writes: checkpoints and
    /// activation dumps of conv nets (and any non-MLP stack) are version 2, MLPs' stay version 1.
    public var formatVersion: Int64 { 2 }
}

/// Opening any nnprobe file with the checks every reader needs: the file exists, is HDF5, is
/// nnprobe's, and is not newer than this build.
public enum NNProbeFile {
    /// Opens `path`, checks it, and returns its root group and kind.
    /// - Parameters:
    ///   - expected: when given, a file of the other kind is rejected by name.
    ///   - contents: the file's bytes, when the caller has already read it whole.
    public static func open(_ path: String, expecting expected: NNProbeFileKind? = nil,
                            contents: [UInt8]? = nil) throws -> (root: HDF5Group, kind: NNProbeFileKind) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileFormatError(file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw FileFormatError(file: path, "is a directory, expected an .h5 file") }
        let root: HDF5Group
        do { root = try HDF5File.openForReading(path, contents: contents) } catch let failure as HDF5File.OpenFailure {
            switch failure {
            case .unreadable: throw FileFormatError(file: path, "permission denied")
            case .notHDF5: throw FileFormatError(file: path, "not an HDF5 file (no HDF5 signature; truncated, or another format)")
            case .corrupted(let error): throw FileFormatError(file: path, "corrupted or truncated HDF5 file (\(error.message))")
            }
        }
        guard try root.hasAttribute("format") else {
            throw FileFormatError(file: path, "an HDF5 file, but not nnprobe's (no 'format' attribute on the root group)")
        }
        let format = try root.stringAttribute("format")
        guard let kind = NNProbeFileKind(rawValue: format) else {
            throw FileFormatError(file: path, "format is '\(format)', expected 'nnprobe.checkpoint' or 'nnprobe.activations'")
        }
        if let expected, kind != expected {
            let described = kind == .checkpoint ? "a checkpoint" : "an activation dump"
            throw FileFormatError(file: path, "is \(described), expected \(expected == .checkpoint ? "a checkpoint" : "an activation dump")")
        }
        guard try root.hasAttribute("format_version") else {
            throw FileFormatError(file: path, "no 'format_version' attribute on the root group")
        }
        let version = try root.integerAttribute("format_version")
        guard version >= 1 else { throw FileFormatError(file: path, "format_version \(version) is not valid") }
        guard version <= kind.formatVersion else {
            throw FileFormatError(file: path, "format_version \(version) is newer than this nnprobe reads (\(kind.formatVersion)); upgrade nnprobe")
        }
        return (root, kind)
    }
}
