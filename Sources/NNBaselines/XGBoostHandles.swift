import Foundation
import CXGBoost
import NNLinalg

/// Every XGBoost C call goes through here: a non-zero status becomes an `XGBoostError` carrying
/// the library's last error message, folded onto one line.
func xgboost(_ operation: String, _ status: Int32) throws(XGBoostError) {
    guard status != 0 else { return }
    let raw = XGBGetLastError().map { String(cString: $0) } ?? "no message"
    let line = raw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    throw XGBoostError(operation: operation, message: line.isEmpty ? "no message" : line.joined(separator: " | "))
}

/// An XGBoost `DMatrix` (features and, for training, labels), freed when released.
final class XGBoostData {
    let handle: DMatrixHandle

    /// The rows of `features` (n × p, no missing values).
    init(_ features: Matrix<Float>) throws(XGBoostError) {
        var out: DMatrixHandle?
        try xgboost("XGDMatrixCreateFromMat", features.storage.withUnsafeBufferPointer {
            XGDMatrixCreateFromMat($0.baseAddress, bst_ulong(features.rows), bst_ulong(features.cols), .nan, &out)
        })
        guard let out else { throw XGBoostError(operation: "XGDMatrixCreateFromMat", message: "returned no matrix") }
        handle = out
    }

    /// Sets the labels: n values, or n × t targets row-major (multi-output regression).
    func setLabels(_ labels: [Float], rows: Int, columns: Int) throws(XGBoostError) {
        if columns == 1 {
            try xgboost("XGDMatrixSetFloatInfo", labels.withUnsafeBufferPointer {
                XGDMatrixSetFloatInfo(handle, "label", $0.baseAddress, bst_ulong(labels.count))
            })
            return
        }
        try labels.withUnsafeBufferPointer { (buffer) throws(XGBoostError) in   // numpy's __array_interface__, read in place
            let address = UInt(bitPattern: buffer.baseAddress)
            let interface = #"{"data": [\#(address), true], "shape": [\#(rows), \#(columns)], "typestr": "<f4", "version": 3}"#
            try xgboost("XGDMatrixSetInfoFromInterface", XGDMatrixSetInfoFromInterface(handle, "label", interface))
        }
    }

    deinit { XGDMatrixFree(handle) }
}

/// An XGBoost booster, freed when released.
final class XGBoostBooster {
    let handle: BoosterHandle

    /// A booster that will train on `data`, with `parameters` set in order.
    init(training data: XGBoostData, parameters: [(String, String)]) throws(XGBoostError) {
        var out: BoosterHandle?
        var matrices: [DMatrixHandle?] = [data.handle]
        try xgboost("XGBoosterCreate", XGBoosterCreate(&matrices, 1, &out))
        guard let out else { throw XGBoostError(operation: "XGBoosterCreate", message: "returned no booster") }
        handle = out
        for (name, value) in parameters {
            try xgboost("XGBoosterSetParam(\(name)=\(value))", XGBoosterSetParam(handle, name, value))
        }
    }

    /// Adds one round of trees fitted to `data`.
    func update(round: Int, _ data: XGBoostData) throws(XGBoostError) {
        try xgboost("XGBoosterUpdateOneIter", XGBoosterUpdateOneIter(handle, Int32(round), data.handle))
    }

    /// Predictions for the rows of `data`: (rows, columns) of the strict output shape, copied out.
    func predict(_ data: XGBoostData) throws(XGBoostError) -> Matrix<Float> {
        let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": true}"#
        var shape: UnsafePointer<bst_ulong>?, dimensions: bst_ulong = 0, result: UnsafePointer<Float>?
        try xgboost("XGBoosterPredictFromDMatrix", XGBoosterPredictFromDMatrix(handle, data.handle, config, &shape, &dimensions, &result))
        guard let shape, dimensions >= 1 else { throw XGBoostError(operation: "XGBoosterPredictFromDMatrix", message: "returned no shape") }
        let rows = Int(shape[0])
        let columns = (1..<Int(dimensions)).reduce(1) { $0 * Int(shape[$1]) }
        guard let result else { return Matrix(rows: rows, cols: columns) }
        return Matrix(rows: rows, cols: columns, storage: Array(UnsafeBufferPointer(start: result, count: rows * columns)))
    }

    deinit { XGBoosterFree(handle) }
}
