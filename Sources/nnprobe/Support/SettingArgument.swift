import NNTasks
import NNTrain

/// A flag's parsed value as the setting value it stands for.
protocol SettingArgument {
    var settingValue: JSONValue { get }
}

extension Int: SettingArgument { var settingValue: JSONValue { .integer(self) } }
extension Double: SettingArgument { var settingValue: JSONValue { .number(self) } }
extension Bool: SettingArgument { var settingValue: JSONValue { .bool(self) } }
extension String: SettingArgument { var settingValue: JSONValue { .string(self) } }

extension RawRepresentable where RawValue == String, Self: SettingArgument {
    var settingValue: JSONValue { .string(rawValue) }
}

extension ValueList: SettingArgument where T: SettingArgument {
    /// One value, or (a sweep) the list.
    var settingValue: JSONValue { values.count == 1 ? values[0].settingValue : .array(values.map(\.settingValue)) }
}

extension SettingsPatch {
    /// Sets `key` when the flag was given.
    mutating func set(_ key: String, _ flag: (some SettingArgument)?) {
        if let flag { set(key, flag.settingValue) }
    }
}

extension TrainingConfig {
    /// How the value of a swept setting labels its run in a sweep index, as the flag's value
    /// prints: `0.1`, `1.0`, `16`, `relu`, `inverse-time`.
    func sweepLabel(for key: String) -> String {
        switch value(of: key) {
        case let value as any RawRepresentable<String>: value.rawValue
        case let values as [Int]: values.map(String.init).joined(separator: ",")
        case let value?: "\(value)"
        case nil: "unset"
        }
    }
}
