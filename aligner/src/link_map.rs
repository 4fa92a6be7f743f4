//! Phase 1: read ld.lld's `-Map` output.
//!
//! lld writes one line per output section, input section and symbol, in the columns
//! `VMA LMA Size Align Out In Symbol` (hex, hex, hex, decimal, then the name indented by
//! its level):
//!
//! ```text
//!              VMA              LMA     Size Align Out     In      Symbol
//!           201f30           201f30     3c75    16 .text
//!           201f80           201f80        4    16         prog.x86_64.o:(.text.add)
//!           201f80           201f80        4     1                 add
//! ```
//!
//! Each input section gets a [`SectionKey`] that is the same on every ISA: the file name
//! without its directory and without an ISA infix (`prog.x86_64.o` → `prog.o`,
//! `/sysroot/aarch64/lib/libc.a(fclose.o)` → `libc.a(fclose.o)`), and the section name.
//! The raw names are kept too: the linker script of one ISA must name that ISA's files.

use het_format::Isa;
use thiserror::Error;

/// A parsed link map. Borrows the map's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkMap<'a> {
    /// Output sections in the order lld wrote them (allocated ones by address, then the rest).
    pub output_sections: Vec<OutputSection<'a>>,
}

/// One output section of a link map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSection<'a> {
    /// Its name, e.g. `.text`.
    pub name: &'a str,
    /// Its virtual address; 0 for sections that are not allocated.
    pub vma: u64,
    /// Its size in bytes.
    pub size: u64,
    /// Its alignment in bytes.
    pub align: u64,
    /// Its input sections, in address order.
    pub inputs: Vec<InputSection<'a>>,
}

/// One input section (or linker-script assignment, see [`InputSection::is_assignment`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSection<'a> {
    /// The file as lld names it: `path/prog.x86_64.o`, `path/libc.a(fclose.o)`, `<internal>`.
    pub file: &'a str,
    /// The section name, e.g. `.text.main`; for `.eh_frame` pieces lld's `+0x0` suffix is kept.
    pub section: &'a str,
    /// Its virtual address.
    pub vma: u64,
    /// Its size in bytes.
    pub size: u64,
    /// Its alignment in bytes.
    pub align: u64,
    /// Symbols lld listed inside it, in address order.
    pub symbols: Vec<MapSymbol<'a>>,
}

/// A symbol line of the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapSymbol<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its address (for TLS symbols lld writes the offset in the TLS block).
    pub vma: u64,
}

/// The ISA-independent identity of an input section.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionKey {
    /// The normalised file: `prog.o`, `crt1.o`, `libc.a(fclose.o)`, `<internal>`.
    pub file: String,
    /// The normalised section name (riscv64's `.sdata.x` is `.data.x` here, and so on).
    pub section: String,
}

impl core::fmt::Display for SectionKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}:({})", self.file, self.section)
    }
}

impl InputSection<'_> {
    /// The section's key, identical on every ISA.
    pub fn key(&self) -> SectionKey {
        SectionKey {
            file: normalise_file(self.file),
            section: normalise_section(self.section),
        }
    }

    /// True for the `. = 0x…` lines lld writes for script assignments (file is empty).
    pub fn is_assignment(&self) -> bool {
        self.file.is_empty()
    }

    /// For an archive member, `(archive path, member name)`.
    pub fn archive_member(&self) -> Option<(&str, &str)> {
        split_member(self.file)
    }
}

/// Why a map could not be read. Line numbers count from 1.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MapError {
    /// The file does not start with lld's column header.
    #[error("not an ld.lld map: the first line is not the `VMA LMA Size Align Out In Symbol` header")]
    MissingHeader,
    /// A line has fewer than five columns or a number that does not parse.
    #[error("line {line}: {what}: `{text}`")]
    BadLine {
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        what: &'static str,
        /// The line (trimmed).
        text: String,
    },
}

/// Parses the text of an `ld.lld -Map` file.
pub fn parse(text: &str) -> Result<LinkMap<'_>, MapError> {
    let mut lines = text.lines().enumerate();
    let header = lines.by_ref().find(|(_, l)| !l.trim().is_empty());
    match header {
        Some((_, h)) if h.split_whitespace().take(4).eq(["VMA", "LMA", "Size", "Align"]) => {}
        _ => return Err(MapError::MissingHeader),
    }
    let mut map = LinkMap::default();
    for (index, raw) in lines {
        if raw.trim().is_empty() {
            continue;
        }
        let line = parse_line(raw).map_err(|what| bad(index, what, raw))?;
        add_line(&mut map, line).map_err(|what| bad(index, what, raw))?;
    }
    Ok(map)
}

