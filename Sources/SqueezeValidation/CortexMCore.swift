/// The Cortex-M cores a board file may name, and the compiler flags each
/// gets from its FPU and DSP.
public enum CortexMCore: String, Sendable, Hashable, CaseIterable {
    case m0plus = "cortex-m0plus"
    case m3 = "cortex-m3"
    case m4 = "cortex-m4"
    case m7 = "cortex-m7"
    case m33 = "cortex-m33"
    case m55 = "cortex-m55"

    /// Whether the core can have a floating-point unit.
    public var fpuPossible: Bool { self != .m0plus && self != .m3 }

    /// The DSP extension: never (M0+, M3), always (M4, M7, M55), or optional (M33).
    public var dspFixed: Bool? {
        switch self {
        case .m0plus, .m3: false
        case .m4, .m7, .m55: true
        case .m33: nil
        }
    }

    /// Armv8-M: a stack limit register (MSPLIM), so the linker script puts the stack last.
    public var hasStackLimit: Bool { self == .m33 || self == .m55 }

    /// `-mcpu`, `-mfpu`, `-mfloat-abi` and `-mthumb` (without an FPU: soft float).
    public func compilerFlags(fpu: Bool, dsp: Bool) -> [String] {
        switch self {
        case .m0plus, .m3:
            return ["-mcpu=\(rawValue)", "-mfloat-abi=soft", "-mthumb"]
        case .m4:
            return fpu ? ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-mthumb"]
                : ["-mcpu=cortex-m4+nofp", "-mfloat-abi=soft", "-mthumb"]
        case .m7:
            return fpu ? ["-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard", "-mthumb"]
                : ["-mcpu=cortex-m7+nofp", "-mfloat-abi=soft", "-mthumb"]
        case .m33:
            let cpu = "-mcpu=cortex-m33" + (dsp ? "" : "+nodsp") + (fpu ? "" : "+nofp")
            return fpu ? [cpu, "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard", "-mthumb"] : [cpu, "-mfloat-abi=soft", "-mthumb"]
        case .m55:
            return fpu ? ["-mcpu=cortex-m55", "-mfpu=auto", "-mfloat-abi=hard", "-mthumb"]
                : ["-mcpu=cortex-m55+nofp+nomve", "-mfloat-abi=soft", "-mthumb"]
        }
    }
}
