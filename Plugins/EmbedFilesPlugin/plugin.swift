import Foundation
import PackagePlugin

/// Embeds the C templates (Templates/) and firmware sources (Firmware/) into
/// the target it is applied to, as `EmbeddedTemplates.files`, generated in
/// the build folder each build (see Tools/EmbedFiles). Every text file in
/// those folders but the READMEs is carried.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    static let folders = ["Templates", "Firmware"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        var files: [String] = []
        for folder in Self.folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
                continue
            }
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                      url.pathExtension != "md", !url.lastPathComponent.hasPrefix(".") else { continue }
                let relative = url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count)
                files.append(String(relative.drop { $0 == "/" }))
            }
        }
        files.sort()
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedTemplates.swift")
        return [
            .buildCommand(displayName: "Embedding \(files.count) template and firmware files",
                          executable: try context.tool(named: "squeezec-embed").url,
                          arguments: [output.path, root.path] + files,
                          inputFiles: files.map { root.appendingPathComponent($0) },
                          outputFiles: [output]),
        ]
    }
}
