extension AccessLogEntry {
    /// The keys the log's term index holds for one entry, by field: what auditors' `?actor=`, `?dealer=`
    /// and `?vin=` seek. Built from an entry's columns, it is what the index must hold; read from the index,
    /// it is what the index does hold, and verification compares the two.
    public struct IndexedTerms: Sendable, Hashable {
        /// The columns the index keeps, numbered as stored (and as the store reads them, after `idx`).
        public enum Field: Int64, Sendable, CaseIterable {
            case actor = 1, dealer = 2, vin = 3
        }

        public var actor: Int64?
        public var dealer: Int64?
        public var vin: Int64?
        /// Rows the index holds for the entry beyond one a field, under a field it does not keep, or with
        /// a value that is not an integer: rows no query reads as they stand.
        public var surplus = 0

        public init(actor: Int64? = nil, dealer: Int64? = nil, vin: Int64? = nil) {
            (self.actor, self.dealer, self.vin) = (actor, dealer, vin)
        }

        /// The key held for `field`.
        public subscript(field: Field) -> Int64? {
            get {
                switch field {
                case .actor: actor
                case .dealer: dealer
                case .vin: vin
                }
            }
            set {
                switch field {
                case .actor: actor = newValue
                case .dealer: dealer = newValue
                case .vin: vin = newValue
                }
            }
        }

        /// The index's key for a value: 64-bit FNV-1a over its UTF-8 bytes. Integers sort and compare in half
        /// the time text does when a run is written. Two values may share a key: queries also check the
        /// entry's own column, so a shared key costs a row read, never a wrong answer. Stored keys depend on
        /// this function, so it never changes without a migration.
        public static func key(utf8 bytes: some Sequence<UInt8>) -> Int64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return Int64(bitPattern: hash)
        }

        /// `key(utf8:)` of a string.
        public static func key(_ value: String) -> Int64 {
            key(utf8: value.utf8)
        }
    }
}
