import Foundation
import Testing
@testable import TuanQR

@Suite struct QRCodeTests {
    /// ISO/IEC 18004's worked example (annex I): "01234567" as version 1-M in numeric mode.
    @Test func encodesTheStandardsWorkedExample() throws {
        let data = QRBits.codewords(Array("01234567".utf8), mode: .numeric, version: 1, correction: .medium)
        #expect(data == [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
        let all = QRBlocks.interleaved(data, version: 1, correction: .medium)
        #expect(Array(all.suffix(10)) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        let code = try QRCode.encode("01234567")
        #expect(code.version == 1 && code.size == 21 && code.correction == .medium)
    }

    /// Values from the standard's format and version information tables (annexes C and D).
    @Test func formatAndVersionInformationMatchTheTables() {
        #expect(QRMatrix.formatBits(correction: .medium, mask: 0) == 0b101010000010010)
        #expect(QRMatrix.formatBits(correction: .quartile, mask: 0) == 0b011010101011111)
        #expect(QRMatrix.formatBits(correction: .medium, mask: 5) == 0b100000011001110)
        #expect(QRMatrix.formatBits(correction: .medium, mask: 7) == 0b100101010100000)
        #expect(QRMatrix.formatBits(correction: .quartile, mask: 7) == 0b010101111101101)
        var matrix = QRMatrix(version: 7)
        matrix.drawFunctionPatterns()
        // Version 7's 18 bits (0x07C94), least significant first, in the block above the bottom-left finder.
        let bits = (0..<18).map { index in matrix.dark[(matrix.size - 11 + index % 3) * matrix.size + index / 3] }
        #expect(bits == (0..<18).map { (0x07C94 >> $0) & 1 == 1 })
    }

    /// Byte-mode capacities from the standard's table 7.
    @Test func choosesTheSmallestVersionThatHoldsTheData() throws {
        let capacities: [(Int, QRCode.Correction, Int)] = [(1, .medium, 14), (1, .quartile, 11), (2, .medium, 26), (2, .quartile, 20),
                                                           (5, .medium, 84), (7, .quartile, 86), (10, .medium, 213), (10, .quartile, 151),
                                                           (40, .medium, 2331), (40, .quartile, 1663)]
        for (version, level, bytes) in capacities {
            #expect(try QRCode.encode([UInt8](repeating: 0x61, count: bytes), mode: .byte, correction: level).version == version)
            if version < 40 {
                #expect(try QRCode.encode([UInt8](repeating: 0x61, count: bytes + 1), mode: .byte, correction: level).version == version + 1)
            } else {
                #expect(throws: QRCode.TooLong.self) { try QRCode.encode([UInt8](repeating: 0x61, count: bytes + 1), mode: .byte, correction: level) }
            }
        }
    }

    @Test func findersTimingAndDarkModuleAreInPlace() throws {
        let code = try QRCode.encode("https://tuan.example/c/12?leader=wang", correction: .quartile)
        for (x0, y0) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = max(abs(x - 3), abs(y - 3))
                    #expect(code.isDark(x: x0 + x, y: y0 + y) == (ring != 2), "finder at \(x0),\(y0)")
                }
            }
        }
        for i in 8..<(code.size - 8) { #expect(code.isDark(x: i, y: 6) == (i % 2 == 0) && code.isDark(x: 6, y: i) == (i % 2 == 0)) }
        #expect(code.isDark(x: 8, y: code.size - 8))
    }

    /// The chosen mask scores no worse than any other under the standard's penalty rules.
    @Test func picksTheMaskWithTheLowestPenalty() throws {
        for text in ["https://tuan.example/c/1", "HELLO WORLD", String(repeating: "团购", count: 20)] {
            let chosen = try QRCode.encode(text)
            let scores = try (0..<8).map { mask in
                let code = try QRCode.encode(Array(text.utf8), mode: .byte, correction: .medium, mask: mask)
                return Self.matrix(of: code).penalty
            }
            #expect(scores[chosen.mask] == scores.min())
        }
    }

    /// A real decoder (zbar) reads every symbol back to the exact text: lengths across many
    /// versions, both levels.
    @Test func zbarDecodesEverySymbolBackToItsText() throws {
        let zbar = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(zbar != nil, "zbarimg (Debian's zbar-tools; Scripts/setup installs it) is needed to check decoding")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var expected: [String] = []
        for (index, length) in [1, 10, 17, 30, 45, 60, 90, 120, 160, 230, 400].enumerated() {
            for level in QRCode.Correction.allCases {
                let base = "https://tuan.example/c/\(index)?leader="
                let text = String((base + String(repeating: "abcdefghij0123456789-_", count: 20)).prefix(max(length, base.count)))
                let code = try QRCode.encode(Array(text.utf8), mode: .byte, correction: level)
                let file = directory.appendingPathComponent("\(expected.count).pgm")
                try Data(code.pgm()).write(to: file)
                expected.append(text)
            }
        }
        let files = (0..<expected.count).map { directory.appendingPathComponent("\($0).pgm").path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbar!)
        process.arguments = ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice  // zbar reports a missing D-Bus there; its answer is on stdout
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let decoded = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(decoded.prefix(expected.count)) == expected)
    }

    private static func matrix(of code: QRCode) -> QRMatrix {
        var matrix = QRMatrix(version: code.version)
        matrix.drawFunctionPatterns()
        matrix.overwrite(with: code.modules)
        return matrix
    }
}
