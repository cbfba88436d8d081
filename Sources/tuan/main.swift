import Foundation
import TuanService

// Written straight to the file descriptors (unbuffered): `tuan serve` prints its address
// as the first line and a script reading the pipe must see it at once.
let status = TuanCLI.run(
    Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment,
    standardOutput: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
    standardError: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
exit(status)
