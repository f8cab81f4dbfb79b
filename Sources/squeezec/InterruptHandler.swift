import Dispatch
import Foundation
import SqueezeCodegen

/// SIGINT and SIGTERM: remove what the command was writing (its staging
/// folder, an output folder it created; `TemporaryPaths`) and exit with
/// 128 + the signal (130, 143), as a shell reports it.
enum InterruptHandler {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        for (number, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            // The default action would kill the process before the handler
            // runs; child processes get the default back (Process resets
            // signal dispositions when it spawns).
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                TemporaryPaths.shared.removeAllAndHold()
                exit(status)
            }
            source.resume()
            sources.append(source)
        }
    }
}
