//! Building one ISA's transform table from a linked binary: stackmap records (where
//! the live values are) joined with `.eh_frame` rows (how to unwind the frame).

use het_format::table::{FrameRule, LiveValue, Location, SavedRegister, TransformTable, ValueKind};
use het_format::Isa;

use crate::elf::LinkedBinary;
use crate::error::{Error, PointError};
use crate::llvm::{self, LocationKind, StackMapSection};
use crate::statepoint::Statepoint;
use crate::unwind::{self, UnwindInfo};

/// An owned transform table: what the builder produces and the writer encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableData {
    /// The ISA described.
    pub isa: Isa,
    /// Functions holding equivalence points, by address.
    pub functions: Vec<FunctionData>,
    /// Equivalence points, by ID.
    pub points: Vec<PointData>,
}

/// A function holding equivalence points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionData {
    /// Its address.
    pub address: u64,
    /// LLVM's static stack size, `None` if dynamic.
    pub stack_size: Option<u32>,
    /// Its symbol name.
    pub name: Option<String>,
}

/// One equivalence point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointData {
    /// The statepoint ID.
    pub id: u64,
    /// Index into [`TableData::functions`].
    pub function: u32,
    /// Return address minus the function's address.
    pub return_offset: u32,
    /// CFA and return-address rules at the return address.
    pub frame: FrameRule,
    /// Callee-saved registers saved by this frame.
    pub saved: Vec<SavedRegister>,
    /// The gc-live values' resume locations, in record order.
    pub live: Vec<LiveValue>,
}

/// Builds the transform table of one linked binary (ELF bytes).
pub fn build_table(elf: &[u8]) -> Result<TableData, Error> {
    let binary = LinkedBinary::parse(elf)?;
    build_from(&binary)
}

/// Builds the transform table of an already-read binary.
pub fn build_from(binary: &LinkedBinary<'_>) -> Result<TableData, Error> {
    let isa = binary.isa;
    let mut table = TableData {
        isa,
        functions: Vec::new(),
        points: Vec::new(),
    };
    let Some(stackmaps) = binary.stackmaps else {
        return Ok(table);
    };
    let blobs = llvm::parse_all(stackmaps.data).map_err(|error| Error::StackMap { isa, error })?;
    let unwind = match binary.eh_frame {
        Some(eh) => {
            UnwindInfo::new(eh.data, eh.address, binary.text_address).map_err(|error| Error::EhFrame { isa, error })?
        }
        None => UnwindInfo::empty(),
    };
    let builder = Builder {
        binary,
        unwind: &unwind,
    };
    for blob in blobs {
        builder.add_blob(&mut table, blob)?;
    }
    table.sort_and_check()?;
    Ok(table)
}

struct Builder<'b, 'a> {
    binary: &'b LinkedBinary<'a>,
    unwind: &'b UnwindInfo<'a>,
}

impl Builder<'_, '_> {
    fn name(&self, address: u64) -> String {
        match self.binary.functions.get(&address) {
            Some(name) => (*name).to_owned(),
            None => format!("{address:#x}"),
        }
    }

    fn add_blob(&self, table: &mut TableData, blob: StackMapSection<'_>) -> Result<(), Error> {
        for (function, records) in blob.functions_with_records() {
            if function.record_count == 0 {
                continue;
            }
            let index =
                u32::try_from(table.functions.len()).map_err(|_| Error::TooLarge("more than 2^32 functions"))?;
            let data = FunctionData {
                address: function.address,
                stack_size: u32::try_from(function.stack_size)
                    .ok()
                    .filter(|&s| s != het_format::table::layout::UNKNOWN_STACK_SIZE),
                name: self.binary.functions.get(&function.address).map(|n| (*n).to_owned()),
            };
            for record in records {
                let point = self
                    .point(blob, (index, &data), record)
                    .map_err(|reason| Error::Point {
                        isa: self.binary.isa,
                        id: record.id(),
                        function: self.name(function.address),
                        reason,
                    })?;
                table.points.push(point);
            }
            table.functions.push(data);
        }
        Ok(())
    }

