/// Splits data codewords into the version's blocks, appends each block's Reed–Solomon error
/// correction codewords, and interleaves them as the standard transmits them.
enum QRBlocks {
    static func interleaved(_ data: [UInt8], version: Int, correction: QRCode.Correction) -> [UInt8] {
        let blockCount = QRTables.blocks(version: version, correction: correction)
        let eccLength = QRTables.eccPerBlock(version: version, correction: correction)
        let total = QRTables.totalCodewords(version: version)
        precondition(data.count == QRTables.dataCodewords(version: version, correction: correction), "padded to capacity")
        // Short blocks come first; long ones hold one more data codeword.
        let shortBlocks = blockCount - total % blockCount
        let shortDataLength = total / blockCount - eccLength
        let divisor = ReedSolomon.generator(degree: eccLength)
        var dataBlocks: [[UInt8]] = [], eccBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<offset + length])
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, divisor: divisor))
        }
        // Data codewords column by column (long blocks' extra one last), then error correction likewise.
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        assert(result.count == total, "every codeword placed once")
        return result
    }
}
