//! Phase 2: one layout for N ISAs.
//!
//! Every input section of the program, libc and the runtime gets one address, the same in
//! every ISA's binary: slots are sized to the largest ISA and aligned to the strictest
//! one; a section that one ISA lacks is a hole in that ISA. ISA-specific sections
//! (`.eh_frame`, notes, `.got`, later `.llvm_stackmaps`) go to per-ISA places that never
//! move an aligned slot. The address space, from [`BASE`]:
//!
//! ```text
//! BASE            ELF + program headers (per ISA, < HEADERS_SIZE bytes)
//! BASE+0x800      R   .rodata                                  aligned slots
//! 64 KiB boundary RX  .text  .init .fini                       aligned slots / whole units
//! 64 KiB boundary RW  .tdata .tbss                             aligned; one PT_TLS for all
//!                     .preinit_array .init_array .fini_array .data.rel.ro
//!                     .got .got.plt                            per-ISA windows (max size)
//!                     .data .bss                               aligned slots
//! 64 KiB boundary     per-ISA tail: .eh_frame, .note.*, …      free layout per ISA
//! ```
//!
//! `.tbss` takes no address space (like lld's own layout, the next section may overlap it);
//! `.init`/`.fini` are placed as one unit each because crti.o's prologue falls through
//! into crtn.o's epilogue, so nothing may be padded between their pieces.

use std::collections::{HashMap, HashSet};

use het_format::Isa;
use thiserror::Error;

use crate::link_map::{LinkMap, SectionKey};

/// The address of the ELF header in every binary.
pub const BASE: u64 = 0x20_0000;
/// Room for the ELF and program headers before the first section. lld only puts the
/// headers in a loaded segment if they fit in front of the first section in its page.
pub const HEADERS_SIZE: u64 = 0x800;
/// The largest page size of the three ISAs (aarch64 with 64 KiB pages): segments are
/// this far apart, see `next_segment`.
pub const SEGMENT_ALIGN: u64 = 0x1_0000;

/// How an output section is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// One slot per input section key, at the same address on every ISA.
    Aligned,
    /// The whole output section is one slot (`.init`, `.fini`: code that falls through).
    Unit,
    /// ISA-specific content in a window of the largest ISA's size at one address
    /// (`.got` must stay next to the other RELRO sections).
    Window,
}

/// Which segment an output section belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment {
    Read,
    Exec,
    Write,
}

/// The fixed part of the address space, in order.
const PLAN: &[(&str, Segment, SectionKind)] = &[
    (".rodata", Segment::Read, SectionKind::Aligned),
    (".text", Segment::Exec, SectionKind::Aligned),
    (".init", Segment::Exec, SectionKind::Unit),
    (".fini", Segment::Exec, SectionKind::Unit),
    (".tdata", Segment::Write, SectionKind::Aligned),
    (".tbss", Segment::Write, SectionKind::Aligned),
    (".preinit_array", Segment::Write, SectionKind::Aligned),
    (".init_array", Segment::Write, SectionKind::Aligned),
    (".fini_array", Segment::Write, SectionKind::Aligned),
    (".data.rel.ro", Segment::Write, SectionKind::Aligned),
    (".got", Segment::Write, SectionKind::Window),
    (".got.plt", Segment::Write, SectionKind::Window),
    (".data", Segment::Write, SectionKind::Aligned),
    (".bss", Segment::Write, SectionKind::Aligned),
];

/// Output sections lld creates that carry no program data and need no place.
const IGNORED: &[&str] = &[".relro_padding"];

/// The layout shared by all ISAs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The ISAs, in the order of every per-ISA vector below.
    pub isas: Vec<Isa>,
    /// The output sections at fixed addresses, in address order.
    pub sections: Vec<SectionLayout>,
    /// Where the per-ISA tail starts.
    pub tail_addr: u64,
    /// Per ISA: the ISA-specific allocated output sections, in that ISA's pass-1 order.
    pub tails: Vec<Vec<TailSection>>,
}

