//! The `// het:` header of a corpus program.
//!
//! A program says what it needs in `//` comment lines at the very top of the file
//! (the header ends at the first line that is not a `//` comment):
//!
//! ```text
//! // het: args 10 20 "two words"     arguments (split on blanks, "..." groups)
//! // het: stdin inputs/words.txt     stdin, relative to the program's directory
//! // het: env NAME=some value        an environment variable (repeatable)
//! // het: timeout 120                per-run timeout in seconds (default 60)
//! // het: isas x86_64,riscv64        run only these of hetcc's outputs
//! // het: native-differs <reason>    per-ISA native builds may print differently
//! // het: expect-error <substring>   hetcc must refuse to build the program
//! ```
//!
//! An expect-error program marks the offending lines with a `het-error-here` comment
//! anywhere on the line; hetcc's diagnostics must name one of them as `file.c:<line>`.
//! Unknown, duplicated or misplaced directives are errors, so a typo cannot silently
//! weaken a test. Exit codes need no directive: they are always compared.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use het_format::Isa;

/// The marker comment that flags a line an expect-error diagnostic must name.
pub const ERROR_LINE_MARKER: &str = "het-error-here";

const PREFIX: &str = "het:";

/// Everything a program's header asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Directives {
    /// Command-line arguments after `argv[0]`.
    pub args: Vec<String>,
    /// File fed to stdin, relative to the program's directory; `/dev/null` when absent.
    pub stdin: Option<PathBuf>,
    /// Environment variables; the run environment contains nothing else.
    pub env: Vec<(String, String)>,
    /// Per-run timeout overriding the runner's default.
    pub timeout: Option<Duration>,
    /// Which of hetcc's outputs to run; empty means all of them.
    pub isas: Vec<Isa>,
    /// Why a native per-ISA build may legitimately print something else.
    pub native_differs: Option<String>,
    /// The build must fail and stderr must contain this text.
    pub expect_error: Option<String>,
    /// 1-based lines carrying [`ERROR_LINE_MARKER`].
    pub error_lines: Vec<usize>,
}

/// A header that cannot be understood, with the 1-based line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectiveError {
    /// The offending line.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for DirectiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for DirectiveError {}

impl Directives {
    /// The ISAs whose hetcc outputs should run.
    pub fn run_isas(&self) -> Vec<Isa> {
        if self.isas.is_empty() {
            Isa::ALL.to_vec()
        } else {
            self.isas.clone()
        }
    }
}

/// Parses the header of a C source file.
pub fn parse(source: &str) -> Result<Directives, DirectiveError> {
    let mut d = Directives::default();
    let mut in_header = true;
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| DirectiveError { line, message };
        if text.contains(ERROR_LINE_MARKER) {
            d.error_lines.push(line);
        }
        let trimmed = text.trim_start();
        in_header &= trimmed.starts_with("//");
        let Some(body) = directive_body(trimmed) else { continue };
        if !in_header {
            return Err(err("`// het:` directive after the header comment block".into()));
        }
        let (name, value) = match body.split_once(char::is_whitespace) {
            Some((n, v)) => (n, v.trim()),
            None => (body, ""),
        };
        apply(&mut d, name, value).map_err(err)?;
    }
    validate(&d).map_err(|message| DirectiveError { line: 1, message })?;
    Ok(d)
}

/// `// het: args 1 2` -> `Some("args 1 2")`.
fn directive_body(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("//")?.trim_start();
    rest.strip_prefix(PREFIX).map(str::trim)
}

fn apply(d: &mut Directives, name: &str, value: &str) -> Result<(), String> {
    let need_value = || -> Result<(), String> {
        if value.is_empty() {
            Err(format!("`{name}` needs a value"))
        } else {
            Ok(())
        }
    };
    match name {
        "args" => {
            set_once(&mut d.args, split_words(value)?, name, Vec::is_empty)?;
        }
        "stdin" => {
            need_value()?;
            set_once(&mut d.stdin, Some(PathBuf::from(value)), name, Option::is_none)?;
        }
        "env" => d.env.push(parse_env(value)?),
        "timeout" => {
            let secs: u64 = value
                .parse()
                .map_err(|_| format!("bad timeout `{value}` (whole seconds)"))?;
            set_once(&mut d.timeout, Some(Duration::from_secs(secs)), name, Option::is_none)?;
        }
        "isas" => {
            let isas = value
                .split(',')
                .map(|s| Isa::from_name(s.trim()).ok_or_else(|| format!("unknown ISA `{}`", s.trim())))
                .collect::<Result<Vec<_>, _>>()?;
            set_once(&mut d.isas, isas, name, Vec::is_empty)?;
        }
        "native-differs" => {
            need_value()?;
            set_once(&mut d.native_differs, Some(value.to_string()), name, Option::is_none)?;
        }
        "expect-error" => {
            need_value()?;
            set_once(&mut d.expect_error, Some(value.to_string()), name, Option::is_none)?;
        }
        other => return Err(format!("unknown directive `{other}`")),
    }
    Ok(())
}

