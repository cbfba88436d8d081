import TuanDomain
import TuanApp

enum LedgerCommands {
    static var all: [CommandSpec] { [balance] }

    static let balance = CommandSpec(
        path: ["ledger", "balance"],
        summary: "account balances, checked: debits = credits, escrow = deposits held, running = sum of postings"
    ) { _, ctx in
        let audit = try ctx.app().ledgerAudit().runBlocking()
        let running = audit.running, held = audit.depositsHeld, due = audit.refundsDue
        let ok = audit.isConsistent
        var lines: [String] = []
        for currency in audit.currencies {
            let c = try Currency(currency)
            lines.append("\(currency):")
            for account in Account.allCases {
                let amount = running.balance(account, currency: currency)
                // Show each account on its natural side so the figures read as positive amounts.
                let natural = account.isDebitNormal ? amount : -amount
                lines.append("  \(account.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Money(minor: natural, currency: c).decimalString)")
            }
            lines.append("  escrow held \(Money(minor: running.escrowHeld(currency: currency), currency: c).decimalString), deposits on live pledges \(Money(minor: held[currency] ?? 0, currency: c).decimalString)")
            lines.append("  refunds due \(Money(minor: due[currency] ?? 0, currency: c).decimalString) (not yet paid out to consumers)")
        }
        lines.append(ok ? "ledger balanced: debits = credits, escrow = deposits held, refunds payable = refunds due" : "LEDGER CHECK FAILED")
        guard ok else { throw DomainError(.unbalanced, lines.joined(separator: "\n")) }
        var json = running.json
        if case .object(var fields) = json { fields.append(.init("verified", .bool(true))); json = .object(fields) }
        return CommandOutput(text: lines.joined(separator: "\n"), json: json)
    }
}
