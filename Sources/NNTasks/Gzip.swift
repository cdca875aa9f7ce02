import CZlib

/// Gzip decompression (zlib's inflate), for data sets shipped compressed, as Debian's
/// `dataset-fashion-mnist` ships its IDX files. The only user of CZlib.
enum Gzip {
    /// Whether `bytes` start with the gzip magic number.
    static func isCompressed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x1F, 0x8B]) }

    /// The decompressed bytes of the gzip stream in `bytes` (from the file `path`, for messages);
    /// refuses a stream that inflates past `limit` bytes, is damaged or ends early.
    static func decompress(_ bytes: [UInt8], path: String, limit: Int = 1 << 32) throws -> [UInt8] {
        var stream = z_stream()
        guard nnprobe_inflate_init_gzip(&stream) == Z_OK else { throw TaskError("\(path): cannot start gzip decompression") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status = Z_OK
        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(clamping: input.count)
            while status == Z_OK {
                status = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw TaskError("\(path): decompresses to more than \(limit) bytes; not a data set nnprobe reads")
                }
                output += chunk[..<produced]
                if status == Z_BUF_ERROR && stream.avail_in > 0 { status = Z_OK }   // output was full: go on
            }
        }
        guard status == Z_STREAM_END else {
            let detail = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            let reason = status == Z_BUF_ERROR ? "the file ends before the compressed data does" : "damaged gzip data (\(detail))"
            throw TaskError("\(path): \(reason)")
        }
        return output
    }
}