fn bad(index: usize, what: &'static str, raw: &str) -> MapError {
    MapError::BadLine {
        line: index + 1,
        what,
        text: raw.trim().to_owned(),
    }
}

/// One line: four numbers, an indentation level (0 out, 1 in, 2 symbol) and a name.
struct Line<'a> {
    vma: u64,
    size: u64,
    align: u64,
    level: usize,
    name: &'a str,
}

fn parse_line(raw: &str) -> Result<Line<'_>, &'static str> {
    let mut rest = raw;
    let mut numbers = [0u64; 4];
    for (i, slot) in numbers.iter_mut().enumerate() {
        let trimmed = rest.trim_start();
        let end = trimmed.find(' ').ok_or("fewer than five columns")?;
        let radix = if i == 3 { 10 } else { 16 };
        *slot = u64::from_str_radix(&trimmed[..end], radix).map_err(|_| "bad number")?;
        rest = &trimmed[end..];
    }
    let name = rest.trim_start();
    // lld indents Out by 1 space, In by 9 and Symbol by 17 after the Align column.
    let level = match rest.len() - name.len() {
        0..=4 => 0,
        5..=12 => 1,
        _ => 2,
    };
    if name.is_empty() {
        return Err("empty name");
    }
    Ok(Line {
        vma: numbers[0],
        size: numbers[2],
        align: numbers[3],
        level,
        name: name.trim_end(),
    })
}

fn add_line<'a>(map: &mut LinkMap<'a>, line: Line<'a>) -> Result<(), &'static str> {
    match line.level {
        0 => map.output_sections.push(OutputSection {
            name: line.name,
            vma: line.vma,
            size: line.size,
            align: line.align,
            inputs: Vec::new(),
        }),
        1 => {
            let out = map
                .output_sections
                .last_mut()
                .ok_or("input section before any output section")?;
            let (file, section) = split_input(line.name)?;
            out.inputs.push(InputSection {
                file,
                section,
                vma: line.vma,
                size: line.size,
                align: line.align,
                symbols: Vec::new(),
            });
        }
        _ => {
            let out = map
                .output_sections
                .last_mut()
                .ok_or("symbol before any output section")?;
            let input = out.inputs.last_mut().ok_or("symbol before any input section")?;
            input.symbols.push(MapSymbol {
                name: line.name,
                vma: line.vma,
            });
        }
    }
    Ok(())
}

/// `file:(section)` → (file, section); `. = 0x10` and other assignments → ("", text).
fn split_input(name: &str) -> Result<(&str, &str), &'static str> {
    match name.rfind(":(") {
        Some(at) if name.ends_with(')') => Ok((&name[..at], &name[at + 2..name.len() - 1])),
        _ if name.contains('=') => Ok(("", name)),
        _ => Err("input section is not `file:(section)`"),
    }
}

/// `path/libc.a(member.o)` → (`path/libc.a`, `member.o`).
fn split_member(file: &str) -> Option<(&str, &str)> {
    let open = file.strip_suffix(')')?.rfind('(')?;
    Some((&file[..open], &file[open + 1..file.len() - 1]))
}

