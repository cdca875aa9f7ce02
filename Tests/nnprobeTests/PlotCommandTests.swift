import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct PlotCommandTests {
    func svg(at path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(XMLParser(data: Data(text.utf8)).parse(), "\(path) is not well-formed XML")
        return text
    }

    @Test func everySubcommandDrawsItsFigure() throws {
        let dir = try temporaryDirectory()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let spirals = path("sp.h5")
        #expect(try runNNProbe(["train", "spirals", "--hidden", "8,8", "--epochs", "3", "--train-size", "800", "--save", spirals,
                                "--no-dump", "--plot", path("train.svg")]).status == 0)
        let mm = try trainMultiMult(in: dir, seeds: [0, 1], epochs: 2)
        let runs: [([String], String, [String])] = [
            (["svd", spirals], "svd.svg", [">layer_0 8×2<", ">layer_2 2×8<", "random-matrix edge"]),
            (["norms"] + mm, "norms.svg", [">mm-s0<", ">mm-s1<", ">layer_0<"]),
            (["grads", spirals], "grads.svg", [">first steps<", ">last steps<", ">layer_1<"]),
            (["ortho"] + mm, "ortho.svg", [">within ±0.05<", "Unit attribution"]),
            (["pca", mm[0], "--vary", "task1"], "pca.svg", ["Scree, layer_0", "task1 (varied)", "task0: top two"]),
            (["regions", spirals], "regions.svg", [">decision boundary<", ">class 0<", ">class 1<"]),
            (["similarity"] + mm, "similarity.svg", [">layer_0: cka (yellow = 1)<", ">layer_1: procrustes (yellow = 0)<"]),
            (["similarity", spirals, "--measure", "svcca"], "layers.svg", [">layers: svcca (yellow = 1)<"]),
            (["probe", spirals, "--baseline", "logistic"], "probe.svg", [">layer_2<", ">logistic on the inputs<", ">most frequent class<"]),
            (["ablate", "--patch"] + mm, "ablate.svg", [">Each unit of layer_0 ablated (mean)<", ">weights: shared<",
                                                        ">Patched from another row (", ">Unit roles over 2 checkpoints<"]),
        ]
        for (arguments, file, expected) in runs {
            let result = try runNNProbe(arguments + ["--plot", path(file)])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let text = try svg(at: path(file))
            for label in expected { #expect(text.contains(label), "\(file) lacks \(label)") }
        }
        let train = try svg(at: path("train.svg"))
        for label in [">train<", ">validation<", ">test<", ">Learning rate<"] { #expect(train.contains(label)) }
        // The report embeds figures with distinct element ids.
        #expect(try runNNProbe(["report", spirals, "--out", path("r.html")]).status == 0)
        let html = try String(contentsOfFile: path("r.html"), encoding: .utf8)
        let ids = html.components(separatedBy: "<clipPath id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(ids.count >= 4 && Set(ids).count == ids.count)
        #expect(html.contains("<h2>Linear regions (sp)</h2>"))
    }
}
