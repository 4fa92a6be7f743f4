//! The hetcc object format: what `hetcc -c` writes and a later `hetcc` link reads.
//!
//! An ELF64 little-endian relocatable file, e_machine RISC-V (it holds riscv64-canonical
//! IR), with:
//! - `.hetcc.bc`: the translation unit's optimised LLVM bitcode;
//! - `.note.hetcc`: the format version string [`FORMAT_VERSION`];
//! - `.hetcc.debug` (empty), present when compiled with `-g`: the bitcode always has
//!   line tables (for link-time diagnostics), the link keeps them only then;
//! - `.hetcc.opt`: the `-O` level the unit was compiled with (`0`…`3`, `s`, `z`), which
//!   a link without its own `-O` generates code at;
//! - a symbol table listing the module's external definitions (in `.hetcc.bc`) and
//!   references (undefined), so `ar`/`ranlib` index archives and `nm` shows them.
//!
//! Code generation happens at link time, for the whole program, on every ISA.

use anyhow::{bail, Context, Result};
use object::write::{Object, Symbol, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, Object as _, ObjectSection, ObjectSymbol, SectionKind, SymbolFlags,
    SymbolKind, SymbolScope,
};
use std::path::Path;

/// Identifies the layout of hetcc objects; bumped when it changes.
pub const FORMAT_VERSION: &[u8] = b"hetcc-object-1";
const BITCODE_SECTION: &str = ".hetcc.bc";
const NOTE_SECTION: &str = ".note.hetcc";
const DEBUG_SECTION: &str = ".hetcc.debug";
const OPT_SECTION: &str = ".hetcc.opt";

/// A global symbol of a translation unit, as the archive index needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleSymbol {
    /// Symbol name.
    pub name: String,
    /// Defined in this unit (rather than referenced).
    pub defined: bool,
    /// A function (rather than data).
    pub function: bool,
    /// Weak definition or reference.
    pub weak: bool,
}

/// Writes a hetcc object.
pub fn write(path: &Path, bitcode: &[u8], symbols: &[ModuleSymbol], debug: bool, opt_level: &str) -> Result<()> {
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::Riscv64, Endianness::Little);
    let note = obj.add_section(Vec::new(), NOTE_SECTION.as_bytes().to_vec(), SectionKind::Note);
    obj.append_section_data(note, FORMAT_VERSION, 1);
    if debug {
        obj.add_section(Vec::new(), DEBUG_SECTION.as_bytes().to_vec(), SectionKind::Other);
    }
    let opt = obj.add_section(Vec::new(), OPT_SECTION.as_bytes().to_vec(), SectionKind::Other);
    obj.append_section_data(opt, opt_level.as_bytes(), 1);
    let bc = obj.add_section(Vec::new(), BITCODE_SECTION.as_bytes().to_vec(), SectionKind::Other);
    obj.append_section_data(bc, bitcode, 8);
    for sym in symbols {
        obj.add_symbol(Symbol {
            name: sym.name.as_bytes().to_vec(),
            value: 0,
            size: 0,
            kind: if sym.function {
                SymbolKind::Text
            } else {
                SymbolKind::Data
            },
            scope: SymbolScope::Linkage,
            weak: sym.weak,
            section: if sym.defined {
                SymbolSection::Section(bc)
            } else {
                SymbolSection::Undefined
            },
            flags: SymbolFlags::None,
        });
    }
    let bytes = obj.write().context("encoding hetcc object")?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// A hetcc object read back: its bitcode and symbols.
pub struct HetObject<'data> {
    /// Optimised canonical bitcode.
    pub bitcode: &'data [u8],
    /// External definitions and references.
    pub symbols: Vec<ModuleSymbol>,
    /// Compiled with `-g`.
    pub debug: bool,
    /// The `-O` level of the compile (`None` in objects from before it was recorded).
    pub opt_level: Option<String>,
}

/// Reads a hetcc object from bytes; `what` names it in errors (`libx.a(a.o)`).
pub fn read<'data>(data: &'data [u8], what: &str) -> Result<HetObject<'data>> {
    let not_ours = || format!("{what} is not a hetcc object (compile it with `hetcc -c`)");
    let file = object::File::parse(data).with_context(not_ours)?;
    let note = file.section_by_name(NOTE_SECTION).with_context(not_ours)?;
    let version = note.data().with_context(not_ours)?;
    if version != FORMAT_VERSION {
        bail!(
            "{what} was written by another hetcc version ({}; this hetcc reads {}): rebuild it",
            String::from_utf8_lossy(version),
            String::from_utf8_lossy(FORMAT_VERSION)
        );
    }
    let bitcode = file
        .section_by_name(BITCODE_SECTION)
        .and_then(|s| s.data().ok())
        .with_context(|| format!("{what}: hetcc object without its {BITCODE_SECTION} section"))?;
    let symbols = file
        .symbols()
        .filter(|s| s.is_global() || s.is_weak())
        .filter_map(|s| {
            Some(ModuleSymbol {
                name: s.name().ok()?.to_string(),
                defined: !s.is_undefined(),
                function: s.kind() == SymbolKind::Text,
                weak: s.is_weak(),
            })
        })
        .collect();
    let debug = file.section_by_name(DEBUG_SECTION).is_some();
    let opt_level = file
        .section_by_name(OPT_SECTION)
        .and_then(|s| s.data().ok())
        .map(|d| String::from_utf8_lossy(d).into_owned());
    Ok(HetObject {
        bitcode,
        symbols,
        debug,
        opt_level,
    })
}
