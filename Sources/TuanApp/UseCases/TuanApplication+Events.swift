import TuanDomain

extension TuanApplication {
    /// Events after `seq` in commit order, of `types` (nil: all), optionally of one campaign.
    public func events(after seq: Int64, types: Set<EventType>?, campaignID: Int64?, limit: Int) -> UseCase<EventPage> {
        precondition(limit > 0, "a page holds at least one event")
        return UseCase(self, .read) { repositories in
            var events = try repositories.events(after: seq, types: types, campaignID: campaignID, limit: limit + 1)
            let hasMore = events.count > limit
            if hasMore { events.removeLast() }
            return EventPage(events: events, rows: try repositories.eventRows(for: events), hasMore: hasMore)
        }
    }

    /// Balance reminders (`pledge.balance_due`) for every campaign whose time has come, a chunk
    /// of pledges a transaction; returns how many were written.
    public func campaignsDueForBalanceReminder(at now: Timestamp) -> UseCase<[Int64]> {
        UseCase(self, .read) { try $0.campaignsDueForBalanceReminder(at: now, leadSeconds: self.balanceReminderSeconds) }
    }

    public func remindBalances(campaignID: Int64, at now: Timestamp) -> UseCase<Int> {
        UseCase(self, .write) { try $0.writeBalanceReminders(campaignID: campaignID, limit: self.settlementChunk, at: now) }
    }
}

extension TuanApplication {
    /// Registers an endpoint. Events after `afterSeq` are sent to it (nil: from now on).
    public func createWebhookEndpoint(url: String, types: [String], secret: String, description: String?, afterSeq: Int64?,
                                      at now: Timestamp) -> UseCase<WebhookEndpointStatus> {
        UseCase(self, .write, after: { _ in self.notify(.deliveries) }) { repositories in
            let matched = try WebhookEndpoint.validate(url: url, types: types, description: description)
            let latest = try repositories.latestEventSeq()
            if let afterSeq, afterSeq < 0 || afterSeq > latest {
                throw DomainError.invalid("after_seq", "must be between 0 and the latest event, \(latest)")
            }
            let endpoint = try repositories.insertWebhookEndpoint(WebhookEndpoint(
                id: 0, url: url, types: matched, secret: secret, previousSecret: nil, previousSecretUntil: nil, disabled: false,
                description: description, scannedSeq: afterSeq ?? latest, deliveredCount: 0, createdAt: now))
            return try self.status(of: endpoint, in: repositories)
        }
    }

    public func webhookEndpoints() -> UseCase<[WebhookEndpointStatus]> {
        UseCase(self, .read) { repositories in try repositories.webhookEndpoints().map { try self.status(of: $0, in: repositories) } }
    }

    public func webhookEndpoint(id: Int64) -> UseCase<(WebhookEndpointStatus, [DeadLetter])> {
        UseCase(self, .read) { repositories in
            let endpoint = try Self.requireEndpoint(id, in: repositories)
            return (try self.status(of: endpoint, in: repositories), try repositories.deadLetters(endpointID: id, limit: 100))
        }
    }

    /// Changes its URL, types, description, or disables / re-enables it (events written while
    /// it is disabled wait for it: nothing is skipped).
    public func updateWebhookEndpoint(id: Int64, url: String?, types: [String]?, description: String??, disabled: Bool?,
                                      at now: Timestamp) -> UseCase<WebhookEndpointStatus> {
        UseCase(self, .write, after: { _ in self.notify(.deliveries) }) { repositories in
            var endpoint = try Self.requireEndpoint(id, in: repositories)
            let matched = try WebhookEndpoint.validate(url: url ?? endpoint.url, types: types ?? endpoint.types.map(\.rawValue),
                                                       description: description ?? endpoint.description)
            endpoint.url = url ?? endpoint.url
            endpoint.types = matched
            if let description { endpoint.description = description }
            if let disabled { endpoint.disabled = disabled }
            try repositories.saveWebhookEndpoint(endpoint)
            return try self.status(of: endpoint, in: repositories)
        }
    }

    /// A new secret; the old one keeps signing beside it for `WebhookEndpoint.rotationOverlapSeconds`.
    public func rotateWebhookSecret(id: Int64, to secret: String, at now: Timestamp) -> UseCase<WebhookEndpointStatus> {
        UseCase(self, .write) { repositories in
            let endpoint = try Self.requireEndpoint(id, in: repositories).rotating(to: secret, at: now)
            try repositories.saveWebhookEndpoint(endpoint)
            return try self.status(of: endpoint, in: repositories)
        }
    }

    /// Sends its dead letters again (in their streams, first) and re-enables it; returns how many.
    public func redeliverWebhookEndpoint(id: Int64, at now: Timestamp) -> UseCase<Int> {
        UseCase(self, .write, after: { _ in self.notify(.deliveries) }) { repositories in
            var endpoint = try Self.requireEndpoint(id, in: repositories)
            endpoint.disabled = false
            try repositories.saveWebhookEndpoint(endpoint)
            return try repositories.requeueDeadLetters(endpointID: id, at: now)
        }
    }

    // MARK: the delivery worker

    public func claimDueEventDelivery(at now: Timestamp, leaseSeconds: Int64) -> UseCase<EventDelivery?> {
        UseCase(self, .write) { try $0.claimDueEventDelivery(at: now, leaseSeconds: leaseSeconds) }
    }

    public func recordEventDelivery(_ delivery: EventDelivery, attempt: DeliveryAttempt?, decision: DeliveryDecision,
                                    at now: Timestamp) -> UseCase<Void> {
        UseCase(self, .write) { try $0.recordEventDelivery(delivery, attempt: attempt, decision: decision, at: now) }
    }

    public func nextEventDeliveryDue() -> UseCase<Timestamp?> {
        UseCase(self, .read) { try $0.nextEventDeliveryDue() }
    }

    private static func requireEndpoint(_ id: Int64, in repositories: any Repositories) throws -> WebhookEndpoint {
        guard let endpoint = try repositories.webhookEndpoint(id: id) else {
            throw DomainError(.notFound, field: "id", "webhook endpoint \(id) does not exist")
        }
        return endpoint
    }

    private func status(of endpoint: WebhookEndpoint, in repositories: any Repositories) throws -> WebhookEndpointStatus {
        let backlog = try repositories.webhookBacklog(endpointID: endpoint.id)
        return WebhookEndpointStatus(endpoint: endpoint, queued: backlog.queued, dead: backlog.dead,
                                     unscanned: max(0, try repositories.latestEventSeq() - endpoint.scannedSeq))
    }
}
