import CHDF5

/// The numeric element types nnprobe stores: Float32, Float64, Int32, Int64, UInt8.
public enum HDF5ScalarKind: String, Sendable {
    case float32, float64, int32, int64, uint8

    /// HDF5's native memory type for this kind.
    var nativeType: hid_t {
        switch self {
        case .float32: nnp_H5T_NATIVE_FLOAT()
        case .float64: nnp_H5T_NATIVE_DOUBLE()
        case .int32: nnp_H5T_NATIVE_INT32()
        case .int64: nnp_H5T_NATIVE_INT64()
        case .uint8: nnp_H5T_NATIVE_UINT8()
        }
    }

    var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}

/// A Swift type that maps to one HDF5 native numeric type.
public protocol HDF5Scalar: Sendable {
    static var hdf5Kind: HDF5ScalarKind { get }
    init()
}

extension Float: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .float32 } }
extension Double: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .float64 } }
extension Int32: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int32 } }
extension Int64: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .int64 } }
extension UInt8: HDF5Scalar { public static var hdf5Kind: HDF5ScalarKind { .uint8 } }