/// Drops the directory and any `.x86_64`/`.aarch64`/`.riscv64` component of the name.
pub fn normalise_file(file: &str) -> String {
    match split_member(file) {
        Some((archive, member)) => format!(
            "{}({})",
            strip_isa(basename(archive)),
            strip_rustc_hashes(&strip_isa(member))
        ),
        None => strip_isa(basename(file)),
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn strip_isa(name: &str) -> String {
    let parts: Vec<&str> = name
        .split('.')
        .filter(|p| !Isa::ALL.iter().any(|i| i.name() == *p))
        .collect();
    parts.join(".")
}

/// rustc names a staticlib's members `<crate>-<hash>.<crate>.<hash>-cgu.<n>.rcgu.o`, and
/// the hashes depend on the target, so `libhet_rt.a`'s members differ per ISA; the key
/// drops every `-`-separated piece that is a hash (8 or more hex digits).
fn strip_rustc_hashes(member: &str) -> String {
    if !member.ends_with(".rcgu.o") {
        return member.to_owned();
    }
    let is_hash = |p: &str| p.len() >= 8 && p.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<String> = member
        .split('.')
        .map(|part| part.split('-').filter(|p| !is_hash(p)).collect::<Vec<_>>().join("-"))
        .collect();
    parts.join(".")
}

/// riscv64 puts small data in `.sdata`/`.sbss`/`.srodata`; the other ISAs in
/// `.data`/`.bss`/`.rodata`. The key uses the common name.
pub fn normalise_section(section: &str) -> String {
    for (small, common) in [(".sdata", ".data"), (".sbss", ".bss"), (".srodata", ".rodata")] {
        if let Some(rest) = section.strip_prefix(small) {
            if rest.is_empty() || rest.starts_with('.') {
                return format!("{common}{rest}");
            }
        }
    }
    section.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = "             VMA              LMA     Size Align Out     In      Symbol
          201f30           201f30     3c75    16 .text
          201f30           201f30       16     1         /usr/lib/musl/crt1.o:(.text)
          201f30           201f30        0     1                 _start
          201f80           201f80        4    16         prog.x86_64.o:(.text.add)
          201f80           201f80        4     1                 add
          202440           202440       89    16         /s/x86_64/lib/libc.a(__init_tls.lo):(.text.__copy_tls)
          220000           220000       10     1         . = 0x220010
               0                0       63     1 .comment
              49               49       1a     1         <internal>:(.comment)
";

    #[test]
    fn parses_levels_and_keys() {
        let map = parse(MAP).unwrap();
        assert_eq!(map.output_sections.len(), 2);
        let text = &map.output_sections[0];
        assert_eq!(
            (text.name, text.vma, text.size, text.align),
            (".text", 0x201f30, 0x3c75, 16)
        );
        assert_eq!(text.inputs.len(), 4);
        assert_eq!(text.inputs[0].symbols[0].name, "_start");
        assert_eq!(text.inputs[1].key().to_string(), "prog.o:(.text.add)");
        assert_eq!(
            text.inputs[2].key().to_string(),
            "libc.a(__init_tls.lo):(.text.__copy_tls)"
        );
        assert_eq!(
            text.inputs[2].archive_member(),
            Some(("/s/x86_64/lib/libc.a", "__init_tls.lo"))
        );
        assert!(text.inputs[3].is_assignment());
    }

    #[test]
    fn rust_staticlib_members_match_across_isas() {
        let x = normalise_file(
            "/s/x86_64/lib/libhet_rt.a(het_runtime-aa1cbc2a026da138.het_runtime.7efcde34b22ccd6c-cgu.0.rcgu.o)",
        );
        let r = normalise_file(
            "/s/riscv64/lib/libhet_rt.a(het_runtime-39cc646a4aa98c48.het_runtime.19d328c17193d08-cgu.0.rcgu.o)",
        );
        assert_eq!(x, r);
        assert_eq!(x, "libhet_rt.a(het_runtime.het_runtime.cgu.0.rcgu.o)");
        assert_eq!(normalise_file("/l/libc.a(deadbeef-x.lo)"), "libc.a(deadbeef-x.lo)");
    }

    #[test]
    fn small_data_keys_match_other_isas() {
        assert_eq!(normalise_section(".sdata.counter"), ".data.counter");
        assert_eq!(normalise_section(".sbss"), ".bss");
        assert_eq!(normalise_section(".sdatax"), ".sdatax");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert_eq!(parse("hello"), Err(MapError::MissingHeader));
        assert_eq!(parse(""), Err(MapError::MissingHeader));
        let header = "VMA LMA Size Align Out In Symbol\n";
        for body in [
            "zz 0 0 1 .text",
            "1 1 1",
            "1 1 1 1 ",
            "1 1 1 1         x:(y)",
            "1 1 1 x .t",
            "1 1 1 1 .t\n1 1 1 1         nocolon",
            "1 1 1 1                 sym",
        ] {
            assert!(
                matches!(parse(&format!("{header}{body}")), Err(MapError::BadLine { .. })),
                "{body}"
            );
        }
    }
}
