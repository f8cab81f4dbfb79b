/// The build files of a generated folder, so it drops into a CMake or Make
/// project as it is: `CMakeLists.txt` (a static library target named after
/// the prefix, with its include directory and the placement options) and
/// `<prefix>.mk` (source list, include flag and libraries for a Makefile).
struct BuildFiles {
    let prefix: String
    /// The generated `.c` files of the model (weights and arena included).
    let modelSources: [String]
    /// int8: the float convenience entry point (`<prefix>_f32.c`), if any.
    let floatEntry: String?
    /// Whether the code needs libm (expf, roundf).
    let needsLibm: Bool
    let banner: [String]

    var upper: String { prefix.uppercased() }

    func cmake() -> String {
        let sources = (modelSources + (floatEntry.map { [$0] } ?? [])).sorted()
        var lines = banner.map { $0.isEmpty ? "#" : "# " + $0 }
        lines += [
            "#",
            "# A static library target '\(prefix)' with its include directory. In your CMakeLists.txt:",
            "#   add_subdirectory(path/to/this/folder)",
            "#   target_link_libraries(your_app PRIVATE \(prefix))",
            "# Options (cache variables, or set them before add_subdirectory):",
            "#   \(upper)_WEIGHTS_SECTION  section of the const weights (e.g. .extflash)",
            "#   \(upper)_ARENA_SECTION    section of the static arena (e.g. .dtcm_bss)",
            "#   \(upper)_EXTERNAL_ARENA   ON: no static arena; call \(prefix)_run_with_arena with your buffer",
            "cmake_minimum_required(VERSION 3.13)",
            "project(\(prefix)_squeezec LANGUAGES C)",
            "",
            "set(\(upper)_WEIGHTS_SECTION \"\" CACHE STRING \"Section of the model's const weights (empty: the default)\")",
            "set(\(upper)_ARENA_SECTION \"\" CACHE STRING \"Section of the model's static arena (empty: the default)\")",
            "option(\(upper)_EXTERNAL_ARENA \"No static arena: the caller passes one to \(prefix)_run_with_arena\" OFF)",
            "",
            "add_library(\(prefix) STATIC",
        ]
        lines += sources.map { "    ${CMAKE_CURRENT_SOURCE_DIR}/\($0)" }
        lines += [
            ")",
            "target_include_directories(\(prefix) PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})",
            "set_target_properties(\(prefix) PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)",
            "if(\(upper)_WEIGHTS_SECTION)",
            "    target_compile_definitions(\(prefix) PRIVATE \(upper)_WEIGHTS_SECTION=${\(upper)_WEIGHTS_SECTION})",
            "endif()",
            "if(\(upper)_ARENA_SECTION)",
            "    target_compile_definitions(\(prefix) PRIVATE \(upper)_ARENA_SECTION=${\(upper)_ARENA_SECTION})",
            "endif()",
            "if(\(upper)_EXTERNAL_ARENA)",
            "    target_compile_definitions(\(prefix) PUBLIC \(upper)_EXTERNAL_ARENA)",
            "endif()",
        ]
        if needsLibm {
            lines += ["if(NOT MSVC)", "    target_link_libraries(\(prefix) PUBLIC m)", "endif()"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func make() -> String {
        var lines = banner.map { $0.isEmpty ? "#" : "# " + $0 }
        lines += [
            "#",
            "# For a Makefile: include this file, then build $(\(upper)_SRCS) with $(\(upper)_CFLAGS) and link",
            "# $(\(upper)_LDLIBS). Before the include you may set \(upper)_WEIGHTS_SECTION, \(upper)_ARENA_SECTION",
            "# (section names, e.g. .extflash) and \(upper)_EXTERNAL_ARENA=1 (no static arena; call",
            "# \(prefix)_run_with_arena with your buffer).",
            "\(upper)_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))",
            "\(upper)_SRCS := " + modelSources.sorted().map { "$(\(upper)_DIR)/\($0)" }.joined(separator: " "),
        ]
        if let floatEntry {
            lines += ["# The float convenience entry point \(prefix)_run_f32 (add it to your sources if you call it).",
                      "\(upper)_F32_SRCS := $(\(upper)_DIR)/\(floatEntry)"]
        }
        lines += [
            "\(upper)_CFLAGS := -I$(\(upper)_DIR)",
            "ifneq ($(\(upper)_WEIGHTS_SECTION),)",
            "\(upper)_CFLAGS += -D\(upper)_WEIGHTS_SECTION=$(\(upper)_WEIGHTS_SECTION)",
            "endif",
            "ifneq ($(\(upper)_ARENA_SECTION),)",
            "\(upper)_CFLAGS += -D\(upper)_ARENA_SECTION=$(\(upper)_ARENA_SECTION)",
            "endif",
            "ifneq ($(\(upper)_EXTERNAL_ARENA),)",
            "\(upper)_CFLAGS += -D\(upper)_EXTERNAL_ARENA",
            "endif",
            "\(upper)_LDLIBS :=" + (needsLibm ? " -lm" : ""),
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
