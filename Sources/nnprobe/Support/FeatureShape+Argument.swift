import ArgumentParser
import NNModel

/// `--input-shape C,H,W` (an image: channels, height, width) or `--input-shape N` (N flat features).
extension FeatureShape: ExpressibleByArgument {
    public init?(argument: String) {
        let sizes = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard sizes.count == 1 || sizes.count == 3, sizes.allSatisfy({ $0.map { (1...(1 << 30)).contains($0) } ?? false }) else { return nil }
        self.init(channels: sizes[0]!, height: sizes.count == 3 ? sizes[1]! : 1, width: sizes.count == 3 ? sizes[2]! : 1)
    }

    public var defaultValueDescription: String { "\(channels),\(height),\(width)" }
}
