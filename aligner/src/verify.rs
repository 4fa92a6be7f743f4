//! Phase 5: an independent check of the linked binaries.
//!
//! It reads only the binaries, not the layout: every symbol in an aligned output section
//! (functions, objects, TLS, labels) must have one address on every ISA that defines it,
//! data and TLS objects one size, the aligned output sections one address and size, and
//! the PT_TLS segments must match, and the constructor and destructor tables must be
//! byte-identical. Functions may differ in size: their slot is sized for the largest
//! ISA.

use std::collections::BTreeMap;
use std::fmt;

use het_format::Isa;
use thiserror::Error;

use crate::elf::{self, Image, Kind, Tls};
use crate::layout::is_aligned_section;

/// Symbols that are different code on different ISAs and whose address never lives in
/// the process's own memory outside a kernel frame:
/// - `_init`/`_fini`, only ever called directly: musl's riscv64 has no crti/crtn, so they
///   are weak aliases of a dummy function in `.text`, while x86_64 and aarch64 have
///   `.init`/`.fini`;
/// - `__restore_rt`/`__restore`, the signal-return trampolines in musl's per-ISA
///   assembly (x86_64 puts a `nop` before `__restore_rt`): musl hands them to the kernel
///   in `rt_sigaction` and they reach user memory only inside a kernel signal frame,
///   which is never migrated.
pub const ISA_SPECIFIC_SYMBOLS: &[&str] = &["_init", "_fini", "__restore_rt", "__restore"];

/// How many mismatches an error lists.
pub const LISTED_MISMATCHES: usize = 20;

/// What a successful check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The ISAs compared.
    pub isas: Vec<Isa>,
    /// Symbols found on every ISA at one address (and size, for data).
    pub aligned_symbols: usize,
    /// Symbols only some ISAs define (ISA-specific code, e.g. libgcc helpers), with the
    /// ISAs that have them. They are at one address wherever they exist.
    pub partial_symbols: Vec<(String, Vec<Isa>)>,
    /// The common PT_TLS segment, if the program has thread-locals.
    pub tls: Option<Tls>,
}

/// One disagreement between binaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The symbol, section or `PT_TLS`.
    pub name: String,
    /// What differs: `address`, `size`, `kind`.
    pub what: &'static str,
    /// Per ISA: (address, size).
    pub per_isa: Vec<(Isa, u64, u64)>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} differs):", self.name, self.what)?;
        for (isa, addr, size) in &self.per_isa {
            write!(f, " {isa} {addr:#x} size {size:#x};")?;
        }
        Ok(())
    }
}

/// Why the binaries are not aligned, or could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    /// Fewer than one binary, or one ISA twice.
    #[error("verify needs one binary per ISA; got {0}")]
    BadInput(String),
    /// Not a 64-bit ELF file.
    #[error("{isa} binary: not a readable ELF64 file: {message}")]
    Elf {
        /// The ISA it was given as.
        isa: Isa,
        /// The reader's message.
        message: String,
    },
    /// The binary is for another machine.
    #[error("the {isa} binary has e_machine {machine}")]
    WrongMachine {
        /// The ISA it was given as.
        isa: Isa,
        /// Its `e_machine`.
        machine: u16,
    },
    /// The layouts differ.
    #[error("{} mismatch(es) between {}; the first:\n{}", .total, isa_list(.isas), list(.first))]
    Mismatch {
        /// The ISAs compared.
        isas: Vec<Isa>,
        /// How many mismatches there are.
        total: usize,
        /// The first [`LISTED_MISMATCHES`] of them.
        first: Vec<Mismatch>,
    },
}

fn isa_list(isas: &[Isa]) -> String {
    isas.iter().map(|i| i.name()).collect::<Vec<_>>().join(", ")
}

fn list(first: &[Mismatch]) -> String {
    first.iter().map(|m| format!("  {m}")).collect::<Vec<_>>().join("\n")
}

