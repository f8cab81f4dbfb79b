import Foundation
import Testing
@testable import SqueezeValidation

/// The linker script written from a board description: every region in
/// MEMORY, each output section in the region holding its contents, the
/// stack first on cores without a stack limit register and last on Armv8-M,
/// and both placements of weights and arena (object name, section name).
@Suite struct LinkerScriptTests {
    /// Each output section and the region after its `> ` (not its `AT >` load region).
    static func placements(_ script: String) -> [(section: String, region: String)] {
        var result: [(String, String)] = []
        var open: String?
        for line in script.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            // A section's first line (not `. = ALIGN(4);` or `. += size;` inside one).
            if line.hasPrefix("."), line.dropFirst().first?.isLetter == true, let name = line.split(separator: " ").first {
                open = String(name)
            }
            if let open, let range = line.range(of: "> "), !line.hasPrefix("*") {
                let region = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                if region.first?.isLetter == true { result.append((open, region)) }
            }
            if line.contains("> ") { open = nil }
        }
        return result
    }

    @Test(arguments: Board.all)
    func everySectionIsInTheRegionHoldingIt(board: Board) throws {
        let script = LinkerScript.text(for: board)
        for region in board.regions {
            #expect(script.contains("    \(region.name) (\(region.kind == .flash ? "rx" : "rwx")) : ORIGIN = \(LinkerScript.hex(region.origin)), "
                                    + "LENGTH = \(LinkerScript.size(region.bytes))"), "\(region.name)")
        }
        let placed = Self.placements(script)
        let expected: [(String, Board.Content)] = [
            (".vectors", .code), (".weights", .weights), (".text", .code), (".rodata", .constData), (".ARM.exidx", .constData),
            (".data", .data), (".arena", .arena), (".sq_io", .harness), (".bss", .data), (".stack", .stack),
        ]
        #expect(placed.map(\.section).sorted() == expected.map(\.0).sorted(), "\(placed)")
        for (section, content) in expected {
            let region = try #require(board.region(holding: content))
            #expect(placed.first { $0.section == section }?.region == region.name, "\(board.name) \(section)")
        }
        #expect(script.contains("} > \(board.region(holding: .data)!.name) AT > \(board.region(holding: .constData)!.name)"))
        #expect(script.contains("*(.rodata.sq_weights .rodata.sq_weights.*) *_weights.o(.rodata .rodata.*)"))
        #expect(script.contains("*(.bss.sq_arena .bss.sq_arena.*) *_arena.o(.bss .bss.* COMMON)"))
        #expect(script.contains("PROVIDE(sq_stack_size = 0x\(String(board.stackBytes, radix: 16, uppercase: true)));"))
        // The vectors come first; the stack before .data without MSPLIM, last with it.
        let order = placed.map(\.section)
        #expect(order.first == ".vectors")
        let stack = try #require(order.firstIndex(of: ".stack")), data = try #require(order.firstIndex(of: ".data"))
        #expect(board.cpu.hasStackLimit ? stack == order.count - 1 : stack < data, "\(order)")
    }

    @Test func aFlashBudgetIsACheckNotARegion() {
        let script = LinkerScript.text(for: Board.an386.withFlashBudget(65536))
        #expect(script == LinkerScript.text(for: .an386))
    }

    @Test func theHeaderHoldsTheTickRatioAsAnExactFraction() {
        let cases: [(Board, String, String)] = [(.an386, "40u", "1u"), (.an547, "125u", "4u"), (.an505, "50u", "1u"), (.netduinoplus2, "125u", "21u")]
        for (board, num, den) in cases {
            let header = BoardHeader.text(for: board)
            #expect(header.contains("#define SQ_BOARD_INSTR_PER_TICK_NUM \(num)\n") && header.contains("#define SQ_BOARD_INSTR_PER_TICK_DEN \(den)\n"),
                    "\(board.name)")
            #expect(header.contains("#define SQ_BOARD_NAME \"\(board.name)\"\n"))
        }
        #expect(BoardHeader.text(for: .an547).contains("#define SQ_BOARD_FAULT_ADDRESS 0x30080000u"))
    }
}
