import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SqueezeFrontend
import SqueezeIR
import Testing
@testable import SqueezeMemory

@Suite struct PlanTimelineTests {
    /// a [0, 64) steps 0-1, b [64, 96) steps 1-2, c [0, 64) step 2.
    let buffers = [BufferLifetime(name: "a", bytes: 64, firstUse: 0, lastUse: 1),
                   BufferLifetime(name: "b", bytes: 32, firstUse: 1, lastUse: 2),
                   BufferLifetime(name: "c", bytes: 64, firstUse: 2, lastUse: 2)]
    var plan: ArenaPlan { ArenaPlan(strategy: "hand", offsets: ["a": 0, "b": 64, "c": 0], arenaBytes: 96, lowerBound: 96) }

    @Test func textShowsTheAddressMapAndTheTable() {
        let text = PlanTimeline.text(plan, buffers, stepNames: ["conv", "fire", "pool"], width: 60)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "arena (planner 'hand'): 96 bytes = 0.1 KiB")
        #expect(lines[1] == "lower bound: 96 bytes (reached)")
        #expect(lines[2] == "peak: 96 bytes live at step 1 (fire)")
        let rows = lines.filter { $0.contains("|") }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.count <= 60 })
        // 96 bytes over the map's columns: 'a' fills two thirds, then 'b'; c takes a's place at step 2.
        let maps = rows.map { row in String(row.split(separator: "|")[1]) }
        #expect(maps[0].allSatisfy { $0 == "A" || $0 == "." })
        #expect(maps[1].allSatisfy { $0 == "A" || $0 == "B" } && maps[1].hasPrefix("AAAA") && maps[1].hasSuffix("BBBB"))
        #expect(maps[2].allSatisfy { $0 == "C" || $0 == "B" })
        #expect(abs(maps[0].filter { $0 == "A" }.count * 3 - maps[0].count * 2) <= 3)
        #expect(rows[1].hasSuffix("<- peak") && !rows[0].hasSuffix("<- peak"))
        #expect(rows[1].contains("fire"))
        #expect(text.contains("a column per 4 bytes from offset 0"))
        #expect(text.contains("A    a                 0           64        0.1  0-1\n"))
        #expect(text.contains("B    b                64           32        0.0  1-2\n"))
        #expect(text.contains("C    c                 0           64        0.1  2\n"))
    }

    @Test func textReportsAMissedBound() {
        var loose = plan
        loose.arenaBytes = 128
        loose.offsets["b"] = 96
        let text = PlanTimeline.text(loose, buffers, stepNames: [], width: 80)
        #expect(text.contains("lower bound: 96 bytes (the arena is 32 bytes, 33.3%, above it)"))
        #expect(text.contains("peak: 96 bytes live at step 1\n"))
    }

    @Test func svgIsWellFormedAndComplete() throws {
        let svg = PlanTimeline.svg(plan, buffers, stepNames: ["conv", "fire", "pool"], title: "tiny <&> plan")
        let document = try SVGDocument(svg)
        #expect(document.root == "svg")
        #expect(document.attributes["svg"]?["version"] == "1.1")
        #expect(document.attributes["svg"]?["xmlns"] == "http://www.w3.org/2000/svg")
        // Tooltips for all buffers, the title escaped, step names on the axis.
        #expect(document.titles.contains("tiny <&> plan"))
        for name in ["a", "b", "c"] {
            #expect(document.titles.contains { $0.hasPrefix("\(name): ") })
        }
        #expect(document.titles.contains("b: 32 bytes (0.0 KiB) at offset 64, steps 1-2"))
        #expect(document.texts.contains("conv") && document.texts.contains("fire") && document.texts.contains("pool"))
        #expect(document.texts.contains("arena = lower bound"))
        #expect(document.texts.contains("peak 0.1 KiB live"))
        #expect(document.texts.contains("arena offset (KiB)"))
        // One filled rectangle per buffer, plus the background, the peak band, the peak outline and the frame.
        #expect(document.rectangles == buffers.count + 4)
        #expect(svg == PlanTimeline.svg(plan, buffers, stepNames: ["conv", "fire", "pool"], title: "tiny <&> plan"))
    }

    @Test func svgMarksBothLinesWhenTheBoundIsMissed() throws {
        var loose = plan
        loose.arenaBytes = 128
        loose.offsets["b"] = 96
        let document = try SVGDocument(PlanTimeline.svg(loose, buffers, stepNames: [], title: "loose"))
        #expect(document.texts.contains("arena 0.1 KiB"))
        #expect(document.texts.contains("lower bound 0.1 KiB"))
        #expect(document.lines >= 2)
    }

    @Test func squeezeNetTimelines() throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: .v1_1))
        let schedule = try ExecutionSchedule(graph: try ExecutionOrder.best(graph))
        let plan = SearchPlanner().plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
        let names = schedule.steps.map(\.node.name)
        let text = PlanTimeline.text(plan, schedule.buffers, stepNames: names)
        #expect(text.contains("lower bound: 2,333,760 bytes (reached)"))
        #expect(text.contains("fire2/concat"))
        #expect(text.split(separator: "\n").filter { $0.contains("|") }.allSatisfy { $0.count <= 80 })
        let svg = PlanTimeline.svg(plan, schedule.buffers, stepNames: names, title: "squeezenet1.1")
        let document = try SVGDocument(svg)
        #expect(document.rectangles == schedule.buffers.count + 4)
        #expect(document.texts.contains("fire2/concat"))
        #expect(document.texts.contains("peak 2,279.1 KiB live"))
        #expect(svg == PlanTimeline.svg(plan, schedule.buffers, stepNames: names, title: "squeezenet1.1"))
    }

    @Test func colourAndNumberFormatsAreFixed() {
        #expect(PlanTimeline.colour("fire2/concat") == PlanTimeline.colour("fire2/concat"))
        #expect(PlanTimeline.colour("a").count == 7 && PlanTimeline.colour("a").hasPrefix("#"))
        #expect(PlanTimeline.colour("pool1") != PlanTimeline.colour("pool3"))
        #expect(PlanTimeline.grouped(1_234_567) == "1,234,567")
        #expect(PlanTimeline.grouped(999) == "999")
        #expect(PlanTimeline.kib(2_333_760) == "2,279.1")
        #expect(PlanTimeline.fixed(2.25, 1) == "2.3" && PlanTimeline.fixed(0.04, 2) == "0.04" && PlanTimeline.fixed(-1.5, 0) == "-2")
        #expect(PlanTimeline.tickStep(380).step == 500 && PlanTimeline.tickStep(0.013).step == 0.02)
        #expect(PlanTimeline.tickStep(0.013).decimals == 2)
    }
}

/// What the tests need from a parsed SVG.
final class SVGDocument: NSObject, XMLParserDelegate {
    var root: String?
    var attributes: [String: [String: String]] = [:]
    var titles: [String] = []
    var texts: [String] = []
    var rectangles = 0
    var lines = 0
    private var current: String?
    private var buffer = ""

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw parser.parserError ?? CocoaError(.coderReadCorrupt)
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes attributeDict: [String: String] = [:]) {
        if root == nil { root = elementName }
        if attributes[elementName] == nil { attributes[elementName] = attributeDict }
        if elementName == "rect" { rectangles += 1 }
        if elementName == "line" { lines += 1 }
        current = elementName
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        buffer += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "title" { titles.append(buffer) }
        if elementName == "text" { texts.append(buffer) }
        buffer = ""
    }
}
