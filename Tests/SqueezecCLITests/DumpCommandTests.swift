import Foundation
import Testing

@Suite struct DumpCommandTests {
    @Test func dumpIsStableAndComplete() throws {
        let a = try CLIRunner.run(["dump", "squeezenet1.1"])
        let b = try CLIRunner.run(["dump", "squeezenet1.1"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.hasPrefix("graph squeezenet1.1\ninput %data : float32[1x224x224x3]\n"))
        #expect(a.stdout.contains("%fire9/concat = concat(%fire9/relu_expand1x1, %fire9/relu_expand3x3) : float32[1x13x13x512]"))
        #expect(a.stdout.hasSuffix("output %flatten\n"))
        let other = try CLIRunner.run(["dump", "squeezenet1.1", "--seed", "2"])
        #expect(other.stdout != a.stdout, "weights fingerprints depend on the seed")
    }
}
