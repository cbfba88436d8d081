/// The standard's capacity tables (ISO/IEC 18004, table 9), for the levels Tuan uses.
enum QRTables {
    /// Error correction codewords per block, by version (index 0 unused).
    static let eccPerBlockMedium = [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
                                    26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28]
    static let eccPerBlockQuartile = [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
                                      28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
    /// Error correction blocks, by version.
    static let blocksMedium = [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
                               17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49]
    static let blocksQuartile = [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
                                 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68]

    static func eccPerBlock(version: Int, correction: QRCode.Correction) -> Int {
        correction == .medium ? eccPerBlockMedium[version] : eccPerBlockQuartile[version]
    }

    static func blocks(version: Int, correction: QRCode.Correction) -> Int {
        correction == .medium ? blocksMedium[version] : blocksQuartile[version]
    }

    /// Modules left for data and error correction once the function patterns and the format
    /// and version information are drawn (remainder bits included).
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    static func dataCodewords(version: Int, correction: QRCode.Correction) -> Int {
        totalCodewords(version: version) - eccPerBlock(version: version, correction: correction) * blocks(version: version, correction: correction)
    }

    /// Centres of the alignment patterns along each axis (the standard's annex E).
    static func alignmentCentres(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        var centres = [Int](repeating: 6, count: count)
        var position = size - 7
        for index in stride(from: count - 1, through: 1, by: -1) {
            centres[index] = position
            position -= step
        }
        return centres
    }
}
