extension Array where Element == Double {
    /// The middle value (the upper one of an even count): what every multi-round figure reports.
    var median: Double {
        let sorted = self.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }
}
