// Thin C shim over HDF5 1.10: the library's headers plus `static inline`
// accessors for the macro constants Swift cannot import.
#ifndef NNPROBE_CHDF5_SHIM_H
#define NNPROBE_CHDF5_SHIM_H

#include <hdf5.h>

static inline hid_t nnp_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline unsigned nnp_H5F_OBJ_ALL(void) { return H5F_OBJ_ALL; }
static inline hid_t nnp_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t nnp_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline unsigned nnp_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned nnp_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned nnp_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline hid_t nnp_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t nnp_H5P_GROUP_CREATE(void) { return H5P_GROUP_CREATE; }
static inline hid_t nnp_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t nnp_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t nnp_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t nnp_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t nnp_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t nnp_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t nnp_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t nnp_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t nnp_H5T_VARIABLE(void) { return H5T_VARIABLE; }

/// `H5Oget_info_by_name` is a versioned macro in 1.10; this asks only for the object type.
static inline int nnp_object_type(hid_t loc, const char *name, H5O_type_t *type) {
    H5O_info_t info;
    herr_t status = H5Oget_info_by_name(loc, name, &info, H5P_DEFAULT);
    if (status < 0) return -1;
    *type = info.type;
    return 0;
}

/// An object's header address and counts (`H5Oget_info` is a versioned macro in 1.10).
static inline int nnp_object_info(hid_t object, H5O_info_t *info) {
    return H5Oget_info(object, info) < 0 ? -1 : 0;
}

/// The object header address a hard link `name` points at, without opening the object
/// (0 when it is not a hard link); -1 on error.
static inline int nnp_link_address(hid_t loc, const char *name, haddr_t *address) {
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
    *address = info.type == H5L_TYPE_HARD ? info.u.address : 0;
    return 0;
}

/// Number of attributes on an object (`H5Oget_info` is a versioned macro in 1.10).
static inline long long nnp_attribute_count(hid_t object) {
    H5O_info_t info;
    if (H5Oget_info(object, &info) < 0) return -1;
    return (long long)info.num_attrs;
}

/// Switches off HDF5's automatic printing of error stacks for the calling thread, once per
/// thread: Debian builds HDF5 thread-safe, and a thread-safe HDF5 keeps that switch per thread.
static inline void nnp_quiet_errors_on_this_thread(void) {
    static _Thread_local int quiet = 0;
    if (!quiet) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        quiet = 1;
    }
}

#endif
