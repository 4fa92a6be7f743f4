//! `het inspect`: a readable report of the binaries' layouts side by side.
//!
//! ```text
//! verdict: ALIGNED — 812 symbols at one address on x86_64, aarch64, riscv64; …
//!
//! section            address      x86_64 size/pad     aarch64 size/pad …
//! .text              0x210000     0x5f40/0x1c3a       0x5f40/0x0c12   …
//!
//! address   kind  x86_64   aarch64  riscv64  symbol
//! 0x210000  func  0x4      0x8      0x8      add@prog.c
//! ```
//!
//! A size cell shows `-` where an ISA lacks the symbol and `@0x…` where its address
//! differs from the first column's.

use std::fmt::Write as _;

use het_format::Isa;

use crate::elf::{Image, Kind};
use crate::layout::is_aligned_section;
use crate::verify::{self, Report};

/// The full report for binaries of several ISAs (unreadable ones are named, not fatal).
pub fn inspect(binaries: &[(Isa, &[u8])]) -> String {
    let mut out = String::new();
    let images = match verify::read_all(binaries) {
        Ok(images) => images,
        Err(e) => return format!("verdict: UNREADABLE — {e}\n"),
    };
    match verify::verify(binaries) {
        Ok(report) => out.push_str(&summary(&report)),
        Err(e) => {
            let _ = writeln!(out, "verdict: NOT ALIGNED — {e}");
        }
    }
    out.push('\n');
    write_sections(&mut out, &images);
    out.push('\n');
    write_symbols(&mut out, &images);
    out
}

/// One paragraph: the verdict of a successful [`verify::verify`].
pub fn summary(report: &Report) -> String {
    let isas: Vec<&str> = report.isas.iter().map(|i| i.name()).collect();
    let mut out = format!(
        "verdict: ALIGNED — {} symbols at one address on {}; {} only on some ISAs",
        report.aligned_symbols,
        isas.join(", "),
        report.partial_symbols.len()
    );
    match report.tls {
        Some(t) => {
            let _ = writeln!(
                out,
                "; one PT_TLS at {:#x}: {:#x} bytes ({:#x} initialised), alignment {}",
                t.vaddr, t.memsz, t.filesz, t.align
            );
        }
        None => out.push_str("; no TLS\n"),
    }
    out
}

fn header(out: &mut String, first: &str, images: &[Image], cell: &str) {
    let _ = write!(out, "{first}");
    for image in images {
        let _ = write!(out, "{:<20}", format!("{} {cell}", image.isa));
    }
}

fn write_sections(out: &mut String, images: &[Image]) {
    header(out, &format!("{:<20}{:<12}", "section", "address"), images, "size/pad");
    out.push('\n');
    let mut names: Vec<(u64, &str)> = images
        .iter()
        .flat_map(|i| &i.sections)
        .map(|s| (s.addr, s.name.as_str()))
        .collect();
    names.sort();
    names.dedup_by(|a, b| a.1 == b.1);
    for (addr, name) in names {
        let mark = if is_aligned_section(name) { "" } else { " (per-ISA)" };
        let _ = write!(out, "{:<20}{:<12}", name, format!("{addr:#x}"));
        for image in images {
            let cell = match image.sections.iter().find(|s| s.name == name) {
                Some(s) => format!("{:#x}/{:#x}", s.size, padding(image, &s.name, s.addr, s.size)),
                None => "-".to_owned(),
            };
            let _ = write!(out, "{cell:<20}");
        }
        let _ = writeln!(out, "{mark}");
    }
}

/// Bytes of a section that no symbol covers.
fn padding(image: &Image, name: &str, addr: u64, size: u64) -> u64 {
    let mut ranges: Vec<(u64, u64)> = image
        .symbols
        .iter()
        .filter(|s| s.section == name && s.kind != Kind::Tls)
        .map(|s| (s.addr.max(addr), (s.addr + s.size).min(addr + size)))
        .filter(|(a, b)| a < b)
        .collect();
    ranges.sort();
    let mut covered = 0;
    let mut reach = addr;
    for (start, end) in ranges {
        covered += end.saturating_sub(start.max(reach));
        reach = reach.max(end);
    }
    if image.symbols.iter().any(|s| s.section == name && s.kind == Kind::Tls) {
        // TLS symbol values are offsets in the block, not addresses.
        return 0;
    }
    size - covered
}

fn write_symbols(out: &mut String, images: &[Image]) {
    header(out, &format!("{:<20}{:<6}", "address", "kind"), images, "size");
    out.push_str("symbol\n");
    let table = verify::symbol_table(images);
    let mut rows: Vec<_> = table.iter().collect();
    rows.sort_by_key(|(name, row)| (row.iter().flatten().map(|v| v.0).next(), *name));
    for (name, row) in rows {
        let Some(&(addr, _, kind)) = row.iter().flatten().next() else {
            continue;
        };
        let kind = match kind {
            Kind::Function => "func",
            Kind::Object => "data",
            Kind::Tls => "tls",
            Kind::Label => "label",
        };
        let _ = write!(out, "{:<20}{kind:<6}", format!("{addr:#x}"));
        for cell in row {
            let text = match cell {
                None => "-".to_owned(),
                Some((a, size, _)) if *a == addr => format!("{size:#x}"),
                Some((a, size, _)) => format!("{size:#x}@{a:#x}"),
            };
            let _ = write!(out, "{text:<20}");
        }
        let _ = writeln!(out, "{name}");
    }
}
