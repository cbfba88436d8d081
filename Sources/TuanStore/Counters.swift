/// The counters of one counter-table row (at most `capacity`), held inline: a row's stored
/// value, its pending delta and the totals handed back are made and dropped for every row a
/// write touches, and as arrays each was a heap allocation (about a dozen a pledge).
public struct Counters: Equatable, Sendable, CustomStringConvertible {
    public static let capacity = 4
    private var values: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
    public let count: Int

    /// `count` zeros.
    public init(zeros count: Int) {
        precondition((1...Self.capacity).contains(count), "a counter row holds 1 to \(Self.capacity) counters")
        self.count = count
    }

    public init(_ first: Int64) { self.init(zeros: 1); values.0 = first }

    public init(_ first: Int64, _ second: Int64) { self.init(zeros: 2); values.0 = first; values.1 = second }

    public init(_ array: [Int64]) {
        self.init(zeros: array.count)
        for (index, value) in array.enumerated() { self[index] = value }
    }

    public subscript(index: Int) -> Int64 {
        get {
            precondition(index >= 0 && index < count, "counter \(index) of \(count)")
            switch index {
            case 0: return values.0
            case 1: return values.1
            case 2: return values.2
            default: return values.3
            }
        }
        set {
            precondition(index >= 0 && index < count, "counter \(index) of \(count)")
            switch index {
            case 0: values.0 = newValue
            case 1: values.1 = newValue
            case 2: values.2 = newValue
            default: values.3 = newValue
            }
        }
    }

    public var indices: Range<Int> { 0..<count }

    public var array: [Int64] { indices.map { self[$0] } }

    public var description: String { array.description }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.count == rhs.count && lhs.indices.allSatisfy { lhs[$0] == rhs[$0] }
    }
}
