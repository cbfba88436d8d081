import TuanDomain
import TuanApp

/// The `tuan` command line: finds the command named by the leading words, parses its
/// options, runs it and prints text or JSON. Exit codes: 0 ok, 1 refused by a rule or not
/// found, 2 usage error, 3 internal failure.
public enum TuanCLI {
    /// Every command, in the order `tuan --help` lists them.
    public static var commands: [CommandSpec] {
        CatalogCommands.all + CampaignCommands.all + PledgeCommands.all + LedgerCommands.all + PurchaseOrderCommands.all + ForecastCommands.all + CommunityCommands.all + SubscriptionCommands.all + ServerCommands.all + InboxCommands.all + AuditCommands.all + RefundCommands.all + EventCommands.all
    }

    public static func run(_ arguments: [String], environment: [String: String],
                           standardOutput: @escaping (String) -> Void, standardError: @escaping (String) -> Void) -> Int32 {
        if arguments.isEmpty || arguments == ["--help"] || arguments == ["help"] || arguments == ["-h"] {
            standardOutput(overview(commands))
            return arguments.isEmpty ? 2 : 0
        }
        // Longest command path that prefixes the arguments.
        let match = commands.filter { Array(arguments.prefix($0.path.count)) == $0.path }.max { $0.path.count < $1.path.count }
        guard let spec = match else {
            let group = commands.filter { $0.path.first == arguments[0] }
            if !group.isEmpty {
                let wantsHelp = arguments.count == 1 || arguments.contains("--help")
                standardError((wantsHelp ? "" : "error: unknown command '\(arguments.joined(separator: " "))'\n\n")
                              + "'\(arguments[0])' commands:\n" + group.map { "  tuan \($0.path.joined(separator: " "))  \($0.summary)" }.joined(separator: "\n"))
                return wantsHelp ? 0 : 2
            }
            standardError("error: unknown command '\(arguments[0])'. Run 'tuan --help' for the list.")
            return 2
        }
        let rest = Array(arguments.dropFirst(spec.path.count))
        let parsed: ParsedArguments
        do {
            parsed = try ParsedArguments(rest, spec: spec)
        } catch {
            standardError("error: \(error)\n\n\(spec.usage)")
            return 2
        }
        if parsed.flag("help") { standardOutput(spec.usage); return 0 }
        let context = CommandContext(arguments: parsed, environment: environment, standardOutput: standardOutput,
                                     standardError: standardError)
        defer { context.close() }
        do {
            guard let output = try spec.run(parsed, context) else { return 0 }
            standardOutput(parsed.flag("json") ? output.json.prettyPrinted : output.text)
            return 0
        } catch let error as DomainError {
            standardError("error: \(error.description) [\(error.code)]")
            return 1
        } catch let error as CommandLineError {
            standardError("error: \(error)\n\n\(spec.usage)")
            return 2
        } catch {
            standardError("error: \(error)")
            return 3
        }
    }

    static func overview(_ commands: [CommandSpec]) -> String {
        var lines = ["tuan: demand aggregation and C2M group pre-orders", "", "usage: tuan <command> [options]", "", "commands:"]
        for c in commands {
            let left = "  " + (c.path + c.positionals.map { "<\($0)>" }).joined(separator: " ")
            lines.append(left.padding(toLength: max(left.count + 2, 36), withPad: " ", startingAt: 0) + c.summary)
        }
        lines += ["", "Every command takes --db PATH (default ./tuan.db or $TUAN_DB), --json and --help."]
        return lines.joined(separator: "\n")
    }
}
