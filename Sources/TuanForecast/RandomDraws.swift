import Foundation

/// The distributions the projector and the simulator draw from, on any seeded generator so
/// that a forecast or a simulated history replays exactly from its seed.
extension RandomNumberGenerator {
    /// Uniform on the open interval (0, 1): never exactly 0, so logarithms stay finite.
    public mutating func unit() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    public mutating func normal(mean: Double = 0, deviation: Double = 1) -> Double {
        // Box–Muller; one of the pair is discarded to keep the generator state simple.
        let u = unit(), v = unit()
        return mean + deviation * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    public mutating func logNormal(mu: Double, sigma: Double) -> Double {
        exp(normal(mean: mu, deviation: sigma))
    }

    /// Gamma(shape, rate) by Marsaglia & Tsang (2000); shapes below 1 use the boost
    /// Gamma(a) = Gamma(a + 1) · U^(1/a).
    public mutating func gamma(shape: Double, rate: Double) -> Double {
        precondition(shape > 0 && rate > 0, "gamma needs positive shape and rate")
        if shape < 1 {
            return gamma(shape: shape + 1, rate: rate) * pow(unit(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = unit()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) {
                return d * v / rate
            }
        }
    }

    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, rate: 1), y = gamma(shape: b, rate: 1)
        return x / (x + y)
    }

    /// Poisson(mean): multiplication of uniforms for small means, a continuity-corrected
    /// normal above 40 where its quantiles are within a unit of the exact ones.
    public mutating func poisson(mean: Double) -> Int64 {
        guard mean > 0 else { return 0 }
        if mean < 40 {
            let limit = exp(-mean)
            var product = unit()
            var count: Int64 = 0
            while product > limit {
                product *= unit()
                count += 1
            }
            return count
        }
        return max(0, Int64((normal(mean: mean, deviation: mean.squareRoot()) + 0.5).rounded(.down)))
    }
}
