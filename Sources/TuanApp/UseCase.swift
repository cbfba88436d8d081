import TuanDomain

/// One use case, bound to its transaction: `run()` from async code, `runBlocking()` from a
/// thread that may block (the command line, worker threads). Defined once, by a method of
/// `TuanApplication`; both run the same body in the same kind of transaction.
public struct UseCase<Result: Sendable>: Sendable {
    enum Access: Sendable { case read, write }

    /// A use case that takes several transactions (a big close settles its pledges in chunks,
    /// so that other writers run between them): each step is one transaction, and says what
    /// comes next.
    enum Step: Sendable {
        case write(@Sendable (any Repositories) throws -> Step)
        case read(@Sendable (any Repositories) throws -> Step)
        case done(Result)
    }

    let app: TuanApplication
    let access: Access
    let body: @Sendable (any Repositories) throws -> Result
    /// When set, the use case runs these steps instead of `body`. Boxed: a use case is copied
    /// through generic code on every request, and an optional reference costs nothing there
    /// where an optional enum of closures was measurable.
    let steps: Steps?

    final class Steps: Sendable {
        let first: Step
        init(_ first: Step) { self.first = first }
    }
    /// After the commit: wakes whoever sleeps until a deadline or a delivery.
    let after: @Sendable (Result) -> Void

    init(_ app: TuanApplication, after: @escaping @Sendable (Result) -> Void = { _ in }, steps first: Step) {
        self.app = app
        self.access = .write
        self.body = { _ in preconditionFailure("a use case of steps runs its steps") }
        self.steps = Steps(first)
        self.after = after
    }

    /// `body` is kept with the storage refusals it may raise turned into the domain's errors,
    /// so that running it is one call into the engine (each async layer between the route
    /// and the writer's continuation cost a frame and a resumption per request).
    init(_ app: TuanApplication, _ access: Access, after: @escaping @Sendable (Result) -> Void = { _ in },
         _ body: @escaping @Sendable (any Repositories) throws -> Result) {
        self.app = app
        self.access = access
        self.body = Self.mapped(body)
        self.steps = nil
        self.after = after
    }

    private static func mapped<T>(_ body: @escaping @Sendable (any Repositories) throws -> T) -> @Sendable (any Repositories) throws -> T {
        { repositories in
            do { return try body(repositories) } catch let conflict as RepositoryConflict { throw TuanApplication.domainError(conflict) }
        }
    }

    @discardableResult
    public func run() async throws -> Result {
        if let steps { return try await run(steps) }
        let result = switch access {
        case .read: try await app.engine.read(body)
        case .write: try await app.engine.write(body)
        }
        after(result)
        return result
    }

    @discardableResult
    public func runBlocking() throws -> Result {
        if let steps { return try runBlocking(steps) }
        let result = switch access {
        case .read: try app.engine.readSync(body)
        case .write: try app.engine.writeSync(body)
        }
        after(result)
        return result
    }

    // The steps' loops in functions of their own: their generic types are then looked up only
    // by the use cases that have steps, not on every pledge.
    @inline(never)
    private func run(_ steps: Steps) async throws -> Result {
        var step = steps.first
        while true {
            switch step {
            case .write(let body): step = try await app.engine.write(Self.mapped(body))
            case .read(let body): step = try await app.engine.read(Self.mapped(body))
            case .done(let result):
                after(result)
                return result
            }
        }
    }

    @inline(never)
    private func runBlocking(_ steps: Steps) throws -> Result {
        var step = steps.first
        while true {
            switch step {
            case .write(let body): step = try app.engine.writeSync(Self.mapped(body))
            case .read(let body): step = try app.engine.readSync(Self.mapped(body))
            case .done(let result):
                after(result)
                return result
            }
        }
    }
}

extension TuanApplication {
    /// A read-only snapshot for composing what a page or a forecast shows from several reads
    /// that must agree. It runs on a read-only connection: a write through it fails.
    public func view<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) -> UseCase<T> {
        UseCase(self, .read, body)
    }

    /// `view(body).run()`.
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) async throws -> T {
        try await view(body).run()
    }

    /// `view(body).runBlocking()`.
    public func snapshotBlocking<T: Sendable>(_ body: @escaping @Sendable (any Repositories) throws -> T) throws -> T {
        try view(body).runBlocking()
    }
}
