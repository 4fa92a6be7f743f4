//! Frame rules at equivalence points, from `.eh_frame` (gimli).
//!
//! For a return address, the CFI row that covers it says how to find the frame's CFA,
//! where the return address into the caller is, and where each callee-saved register
//! the function clobbers was saved. The row is looked up at `return address - 1`, inside
//! the call instruction, as unwinders do: a call's own row equals the row at its return
//! address (a call changes no CFI state), and a call that ends its function (noreturn)
//! has a return address past the FDE.

use gimli::{
    BaseAddresses, CfaRule, EhFrame, EndianSlice, FrameDescriptionEntry, LittleEndian, Register, RegisterRule,
    UnwindContext, UnwindSection,
};
use het_format::table::{FrameRule, SaveRule, SavedRegister};
use het_format::Isa;

type Slice<'a> = EndianSlice<'a, LittleEndian>;

/// Why no usable frame rule exists at an address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnwindError {
    /// `.eh_frame` itself is malformed.
    #[error("malformed .eh_frame: {0}")]
    Gimli(gimli::Error),
    /// No FDE covers the address (code built without unwind tables, e.g. musl).
    #[error("no .eh_frame entry covers {0:#x}")]
    NoFde(u64),
    /// The CFA is computed by a DWARF expression.
    #[error("CFA at {0:#x} is a DWARF expression, not register + offset")]
    CfaExpression(u64),
    /// An offset that does not fit the table's 32 bits.
    #[error("offset {offset} at {address:#x} does not fit in 32 bits")]
    OffsetTooLarge {
        /// The address.
        address: u64,
        /// The offset.
        offset: i64,
    },
    /// A save rule the table cannot express (val_offset, expressions).
    #[error("register {register} at {address:#x} has an unsupported rule ({rule})")]
    UnsupportedRule {
        /// The address.
        address: u64,
        /// The DWARF register.
        register: u16,
        /// The rule, as gimli prints it.
        rule: String,
    },
    /// The CIE names another return-address column than the ISA's psABI.
    #[error("CIE return-address column {found} is not {isa}'s {expected}")]
    ReturnColumn {
        /// The ISA.
        isa: Isa,
        /// The column in the CIE.
        found: u16,
        /// The psABI's column.
        expected: u16,
    },
}

impl From<gimli::Error> for UnwindError {
    fn from(error: gimli::Error) -> UnwindError {
        UnwindError::Gimli(error)
    }
}

/// The frame of one function at one return address. `rule.frame_size` is left `None`:
/// CFI alone does not know it when the CFA is FP-based; see [`frame_size`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameAt {
    /// CFA and return-address rules.
    pub rule: FrameRule,
    /// The callee-saved registers saved in this frame, in DWARF order.
    pub saved: Vec<SavedRegister>,
}

/// A binary's `.eh_frame`, with its FDEs indexed by address.
pub struct UnwindInfo<'a> {
    eh_frame: EhFrame<Slice<'a>>,
    bases: BaseAddresses,
    fdes: Vec<FrameDescriptionEntry<Slice<'a>>>,
}

impl<'a> UnwindInfo<'a> {
    /// Indexes `.eh_frame` (its bytes and load address; `text` is `.text`'s address,
    /// for text-relative pointer encodings).
    pub fn new(data: &'a [u8], address: u64, text: u64) -> Result<UnwindInfo<'a>, UnwindError> {
        let mut eh_frame = EhFrame::new(data, LittleEndian);
        eh_frame.set_address_size(8);
        let bases = BaseAddresses::default().set_eh_frame(address).set_text(text);
        let mut fdes = Vec::new();
        let mut entries = eh_frame.entries(&bases);
        while let Some(entry) = entries.next()? {
            if let gimli::CieOrFde::Fde(partial) = entry {
                fdes.push(partial.parse(EhFrame::cie_from_offset)?);
            }
        }
        fdes.sort_by_key(|fde| fde.initial_address());
        Ok(UnwindInfo { eh_frame, bases, fdes })
    }

    /// An empty index, for binaries without `.eh_frame`.
    pub fn empty() -> UnwindInfo<'a> {
        UnwindInfo {
            eh_frame: EhFrame::new(&[], LittleEndian),
            bases: BaseAddresses::default(),
            fdes: Vec::new(),
        }
    }

