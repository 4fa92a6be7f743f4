//! A short, unified-looking excerpt around the first line where two outputs differ.

use std::fmt::Write;

/// Lines of unchanged context shown before the first difference.
const CONTEXT: usize = 2;
/// Lines shown from the first difference on.
const WINDOW: usize = 6;

/// The 1-based number of the first differing line, or `None` if the bytes are equal.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> Option<usize> {
    if expected == actual {
        return None;
    }
    let (e, a) = (split(expected), split(actual));
    let same = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    Some(same + 1)
}

/// Renders the region around the first difference, lines paired by position:
///
/// ```text
/// --- reference
/// +++ hetcc riscv64
/// @@ line 12 @@
///   unchanged context
/// - expected line
/// + actual line
///   unchanged line between differences
/// ```
pub fn excerpt(expected: &[u8], actual: &[u8], expected_label: &str, actual_label: &str) -> String {
    let Some(line) = first_difference(expected, actual) else {
        return String::new();
    };
    let (e, a) = (split(expected), split(actual));
    let first = line - 1;
    let mut out = format!("--- {expected_label}\n+++ {actual_label}\n@@ line {line} @@\n");
    for l in &e[first.saturating_sub(CONTEXT)..first] {
        let _ = writeln!(out, "  {}", show(l));
    }
    let longest = e.len().max(a.len());
    let end = longest.min(first + WINDOW);
    for i in first..end {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {
                let _ = writeln!(out, "  {}", show(x));
            }
            (x, y) => {
                let _ = writeln!(out, "- {}", x.map_or("<end of output>".into(), |l| show(l)));
                let _ = writeln!(out, "+ {}", y.map_or("<end of output>".into(), |l| show(l)));
                if x.is_none() || y.is_none() {
                    break;
                }
            }
        }
    }
    if end < longest {
        let _ = writeln!(out, "  ... ({} more lines)", longest - end);
    }
    out
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
        assert_eq!(
            x,
            "--- reference\n+++ hetcc riscv64\n@@ line 5 @@\n  3\n  4\n- five\n+ FIVE\n  6\n"
        );
    }

    #[test]
    fn truncated_output_and_missing_newline() {
        let x = excerpt(b"a\nb\nc\n", b"a\n", "r", "h");
        assert!(x.contains("- b\n+ <end of output>\n"), "{x}");
        let y = excerpt(b"a\n", b"a", "r", "h");
        assert!(y.contains("+ \\ no newline"), "{y}");
    }
}