/// Checks that `binaries` (one per ISA) share one layout.
pub fn verify(binaries: &[(Isa, &[u8])]) -> Result<Report, VerifyError> {
    let images = read_all(binaries)?;
    let isas: Vec<Isa> = images.iter().map(|i| i.isa).collect();
    let mut mismatches = Vec::new();
    let (aligned_symbols, partial_symbols) = compare_symbols(&images, &mut mismatches);
    compare_sections(&images, &mut mismatches);
    let tls = compare_tls(&images, &mut mismatches);
    if mismatches.is_empty() {
        return Ok(Report {
            isas,
            aligned_symbols,
            partial_symbols,
            tls,
        });
    }
    let total = mismatches.len();
    mismatches.truncate(LISTED_MISMATCHES);
    Err(VerifyError::Mismatch {
        isas,
        total,
        first: mismatches,
    })
}

pub(crate) fn read_all(binaries: &[(Isa, &[u8])]) -> Result<Vec<Image>, VerifyError> {
    if binaries.is_empty() {
        return Err(VerifyError::BadInput("none".into()));
    }
    for (n, (isa, _)) in binaries.iter().enumerate() {
        if binaries[..n].iter().any(|(other, _)| other == isa) {
            return Err(VerifyError::BadInput(format!("{isa} twice")));
        }
    }
    binaries.iter().map(|(isa, bytes)| elf::read(*isa, bytes)).collect()
}

/// Symbols of the aligned sections, by key: per image index, (address, size, kind).
pub(crate) type SymbolTable = BTreeMap<String, Vec<Option<(u64, u64, Kind)>>>;

pub(crate) fn symbol_table(images: &[Image]) -> SymbolTable {
    let mut table = SymbolTable::new();
    for (i, image) in images.iter().enumerate() {
        for sym in image.symbols.iter().filter(|s| is_aligned_section(&s.section)) {
            let row = table.entry(sym.key.clone()).or_insert_with(|| vec![None; images.len()]);
            row[i] = Some((sym.addr, sym.size, sym.kind));
        }
    }
    table
}

fn compare_symbols(images: &[Image], out: &mut Vec<Mismatch>) -> (usize, Vec<(String, Vec<Isa>)>) {
    let table = symbol_table(images);
    let mut aligned = 0;
    let mut partial = Vec::new();
    let mut by_address = Vec::new();
    for (name, row) in table
        .iter()
        .filter(|(name, _)| !ISA_SPECIFIC_SYMBOLS.contains(&name.as_str()))
    {
        let present: Vec<(Isa, u64, u64, Kind)> = row
            .iter()
            .zip(images)
            .filter_map(|(v, img)| v.map(|(a, s, k)| (img.isa, a, s, k)))
            .collect();
        let per_isa: Vec<(Isa, u64, u64)> = present.iter().map(|&(i, a, s, _)| (i, a, s)).collect();
        let first = present[0];
        let what = if present.iter().any(|p| p.1 != first.1) {
            Some("address")
        } else if present.iter().any(|p| data_kind(p.3) != data_kind(first.3)) {
            Some("kind")
        } else if matches!(first.3, Kind::Object | Kind::Tls) && present.iter().any(|p| p.2 != first.2) {
            Some("size")
        } else {
            None
        };
        match what {
            Some(what) => by_address.push((
                first.1,
                Mismatch {
                    name: name.clone(),
                    what,
                    per_isa,
                },
            )),
            None if present.len() == images.len() => aligned += 1,
            None => partial.push((name.clone(), present.iter().map(|p| p.0).collect())),
        }
    }
    // Lowest address first: the first mismatch is usually the cause of the rest.
    by_address.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    out.extend(by_address.into_iter().map(|(_, m)| m));
    (aligned, partial)
}

/// Kinds that must agree: assembly labels (`_start` is NOTYPE on some ISAs) match code.
fn data_kind(kind: Kind) -> Kind {
    if kind == Kind::Label {
        Kind::Function
    } else {
        kind
    }
}

