import TuanDomain

/// The time-based work's queries: what is due now, and when the next thing falls due.
extension TuanApplication {
    /// Live campaigns past their deadline.
    public func campaignsDueToClose(at now: Timestamp) -> UseCase<[Int64]> {
        UseCase(self, .read) { try $0.campaignsDueToClose(at: now) }
    }

    /// Teams still forming after their window.
    public func lapsedTeams(at now: Timestamp) -> UseCase<[Int64]> {
        UseCase(self, .read) { try $0.lapsedTeams(at: now) }
    }

    /// Confirmed pledges still unpaid at their campaign's `balance_due_at`: the default sweep's work.
    public func overduePledges(at now: Timestamp) -> UseCase<[Int64]> {
        UseCase(self, .read) { try $0.overduePledges(at: now) }
    }

    /// The soonest time any time-based work falls due: a campaign's deadline, a team's window,
    /// a balance deadline, a subscription week's cut-off, or a supplier's. nil when nothing is scheduled.
    public func nextDeadline(policy: SubscriptionPolicy? = nil) -> UseCase<Timestamp?> {
        let policy = policy ?? subscriptionPolicy
        return UseCase(self, .read) { repositories in
            let progress = try repositories.cutOffProgress()
            let nextWeek = progress.lastCutWeek.map { policy.weeks.next(after: $0) } ?? progress.firstRunningWeek
            // Week w is cut off once `lastCutOffWeek(at: now) >= w`, that is at w - lead.
            let cutOff = nextWeek.map { $0.adding(seconds: -policy.cutOffLeadSeconds) }
            return [try repositories.nextCampaignDeadline(), try repositories.nextTeamExpiry(), try repositories.nextBalanceDue(), cutOff,
                    try repositories.nextCutOffDue(),
                    try repositories.nextBalanceReminder(leadSeconds: self.balanceReminderSeconds)]
                .compactMap { $0 }.min()
        }
    }
}
