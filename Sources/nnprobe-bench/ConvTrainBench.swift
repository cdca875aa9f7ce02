import Foundation
import NNLinalg
import NNModel

/// The conv nets of issue 12's speed goals, as `LayerStack`s (bench/peer_torch_conv.py builds
/// the same in PyTorch): input shape and blocks.
let convNets: [String: LayerStack] = [
    // (a) ResNet [1,1,1,1], width 16, on 3×32×32: a 3×3 stem, four stages of one BasicBlock
    // (16/32/64/128, stride 2 from stage 2, 1×1 conv + BN shortcuts), global average pool, linear 10.
    "resnet-1111-w16": LayerStack(input: FeatureShape(channels: 3, height: 32, width: 32), blocks: [
        Block([.conv2d(channels: 16, kernel: 3, stride: 1, padding: 1, bias: false), .batchNorm, .activation(.relu)]),
        .basic(from: 16, to: 16), .basic(from: 16, to: 32, stride: 2), .basic(from: 32, to: 64, stride: 2),
        .basic(from: 64, to: 128, stride: 2),
        Block([.globalAvgPool, .linear(outputs: 10)]),
    ]),
    // (b) Study 002's CNN on 3×32×32.
    "cnn-002": LayerStack(input: FeatureShape(channels: 3, height: 32, width: 32), blocks: [
        Block([.conv2d(channels: 32, kernel: 3, padding: 1), .activation(.relu), .maxPool(kernel: 2, stride: 2),
               .conv2d(channels: 64, kernel: 3, padding: 1), .activation(.relu), .maxPool(kernel: 2, stride: 2),
               .flatten, .linear(outputs: 128), .activation(.relu), .dropout(0.5), .linear(outputs: 10)]),
    ]),
    // (c) A small CNN on 1×28×28.
    "cnn-28": LayerStack(input: FeatureShape(channels: 1, height: 28, width: 28), blocks: [
        Block([.conv2d(channels: 16, kernel: 5), .activation(.relu), .maxPool(kernel: 2, stride: 2),
               .conv2d(channels: 32, kernel: 5), .activation(.relu), .maxPool(kernel: 2, stride: 2),
               .flatten, .linear(outputs: 10)]),
    ]),
]

/// One SGD training step at a time on a conv net, batch 128: forward (training mode),
/// softmax cross-entropy gradient, zero-grad, backward, θ ← θ − lr·g. The loop of
/// bench/peer_torch_conv.py. Prints one JSON line: microseconds per step.
func benchConvTrain(_ name: String, steps: Int?, threads: Int, backend: ConvolutionBackend) {
    guard let stack = convNets[name] else { fail("unknown conv net '\(name)'; nets: \(convNets.keys.sorted().joined(separator: ", "))") }
    DNNLThreads.set(threads)
    BLASThreads.set(threads)
    let batch = 128, pool = 512, classes = 10
    let width = stack.input.count
    var rng = RandomSource(seed: 1)
    let inputs = (0..<(pool * width)).map { _ in Float(rng.uniform(-1, 1)) }
    let labels = (0..<pool).map { _ in rng.index(below: classes) }
    let net: LayerNetwork<Float>
    do { net = try LayerNetwork<Float>(stack, seed: 0) } catch { fail("\(name): \(error)") }
    net.convolutionBackend = backend
    net.computesInputGradient = false
    var masks = RandomSource(seed: 2)
    var dOut = [Float](repeating: 0, count: batch * classes)
    var loss = 0.0
    let lr: Float = 0.01
    func step(_ s: Int) {
        let start = (s % (pool / batch)) * batch
        let x = Array(inputs[(start * width)..<((start + batch) * width)])
        let logits = net.forward(x, batch: batch, training: true, dropout: &masks)
        loss = crossEntropyGradient(logits: logits, labels: labels[start..<(start + batch)], classes: classes, into: &dOut)
        net.zeroGradients()
        net.backward(dOut)
        sgdUpdate(&net.parameters, net.gradients, lr: lr)
    }
    let measured = steps ?? 20
    for s in 0..<3 { step(s) }  // warm-up: primitives, workspace
    let cpuStart = processorSeconds()
    let clock = ContinuousClock()
    let elapsed = clock.measure { for s in 0..<measured { step(s) } }
    let cpu = processorSeconds() - cpuStart
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let backendName = switch backend { case .im2col: "im2col"; case .dnnl(let layout): "dnnl-\(layout.rawValue)" }
    if !net.convolutionNotes.isEmpty { FileHandle.standardError.write(Data((net.convolutionNotes.joined(separator: "\n") + "\n").utf8)) }
    print(#"{"bench": "conv-train", "net": "\#(name)", "impl": "nnprobe", "backend": "\#(backendName)", "threads": \#(threads), "steps": \#(measured), "us_per_step": \#(seconds / Double(measured) * 1e6), "cpu_us_per_step": \#(cpu / Double(measured) * 1e6), "loss": \#(loss), "peak_mib": \#(peakMemoryMiB())}"#)
}

/// User + system CPU seconds of the process so far (every thread).
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

/// dLogits ← (softmax(logits) − onehot(label)) / batch; returns the mean cross-entropy.
func crossEntropyGradient(logits: [Float], labels: ArraySlice<Int>, classes: Int, into d: inout [Float]) -> Double {
    var total = 0.0
    for (r, label) in labels.enumerated() {
        let row = logits[(r * classes)..<((r + 1) * classes)]
        let top = row.max()!
        let exps = row.map { Foundation.exp(Double($0 - top)) }
        let sum = exps.reduce(0, +)
        total += Foundation.log(sum) - Double(row[row.startIndex + label] - top)
        for j in 0..<classes { d[r * classes + j] = Float((exps[j] / sum - (j == label ? 1 : 0)) / Double(labels.count)) }
    }
    return total / Double(labels.count)
}

/// θ ← θ − lr·g: plain SGD.
func sgdUpdate(_ parameters: inout [Float], _ gradients: [Float], lr: Float) {
    parameters.withUnsafeMutableBufferPointer { p in
        gradients.withUnsafeBufferPointer { g in
            for k in p.indices { p[k] -= lr * g[k] }
        }
    }
}
