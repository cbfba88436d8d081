import Foundation
import TuanDomain
import TuanSQLite
import TuanApp

/// One option a command accepts.
public struct OptionSpec: Sendable {
    public var name: String
    public var valueName: String?
    public var help: String
    public var required = false
    public var repeatable = false

    public var takesValue: Bool { valueName != nil }

    static func value(_ name: String, _ valueName: String, _ help: String, required: Bool = false, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, required: required, repeatable: repeatable)
    }

    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, valueName: nil, help: help) }
}

/// What a command printed: text for people, JSON for `--json`.
public struct CommandOutput {
    public var text: String
    public var json: JSONValue

    /// A CSV document for a terminal: LF line ends, no trailing blank line (the printer adds one).
    static func csv(_ document: String) -> CommandOutput {
        CommandOutput(text: document.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines), json: .null)
    }
}

/// Everything a command needs from its surroundings, injectable for tests.
public final class CommandContext {
    public let environment: [String: String]
    public let standardOutput: (String) -> Void
    public let standardError: (String) -> Void
    private var openedEngine: (any StorageEngine)?
    private var openedApp: TuanApplication?
    private let databasePath: String

    init(arguments: ParsedArguments, environment: [String: String], standardOutput: @escaping (String) -> Void,
         standardError: @escaping (String) -> Void) {
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.databasePath = arguments.value("db") ?? environment["TUAN_DB"] ?? "./tuan.db"
    }

    /// The storage engine over the database, opened (and migrated) on first use: for wiring
    /// (`serve`); commands go through `app()`.
    func engine() throws -> any StorageEngine {
        if let openedEngine { return openedEngine }
        let engine = try SQLiteEngine(path: databasePath)
        openedEngine = engine
        return engine
    }

    /// The application over the database, opened (and migrated) on first use.
    public func app() throws -> TuanApplication {
        if let openedApp { return openedApp }
        let engine = try engine()
        let app = TuanApplication(engine: engine, subscriptionPolicy: SubscriptionPolicy.standard.on(try WeekGrids.stored(in: engine)))
        openedApp = app
        return app
    }

    public var path: String { databasePath }

    /// Now, or `TUAN_NOW` (RFC 3339) so that scripts and tests can replay a timeline.
    public var now: Timestamp {
        if let fixed = environment["TUAN_NOW"], let t = Timestamp(rfc3339: fixed) { return t }
        return Clock.now()
    }

    func close() { openedEngine?.close() }
}

/// A command: its words, its options and what it does.
public struct CommandSpec: Sendable {
    public var path: [String]
    public var summary: String
    public var positionals: [String] = []
    public var options: [OptionSpec] = []
    /// Commands that manage their own output and lifetime (serve) skip the text/JSON printing.
    public var run: @Sendable (ParsedArguments, CommandContext) throws -> CommandOutput?

    static let commonOptions: [OptionSpec] = [
        .value("db", "PATH", "SQLite database file (default ./tuan.db, or $TUAN_DB)"),
        .flag("json", "print machine-readable JSON"),
        .flag("help", "show this help"),
    ]

    var allOptions: [OptionSpec] { options + Self.commonOptions }

    var usage: String {
        var lines = ["usage: tuan \(path.joined(separator: " "))" + positionals.map { " <\($0)>" }.joined() + " [options]",
                     "", summary, "", "options:"]
        for option in allOptions {
            let left = "  --\(option.name)" + (option.valueName.map { " \($0)" } ?? "")
            let notes = (option.required ? " (required)" : "") + (option.repeatable ? " (repeatable)" : "")
            lines.append(left.padding(toLength: max(left.count + 2, 30), withPad: " ", startingAt: 0) + option.help + notes)
        }
        return lines.joined(separator: "\n")
    }
}
