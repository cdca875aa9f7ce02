// zlib for Swift: `inflateInit2` is a macro, so it is wrapped here.
#include <zlib.h>

/// Starts inflating a gzip stream (window bits 15, +16 for the gzip header and trailer).
static inline int nnprobe_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