/// One output section at a fixed address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionLayout {
    /// Its name.
    pub name: String,
    /// How its contents are placed.
    pub kind: SectionKind,
    /// Its address, the same on every ISA.
    pub addr: u64,
    /// Its size, the same on every ISA (the script pads each ISA to it).
    pub size: u64,
    /// Its alignment (largest over ISAs and slots).
    pub align: u64,
    /// Its slots, in address order.
    pub slots: Vec<Slot>,
}

/// One address, holding one input section (or a unit of them) on each ISA that has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The key of the first ISA that has it.
    pub key: SectionKey,
    /// Its address.
    pub addr: u64,
    /// Its size: the largest ISA's.
    pub size: u64,
    /// Its alignment: the strictest ISA's.
    pub align: u64,
    /// Per ISA (as [`Layout::isas`]): the input sections placed here, in order; empty = hole.
    pub parts: Vec<Vec<Part>>,
}

/// One ISA's input section in a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The file as a linker-script pattern: `path/prog.o`, `path/libc.a:fclose.o`, or `*`.
    pub file: String,
    /// The section name as in that ISA's object.
    pub section: String,
    /// Its size on that ISA.
    pub size: u64,
    /// Its alignment on that ISA.
    pub align: u64,
    /// Symbols defined in it, with offsets from the slot's start.
    pub symbols: Vec<(String, u64)>,
}

/// An ISA-specific output section in the per-ISA tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TailSection {
    /// Its name.
    pub name: String,
    /// Its size in pass 1.
    pub size: u64,
    /// Its alignment in pass 1.
    pub align: u64,
}

impl Slot {
    /// This slot's size on ISA number `i` (parts laid out one after the other).
    pub fn size_on(&self, i: usize) -> u64 {
        parts_size(&self.parts[i])
    }
}

impl Layout {
    /// The index of `isa` in the per-ISA vectors.
    pub fn isa_index(&self, isa: Isa) -> Option<usize> {
        self.isas.iter().position(|i| *i == isa)
    }
}

/// Why no layout could be computed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LayoutError {
    /// No maps were given.
    #[error("no link maps to align")]
    NoMaps,
    /// Two maps for one ISA.
    #[error("two link maps for {0}")]
    DuplicateIsa(Isa),
    /// A key lands in different output sections on two ISAs.
    #[error("{key} is in {first} on {first_isa} but in {second} on {second_isa}")]
    OutputSectionMismatch {
        /// The input section.
        key: SectionKey,
        /// Where the first ISA put it.
        first: String,
        /// That ISA.
        first_isa: Isa,
        /// Where the other ISA put it.
        second: String,
        /// That ISA.
        second_isa: Isa,
    },
    /// A section lld synthesised (merged strings or constants) in an aligned output
    /// section: its contents cannot be given per-file slots.
    #[error("aligning {output} for {isa}: `{key}` is a section lld synthesised by merging; link both passes with -O0")]
    Synthetic {
        /// The ISA.
        isa: Isa,
        /// The output section.
        output: String,
        /// The synthetic section.
        key: SectionKey,
    },
}

