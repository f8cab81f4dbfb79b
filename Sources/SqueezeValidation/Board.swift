import SqueezeCodegen
import SqueezeMemory
import SqueezeIR

/// A Cortex-M board the firmware is built for (and, with a QEMU machine, run
/// on), as described by a board file (`BoardFile`): the built-in boards are
/// the files of `Firmware/boards/`, carried inside the binary. squeezec
/// writes its linker script (`LinkerScript`) and `sq_board.h`
/// (`BoardHeader`) from the description.
public struct Board: Sendable, Hashable {
    /// A memory region: where the linker script puts things, and what the fit check looks at.
    public struct Region: Sendable, Hashable {
        public var name: String
        /// The address the firmware is linked at (on boards that boot
        /// Secure, the Secure alias).
        public var origin: UInt64
        public var bytes: Int
        public var kind: Kind
        /// What the linker script puts there.
        public var holds: Set<Content>
        /// False for memory the QEMU machine does not model (nothing may be placed there).
        public var emulated: Bool
        /// A limit the fit check applies but the linker script does not
        /// know (`withFlashBudget`): no address.
        public var budgetOnly: Bool

        public init(name: String, origin: UInt64 = 0, bytes: Int, kind: Kind = .ram, holds: Set<Content>,
                    emulated: Bool = true, budgetOnly: Bool = false) {
            self.name = name
            self.origin = origin
            self.bytes = bytes
            self.kind = kind
            self.holds = holds
            self.emulated = emulated
            self.budgetOnly = budgetOnly
        }
    }

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case flash, ram, tcm, external
    }

    public enum Content: String, Sendable, Hashable, CaseIterable {
        /// Code (`.text`), the model's weight arrays, other const data
        /// (vectors, `.rodata`, the `.data` load image), static variables
        /// (`.data` and `.bss` in RAM), the static arena, the stack, and the
        /// test harness's own buffers (input and output images).
        case code, weights, constData, data, arena, stack, harness
    }

    public var name: String
    public var summary: String
    public var cpu: CortexMCore
    public var fpu: Bool
    public var dsp: Bool
    /// SysTick's clock (the core clock): under QEMU -icount shift=0 one
    /// tick is 1e9 / coreClockHz instructions.
    public var coreClockHz: Int?
    /// The QEMU machine (-M) the firmware runs on; nil: build only.
    public var qemuMachine: String?
    /// A load from here bus-faults (the firmware's fault test).
    public var faultAddress: UInt64
    /// Extra linker flags (tests).
    public var linkFlags: [String] = []
    public var regions: [Region]
    /// Stack the linker script reserves (bytes).
    public var stackBytes: Int

    public init(name: String, summary: String = "", cpu: CortexMCore, fpu: Bool, dsp: Bool, coreClockHz: Int?,
                qemuMachine: String?, faultAddress: UInt64 = 0xF000_0000, regions: [Region], stackBytes: Int) {
        self.name = name
        self.summary = summary
        self.cpu = cpu
        self.fpu = fpu
        self.dsp = dsp
        self.coreClockHz = coreClockHz
        self.qemuMachine = qemuMachine
        self.faultAddress = faultAddress
        self.regions = regions
        self.stackBytes = stackBytes
    }

    /// Compiler flags for the CPU, from the core and its FPU and DSP.
    public var cpuFlags: [String] { cpu.compilerFlags(fpu: fpu, dsp: dsp) }

    /// The region holding `content` (each is held by one region), if any.
    public func region(holding content: Content) -> Region? {
        regions.first { !$0.budgetOnly && $0.holds.contains(content) }
    }

    // MARK: built-in boards (Firmware/boards/*.json)

    public static let builtInNames = ["mps2-an386", "mps2-an500", "mps3-an547", "mps3-an547-dtcm128",
                                      "mps2-an385", "mps2-an505", "netduinoplus2"]

    /// A built-in board's description; its file is part of squeezec, so a
    /// bad one is a bug (caught by BoardFileTests).
    static func builtIn(_ name: String) -> Board {
        let path = "Firmware/boards/\(name).json"
        guard let text = Templates.file(path) else { fatalError("squeezec is missing \(path)") }
        do {
            return try BoardFile.parse(text, file: path)
        } catch {
            fatalError("\(error)")
        }
    }

    public static let an386 = builtIn("mps2-an386")
    public static let an500 = builtIn("mps2-an500")
    public static let an547 = builtIn("mps3-an547")
    /// mps3-an547 with 128 KiB of DTCM for .data, arena, .bss and stack together (a small MCU's RAM).
    public static let an547dtcm128 = builtIn("mps3-an547-dtcm128")
    public static let an385 = builtIn("mps2-an385")
    public static let an505 = builtIn("mps2-an505")
    public static let netduinoplus2 = builtIn("netduinoplus2")

    public static let all: [Board] = [.an386, .an500, .an547, .an547dtcm128, .an385, .an505, .netduinoplus2]

    public static func named(_ name: String) -> Board? {
        all.first { $0.name == name }
    }

    /// A built-in board by name, or a board file (a path, or any name
    /// ending in `.json`).
    public static func resolve(_ nameOrFile: String) throws(Diagnostic) -> Board {
        if let board = named(nameOrFile) { return board }
        guard nameOrFile.hasSuffix(".json") || nameOrFile.contains("/") else {
            throw .usage("unknown board '\(nameOrFile)': expected \(all.map(\.name).joined(separator: ", ")) or a board file (.json)")
        }
        return try BoardFile.load(path: nameOrFile)
    }

    /// This board as a part with `bytes` of flash (replacing an earlier
    /// budget): code, weights and other const data together must fit in
    /// them (checked before linking, from the compiled objects, and again on
    /// the linked image). The QEMU board itself is unchanged: the budget is
    /// a check, not a layout.
    public func withFlashBudget(_ bytes: Int) -> Board {
        var board = self
        board.regions.removeAll { $0.budgetOnly }
        board.regions.append(Region(name: "flash", bytes: bytes, kind: .flash, holds: [.code, .weights, .constData], budgetOnly: true))
        return board
    }

    /// The flash budget `withFlashBudget` set, if any.
    public var flashBudget: Int? {
        regions.first { $0.budgetOnly }?.bytes
    }

    /// Every region's need against its capacity, from what is known before
    /// compiling: the model's weights and arena and the harness's buffers
    /// (`harnessBytes`: its input and output images, which share the board's
    /// RAM in these images). Regions that hold code are checked without it
    /// (the compiled objects add it: `misfit(_:)`). nil when the model fits.
    /// `arenaParts`: of a split arena, the bytes in its other regions by
    /// region identifier (see `FirmwareSizes.arenaParts`).
    public func misfit(weightBytes: Int, arenaBytes: Int, harnessBytes: Int = 0, arenaParts: [String: Int] = [:]) -> String? {
        misfit(Need(weights: weightBytes, arena: arenaBytes, harness: harnessBytes, arenaParts: arenaParts), skippingCode: true)
    }

    /// Every region's use from what is known before compiling (as
    /// `misfit(weightBytes:...)` sees it: no code yet), regions that hold
    /// nothing of it left out.
    public func usage(weightBytes: Int, arenaBytes: Int, harnessBytes: Int = 0, arenaParts: [String: Int] = [:]) -> [RegionUsage] {
        let need = Need(weights: weightBytes, arena: arenaBytes, harness: harnessBytes, arenaParts: arenaParts)
        return regions.map { usage(of: $0, need) }.filter { !$0.parts.isEmpty }
    }

    /// Every region's need against its capacity, from the section sizes of
    /// the compiled objects or the linked image; nil when it fits.
    public func misfit(_ sizes: FirmwareSizes) -> String? {
        misfit(Need(code: sizes.code, weights: sizes.weights, constData: sizes.otherFlash, data: sizes.data + sizes.bss,
                    arena: sizes.arena, harness: sizes.io, arenaParts: sizes.arenaParts), skippingCode: false)
    }

    struct Need {
        var code = 0, weights = 0, constData = 0, data = 0, arena = 0, harness = 0
        var arenaParts: [String: Int] = [:]
    }

    /// The regions that hold the arena, in the order the region planner fills them.
    public var arenaHomes: [Region] { regions.filter { $0.holds.contains(.arena) && !$0.budgetOnly } }

    /// The regions a model's arena may be split over (`RegionPlanner`), with
    /// what is left in each for it: the region less the stack, the harness's
    /// buffers (`harnessBytes`) and 4 KiB for static data when it holds
    /// them. Empty when only one region holds the arena (no split).
    public func arenaRegions(harnessBytes: Int) -> [ArenaRegion] {
        let homes = arenaHomes
        guard homes.count > 1 else { return [] }
        return homes.map { region in
            var rest = region.bytes
            if region.holds.contains(.stack) { rest -= stackBytes }
            if region.holds.contains(.harness) { rest -= harnessBytes }
            if region.holds.contains(.data) { rest -= 4096 }
            return ArenaRegion(name: region.name, capacity: max(rest, 0))
        }
    }

    /// The arena bytes a region holds: all of it when one region holds the
    /// arena, else that region's part.
    func arena(in region: Region, _ need: Need) -> Int {
        let homes = arenaHomes
        guard homes.count > 1 else { return need.arena }
        if region.name == homes.first?.name { return need.arena - need.arenaParts.values.reduce(0, +) }
        return need.arenaParts[ArenaRegion.identifier(region.name)] ?? 0
    }

    /// What `region` holds of `need`, in the order of the flash figures
    /// (code, weights, other), then RAM; parts of 0 bytes left out.
    func usage(of region: Region, _ need: Need) -> RegionUsage {
        let parts: [(Content, String, Int)] = [
            (.code, "code", need.code), (.weights, "weights", need.weights), (.constData, "other", need.constData),
            (.arena, "arena", arena(in: region, need)), (.data, "data + bss", need.data), (.stack, "stack", stackBytes),
            (.harness, "harness buffers", need.harness),
        ]
        return RegionUsage(region: region.name, capacity: region.bytes,
                           parts: parts.filter { region.holds.contains($0.0) && $0.2 > 0 }.map { .init(name: $0.1, bytes: $0.2) })
    }

    /// Every RAM region's use in a linked image (regions that hold data,
    /// arena, stack or harness buffers; the stack as reserved).
    public func ramUsage(_ sizes: FirmwareSizes) -> [RegionUsage] {
        let need = Need(code: sizes.code, weights: sizes.weights, constData: sizes.otherFlash, data: sizes.data + sizes.bss,
                        arena: sizes.arena, harness: sizes.io, arenaParts: sizes.arenaParts)
        return regions.filter { !$0.budgetOnly && !$0.holds.isDisjoint(with: [.data, .arena, .stack, .harness]) }
            .map { usage(of: $0, need) }
    }

    private func misfit(_ need: Need, skippingCode: Bool) -> String? {
        var problems: [String] = []
        for region in regions {
            // Before compiling, a region that holds code is checked without it:
            // weights that alone overflow the flash are refused before anything is built.
            let codeUnknown = skippingCode && region.holds.contains(.code)
            let use = usage(of: region, need)
            if !use.fits {
                problems.append("\(region.name) needs \(codeUnknown ? "at least " : "")\(use.bytes) bytes "
                                + "(\(use.parts.map { "\($0.name) \($0.bytes)" }.joined(separator: " + "))\(codeUnknown ? ", before code" : "")) "
                                + "but has \(region.bytes) (\(use.bytes - region.bytes) over)")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
