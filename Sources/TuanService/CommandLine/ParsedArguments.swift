import TuanDomain

/// `--name value` options, `--flag` switches and positionals, checked against what a command
/// declares so that a misspelt option is an error rather than silently ignored.
public struct ParsedArguments {
    public private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String], spec: CommandSpec) throws(CommandLineError) {
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("--"), argument.count > 2 else { positionals.append(argument); continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = spec.allOptions.first(where: { $0.name == name }) else {
                throw CommandLineError.usage("unknown option --\(name) for '\(spec.path.joined(separator: " "))'")
            }
            if option.takesValue {
                let value: String
                if let inlineValue { value = inlineValue } else {
                    guard i < arguments.count else { throw CommandLineError.usage("--\(name) needs a value") }
                    value = arguments[i]
                    i += 1
                }
                if !option.repeatable, values[name] != nil { throw CommandLineError.usage("--\(name) given twice") }
                values[name, default: []].append(value)
            } else {
                guard inlineValue == nil else { throw CommandLineError.usage("--\(name) takes no value") }
                flags.insert(name)
            }
        }
        if flags.contains("help") { return }
        guard positionals.count == spec.positionals.count else {
            let expected = spec.positionals.map { "<\($0)>" }.joined(separator: " ")
            throw CommandLineError.usage("'\(spec.path.joined(separator: " "))' takes \(expected.isEmpty ? "no arguments" : expected)")
        }
        for option in spec.options where option.required && values[option.name] == nil {
            throw CommandLineError.usage("--\(option.name) is required")
        }
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }
    public func value(_ name: String) -> String? { values[name]?.first }
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    public func string(_ name: String) throws(DomainError) -> String {
        guard let v = value(name) else { throw .invalid(name, "is required") }
        return v
    }

    public func int(_ name: String) throws(DomainError) -> Int64? {
        guard let v = value(name) else { return nil }
        guard let i = Int64(v) else { throw .invalid(name, "must be a whole number, got \"\(v)\"") }
        return i
    }

    public func requiredInt(_ name: String) throws(DomainError) -> Int64 {
        guard let i = try int(name) else { throw .invalid(name, "is required") }
        return i
    }

    public func timestamp(_ name: String) throws(DomainError) -> Timestamp? {
        guard let v = value(name) else { return nil }
        guard let t = Timestamp(rfc3339: v) else { throw .invalid(name, "must be an RFC 3339 time like 2026-12-01T12:00:00Z") }
        return t
    }

    public func positionalID(_ index: Int, name: String) throws(DomainError) -> Int64 {
        guard let id = Int64(positionals[index]), id > 0 else { throw .invalid(name, "must be a positive id, got \"\(positionals[index])\"") }
        return id
    }
}

public enum CommandLineError: Error, CustomStringConvertible {
    case usage(String)
    public var description: String {
        switch self { case .usage(let m): return m }
    }
}
