import Foundation

/// Files and folders a command is writing and has not yet put in place
/// (a staging folder, a folder it created): what an interrupted command
/// removes before it exits. The CLI's signal handler calls `removeAll()`;
/// writers commit under `withLock` so an interrupt waits for a commit
/// in progress instead of cutting it in half.
public final class TemporaryPaths: @unchecked Sendable {
    public static let shared = TemporaryPaths()

    private let lock = NSLock()
    private var paths: [URL] = []
    /// Folders to remove only if they are empty (an output folder the
    /// command created, once its staging folder is gone).
    private var emptyFolders: [URL] = []
    private var exiting = false
    /// Child processes (compilers, QEMU) that may still write into the paths.
    private var processes: Set<Int32> = []

    public init() {}

    /// Adds a path to remove on interrupt (a file, or a folder with its contents).
    public func register(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        paths.append(url)
    }

    /// Adds a folder to remove on interrupt if it is empty by then.
    public func registerIfEmpty(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        emptyFolders.append(url)
    }

    /// Adds a running child process, killed before the paths are removed.
    public func registerProcess(_ pid: Int32) {
        lock.lock()
        defer { lock.unlock() }
        processes.insert(pid)
    }

    public func unregisterProcess(_ pid: Int32) {
        lock.lock()
        defer { lock.unlock() }
        processes.remove(pid)
    }

    /// Forgets a path (it was put in place or removed).
    public func unregister(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        paths.removeAll { $0 == url }
        emptyFolders.removeAll { $0 == url }
    }

    /// Runs `body` with interrupts held off (the cleanup waits for it).
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The registered paths, newest first (for tests).
    public var pending: [URL] {
        lock.lock()
        defer { lock.unlock() }
        return paths.reversed() + emptyFolders
    }

    /// Removes every registered path and keeps the lock, so nothing is
    /// committed after it: the caller exits next.
    public func removeAllAndHold() {
        lock.lock()
        exiting = true
        let fm = FileManager.default
        for pid in processes { kill(pid, SIGKILL) }
        // A child's own children (the assembler a compiler driver started)
        // may still write a file for a moment: remove until nothing
        // reappears (at most about 3 s).
        var quiet = 0
        for _ in 0..<60 where quiet < 3 {
            for url in paths.reversed() { try? fm.removeItem(at: url) }
            for url in emptyFolders { _ = rmdir(url.path) }
            let left = paths.contains { fm.fileExists(atPath: $0.path) }
            quiet = left ? 0 : quiet + 1
            usleep(50_000)
        }
        processes.removeAll()
        paths.removeAll()
        emptyFolders.removeAll()
    }
}
