/// Permission for two buffers to share addresses: in-place (or nearly
/// in-place) execution of the step that consumes `input` for the last time
/// and produces `output`.
///
/// The pair may overlap in the arena only when
/// `offset(input) - offset(output) >= minimumGap`: the output lies at or below
/// the input, shifted down by at least `minimumGap` bytes, and `input`'s last
/// use is the step that writes `output` (its first use). A kernel that writes
/// output rows in increasing address order and is done with the input rows
/// below some row by the time it writes each output row never overwrites an
/// input byte it still needs; `RowOverlap.minimumGap` computes the gap.
///
/// Allowances naming a buffer that is not planned, or naming one buffer twice,
/// grant nothing. Several allowances for one (output, input) pair count as the
/// one with the largest gap.
public struct OverlapAllowance: Sendable, Hashable {
    public var output: BufferID
    public var input: BufferID
    /// Least `offset(input) - offset(output)` at which the two may overlap.
    public var minimumGap: Int

    public init(output: BufferID, input: BufferID, minimumGap: Int) {
        self.output = output
        self.input = input
        self.minimumGap = minimumGap
    }
}

/// The minimum gap of an `OverlapAllowance` for a kernel that streams rows.
public enum RowOverlap {
    /// The least `offset(input) - offset(output)` such that writing output
    /// row `r` (bytes `[r, r + 1) * outputRowBytes` from the output's start)
    /// never touches an input row the kernel still reads afterwards:
    ///
    ///     max over r with firstLiveInputRow(r) < inputRows of
    ///         (r + 1) * outputRowBytes - firstLiveInputRow(r) * inputRowBytes
    ///
    /// clamped at 0. `firstLiveInputRow(r)` is the first input row still
    /// needed once output row `r` is written; rows of the input at or above it
    /// must survive. If the kernel can write part of row `r` before it has read
    /// all the input rows row `r` itself needs (it writes as it goes instead of
    /// staging the row), pass the first row still needed *while* row `r` is
    /// written instead (for a 3x3, pad 1 convolution: `r - 1`, not `r`).
    /// Element-wise kernels read each element before writing it, so
    /// `firstLiveInputRow(r) = r + 1` with equal row sizes gives gap 0 (fully
    /// in place).
    public static func minimumGap(outputRows: Int, outputRowBytes: Int, inputRows: Int, inputRowBytes: Int,
                                  firstLiveInputRow: (Int) -> Int) -> Int {
        var gap = 0
        guard outputRows > 0 else { return 0 }
        for r in 0..<outputRows {
            let live = max(firstLiveInputRow(r), 0)
            guard live < inputRows else { continue }
            gap = max(gap, (r + 1) * outputRowBytes - live * inputRowBytes)
        }
        return gap
    }
}

/// Allowances indexed for fast lookup: the effective (largest) gap of each
/// (output, input) pair whose names differ.
struct AllowanceTable {
    private var gaps: [Pair: Int] = [:]

    struct Pair: Hashable {
        var output: BufferID
        var input: BufferID
    }

    init(_ allowances: [OverlapAllowance]) {
        for a in allowances where a.output != a.input {
            let key = Pair(output: a.output, input: a.input)
            gaps[key] = max(gaps[key] ?? Int.min, a.minimumGap)
        }
    }

    var isEmpty: Bool { gaps.isEmpty }

    /// The gap of the allowance letting `output` overlap `input`, if any.
    func gap(output: BufferID, input: BufferID) -> Int? {
        gaps[Pair(output: output, input: input)]
    }

    /// The gap if the allowance exists and also applies to these lifetimes
    /// (the input dies at the step that produces the output).
    func applicableGap(output: BufferLifetime, input: BufferLifetime) -> Int? {
        guard input.lastUse == output.firstUse else { return nil }
        return gap(output: output.id, input: input.id)
    }

    /// The most bytes an applicable allowance can let the two share.
    static func maximumOverlap(output: BufferLifetime, input: BufferLifetime, gap: Int) -> Int {
        max(0, min(input.bytes, output.bytes - max(gap, 0), output.bytes))
    }
}
