import Dispatch
import Foundation

/// Order-preserving parallel work over contiguous chunks: results come back in
/// input order, so output never depends on the number of threads.
public enum ParallelWork {
    /// `DEALREG_THREADS` when set to a positive number, else the machine's active cores.
    public static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["DEALREG_THREADS"], let value = Int(text), value > 0 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Rows a reader collects before sharing their work out: large enough to keep every
    /// thread busy, small enough that memory stays flat in the size of a file.
    static let rowsPerChunk = 16_384

    /// `transform` applied to every element, on up to `threads` threads, results in input order.
    /// `transform` must be safe to call concurrently (read shared state only).
    static func map<Element, Result>(_ input: [Element], threads: Int, chunkSize: Int = 256,
                                     _ transform: (Element) -> Result) -> [Result] {
        map(input, workers: Array(repeating: (), count: max(1, threads)), chunkSize: chunkSize) { _, element in transform(element) }
    }

    /// `transform` applied to every element, one thread per worker, results in input order.
    /// Each worker (e.g. an `IdentityBuilder` with its own ICU objects and caches) is used by
    /// one thread at a time.
    static func map<Worker, Element, Result>(_ input: [Element], workers: [Worker], chunkSize: Int = 256,
                                             _ transform: (Worker, Element) -> Result) -> [Result] {
        let chunks = (input.count + chunkSize - 1) / chunkSize
        guard workers.count > 1, chunks > 1 else { return input.map { transform(workers[0], $0) } }
        var output = [Result?](repeating: nil, count: input.count)
        let next = ChunkCounter()
        output.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedSendable(slots), input = UncheckedSendable(input), workers = UncheckedSendable(workers)
            withoutActuallyEscaping(transform) { transform in
                let transform = UncheckedSendable(transform)
                DispatchQueue.concurrentPerform(iterations: min(workers.value.count, chunks)) { worker in
                    // Workers take chunks in turn, so a slow chunk does not hold the others back.
                    while let chunk = next.take(below: chunks) {
                        let start = chunk * chunkSize
                        for index in start..<min(start + chunkSize, input.value.count) {
                            slots.value[index] = transform.value(workers.value[worker], input.value[index])
                        }
                    }
                }
            }
        }
        return output.map { $0! }
    }
}

/// Hands out chunk numbers 0, 1, 2, … to competing workers.
private final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}

/// A value shared with worker threads that only touch disjoint parts of it.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