/// Computes one layout from each ISA's pass-1 link map.
pub fn compute(maps: &[(Isa, &LinkMap<'_>)]) -> Result<Layout, LayoutError> {
    if maps.is_empty() {
        return Err(LayoutError::NoMaps);
    }
    let isas: Vec<Isa> = maps.iter().map(|(isa, _)| *isa).collect();
    if let Some(dup) = isas.iter().enumerate().find(|(i, isa)| isas[..*i].contains(isa)) {
        return Err(LayoutError::DuplicateIsa(*dup.1));
    }
    let mut collected = Collected::new(isas.len());
    for (i, (isa, map)) in maps.iter().enumerate() {
        collect(&mut collected, i, *isa, map)?;
    }
    let mut groups = HashMap::new();
    for (name, group) in collected.groups {
        let mut slots = group.into_slots();
        merge_partial_slots(&mut slots, isas.len());
        groups.insert(name, slots);
    }
    Ok(assign(isas, groups, collected.tails))
}

/// Slots gathered per output section before addresses are assigned.
struct Collected {
    groups: HashMap<&'static str, Group>,
    /// Where each key went first: (output section, ISA).
    homes: HashMap<SectionKey, (&'static str, Isa)>,
    tails: Vec<Vec<TailSection>>,
}

impl Collected {
    fn new(n: usize) -> Self {
        Collected {
            groups: HashMap::new(),
            homes: HashMap::new(),
            tails: vec![Vec::new(); n],
        }
    }
}

fn plan_entry(output: &str) -> Option<&'static (&'static str, Segment, SectionKind)> {
    let common = match output {
        ".sdata" => ".data",
        ".sbss" => ".bss",
        ".srodata" => ".rodata",
        other => other,
    };
    PLAN.iter().find(|(name, _, _)| *name == common)
}

fn collect(c: &mut Collected, i: usize, isa: Isa, map: &LinkMap<'_>) -> Result<(), LayoutError> {
    let n = c.tails.len();
    // lld writes TLS symbols' values as offsets from the start of the TLS segment.
    let tls_start = map
        .output_sections
        .iter()
        .find(|o| o.name == ".tdata" || o.name == ".tbss")
        .map(|o| o.vma);
    for out in &map.output_sections {
        let tls_base = if out.name == ".tdata" || out.name == ".tbss" {
            tls_start.unwrap_or(0)
        } else {
            0
        };
        if IGNORED.contains(&out.name) || (out.vma == 0 && plan_entry(out.name).is_none()) {
            continue;
        }
        let Some(&(name, _, kind)) = plan_entry(out.name) else {
            c.tails[i].push(TailSection {
                name: out.name.to_owned(),
                size: out.size,
                align: out.align,
            });
            continue;
        };
        let group = c.groups.entry(name).or_default();
        match kind {
            SectionKind::Aligned => {
                let mut previous: Option<SectionKey> = None;
                for input in out.inputs.iter().filter(|s| !s.is_assignment()) {
                    let key = input.key();
                    if key.file == "<internal>" {
                        return Err(LayoutError::Synthetic {
                            isa,
                            output: name.to_owned(),
                            key,
                        });
                    }
                    check_home(&mut c.homes, &key, name, isa)?;
                    let part = Part {
                        file: script_file(input.file),
                        section: input.section.to_owned(),
                        size: input.size,
                        align: input.align.max(1),
                        symbols: input
                            .symbols
                            .iter()
                            .filter(|s| is_named(s.name))
                            .map(|s| (s.name.to_owned(), s.vma.wrapping_add(tls_base).wrapping_sub(input.vma)))
                            .collect(),
                    };
                    group.add(previous.as_ref(), key.clone(), i, n, part);
                    previous = Some(key);
                }
            }
            SectionKind::Unit | SectionKind::Window => {
                let symbols = out.inputs.iter().flat_map(|s| &s.symbols).filter(|s| is_named(s.name));
                let part = Part {
                    file: "*".to_owned(),
                    section: name.to_owned(),
                    size: out.size,
                    align: out.align.max(1),
                    symbols: symbols
                        .map(|s| (s.name.to_owned(), s.vma.wrapping_sub(out.vma)))
                        .collect(),
                };
                let key = SectionKey {
                    file: "*".to_owned(),
                    section: name.to_owned(),
                };
                group.add(None, key, i, n, part);
            }
        }
    }
    Ok(())
}

/// Problems the layout cannot fix, found in the maps before linking pass 2: a symbol at
/// different offsets of one slot on different ISAs (named data in a shared mergeable
/// `.rodata.cstN` section, whose order is ISA-specific), and globals merged by LLVM's
/// GlobalMerge into `.L_MergedGlobals`. Each makes [`crate::verify::verify`] fail.
pub fn diagnose(layout: &Layout) -> Vec<String> {
    let mut found = Vec::new();
    for slot in layout.sections.iter().flat_map(|s| &s.slots) {
        if slot.key.section.contains(".L_MergedGlobals") {
            found.push(format!(
                "{}: LLVM GlobalMerge merged globals; compile with -mllvm -enable-global-merge=false",
                slot.key
            ));
        }
        let mut offsets: HashMap<&str, Vec<(Isa, u64)>> = HashMap::new();
        for (i, parts) in slot.parts.iter().enumerate() {
            let mut start = 0;
            for part in parts {
                start = align_up(start, part.align);
                for (name, offset) in &part.symbols {
                    offsets.entry(name).or_default().push((layout.isas[i], start + offset));
                }
                start += part.size;
            }
        }
        let mut names: Vec<_> = offsets
            .into_iter()
            .filter(|(name, _)| !crate::verify::ISA_SPECIFIC_SYMBOLS.contains(name))
            .filter(|(_, v)| v.iter().any(|o| o.1 != v[0].1))
            .collect();
        names.sort();
        for (name, per_isa) in names {
            let at: Vec<String> = per_isa.iter().map(|(isa, o)| format!("+{o:#x} on {isa}")).collect();
            found.push(format!("{}: {name} is at {}", slot.key, at.join(", ")));
        }
    }
    found
}

/// True for the output sections whose symbols must have one address on every ISA.
pub fn is_aligned_section(name: &str) -> bool {
    PLAN.iter()
        .any(|(n, _, kind)| *n == name && *kind != SectionKind::Window)
}

/// Mapping symbols (`$x`, `$d`) and assembler temporaries (`.Lpcrel_hi0`) name no object.
pub fn is_named(symbol: &str) -> bool {
    !symbol.is_empty() && !symbol.starts_with('$') && !symbol.starts_with(".L")
}

/// lld names archive members `archive(member)` in maps and `archive:member` in scripts.
fn script_file(file: &str) -> String {
    match file.strip_suffix(')').and_then(|f| f.rfind('(').map(|at| (f, at))) {
        Some((f, at)) => format!("{}:{}", &f[..at], &f[at + 1..]),
        None => file.to_owned(),
    }
}

fn check_home(
    homes: &mut HashMap<SectionKey, (&'static str, Isa)>,
    key: &SectionKey,
    output: &'static str,
    isa: Isa,
) -> Result<(), LayoutError> {
    let (first, first_isa) = *homes.entry(key.clone()).or_insert((output, isa));
    if first == output {
        return Ok(());
    }
    Err(LayoutError::OutputSectionMismatch {
        key: key.clone(),
        first: first.to_owned(),
        first_isa,
        second: output.to_owned(),
        second_isa: isa,
    })
}

/// The slots of one output section while maps are read: keys in layout order.
#[derive(Default)]
struct Group {
    order: Vec<SectionKey>,
    slots: HashMap<SectionKey, Slot>,
}

impl Group {
    /// Adds `part` to the slot of `key`. A new key goes right after `previous` (this ISA's
    /// last key), so keys only some ISAs have keep their neighbours.
    fn add(&mut self, previous: Option<&SectionKey>, key: SectionKey, i: usize, n: usize, part: Part) {
        if !self.slots.contains_key(&key) {
            let at = match previous {
                Some(p) if self.order.last() != Some(p) => self
                    .order
                    .iter()
                    .position(|k| k == p)
                    .map_or(self.order.len(), |at| at + 1),
                _ => self.order.len(),
            };
            self.order.insert(at, key.clone());
            let slot = Slot {
                key: key.clone(),
                addr: 0,
                size: 0,
                align: 1,
                parts: vec![Vec::new(); n],
            };
            self.slots.insert(key.clone(), slot);
        }
        if let Some(slot) = self.slots.get_mut(&key) {
            slot.parts[i].push(part);
        }
    }

    fn into_slots(mut self) -> Vec<Slot> {
        self.order.iter().filter_map(|k| self.slots.remove(k)).collect()
    }
}

/// Slots that only some ISAs have and that define the same symbol in the same file are
/// one function written differently per ISA (musl's `memcpy.s` on x86_64 and
/// `memcpy.c` elsewhere: `.text` vs `.text.memcpy`). They share one slot.
fn merge_partial_slots(group: &mut Vec<Slot>, n: usize) {
    let mut a = 0;
    while a < group.len() {
        let mut b = a + 1;
        while b < group.len() {
            if mergeable(&group[a], &group[b], n) {
                let other = group.remove(b);
                for (mine, theirs) in group[a].parts.iter_mut().zip(other.parts) {
                    mine.extend(theirs);
                }
            } else {
                b += 1;
            }
        }
        a += 1;
    }
}

fn mergeable(a: &Slot, b: &Slot, n: usize) -> bool {
    // Every C object has an empty `.text`; only parts with bytes count as present.
    let present = |s: &Slot| {
        (0..n)
            .filter(|&i| s.parts[i].iter().any(|p| p.size > 0))
            .collect::<HashSet<_>>()
    };
    let (pa, pb) = (present(a), present(b));
    if pa.len() == n || !pa.is_disjoint(&pb) || a.key.file != b.key.file {
        return false;
    }
    let names = |s: &Slot| -> HashSet<String> {
        s.parts
            .iter()
            .flatten()
            .flat_map(|p| p.symbols.iter().map(|(name, _)| name.clone()))
            .collect()
    };
    !names(a).is_disjoint(&names(b))
}

fn parts_size(parts: &[Part]) -> u64 {
    parts.iter().fold(0, |end, p| align_up(end, p.align) + p.size)
}

/// Rounds `value` up to a multiple of `align` (a power of two; 0 and 1 mean none).
pub fn align_up(value: u64, align: u64) -> u64 {
    let align = align.max(1);
    value.div_ceil(align) * align
}

fn assign(isas: Vec<Isa>, mut groups: HashMap<&'static str, Vec<Slot>>, tails: Vec<Vec<TailSection>>) -> Layout {
    let n = isas.len();
    let mut sections = Vec::new();
    let mut cursor = BASE + HEADERS_SIZE;
    let mut segment = Segment::Read;
    for &(name, seg, kind) in PLAN {
        let Some(mut slots) = groups.remove(name) else { continue };
        if seg != segment {
            cursor = next_segment(cursor);
            segment = seg;
        }
        let mut align = max_align(&slots);
        if name == ".tdata" {
            // The TLS image starts at PT_TLS's own alignment, which .tbss raises too;
            // otherwise TLS offsets would be misaligned in every thread's block.
            align = align.max(groups.get(".tbss").map_or(1, |tbss| max_align(tbss)));
        }
        let addr = align_up(cursor, align);
        let mut end = addr;
        for slot in &mut slots {
            slot.align = slot.parts.iter().flatten().map(|p| p.align).max().unwrap_or(1);
            slot.size = (0..n).map(|i| slot.size_on(i)).max().unwrap_or(0);
            slot.addr = align_up(end, slot.align);
            end = slot.addr + slot.size;
        }
        if kind == SectionKind::Window {
            end = align_up(end, 16);
        }
        sections.push(SectionLayout {
            name: name.to_owned(),
            kind,
            addr,
            size: end - addr,
            align,
            slots,
        });
        // .tbss takes no address space: what follows it starts where .tdata ended.
        if name != ".tbss" {
            cursor = end;
        }
    }
    let end = sections.iter().map(|s| s.addr + s.size).max().unwrap_or(cursor);
    // The first tail section gets this address explicitly: it must be aligned, or lld
    // pads inside the output section and `.eh_frame` starts with a zero terminator.
    let tail_align = tails.iter().flatten().map(|t| t.align).max().unwrap_or(1);
    Layout {
        isas,
        sections,
        tail_addr: align_up(next_segment(end), tail_align),
        tails,
    }
}

fn max_align(slots: &[Slot]) -> u64 {
    slots
        .iter()
        .flat_map(|s| s.parts.iter().flatten())
        .map(|p| p.align)
        .max()
        .unwrap_or(1)
}

/// Where a segment following one that ends at `end` starts: one max-page further, at
/// the same offset within the page. Its pages are then disjoint from the previous
/// segment's for any page size up to 64 KiB, and ld.lld, which keeps file offsets
/// congruent to addresses modulo the max-page size, lays it out in the file right after
/// the previous one. Rounding up to the next 64 KiB boundary instead left a hole of up
/// to 64 KiB in the file per segment: 217 KB instead of 71 KB files on aarch64.
fn next_segment(end: u64) -> u64 {
    end + SEGMENT_ALIGN
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link_map::parse;

    fn layout(maps: &[(Isa, &str)]) -> Result<Layout, LayoutError> {
        let texts: Vec<String> = maps
            .iter()
            .map(|(_, body)| format!("VMA LMA Size Align Out In Symbol\n{body}"))
            .collect();
        let parsed: Vec<_> = texts.iter().map(|t| parse(t).unwrap()).collect();
        let pairs: Vec<_> = maps.iter().zip(&parsed).map(|((isa, _), m)| (*isa, m)).collect();
        compute(&pairs)
    }

    #[test]
    fn slots_take_max_size_and_alignment_and_holes() {
        let x = "1000 1000 30 16 .text
1000 1000 10 16         p.x86_64.o:(.text.a)
1000 1000 10 1                 a
1010 1010 20 16         p.x86_64.o:(.text.b)
1010 1010 20 1                 b
";
        let r = "1000 1000 40 4 .text
1000 1000 30 4         p.riscv64.o:(.text.a)
1000 1000 30 1                 a
1030 1030 4 4         p.riscv64.o:(.text.only_rv)
1034 1034 8 4         p.riscv64.o:(.text.b)
";
        let layout = layout(&[(Isa::X86_64, x), (Isa::Riscv64, r)]).unwrap();
        let text = &layout.sections[0];
        // Headers end at 0x20_0800; the first (executable) segment is one 64 KiB page further.
        assert_eq!(text.addr, 0x21_0800);
        let got: Vec<_> = text
            .slots
            .iter()
            .map(|s| (s.key.section.as_str(), s.addr, s.size, s.align))
            .collect();
        assert_eq!(
            got,
            [
                (".text.a", 0x21_0800, 0x30, 16),
                (".text.only_rv", 0x21_0830, 4, 4),
                (".text.b", 0x21_0840, 0x20, 16)
            ]
        );
        assert!(text.slots[1].parts[0].is_empty());
    }

    #[test]
    fn mismatched_output_sections_are_an_error() {
        let x = "1000 1000 10 16 .data\n1000 1000 10 16         p.o:(.x)\n";
        let a = "1000 1000 10 16 .bss\n1000 1000 10 16         p.o:(.x)\n";
        let err = layout(&[(Isa::X86_64, x), (Isa::Aarch64, a)]).unwrap_err();
        assert!(matches!(err, LayoutError::OutputSectionMismatch { .. }), "{err}");
        assert_eq!(layout(&[]), Err(LayoutError::NoMaps));
        assert_eq!(
            layout(&[(Isa::X86_64, x), (Isa::X86_64, x)]),
            Err(LayoutError::DuplicateIsa(Isa::X86_64))
        );
    }

    #[test]
    fn merged_sections_are_refused() {
        let x = "1000 1000 10 1 .rodata\n1000 1000 10 1         <internal>:(.rodata.str1.1)\n";
        assert!(matches!(
            layout(&[(Isa::X86_64, x)]),
            Err(LayoutError::Synthetic { .. })
        ));
    }

    #[test]
    fn same_function_in_differently_named_sections_shares_a_slot() {
        let x = "1000 1000 10 16 .text\n1000 1000 10 16         l/libc.a(memcpy.lo):(.text)\n1000 1000 0 1                 memcpy\n";
        let a = "1000 1000 20 4 .text\n1000 1000 20 4         m/libc.a(memcpy.lo):(.text.memcpy)\n1000 1000 0 1                 memcpy\n";
        let layout = layout(&[(Isa::X86_64, x), (Isa::Aarch64, a)]).unwrap();
        assert_eq!(layout.sections[0].slots.len(), 1);
        assert_eq!(layout.sections[0].slots[0].size, 0x20);
        assert_eq!(layout.sections[0].slots[0].parts[1][0].file, "m/libc.a:memcpy.lo");
    }
}
