//! A short, unified-looking excerpt around the first line where two outputs differ.

use std::fmt::Write;

/// Lines of unchanged context shown before the first difference.
const CONTEXT: usize = 2;
/// Differing lines shown from each side.
const SHOWN: usize = 4;

/// The 1-based number of the first differing line, or `None` if the bytes are equal.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> Option<usize> {
    if expected == actual {
        return None;
    }
    let (e, a) = (split(expected), split(actual));
    let same = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    Some(same + 1)
}

/// Renders the region around the first difference:
///
/// ```text
/// --- reference
/// +++ hetcc riscv64
/// @@ line 12 @@
///   unchanged context
/// - expected line
/// + actual line
/// ```
pub fn excerpt(expected: &[u8], actual: &[u8], expected_label: &str, actual_label: &str) -> String {
    let Some(line) = first_difference(expected, actual) else { return String::new() };
    let (e, a) = (split(expected), split(actual));
    let first = line - 1;
    let mut out = format!("--- {expected_label}\n+++ {actual_label}\n@@ line {line} @@\n");
    for l in &e[first.saturating_sub(CONTEXT)..first] {
        let _ = writeln!(out, "  {}", show(l));
    }
    side(&mut out, '-', &e, first);
    side(&mut out, '+', &a, first);
    out
}

fn side(out: &mut String, sign: char, lines: &[&[u8]], first: usize) {
    let end = lines.len().min(first + SHOWN);
    for l in &lines[first.min(end)..end] {
        let _ = writeln!(out, "{sign} {}", show(l));
    }
    if lines.len() > end {
        let _ = writeln!(out, "{sign} ... ({} more lines)", lines.len() - end);
    }
    if first >= lines.len() {
        let _ = writeln!(out, "{sign} <end of output>");
    }
}

/// Splits into lines keeping a missing final newline visible as its own marker.
fn split(bytes: &[u8]) -> Vec<&[u8]> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    if !bytes.ends_with(b"\n") {
        lines.push(b"\\ no newline at end of output");
    }
    lines
}

fn show(line: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(line);
    if text.chars().count() > MAX {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_outputs_have_no_difference() {
        assert_eq!(first_difference(b"a\nb\n", b"a\nb\n"), None);
        assert_eq!(excerpt(b"", b"", "x", "y"), "");
    }

    #[test]
    fn shows_context_and_both_sides() {
        let e = b"1\n2\n3\n4\nfive\n6\n";
        let a = b"1\n2\n3\n4\nFIVE\n6\n";
        assert_eq!(first_difference(e, a), Some(5));
        let x = excerpt(e, a, "reference", "hetcc riscv64");
        assert_eq!(x, "--- reference\n+++ hetcc riscv64\n@@ line 5 @@\n  3\n  4\n- five\n- 6\n+ FIVE\n+ 6\n");
    }

    #[test]
    fn truncated_output_and_missing_newline() {
        let x = excerpt(b"a\nb\nc\n", b"a\n", "r", "h");
        assert!(x.contains("- b\n- c\n+ <end of output>"), "{x}");
        let y = excerpt(b"a\n", b"a", "r", "h");
        assert!(y.contains("+ \\ no newline"), "{y}");
    }
}
