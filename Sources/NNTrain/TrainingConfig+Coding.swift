import Foundation
import NNModel
import NNTasks

/// The stored form of a `TrainingConfig`: one level of snake_case keys (`batch_norm`, `lr`,
/// `grad_steps`) holding the task, the seed and the fields of the model, optimisation and run
/// sections, with the data options under `data` (`data.train_size`). Each section's coding is
/// synthesised; its field names become keys by `SettingKey.snakeCased`.
extension TrainingConfig: Codable {
    /// Encodes the stored form. Settings added after the first stored form (`laterKeys`) are left
    /// out while at their defaults, so an MLP's configuration is stored as before, byte for byte;
    /// reading fills them in.
    public func encode(to encoder: Encoder) throws {
        var tree = try settingsTree()
        let defaults = try TrainingConfig().settingsTree()
        for key in Self.laterKeys {
            if key.hasPrefix("data."), case .object(var data)? = tree["data"], case .object(let defaultData)? = defaults["data"] {
                let field = String(key.dropFirst(5))
                if data[field] == defaultData[field] { data[field] = nil }
                tree["data"] = .object(data)
            } else if tree[key] == defaults[key] {
                tree[key] = nil
            }
        }
        try JSONValue.object(tree).encode(to: encoder)
    }

    /// The settings conv nets brought (the model family and its shape, freezing a backbone,
    /// augmentation, a class subset): stored only when set.
    static let laterKeys = ["arch", "blocks", "base_width", "no_residual", "channels", "fc", "heads_on", "freeze_backbone", "data.augment", "data.class_subset"]

    /// Decodes any subset of the stored form: missing keys keep their defaults, an unknown key
    /// or a value of the wrong type is an error naming the key (through `SettingsPatch`).
    public init(from decoder: Decoder) throws {
        let tree = try JSONValue(from: decoder)
        self = try SettingsPatch(tree: tree).applied(to: TrainingConfig())
    }

    /// Every setting's key, in the order of the fields: `task`, `seed`, the model, optimisation
    /// and run fields, then `data.…`. The keys a patch may set.
    public static let settingKeys: [String] = {
        let flat = ["task", "seed"] + [ModelSettings() as Any, OptimizationSettings(), RunSettings()].flatMap(SettingKey.fields)
        return flat + SettingKey.fields(of: TaskOptions()).map { "data." + $0 }
    }()

    /// The value of the setting `key` as Swift holds it (`1.0` for an `lr` of 1, `Optional`s
    /// unwrapped, nil when unset or unknown), e.g. to label a swept run.
    public func value(of key: String) -> Any? {
        let (sections, field): ([Any], String) = key.hasPrefix("data.")
            ? ([data], String(key.dropFirst(5))) : ([self as Any, model, optimization, run], key)
        for section in sections {
            for child in Mirror(reflecting: section).children where child.label.map(SettingKey.snakeCased) == field {
                let unwrapped = Mirror(reflecting: child.value)
                guard unwrapped.displayStyle == .optional else { return child.value }
                return unwrapped.children.first?.value
            }
        }
        return nil
    }

    /// The stored form as a tree. Each section is encoded once for all the configurations of a
    /// sweep that share it (`RecentCodings`).
    func settingsTree() throws -> [String: JSONValue] {
        var tree = ["task": JSONValue.string(task), "seed": .integer(Int(truncatingIfNeeded: seed))]
        if seed > UInt64(Int.max) { tree["seed"] = .number(Double(seed)) }
        let sections = [try Self.modelTrees.value(for: model, SettingKey.tree), try Self.optimizationTrees.value(for: optimization, SettingKey.tree),
                        try Self.runTrees.value(for: run, SettingKey.tree)]
        for section in sections {
            tree.merge(section) { first, _ in first }
        }
        tree["data"] = .object(try Self.dataTrees.value(for: data, SettingKey.tree))
        return tree
    }

    /// The configuration a complete stored tree describes (every key of `settingsTree()` present).
    /// The model, optimisation and run sections decode from the flat keys but the task and seed
    /// (no section has either), once for all configurations that share them; the data options
    /// from `data`, likewise.
    init(settingsTree tree: [String: JSONValue]) throws {
        self.init()
        let identity = try SettingKey.decoder.decode(Identity.self, from: try SettingKey.data(.object(tree.filter { $0.key == "task" || $0.key == "seed" })))
        (task, seed) = (identity.task, identity.seed)
        (model, optimization, run) = try Self.sectionDecodings.value(for: tree.filter { !["task", "seed", "data"].contains($0.key) }) { flatTree in
            let flat = try SettingKey.data(.object(flatTree))
            return (try SettingKey.decoder.decode(ModelSettings.self, from: flat), try SettingKey.decoder.decode(OptimizationSettings.self, from: flat),
                    try SettingKey.decoder.decode(RunSettings.self, from: flat))
        }
        data = try Self.dataDecodings.value(for: tree["data"] ?? .object([:])) { try SettingKey.decoder.decode(TaskOptions.self, from: try SettingKey.data($0)) }
    }

    private static let modelTrees = RecentCodings<ModelSettings, [String: JSONValue]>()
    private static let optimizationTrees = RecentCodings<OptimizationSettings, [String: JSONValue]>()
    private static let runTrees = RecentCodings<RunSettings, [String: JSONValue]>()
    private static let dataTrees = RecentCodings<TaskOptions, [String: JSONValue]>()
    private static let sectionDecodings = RecentCodings<[String: JSONValue], (ModelSettings, OptimizationSettings, RunSettings)>()
    private static let dataDecodings = RecentCodings<JSONValue, TaskOptions>()

    /// The two settings outside the sections.
    private struct Identity: Decodable {
        let task: String
        let seed: UInt64
    }
}

/// How field names become setting keys, and the coders that use them.
enum SettingKey {
    /// `batchNorm` → `batch_norm`, `beta1` → `beta1`.
    static func snakeCased(_ name: String) -> String {
        name.reduce(into: "") { key, c in
            if c.isUppercase { key += "_" + c.lowercased() } else { key.append(c) }
        }
    }

    /// `batch_norm` → `batchNorm`.
    static func camelCased(_ key: String) -> String {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false)
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }

    /// The keys of a section's fields, in declaration order (every field, set or not).
    static func fields(of section: Any) -> [String] {
        Mirror(reflecting: section).children.compactMap { $0.label.map(snakeCased) }
    }

    /// A section encoded with snake_case keys (optional fields without a value left out).
    static func tree<Section: Encodable>(of section: Section) throws -> [String: JSONValue] {
        guard case .object(let tree) = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(section)) else { return [:] }
        return tree
    }

    static func data(_ value: JSONValue) throws -> Data { try JSONEncoder().encode(value) }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in AnyKey(snakeCased(path.last!.stringValue)) }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in AnyKey(camelCased(path.last!.stringValue)) }
        return decoder
    }()

    /// A key with any name.
    struct AnyKey: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
