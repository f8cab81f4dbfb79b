import Foundation
import SqueezeCodegen
import Testing
@testable import SqueezeValidation

/// Flash and RAM by part, from real objects and a real linked image made here
/// with arm-none-eabi-gcc: arrays of known sizes land in the parts they must.
@Suite struct FirmwareSizesTests {
    static let cpu = Board.an386.cpuFlags

    /// Writes the sources into a new folder and compiles each to `NAME.o`.
    static func objects(_ sources: [String: String]) throws -> (dir: URL, objects: [URL]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-sizes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var objects: [URL] = []
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name + ".c"))
            let result = try ProcessRunner.run("arm-none-eabi-gcc", cpu + FirmwareRunner.compileFlags + ["-c", name + ".c", "-o", name + ".o"],
                                               directory: dir)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            objects.append(dir.appendingPathComponent(name + ".o"))
        }
        return (dir, objects)
    }

    /// A model whose weights (1000 + 12 bytes), arena (4096), parameter
    /// table (28), static variables (4 initialised, 40 zeroed) and I/O
    /// image (64) all have sizes fixed by the C.
    static let sources = [
        "net_weights": "#include <stdint.h>\nconst int8_t net_w[1000] = {1};\nconst float net_b[3] = {1, 2, 3};\n",
        "net_arena": "#include <stdint.h>\nuint8_t net_arena[4096];\n",
        "net": """
            #include <stdint.h>
            extern const int8_t net_w[1000];
            extern const float net_b[3];
            extern uint8_t net_arena[4096];
            static int runs = 5;
            static int counts[10];
            static const int table[7] = {1, 2, 3, 4, 5, 6, 7};
            static int8_t io[64] __attribute__((section(".bss.sq_io")));
            int net_run(int i);
            int net_run(int i) {
                runs++;
                counts[i & 7]++;
                io[i & 63] = (int8_t)i;
                net_arena[i & 4095] = (uint8_t)net_w[i % 1000];
                return net_arena[i & 4095] + table[i % 7] + runs + io[(i + 1) & 63] + (int)net_b[i % 3];
            }

            """,
    ]

    @Test func objectsAreSplitIntoCodeWeightsAndOther() throws {
        let (dir, objects) = try Self.objects(Self.sources)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sizes = try FirmwareSizes.measure(objects)
        #expect(sizes.weights == 1012)
        #expect(sizes.arena == 4096)
        #expect(sizes.io == 64)
        #expect(sizes.data == 4)
        #expect(sizes.bss == 40)
        // The table and the .data load image.
        #expect(sizes.otherFlash == 28 + 4)
        #expect(sizes.code > 0 && sizes.code % 2 == 0)
        #expect(sizes.flash == sizes.code + 1012 + 32)
        #expect(sizes.ram == 4 + 40 + 4096 + 64)
        #expect(sizes.ramSummary(stack: 512, measured: false) == "RAM 4716 bytes (arena 4096 + data + bss 44 + harness buffers 64 + stack 512 reserved)")
        // Only net.o has code: the same figure from it alone.
        #expect(try FirmwareSizes.measure([dir.appendingPathComponent("net.o")]).code == sizes.code)
    }

    @Test func aLinkedImageIsSplitTheSameWay() throws {
        var sources = Self.sources
        sources["startup"] = """
            int net_run(int i);
            void sq_reset_handler(void);
            void sq_reset_handler(void) { for (;;) { (void)net_run(3); } }
            __attribute__((section(".vectors"), used)) static void (*const vectors[2])(void) = { 0, sq_reset_handler };

            """
        let (dir, objects) = try Self.objects(sources)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The generated linker script of mps2-an386.
        try Data(LinkerScript.text(for: .an386).utf8).write(to: dir.appendingPathComponent("board.ld"))
        let link = try ProcessRunner.run("arm-none-eabi-gcc", Self.cpu + ["-T", "board.ld", "-nostartfiles", "-nostdlib", "-Wl,--gc-sections"]
                                         + objects.map(\.lastPathComponent) + ["-o", "fw.elf"], directory: dir)
        try #require(link.status == 0, "\(link.stderr)")
        let unlinked = try FirmwareSizes.measure(objects)
        let linked = try FirmwareSizes.measure([dir.appendingPathComponent("fw.elf")])
        // The linker script gathers the weights into .weights, the arena into .arena.
        #expect(linked.weights == 1012)
        #expect(linked.arena == 4096)
        #expect(linked.io == 64)
        #expect(linked.data == 4 && linked.bss == 40)
        // Vectors (8 bytes), the table and the .data load image.
        #expect(linked.otherFlash == 8 + 28 + 4)
        // No libraries: the same code, up to alignment padding between functions.
        #expect(linked.code >= unlinked.code && linked.code < unlinked.code + 64)
        #expect(linked.flash == linked.code + linked.weights + linked.otherFlash)
    }

    @Test func sizeOutputOfSeveralFilesIsParsedPerFile() {
        let output = """
            a_weights.o  :
            section           size   addr
            .text                0      0
            .rodata.w         1000      0
            .rel.text           16      0
            .comment            39      0
            Total             1055


            a.o  :
            section           size   addr
            .text.f             84      0
            .rodata.table       28      0
            .ARM.exidx.text.f    8      0
            .bss.zeros          40      0
            .data.counter        4      0
            .bss.sq_io          64      0
            Total              228

            """
        #expect(FirmwareSizes.parse(sizeOutput: output)
                == FirmwareSizes(code: 84, weights: 1000, otherFlash: 28 + 8 + 4, data: 4, bss: 40, arena: 0, io: 64))
        let elf = """
            fw.elf  :
            section           size         addr
            .vectors             8            0
            .weights          1012    553648128
            .arena            4096    553649152
            .text              128           64
            .rodata             28          192
            .stack           65536    536870912
            .data                4    536936448
            .sq_io              64    536936464
            .bss                40    536936528
            .ARM.attributes     46            0
            Total            70970

            """
        #expect(FirmwareSizes.parse(sizeOutput: elf)
                == FirmwareSizes(code: 128, weights: 1012, otherFlash: 8 + 28 + 4, data: 4, bss: 40, arena: 4096, io: 64))
    }
}

