/// The standard's four penalty rules (ISO/IEC 18004, 7.8.3), scored on a finished symbol:
/// the mask with the lowest total is the one a reader finds easiest.
extension QRMatrix {
    var penalty: Int {
        var score = 0
        // Rule 1: five or more alike in a row or column, 3 + (run − 5) each.
        for line in 0..<size {
            score += runPenalty { dark[line * size + $0] }
            score += runPenalty { dark[$0 * size + line] }
        }
        // Rule 2: each 2×2 block of one colour, 3.
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = dark[y * size + x]
                if c == dark[y * size + x + 1] && c == dark[(y + 1) * size + x] && c == dark[(y + 1) * size + x + 1] { score += 3 }
            }
        }
        // Rule 3: 1:1:3:1:1 finder-like patterns with four light modules on a side, 40 each:
        // an 11-module window slid along every row and column as a bit mask.
        let mask = (1 << 11) - 1
        let darkFirst = 0b10111010000, lightFirst = 0b00001011101
        for line in 0..<size {
            var row = 0, column = 0
            for index in 0..<size {
                row = ((row << 1) | (dark[line * size + index] ? 1 : 0)) & mask
                column = ((column << 1) | (dark[index * size + line] ? 1 : 0)) & mask
                guard index >= 10 else { continue }
                if row == darkFirst || row == lightFirst { score += 40 }
                if column == darkFirst || column == lightFirst { score += 40 }
            }
        }
        // Rule 4: 10 for each full 5% the dark share is away from half.
        let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
        score += k * 10
        return score
    }

    private func runPenalty(_ module: (Int) -> Bool) -> Int {
        var score = 0, run = 1
        for index in 1..<size {
            if module(index) == module(index - 1) {
                run += 1
            } else {
                if run >= 5 { score += 3 + run - 5 }
                run = 1
            }
        }
        if run >= 5 { score += 3 + run - 5 }
        return score
    }
}
