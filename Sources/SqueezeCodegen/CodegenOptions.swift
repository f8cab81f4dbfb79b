import SqueezeMemory

/// What `generate` needs besides the model.
public struct CodegenOptions: Sendable {
    public var schedule: ScheduleKind = .stream
    /// Prefix of every public C name and of the file names.
    public var prefix: String
    /// The command line recorded in every file's header comment.
    public var commandLine: String
    public var toolVersion: String
    public var planner: any ArenaPlanner

    public init(prefix: String = "model", commandLine: String = "", toolVersion: String = "0.1.0",
                schedule: ScheduleKind = .stream, planner: any ArenaPlanner = SearchPlanner()) {
        self.schedule = schedule
        self.prefix = prefix
        self.commandLine = commandLine
        self.toolVersion = toolVersion
        self.planner = planner
    }
}

/// One generated file.
public struct GeneratedFile: Sendable, Hashable {
    public var name: String
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}
