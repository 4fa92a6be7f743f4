//! Gathers the program's translation units from sources, hetcc objects and archives,
//! pulling archive members in as a linker would: a member joins when it defines a
//! symbol that is still undefined. All archives are searched until nothing changes
//! (like `--start-group … --end-group`), so library order on the command line does not
//! matter.

use crate::cli::{Input, Invocation};
use crate::hetobj::{self, ModuleSymbol};
use crate::toolchain::Toolchain;
use crate::unit;
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Libraries that musl's `libc.a` already contains: `-lm`, `-lpthread`… need nothing
/// unless a `-L` directory holds an archive of that name.
const PART_OF_LIBC: &[&str] = &["c", "m", "pthread", "rt", "dl", "util", "crypt", "xnet", "resolv"];

/// A translation unit's bitcode and where it came from.
pub struct LinkUnit {
    /// `a.c`, `a.o`, `libx.a(b.o)`.
    pub origin: String,
    /// Canonical bitcode, with line tables.
    pub bitcode: Vec<u8>,
    /// Compiled with `-g`.
    pub debug: bool,
    /// The `-O` level it was compiled with, when known.
    pub opt_level: Option<String>,
}

struct Member {
    origin: String,
    bitcode: Vec<u8>,
    debug: bool,
    opt_level: Option<String>,
    symbols: Vec<ModuleSymbol>,
    taken: bool,
}

#[derive(Default)]
struct SymbolState {
    defined: HashSet<String>,
    undefined: HashSet<String>,
}

impl SymbolState {
    fn add(&mut self, symbols: &[ModuleSymbol]) {
        for s in symbols.iter().filter(|s| s.defined) {
            self.defined.insert(s.name.clone());
            self.undefined.remove(&s.name);
        }
        for s in symbols.iter().filter(|s| !s.defined && !s.weak) {
            if !self.defined.contains(&s.name) {
                self.undefined.insert(s.name.clone());
            }
        }
    }

    fn wants(&self, member: &Member) -> bool {
        member
            .symbols
            .iter()
            .any(|s| s.defined && self.undefined.contains(&s.name))
    }
}

/// Every unit of the program, sources compiled on the way.
pub fn gather(tools: &Toolchain, inv: &Invocation, scratch: &Path) -> Result<Vec<LinkUnit>> {
    let mut units = Vec::new();
    let mut state = SymbolState::default();
    let mut members: Vec<Member> = Vec::new();
    for input in &inv.inputs {
        match input {
            Input::Source(path) => {
                let object = crate::cc::default_output(path, "o");
                let unit = unit::compile(tools, inv, path, scratch, &object)?;
                state.add(&unit.symbols);
                units.push(LinkUnit {
                    origin: path.display().to_string(),
                    bitcode: unit.bitcode,
                    debug: unit.debug,
                    opt_level: Some(inv.opt_level.clone()),
                });
            }
            Input::Object(path) => {
                let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
                let origin = path.display().to_string();
                let object = hetobj::read(&data, &origin)?;
                state.add(&object.symbols);
                units.push(LinkUnit {
                    origin,
                    bitcode: object.bitcode.to_vec(),
                    debug: object.debug,
                    opt_level: object.opt_level,
                });
            }
            Input::Archive(path) => members.extend(read_archive(path)?),
            Input::Library(name) => match find_library(name, &inv.library_dirs) {
                Ok(archive) => members.extend(read_archive(&archive)?),
                Err(_) if PART_OF_LIBC.contains(&name.as_str()) => {}
                Err(e) => return Err(e),
            },
        }
    }
    loop {
        let wanted: Vec<usize> = (0..members.len())
            .filter(|&i| !members[i].taken && state.wants(&members[i]))
            .collect();
        if wanted.is_empty() {
            break;
        }
        for i in wanted {
            // An archive named twice (libtool repeats dependency libraries) offers the
            // same member twice in one round: once one copy is in, the other is not
            // wanted any more.
            if !state.wants(&members[i]) {
                continue;
            }
            members[i].taken = true;
            state.add(&members[i].symbols);
            let origin = members[i].origin.clone();
            let debug = members[i].debug;
            units.push(LinkUnit {
                origin,
                bitcode: std::mem::take(&mut members[i].bitcode),
                debug,
                opt_level: members[i].opt_level.take(),
            });
        }
    }
    if units.is_empty() {
        bail!("no translation units to link");
    }
    Ok(units)
}

fn find_library(name: &str, dirs: &[PathBuf]) -> Result<PathBuf> {
    for dir in dirs {
        let archive = dir.join(format!("lib{name}.a"));
        if archive.is_file() {
            return Ok(archive);
        }
        if dir.join(format!("lib{name}.so")).is_file() {
            bail!("-l{name}: only a shared library lib{name}.so was found in {}; hetcc links static archives built with hetcc", dir.display());
        }
    }
    bail!(
        "cannot find -l{name} (searched: {})",
        if dirs.is_empty() {
            "no -L directories".to_string()
        } else {
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    )
}

fn read_archive(path: &Path) -> Result<Vec<Member>> {
    let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let archive = object::read::archive::ArchiveFile::parse(&*data)
        .with_context(|| format!("{} is not an archive", path.display()))?;
    let mut members = Vec::new();
    for member in archive.members() {
        let member = member.with_context(|| format!("{}: corrupt archive member", path.display()))?;
        let name = String::from_utf8_lossy(member.name()).into_owned();
        let origin = format!("{}({name})", path.display());
        let bytes = member
            .data(&*data)
            .with_context(|| format!("{origin}: cannot read member"))?;
        let object = hetobj::read(bytes, &origin)?;
        members.push(Member {
            symbols: object.symbols,
            bitcode: object.bitcode.to_vec(),
            debug: object.debug,
            opt_level: object.opt_level,
            origin,
            taken: false,
        });
    }
    Ok(members)
}