fn set_once<T>(slot: &mut T, value: T, name: &str, unset: fn(&T) -> bool) -> Result<(), String> {
    if !unset(slot) {
        return Err(format!("`{name}` given twice"));
    }
    *slot = value;
    Ok(())
}

fn parse_env(value: &str) -> Result<(String, String), String> {
    let (k, v) = value
        .split_once('=')
        .ok_or_else(|| format!("env needs NAME=VALUE, got `{value}`"))?;
    let valid = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!("bad environment variable name `{k}`"));
    }
    Ok((k.to_string(), v.to_string()))
}

fn validate(d: &Directives) -> Result<(), String> {
    if d.expect_error.is_some() {
        let run_only = !d.args.is_empty() || d.stdin.is_some() || !d.env.is_empty() || d.native_differs.is_some();
        if run_only {
            return Err("expect-error programs are never run: drop args/stdin/env/native-differs".into());
        }
    } else if !d.error_lines.is_empty() {
        return Err(format!("`{ERROR_LINE_MARKER}` marker without `expect-error`"));
    }
    Ok(())
}

/// Splits on blanks; `"..."` groups words and `\"`/`\\` escape inside quotes.
fn split_words(value: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { return Ok(words) };
        let mut word = String::new();
        if first == '"' {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(format!("unterminated quote in `{value}`")),
                    Some('"') => break,
                    Some('\\') => word.push(chars.next().ok_or("trailing backslash")?),
                    Some(c) => word.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                word.push(c);
            }
        }
        words.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_header() {
        let src = "// het: args 10 \"two words\" x\n// het: stdin inputs/a.txt\n\
                   // het: env A=b c\n// het: env B=\n// het: timeout 5\n// het: isas x86_64, riscv64\n\
                   // het: native-differs char signedness\n// A comment.\n#include <stdio.h>\n";
        let d = parse(src).unwrap();
        assert_eq!(d.args, ["10", "two words", "x"]);
        assert_eq!(d.stdin, Some(PathBuf::from("inputs/a.txt")));
        assert_eq!(d.env, [("A".into(), "b c".into()), ("B".into(), String::new())]);
        assert_eq!(d.timeout, Some(Duration::from_secs(5)));
        assert_eq!(d.isas, [Isa::X86_64, Isa::Riscv64]);
        assert_eq!(d.native_differs.as_deref(), Some("char signedness"));
        assert_eq!(d.run_isas(), [Isa::X86_64, Isa::Riscv64]);
    }

    #[test]
    fn no_header_means_defaults() {
        let d = parse("#include <stdio.h>\nint main(void) { return 0; }\n").unwrap();
        assert_eq!(d, Directives::default());
        assert_eq!(d.run_isas(), Isa::ALL);
    }

    #[test]
    fn expect_error_with_markers() {
        let src = "// het: expect-error inline asm\nvoid f(void) {\n  __asm__(\"nop\"); // het-error-here\n}\n";
        let d = parse(src).unwrap();
        assert_eq!(d.expect_error.as_deref(), Some("inline asm"));
        assert_eq!(d.error_lines, [3]);
    }

    #[test]
    fn rejects_mistakes() {
        let cases = [
            ("// het: argz 1\n", "unknown directive"),
            ("// het: stdin a\n// het: stdin b\n", "twice"),
            ("// het: stdin\n", "needs a value"),
            ("// het: timeout soon\n", "bad timeout"),
            ("// het: isas sparc\n", "unknown ISA"),
            ("// het: env =x\n", "bad environment"),
            ("// het: args \"open\n", "unterminated"),
            ("int x;\n// het: args 1\n", "after the header"),
            ("// het: expect-error x\n// het: args 1\n", "never run"),
            ("int x; // het-error-here\n", "without `expect-error`"),
        ];
        for (src, want) in cases {
            let e = parse(src).expect_err(src);
            assert!(e.message.contains(want), "{src:?}: {e}");
        }
    }

    #[test]
    fn word_splitting() {
        assert_eq!(
            split_words("  a  b\t\"c \\\" d\" \"\"").unwrap(),
            ["a", "b", "c \" d", ""]
        );
        assert!(split_words("").unwrap().is_empty());
    }
}
