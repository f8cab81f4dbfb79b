import Testing
@testable import SqueezeValidation

/// The fit check: every region's need against its size, with the parts named.
@Suite struct BoardTests {
    @Test func aFlashBudgetCountsCodeWeightsAndOther() {
        let board = Board.an386.withFlashBudget(1000)
        #expect(board.flashBudget == 1000 && Board.an386.flashBudget == nil)
        let sizes = FirmwareSizes(code: 600, weights: 500, otherFlash: 100, data: 8, bss: 16, arena: 4096, io: 64)
        #expect(board.misfit(sizes) == "flash needs 1200 bytes (code 600 + weights 500 + other 100) but has 1000 (200 over)")
        #expect(board.withFlashBudget(1200).misfit(sizes) == nil)
        #expect(Board.an386.misfit(sizes) == nil)
    }

    @Test func everyRegionIsCheckedWithWhatItHolds() {
        // an547: code and other in ITCM, weights in QSPI, data + bss + arena + stack in DTCM.
        let sizes = FirmwareSizes(code: 400 << 10, weights: 9 << 20, otherFlash: 200 << 10, data: 100, bss: 200, arena: 600 << 10, io: 10)
        let problems = Board.an547.misfit(sizes)?.components(separatedBy: "; ") ?? []
        #expect(problems == [
            "ITCM needs 614400 bytes (code 409600 + other 204800) but has 524288 (90112 over)",
            "QSPI needs 9437184 bytes (weights 9437184) but has 8388608 (1048576 over)",
            "DTCM needs 631084 bytes (arena 614400 + data + bss 300 + stack 16384) but has 524288 (106796 over)",
        ])
    }

    @Test func theCheckBeforeCompilingCountsRegionsWithCodeWithoutIt() {
        // Weights alone over a flash budget: refused before anything is compiled.
        #expect(Board.an386.withFlashBudget(1000).misfit(weightBytes: 5000, arenaBytes: 100)
                == "flash needs at least 5000 bytes (weights 5000, before code) but has 1000 (4000 over)")
        // Weights that fit: the code is judged on the compiled objects.
        #expect(Board.an386.withFlashBudget(1000).misfit(weightBytes: 500, arenaBytes: 100) == nil)
        #expect(Board.an547dtcm128.misfit(weightBytes: 5000, arenaBytes: 417_264)
                == "DTCM needs 433648 bytes (arena 417264 + stack 16384) but has 131072 (302576 over)")
    }
}