    fn point(
        &self,
        blob: StackMapSection<'_>,
        function: (u32, &FunctionData),
        record: llvm::Record<'_>,
    ) -> Result<PointData, PointError> {
        let (function, data) = function;
        let function_address = data.address;
        let statepoint = Statepoint::parse(blob, record)?;
        let return_offset = record.instruction_offset();
        let return_address = function_address.wrapping_add(return_offset.into());
        let mut frame = self.unwind.frame_at(self.binary.isa, return_address)?;
        frame.rule.frame_size = unwind::frame_size(self.binary.isa, &frame.rule, data.stack_size);
        let kinds = statepoint.value_kinds();
        let mut live = Vec::new();
        for (index, (_base, derived)) in statepoint.gc_pairs().enumerate() {
            let kind = kinds.get(index).copied().unwrap_or(ValueKind::Unknown);
            live.push(live_value(&blob, index, derived, kind)?);
        }
        if live.len() > usize::from(u16::MAX) || frame.saved.len() > usize::from(u16::MAX) {
            return Err(PointError::TooMany(live.len().max(frame.saved.len())));
        }
        Ok(PointData {
            id: record.id(),
            function,
            return_offset,
            frame: frame.rule,
            saved: frame.saved,
            live,
        })
    }
}

fn live_value(
    blob: &StackMapSection<'_>,
    index: usize,
    recorded: llvm::Location,
    kind: ValueKind,
) -> Result<LiveValue, PointError> {
    let register = recorded.dwarf_register;
    let offset = i64::from(recorded.offset);
    let location = match recorded.kind {
        LocationKind::Register => Location::Register(register),
        LocationKind::Direct => Location::Direct { register, offset },
        LocationKind::Indirect => Location::Indirect { register, offset },
        LocationKind::Constant | LocationKind::ConstantIndex => match recorded.constant(blob) {
            Some(value) => Location::Constant(value),
            None => {
                return Err(PointError::BadLiveLocation {
                    index,
                    kind: recorded.kind,
                })
            }
        },
    };
    Ok(LiveValue {
        location,
        size: recorded.size,
        kind,
    })
}

impl TableData {
    /// Sorts points by ID and refuses duplicate IDs and shared return addresses.
    fn sort_and_check(&mut self) -> Result<(), Error> {
        self.points.sort_by_key(|p| p.id);
        for pair in self.points.windows(2) {
            if let [a, b] = pair {
                if a.id == b.id {
                    return Err(Error::DuplicateId {
                        isa: self.isa,
                        id: a.id,
                        first: self.function_name(a.function),
                        second: self.function_name(b.function),
                    });
                }
            }
        }
        let mut addresses: Vec<(u64, &PointData)> = self.points.iter().map(|p| (self.return_address(p), p)).collect();
        addresses.sort_by_key(|(address, _)| *address);
        for pair in addresses.windows(2) {
            if let [(x, a), (y, b)] = pair {
                if x == y {
                    return Err(Error::SharedReturnAddress {
                        isa: self.isa,
                        first: a.id,
                        second: b.id,
                    });
                }
            }
        }
        Ok(())
    }

    /// A function's name, or its address when it has none.
    pub fn function_name(&self, index: u32) -> String {
        match self.functions.get(index as usize) {
            Some(FunctionData { name: Some(name), .. }) => name.clone(),
            Some(function) => format!("{:#x}", function.address),
            None => format!("function #{index}"),
        }
    }

    /// Reads a table back into owned form (for round-trip tests and tools).
    pub fn from_table(table: &TransformTable<'_>) -> TableData {
        let functions = table
            .functions()
            .map(|f| FunctionData {
                address: f.address,
                stack_size: f.stack_size,
                name: f.name.map(str::to_owned),
            })
            .collect();
        let points = table
            .points()
            .map(|p| PointData {
                id: p.id(),
                function: p.function_index(),
                return_offset: p.return_offset(),
                frame: p.frame(),
                saved: p.saved_registers().collect(),
                live: p.live_values().collect(),
            })
            .collect();
        TableData {
            isa: table.isa(),
            functions,
            points,
        }
    }
}
