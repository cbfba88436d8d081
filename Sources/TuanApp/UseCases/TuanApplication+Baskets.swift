import TuanDomain

extension TuanApplication {
    /// Places a basket in one write transaction: every line decided against its campaign as a
    /// pledge would be (caps, deadlines, per-consumer limits), then all placed or none
    /// (`BasketPlacement`); one `basket.created` event. Idempotent per (`scope`, key): a retry
    /// answers the stored basket, a different basket under the key is an `idempotency_conflict`.
    public func placeBasket(_ request: BasketRequest, scope: String, at now: Timestamp) -> UseCase<BasketOutcome> {
        UseCase(self, .write) { repositories in
            if let prior = try repositories.basket(idempotencyScope: scope, key: request.idempotencyKey) {
                guard prior.fingerprint == request.fingerprint else {
                    throw DomainError(.idempotencyConflict, field: "idempotency_key", "this idempotency key was already used with a different basket")
                }
                return BasketOutcome(id: prior.id, body: prior.body, replayed: true)
            }
            let pledgeScope = BasketPlacement.pledgeScope(scope)
            var decisions: [Result<PledgePlacement.Decision, DomainError>] = []
            for (line, pledge) in zip(request.lines, request.pledgeRequests) {
                do {
                    let snapshot = try Self.pledgeSnapshot(campaignID: line.campaignID, request: pledge, prior: .none, in: repositories)
                    decisions.append(.success(try PledgePlacement.decide(pledge, scope: pledgeScope, snapshot, at: now)))
                } catch let refusal as DomainError {
                    decisions.append(.failure(refusal))
                }
            }
            let placement = try BasketPlacement.decide(request, lines: decisions)
            var lines = placement.lines, next = placement.changesets.makeIterator()
            for index in lines.indices {
                guard case .placed(var pledge) = lines[index].outcome, let changeset = next.next() else { continue }
                pledge.id = try self.apply(changeset, to: repositories, at: now).pledgeID!
                lines[index].outcome = .placed(pledge)
            }
            let saved = try repositories.insertBasket(
                scope: scope, key: request.idempotencyKey, fingerprint: request.fingerprint, consumerID: request.consumerID, at: now) { id in
                Basket(id: id, consumerID: request.consumerID, pickupPoint: lines.lazy.compactMap { line -> String? in
                           if case .placed(let pledge) = line.outcome { pledge.pickupPoint } else { nil } }.first ?? request.pickupPoint,
                       depositPaymentRef: request.depositPaymentRef, partial: request.partial, lines: lines, createdAt: now).json.serialized
            }
            try repositories.recordEvents([DomainEvent(type: .basketCreated, campaignID: nil, subjectID: saved.id, data: saved.body)], at: now)
            return BasketOutcome(id: saved.id, body: saved.body, replayed: false)
        }
    }

    public func basket(id: Int64) -> UseCase<String> {
        UseCase(self, .read) { repositories in
            guard let body = try repositories.basketBody(id: id) else {
                throw DomainError(.notFound, field: "id", "basket \(id) does not exist")
            }
            return body
        }
    }
}
