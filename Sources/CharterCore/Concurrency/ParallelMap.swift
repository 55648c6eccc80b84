/// Maps an array in slices, one task of the cooperative pool a slice, and gives the results in order. For
/// CPU work over many independent items (a batch's lines, a page of log leaves) that one core would
/// otherwise do while the other waits.
public enum ParallelMap {
    /// `transform` of every element of `items`, in order, computed in slices of `sliceSize` elements; on
    /// the caller's task when one slice holds them all.
    public static func map<Element: Sendable, Mapped: Sendable>(
        _ items: [Element], sliceSize: Int, _ transform: @escaping @Sendable (Element) -> Mapped
    ) async -> [Mapped] {
        let size = max(1, sliceSize)
        guard items.count > size else { return items.map(transform) }
        return await withTaskGroup(of: (start: Int, mapped: [Mapped]).self) { group in
            for start in stride(from: 0, to: items.count, by: size) {
                let slice = items[start..<min(items.count, start + size)]
                group.addTask { (start, slice.map(transform)) }
            }
            var slices: [(start: Int, mapped: [Mapped])] = []
            for await slice in group { slices.append(slice) }
            return slices.sorted { $0.start < $1.start }.flatMap(\.mapped)
        }
    }
}