    fn fde(&self, address: u64) -> Option<&FrameDescriptionEntry<Slice<'a>>> {
        let after = self.fdes.partition_point(|fde| fde.initial_address() <= address);
        let fde = self.fdes.get(after.checked_sub(1)?)?;
        fde.contains(address).then_some(fde)
    }

    /// The frame at the equivalence point whose call returns to `return_address`.
    pub fn frame_at(&self, isa: Isa, return_address: u64) -> Result<FrameAt, UnwindError> {
        let address = return_address.saturating_sub(1);
        let fde = self.fde(address).ok_or(UnwindError::NoFde(return_address))?;
        let regs = isa.registers();
        let column = fde.cie().return_address_register().0;
        if column != regs.return_address {
            let expected = regs.return_address;
            return Err(UnwindError::ReturnColumn {
                isa,
                found: column,
                expected,
            });
        }
        let mut context = Box::new(UnwindContext::new());
        let row = fde.unwind_info_for_address(&self.eh_frame, &self.bases, &mut context, address)?;
        let (cfa_register, cfa_offset) = match *row.cfa() {
            CfaRule::RegisterAndOffset { register, offset } => (register.0, offset32(address, offset)?),
            CfaRule::Expression(_) => return Err(UnwindError::CfaExpression(return_address)),
        };
        let return_rule = save_rule(address, column, row.register(Register(column)))?;
        let mut saved = Vec::new();
        for callee_saved in regs.callee_saved {
            let register = callee_saved.register;
            let rule = row.register(Register(register));
            if !matches!(rule, RegisterRule::Undefined | RegisterRule::SameValue) {
                saved.push(SavedRegister {
                    register,
                    rule: save_rule(address, register, rule)?,
                });
            }
        }
        let rule = FrameRule {
            cfa_register,
            cfa_offset,
            return_address: return_rule,
            frame_size: None,
        };
        Ok(FrameAt { rule, saved })
    }
}

fn offset32(address: u64, offset: i64) -> Result<i32, UnwindError> {
    i32::try_from(offset).map_err(|_| UnwindError::OffsetTooLarge { address, offset })
}

fn save_rule(address: u64, register: u16, rule: RegisterRule<usize>) -> Result<SaveRule, UnwindError> {
    match rule {
        RegisterRule::Undefined | RegisterRule::SameValue => Ok(SaveRule::Unchanged),
        RegisterRule::Offset(offset) => Ok(SaveRule::AtCfaOffset(offset32(address, offset)?)),
        RegisterRule::Register(other) => Ok(SaveRule::InRegister(other.0)),
        other => Err(UnwindError::UnsupportedRule {
            address,
            register,
            rule: format!("{other:?}"),
        }),
    }
}

/// CFA minus SP at a return address. With an SP-based CFA the CFI row says it exactly
/// (call-frame pushes included). With an FP-based CFA it is LLVM's static stack size plus
/// the return address a `call` pushed (x86-64; `bl`/`jal` push nothing): measured on all
/// three ISAs' fixtures, where both rules exist in one binary (docs/stackmap.md).
pub fn frame_size(isa: Isa, rule: &FrameRule, stack_size: Option<u32>) -> Option<u32> {
    let regs = isa.registers();
    if rule.cfa_register == regs.stack_pointer {
        return u32::try_from(rule.cfa_offset).ok();
    }
    let pushed = if regs.return_address_in_register {
        0
    } else {
        isa.pointer_size()
    };
    stack_size?
        .checked_add(pushed)
        .filter(|&s| s != het_format::table::layout::UNKNOWN_FRAME_SIZE)
}
