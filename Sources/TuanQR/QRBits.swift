/// The data bit stream: mode indicator, character count, the data, terminator, padding.
enum QRBits {
    static func countBits(mode: QRCode.Mode, version: Int) -> Int {
        switch mode {
        case .numeric: version <= 9 ? 10 : version <= 26 ? 12 : 14
        case .byte: version <= 9 ? 8 : 16
        }
    }

    static func length(of data: [UInt8], mode: QRCode.Mode, version: Int) -> Int {
        let payload: Int
        switch mode {
        case .numeric: payload = data.count / 3 * 10 + [0, 4, 7][data.count % 3]
        case .byte: payload = data.count * 8
        }
        let count = countBits(mode: mode, version: version)
        // A count that does not fit its field cannot be encoded at this version.
        guard data.count < 1 << count else { return Int.max }
        return 4 + count + payload
    }

    static func codewords(_ data: [UInt8], mode: QRCode.Mode, version: Int, correction: QRCode.Correction) -> [UInt8] {
        let capacity = QRTables.dataCodewords(version: version, correction: correction) * 8
        var bits = BitBuffer()
        switch mode {
        case .numeric:
            bits.append(0b0001, count: 4)
            bits.append(data.count, count: countBits(mode: mode, version: version))
            var index = 0
            while index < data.count {
                let group = data[index..<min(index + 3, data.count)]
                let value = group.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                bits.append(value, count: [0, 4, 7, 10][group.count])
                index += 3
            }
        case .byte:
            bits.append(0b0100, count: 4)
            bits.append(data.count, count: countBits(mode: mode, version: version))
            for byte in data { bits.append(Int(byte), count: 8) }
        }
        precondition(bits.count <= capacity, "the version was chosen to hold the data")
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var pad: UInt8 = 0xEC
        while bits.count < capacity {
            bits.append(Int(pad), count: 8)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return bits.bytes
    }
}

struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bits: Int) {
        precondition(bits >= 0 && bits <= 31 && value >> bits == 0, "the value fits its field")
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
