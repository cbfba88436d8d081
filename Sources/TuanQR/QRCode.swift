/// A QR Code symbol (ISO/IEC 18004): the dark and light modules of one version and error
/// correction level, with the mask the standard's penalty rules choose. Encodes numeric or
/// byte-mode data; byte mode carries UTF-8 as it is (share URLs are ASCII).
///
/// The structure follows the standard's order: data bits → codewords with padding → blocks
/// with Reed–Solomon error correction, interleaved → function patterns → data placed in the
/// zigzag → each of the eight masks scored, the lowest kept → format and version information.
public struct QRCode: Sendable, Equatable {
    public enum Correction: Sendable, CaseIterable {
        /// Recovers about 15% of the codewords.
        case medium
        /// Recovers about 25%: for posters that get folded, printed small or photographed at an angle.
        case quartile

        /// The two format bits the standard assigns (L 01, M 00, Q 11, H 10).
        var formatBits: Int { self == .medium ? 0b00 : 0b11 }
    }

    public enum Mode: Sendable { case numeric, byte }

    public struct TooLong: Error, Equatable, CustomStringConvertible {
        public var bytes: Int
        public var description: String { "\(bytes) bytes do not fit a QR code of version 40" }
    }

    public let version: Int
    public let correction: Correction
    public let mask: Int
    /// Modules per side: 17 + 4 · version.
    public let size: Int
    /// Row-major: `modules[y * size + x]` is dark.
    public let modules: [Bool]

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The smallest version that holds `text` at `correction`; numeric mode when every
    /// character is a digit, byte mode otherwise.
    public static func encode(_ text: String, correction: Correction = .medium) throws -> QRCode {
        let bytes = Array(text.utf8)
        let numeric = !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        return try encode(bytes, mode: numeric ? .numeric : .byte, correction: correction)
    }

    public static func encode(_ data: [UInt8], mode: Mode, correction: Correction, mask forcedMask: Int? = nil) throws -> QRCode {
        precondition(forcedMask.map { (0..<8).contains($0) } ?? true, "there are eight masks")
        guard let version = (1...40).first(where: { QRTables.dataCodewords(version: $0, correction: correction) * 8
                                                    >= QRBits.length(of: data, mode: mode, version: $0) }) else {
            throw TooLong(bytes: data.count)
        }
        let codewords = QRBits.codewords(data, mode: mode, version: version, correction: correction)
        let blocks = QRBlocks.interleaved(codewords, version: version, correction: correction)
        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.place(blocks)
        let mask = forcedMask ?? (0..<8).min { a, b in
            matrix.masked(a, correction: correction).penalty < matrix.masked(b, correction: correction).penalty
        }!
        let final = matrix.masked(mask, correction: correction)
        return QRCode(version: version, correction: correction, mask: mask, size: final.size, modules: final.dark)
    }
}
