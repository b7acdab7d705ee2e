import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs independent pieces of work (column chunks) on several threads and collects the results
/// in order. The call itself stays synchronous.
enum ParallelWork {
    /// The number of online processors.
    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `body(i)` for `i` in `0..<count`, on up to `threads` threads (1 runs inline).
    static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        if threads <= 1 || count <= 1 {
            var results: [T] = []
            results.reserveCapacity(count)
            for index in 0..<count { results.append(try body(index)) }
            return results
        }
        let slots = Mutex<[Result<T, ParquetError>?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let result: Result<T, ParquetError>
                do throws(ParquetError) { result = .success(try body(index)) } catch { result = .failure(error) }
                slots.withLock { $0[index] = result }
            }
        }
        let collected = slots.withLock { $0 }
        var results: [T] = []
        results.reserveCapacity(count)
        for slot in collected { results.append(try slot!.get()) }
        return results
    }
}