/// A split arena (RegionPlanner): each region's part is counted against its region.
@Suite struct SplitArenaSizesTests {
    @Test func theOtherRegionsOfASplitArenaAreCountedApart() throws {
        let objects = """
        model_arena.o  :
        section                     size   addr
        .bss.sq_arena_sram.model    84224      0
        .bss.sq_arena.model        103424      0
        """
        let sizes = FirmwareSizes.parse(sizeOutput: objects)
        #expect(sizes.arena == 187648 && sizes.arenaParts == ["sram": 84224] && sizes.bss == 0)
        let linked = FirmwareSizes.parse(sizeOutput: "firmware.elf  :\n.arena_sram   84224   285212672\n.arena   103424   805306368\n")
        #expect(linked.arena == 187648 && linked.arenaParts == ["sram": 84224])
        let board = try BoardFile.parse(try String(contentsOf: Self.splitBoard, encoding: .utf8), file: "split.json")
        // 103,424 + a 16 KiB stack fit the 128 KiB DTCM; 84,224 the 128 KiB SRAM.
        #expect(board.misfit(weightBytes: 0, arenaBytes: 187648, arenaParts: ["sram": 84224]) == nil)
        // All of it in DTCM does not.
        #expect(board.misfit(weightBytes: 0, arenaBytes: 187648)?.contains("DTCM needs 204032 bytes (arena 187648 + stack 16384)") == true)
        #expect(board.misfit(weightBytes: 0, arenaBytes: 187648, arenaParts: ["sram": 140000])?.contains("SRAM needs 140000") == true)
        #expect(board.arenaRegions(harnessBytes: 0).map(\.name) == ["DTCM", "SRAM"])
    }

    static let splitBoard = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/boards/mps3-an547-split.json")
}