fn compare_sections(images: &[Image], out: &mut Vec<Mismatch>) {
    let mut table: BTreeMap<&str, Vec<(Isa, u64, u64, Option<&[u8]>)>> = BTreeMap::new();
    for image in images {
        for s in image.sections.iter().filter(|s| is_aligned_section(&s.name)) {
            table
                .entry(&s.name)
                .or_default()
                .push((image.isa, s.addr, s.size, s.contents.as_deref()));
        }
    }
    for (name, sections) in table {
        let first = sections[0];
        // Presence may differ (riscv64 musl has no .init/.fini); where present, one place.
        let what = if sections.iter().any(|p| p.1 != first.1) {
            "address"
        } else if sections.iter().any(|p| p.2 != first.2) {
            "size"
        } else if sections.iter().any(|p| p.3 != first.3) {
            // A constructor only one ISA has: the others would call what its slot holds.
            "contents"
        } else {
            continue;
        };
        let per_isa = sections.iter().map(|&(isa, addr, size, _)| (isa, addr, size)).collect();
        out.push(Mismatch {
            name: format!("section {name}"),
            what,
            per_isa,
        });
    }
}

/// One property of PT_TLS that must agree across ISAs: its name and how to read it.
type TlsCheck = (&'static str, fn(&Tls) -> u64);

fn compare_tls(images: &[Image], out: &mut Vec<Mismatch>) -> Option<Tls> {
    let first = images[0].tls;
    let checks: [TlsCheck; 4] = [
        ("address", |t| t.vaddr),
        ("file size", |t| t.filesz),
        ("size", |t| t.memsz),
        ("alignment", |t| t.align),
    ];
    if images.iter().any(|i| i.tls.is_some() != first.is_some()) {
        let per_isa = images
            .iter()
            .map(|i| (i.isa, i.tls.map_or(0, |t| t.vaddr), i.tls.map_or(0, |t| t.memsz)))
            .collect();
        out.push(Mismatch {
            name: "PT_TLS".into(),
            what: "presence",
            per_isa,
        });
        return None;
    }
    let first = first?;
    for (what, get) in checks {
        if images.iter().any(|i| i.tls.as_ref().map(get) != Some(get(&first))) {
            let per_isa = images
                .iter()
                .map(|i| (i.isa, i.tls.map_or(0, |t| t.vaddr), i.tls.as_ref().map_or(0, get)))
                .collect();
            out.push(Mismatch {
                name: "PT_TLS".into(),
                what,
                per_isa,
            });
        }
    }
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(
            verify(&[(Isa::X86_64, b"not elf")]),
            Err(VerifyError::Elf { .. })
        ));
        assert!(matches!(verify(&[]), Err(VerifyError::BadInput(_))));
    }

    fn with_init_array(isa: Isa, entries: &[u64]) -> Image {
        let contents: Vec<u8> = entries.iter().flat_map(|e| e.to_le_bytes()).collect();
        Image {
            isa,
            sections: vec![elf::Section {
                name: ".init_array".into(),
                addr: 0x24_0b08,
                size: contents.len() as u64,
                contents: Some(contents),
            }],
            symbols: Vec::new(),
            tls: None,
        }
    }

    /// Same place and size, but one ISA has a constructor the other's slot does not
    /// hold (aarch64's outline-atomics probe once did): musl would call a null entry.
    #[test]
    fn constructor_tables_must_hold_the_same_entries() {
        let same = [
            with_init_array(Isa::X86_64, &[0x22_0200, 0]),
            with_init_array(Isa::Aarch64, &[0x22_0200, 0]),
        ];
        let mut found = Vec::new();
        compare_sections(&same, &mut found);
        assert!(found.is_empty(), "{found:?}");

        let differ = [
            with_init_array(Isa::X86_64, &[0x22_0200, 0]),
            with_init_array(Isa::Aarch64, &[0x22_0200, 0x22_d030]),
        ];
        compare_sections(&differ, &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].what, "contents");
        assert_eq!(found[0].name, "section .init_array");
    }
}
