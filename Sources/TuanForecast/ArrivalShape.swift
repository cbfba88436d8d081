import Foundation

/// The share of a campaign's final quantity committed by each point of its window, on a
/// fixed grid. Pledges arrive in a U: a launch burst, a quiet middle and a deadline surge
/// (Kuppuswamy & Bayus), so a straight-line extrapolation is wrong at both ends.
public struct ArrivalShape: Sendable, Hashable {
    public static let gridSize = 40
    /// cumulative[k] is the share committed by elapsed k / gridSize; starts at 0, ends at 1.
    public private(set) var cumulative: [Double]

    public init(cumulative: [Double]) {
        precondition(cumulative.count == Self.gridSize + 1, "shape needs \(Self.gridSize + 1) grid points")
        // Shares may dip where cancellations outran pledges; the shape is kept monotone so
        // the remaining share is never negative.
        var running = 0.0
        var points = [Double]()
        points.reserveCapacity(cumulative.count)
        for value in cumulative {
            running = max(running, min(1, max(0, value)))
            points.append(running)
        }
        points[0] = 0
        points[Self.gridSize] = 1
        self.cumulative = points
    }

    /// Share committed at `fraction` of the window, interpolated linearly between grid points.
    public func share(atElapsed fraction: Double) -> Double {
        cumulative.withUnsafeBufferPointer { GridPoint(fraction).share($0, 0) }
    }

    /// Where a fraction of the window falls on the grid, worked out once to read many shapes at
    /// it: `share(table, base)` is the share of the shape whose grid starts at `base` in `table`.
    struct GridPoint {
        var lower: Int
        var weight: Double

        init(_ fraction: Double) {
            let position = max(0, min(1, fraction)) * Double(ArrivalShape.gridSize)
            lower = min(ArrivalShape.gridSize - 1, Int(position))
            weight = position - Double(lower)
        }

        func share(_ table: UnsafeBufferPointer<Double>, _ base: Int) -> Double {
            table[base + lower] + (table[base + lower + 1] - table[base + lower]) * weight
        }
    }

    /// The prior when a category has no history: 35% in a launch burst, 30% spread evenly and
    /// 35% in a deadline surge, each burst decaying over roughly the first/last sixth.
    public static let uShapedPrior: ArrivalShape = {
        ArrivalShape(cumulative: (0...gridSize).map { k in
            let t = Double(k) / Double(gridSize)
            return 0.35 * (1 - pow(1 - t, 6)) + 0.30 * t + 0.35 * pow(t, 6)
        })
    }()

    /// The shape of one finished campaign; nil when it committed nothing.
    public init?(curve: PledgeCurve) {
        let final = curve.finalQuantity
        guard final > 0 else { return nil }
        self.init(cumulative: (0...Self.gridSize).map { k in
            Double(curve.quantity(atElapsed: Double(k) / Double(Self.gridSize))) / Double(final)
        })
    }

    /// Pointwise weighted mean of shapes.
    public static func mean(_ shapes: [(shape: ArrivalShape, weight: Double)]) -> ArrivalShape? {
        let total = shapes.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        return ArrivalShape(cumulative: (0...gridSize).map { k in
            shapes.reduce(0) { $0 + $1.shape.cumulative[k] * $1.weight } / total
        })
    }

    /// self + factor · (other − self), pointwise.
    public func moved(towards other: ArrivalShape, by factor: [Double]) -> ArrivalShape {
        ArrivalShape(cumulative: (0...Self.gridSize).map { k in
            cumulative[k] + factor[k] * (other.cumulative[k] - cumulative[k])
        })
    }
}
