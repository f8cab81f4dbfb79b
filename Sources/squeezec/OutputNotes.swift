import Foundation
import SqueezeCodegen

/// What `generate` and `firmware` say about files of an earlier build.
enum OutputNotes {
    static func print(_ result: OutputDirectory.Result, folder: String) {
        if !result.removed.isEmpty {
            Console.note("removed \(result.removed.count) file(s) of the previous build that this one does not write: "
                         + result.removed.joined(separator: ", "))
        }
        if !result.kept.isEmpty {
            Console.note("kept \(result.kept.count) file(s) of the previous build that were changed since (not in the new manifest): "
                         + result.kept.joined(separator: ", "))
        }
    }
}
