// nnprobe-bench: times nnprobe's hot paths for `make bench` (bench/run.sh), one measurement per
// process so peak memory belongs to that measurement. Prints one JSON line.
//
//   nnprobe-bench train NET [--steps N]   steady-state Adam steps at batch 128 (NET: see `nets`)
//   nnprobe-bench similarity              debiased CKA of 100 nets × 10,000 rows × 16 units, all pairs
//   nnprobe-bench conv NET [--steps N] [--threads T] [--backend dnnl-chosen|dnnl-plain|im2col]
//                                         SGD steps of a conv net at batch 128 (NET: see `convNets`)
//   nnprobe-bench conv-spectrum [ROUND]   operator spectrum of a 64→64 3×3 conv layer on 32×32, one core
//   nnprobe-bench probe DIR [--tight]     logistic-regression probe fit, 10,000 × 128, 10 classes (tol 1e-4, or 1e-10)
import Foundation
import NNLinalg
import NNModel
import NNTasks
import NNTrain

/// The reference nets: input width, hidden widths, outputs, batch norm, loss.
let nets: [String: (inputs: Int, hidden: [Int], outputs: Int, batchNorm: Bool, loss: LossFunction)] = [
    "4-16-2": (4, [16], 2, false, .mse),
    "4-64-64-2": (4, [64, 64], 2, false, .mse),
    "2-16x6bn-10": (2, Array(repeating: 16, count: 6), 10, true, .crossEntropy),
    "784-128x4-10": (784, Array(repeating: 128, count: 4), 10, false, .crossEntropy),
]

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("nnprobe-bench: \(message)\n".utf8))
    exit(2)
}

func benchTrain(_ name: String, steps: Int?) {
    guard let net = nets[name] else { fail("unknown net '\(name)'; nets: \(nets.keys.sorted().joined(separator: ", "))") }
    let batch = 128, pool = 1024
    var rng = RandomSource(seed: 1)
    let inputs = (0..<(pool * net.inputs)).map { _ in Float(rng.uniform(-1, 1)) }
    let data = net.loss == .mse
        ? Dataset(inputs: inputs, targets: (0..<(pool * net.outputs)).map { _ in Float(rng.uniform(-1, 1)) },
                  inputWidth: net.inputs, outputWidth: net.outputs)
        : Dataset(inputs: inputs, labels: (0..<pool).map { _ in Int32(rng.index(below: net.outputs)) },
                  inputWidth: net.inputs, outputWidth: net.outputs)
    var architecture = Architecture(inputs: net.inputs, hidden: net.hidden, outputs: net.outputs)
    architecture.batchNorm = net.batchNorm
    var config = TrainingConfig()
    config.optimization.lr = 1e-3
    let measured = steps ?? (net.inputs > 100 ? 300 : 5000)
    let step = TrainingStep(network: LayerNetwork<Float>(architecture.build(seed: 0)), config: config, loss: net.loss,
                            batchSize: batch, totalSteps: measured + 100)
    let batches = pool / batch
    func run(_ count: Int) {
        for s in 0..<count {
            let start = (s % batches) * batch
            step.run(on: data, indices: ArraySlice(start..<(start + batch)), lr: 1e-3)
        }
    }
    run(100)  // warm-up
    let clock = ContinuousClock()
    let elapsed = clock.measure { run(measured) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print(#"{"bench": "train", "net": "\#(name)", "impl": "nnprobe", "steps": \#(measured), "us_per_step": \#(seconds / Double(measured) * 1e6), "peak_mib": \#(peakMemoryMiB())}"#)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var steps: Int?
if let i = arguments.firstIndex(of: "--steps"), i + 1 < arguments.count {
    steps = Int(arguments[i + 1])
    arguments.removeSubrange(i...(i + 1))
}
/// Removes `--flag VALUE` from the arguments and returns VALUE.
@MainActor func option(_ flag: String) -> String? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
var threads = 1, backend = ConvolutionBackend.dnnl(.chosen)
if let value = option("--threads") {
    guard let count = Int(value), count >= 1 else { fail("--threads takes a count, not '\(value)'") }
    threads = count
}
if let value = option("--backend") {
    let backends: [String: ConvolutionBackend] = ["dnnl-chosen": .dnnl(.chosen), "dnnl-plain": .dnnl(.plain), "im2col": .im2col]
    guard let chosen = backends[value] else { fail("--backend: one of \(backends.keys.sorted()), not '\(value)'") }
    backend = chosen
}
BLASThreads.set(ProcessInfo.processInfo.environment["NNPROBE_BLAS_THREADS"].flatMap(Int.init) ?? 1)  // as the CLI does
switch arguments.first {
case "train" where arguments.count == 2: benchTrain(arguments[1], steps: steps)
case "conv" where arguments.count == 2: benchConvTrain(arguments[1], steps: steps, threads: threads, backend: backend)
case "similarity" where arguments.count == 1: benchSimilarity()
case "conv-spectrum" where arguments.count <= 2: benchConvolutionSpectrum(round: arguments.count == 2 ? Int(arguments[1]) ?? 0 : 0)
case "probe" where arguments.count == 2: benchProbe(directory: arguments[1], tolerance: 1e-4, name: "probe-fit")
case "probe" where arguments.count == 3 && arguments[2] == "--tight": benchProbe(directory: arguments[1], tolerance: 1e-10, name: "probe-fit-tight")
default: fail("usage: nnprobe-bench train NET [--steps N] | nnprobe-bench similarity | nnprobe-bench conv NET [--steps N] [--threads T] [--backend B] | nnprobe-bench conv-spectrum [ROUND] | nnprobe-bench probe DIR [--tight]")
}
