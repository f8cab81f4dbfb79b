import Testing
@testable import SqueezeIR

@Suite struct FireModuleMatcherTests {
    @Test func findsTheModule() throws {
        let g = TestGraphs.fire()
        let modules = FireModuleMatcher.match(g)
        #expect(modules.count == 1)
        let m = try #require(modules.first)
        #expect(m.name == "f")
        #expect(g.nodes[m.squeeze].name == "f/squeeze")
        #expect(g.nodes[m.expand3x3].name == "f/e3")
        #expect(m.expand1x1First)
        #expect(m.nodeIndices == Array(0...6))
    }

    @Test func swappedConcatOrderIsStillAFire() {
        var g = TestGraphs.fire()
        g.nodes[6].inputs.reverse()
        let modules = FireModuleMatcher.match(g)
        #expect(modules.count == 1)
        #expect(modules.first?.expand1x1First == false)
    }

    @Test func squeezeReadOutsideTheModuleIsNotFused() {
        #expect(FireModuleMatcher.match(TestGraphs.fire(extraReaderOfSqueeze: true)).isEmpty)
    }

    @Test func expandWithoutPaddingIsNotAFire() {
        var g = TestGraphs.fire()
        g.nodes[4].op = .conv2d(Conv2DAttributes(outChannels: 3, kernel: .square(3)))
        #expect(FireModuleMatcher.match(g).isEmpty)
    }

    @Test func moduleNames() {
        #expect(FireModuleMatcher.moduleName(squeeze: "fire2/squeeze1x1", concat: "fire2/concat") == "fire2")
        #expect(FireModuleMatcher.moduleName(squeeze: "/features.3/squeeze/Conv", concat: "/features.3/Concat") == "features.3")
        #expect(FireModuleMatcher.moduleName(squeeze: "a", concat: "b") == "b")
    }
}
