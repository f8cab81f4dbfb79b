import ArgumentParser
import Foundation
import SqueezeIR
import SqueezeMemory
import SqueezePipeline

/// `squeezec plan`: the activation arena over time, with a choice of planner.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the activation arena and show which buffer holds which bytes at every step.",
        discussion: """
            Fuses the model, picks the execution order with the least live memory, plans the arena \
            of its schedule, checks the plan and prints an address map per step and a table of \
            buffers (or JSON).
            """)

    enum Planner: String, ExpressibleByArgument, CaseIterable {
        /// TensorFlow Lite Micro's greedy by size.
        case greedy
        /// Several greedy orders, exact search for few buffers, then local search.
        case strong

        var planner: any ArenaPlanner {
            switch self {
            case .greedy: GreedyBySizePlanner()
            case .strong: SearchPlanner()
            }
        }
    }

    @OptionGroup var model: ModelOptions

    @Option(help: "Arena planner: greedy (TensorFlow Lite Micro's greedy by size) or strong (search).")
    var planner: Planner = .strong

    // The schedule choice (`--schedule layer|stream`, from ModelOptions) takes effect in
    // `schedule(_:)` below, the one place that builds the buffers to plan.

    @Option(help: "Also write the timeline as an SVG picture to this file.")
    var svg: String?

    @Option(help: "Width of the text timeline in characters.")
    var width: Int = 100

    @Flag(help: "Print one JSON object instead of the text timeline.")
    var json = false

    func validate() throws {
        guard width >= 40, width <= 1000 else { throw ValidationError("--width must be between 40 and 1000") }
    }

    func run() throws {
        let pipeline = try model.pipeline()
        let memory = try pipeline.plan(try pipeline.lowered(), planner: planner.planner).memory
        let graph = memory.graph
        let (buffers, stepNames, scheduleName, plan) = (memory.buffers, memory.stepNames, model.schedule.rawValue, memory.plan)

        if let svg {
            let picture = PlanTimeline.svg(plan, buffers, stepNames: stepNames,
                                           title: "\(graph.name) arena over time (\(planner.rawValue) planner)")
            do {
                try Data(picture.utf8).write(to: URL(fileURLWithPath: svg), options: .atomic)
            } catch {
                throw Diagnostic.input("cannot write the SVG: \(error.localizedDescription)", file: svg)
            }
        }
        if json {
            let report = Report(
                model: graph.name, schedule: scheduleName, planner: planner.rawValue, strategy: plan.strategy,
                arenaBytes: plan.arenaBytes, lowerBoundBytes: plan.lowerBound, steps: stepNames,
                buffers: buffers.map {
                    Report.Buffer(name: $0.name, offset: plan.offset(of: $0.id) ?? 0, bytes: $0.bytes,
                                  firstUse: $0.firstUse, lastUse: $0.lastUse)
                })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("model \(graph.name), \(scheduleName) schedule: \(stepNames.count) steps, \(buffers.count) arena buffers")
            if scheduleName == "stream" {
                print("(step 'stream' runs the whole network row by row: its rings and hand-off rows are all live at once)")
            }
            if let ring = memory.inputRing {
                print("(--row-input: the input arrives row by row into its \(ring.rows)-row ring in the arena; the output is the caller's buffer)")
            } else {
                print("(the input and the output are the caller's buffers, outside the arena)")
            }
            print(PlanTimeline.text(plan, buffers, stepNames: stepNames, width: width), terminator: "")
            if let svg { print("wrote \(svg)") }
        }
    }

    struct Report: Encodable {
        struct Buffer: Encodable {
            var name: String
            var offset: Int
            var bytes: Int
            var firstUse: Int
            var lastUse: Int

            enum CodingKeys: String, CodingKey {
                case name, offset, bytes
                case firstUse = "first_use"
                case lastUse = "last_use"
            }
        }

        var model: String
        var schedule: String
        var planner: String
        var strategy: String
        var arenaBytes: Int
        var lowerBoundBytes: Int
        var steps: [String]
        var buffers: [Buffer]

        enum CodingKeys: String, CodingKey {
            case model, schedule, planner, strategy, steps, buffers
            case arenaBytes = "arena_bytes"
            case lowerBoundBytes = "lower_bound_bytes"
        }
    }
}
