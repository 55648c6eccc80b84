/// A small RFC 4180 reader for the tests, independent of the hub's writer.
public enum CSVRows {
    /// Rows of cells; quoted cells may hold commas, quotes (doubled) and line breaks.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" { cell.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    cell.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                row.append(cell); cell = ""
            } else if scalar == "\r", characters.first == "\n" {
                characters.removeFirst()
                row.append(cell); rows.append(row); row = []; cell = ""
            } else {
                cell.unicodeScalars.append(scalar)
            }
        }
        return rows
    }
}
