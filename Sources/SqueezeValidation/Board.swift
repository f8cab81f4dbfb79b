/// A QEMU Cortex-M board the firmware runs on (files in Firmware/<name>/).
public struct Board: Sendable, Hashable {
    /// A memory region the fit check looks at.
    public struct Region: Sendable, Hashable {
        public var name: String
        public var bytes: Int
        /// What the linker script puts there.
        public var holds: Set<Content>
    }

    public enum Content: String, Sendable, Hashable {
        /// The model's const arrays, the static arena, the stack, and the
        /// test harness's own buffers (input and output images).
        case weights, arena, stack, harness
    }

    public var name: String
    /// Folder of Firmware/ with its linker script and sq_board.h.
    public var firmwareFolder: String
    /// Extra linker flags (layout variants of one board).
    public var linkFlags: [String] = []
    public var qemuMachine: String
    public var cpuFlags: [String]
    public var regions: [Region]
    /// Stack the linker script reserves (bytes).
    public var stackBytes: Int

    public init(name: String, firmwareFolder: String, linkFlags: [String] = [], qemuMachine: String, cpuFlags: [String],
                regions: [Region], stackBytes: Int) {
        self.name = name
        self.firmwareFolder = firmwareFolder
        self.linkFlags = linkFlags
        self.qemuMachine = qemuMachine
        self.cpuFlags = cpuFlags
        self.regions = regions
        self.stackBytes = stackBytes
    }

    public static let an386 = Board(
        name: "mps2-an386", firmwareFolder: "mps2-an386", qemuMachine: "mps2-an386",
        cpuFlags: ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "PSRAM", bytes: 16 << 20, holds: [.weights, .arena]),
                  Region(name: "SSRAM2/3", bytes: 4 << 20, holds: [.stack, .harness])],
        stackBytes: 64 << 10)

    public static let an500 = Board(
        name: "mps2-an500", firmwareFolder: "mps2-an500", qemuMachine: "mps2-an500",
        cpuFlags: ["-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "PSRAM", bytes: 16 << 20, holds: [.weights, .arena]),
                  Region(name: "SSRAM2/3", bytes: 4 << 20, holds: [.stack, .harness])],
        stackBytes: 64 << 10)

    /// The MCU-like layout: weights in QSPI "flash", DTCM the only RAM.
    public static let an547 = Board(
        name: "mps3-an547", firmwareFolder: "mps3-an547", qemuMachine: "mps3-an547",
        cpuFlags: ["-mcpu=cortex-m55", "-mfpu=auto", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "QSPI", bytes: 8 << 20, holds: [.weights]),
                  Region(name: "DTCM", bytes: 512 << 10, holds: [.arena, .stack]),
                  Region(name: "ISRAM", bytes: 4 << 20, holds: [.harness])],
        stackBytes: 16 << 10)

    /// mps3-an547 with a DTCM budget of 128 KiB for .data, arena, .bss and
    /// stack together (a small MCU's RAM): the same files, a linker-enforced limit.
    public static let an547dtcm128 = Board(
        name: "mps3-an547-dtcm128", firmwareFolder: "mps3-an547", linkFlags: ["-Wl,--defsym=sq_dtcm_budget=0x20000"],
        qemuMachine: "mps3-an547",
        cpuFlags: ["-mcpu=cortex-m55", "-mfpu=auto", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "QSPI", bytes: 8 << 20, holds: [.weights]),
                  Region(name: "DTCM (128 KiB budget)", bytes: 128 << 10, holds: [.arena, .stack]),
                  Region(name: "ISRAM", bytes: 4 << 20, holds: [.harness])],
        stackBytes: 16 << 10)

    public static let all: [Board] = [.an386, .an500, .an547, .an547dtcm128]

    public static func named(_ name: String) -> Board? {
        all.first { $0.name == name }
    }

    /// Every region's need against its capacity; nil when the model fits.
    /// `harnessBytes`: the test harness's input and output buffers (not part
    /// of the model's RAM, but they share the board's RAM in these images).
    public func misfit(weightBytes: Int, arenaBytes: Int, harnessBytes: Int = 0) -> String? {
        var problems: [String] = []
        for region in regions {
            var need = 0
            var parts: [String] = []
            if region.holds.contains(.weights) { need += weightBytes; parts.append("weights \(weightBytes)") }
            if region.holds.contains(.arena) { need += arenaBytes; parts.append("arena \(arenaBytes)") }
            if region.holds.contains(.stack) { need += stackBytes; parts.append("stack \(stackBytes)") }
            if region.holds.contains(.harness), harnessBytes > 0 { need += harnessBytes; parts.append("harness buffers \(harnessBytes)") }
            if need > region.bytes {
                problems.append("\(region.name) needs \(need) bytes (\(parts.joined(separator: " + "))) but has \(region.bytes)")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
