import ArgumentParser
import SqueezeValidation

/// Where a command runs a model (`--target`): the Swift reference, the
/// generated C built with the host compiler, or the firmware on a QEMU board.
/// The boards are `Board.all`: a new board is a new `Board`, not a new case here.
enum RunTarget: Equatable, ExpressibleByArgument, CustomStringConvertible {
    case reference
    case host
    case board(Board)

    init?(argument: String) {
        switch argument {
        case "reference": self = .reference
        case "host": self = .host
        default:
            guard let board = Board.named(argument) else { return nil }
            self = .board(board)
        }
    }

    var description: String {
        switch self {
        case .reference: "reference"
        case .host: "host"
        case .board(let board): board.name
        }
    }

    var defaultValueDescription: String { description }

    static var allValueStrings: [String] { ["reference", "host"] + Board.all.map(\.name) }

    /// The boards, for help texts.
    static var boardList: String { Board.all.map(\.name).joined(separator: ", ") }
}
