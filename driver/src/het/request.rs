//! Asking a running migratable process to migrate, and reading its answer.
//!
//! The request is a write of the runtime's flag in the process's memory
//! (`process_vm_writev`), at the flag's address, which is the same in every ISA's
//! binary (qemu-user maps a static guest at its own addresses, so the write reaches an
//! emulated process too). A signal would interrupt whatever system call the program
//! is in: `sigsuspend` returns, `sleep` and `poll` end early. Where the write is not
//! permitted (another user's process, Yama without the runtime's opt-in), the request
//! signal is queued instead.
//!
//! The runtime answers in its memory too: deferred (ask again later) or refused, with
//! the reason; a request it takes ends the process with a checkpoint.

use anyhow::{Context, Result};
use het_format::migration::{
    REASON_BYTES, REASON_SYMBOL, REQUEST_FLAG_SYMBOL, REQUEST_MIGRATE_VALUE, REQUEST_SIGNAL, REQUEST_VALUE,
    STATUS_SYMBOL, STATUS_VALUE_DEFERRED, STATUS_VALUE_REFUSED,
};
use object::{Object, ObjectSymbol};
use std::path::Path;

/// The runtime's answer to a request it did not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Not yet: ask again.
    Deferred,
    /// Refused, with the runtime's reason; the program continues.
    Refused(String),
}

/// How to ask one process.
#[derive(Clone, Copy, Debug)]
pub struct Requester {
    pid: libc::pid_t,
    /// Where the runtime's flag and answer live; `None` when the binary does not say
    /// (not an ELF file with the runtime's symbols): then only the signal is sent.
    addresses: Option<Addresses>,
}

#[derive(Clone, Copy, Debug)]
struct Addresses {
    flag: u64,
    status: u64,
    reason: u64,
}

impl Requester {
    /// How to ask process `pid`, which runs `binary` (any ISA's binary of the program).
    pub fn new(pid: libc::pid_t, binary: &Path) -> Requester {
        Requester {
            pid,
            addresses: addresses(binary).ok(),
        }
    }

    /// Asks for a migration: clears the last answer and sets the flag, or queues the
    /// request signal if the process's memory may not be written.
    pub fn ask(&self) -> std::io::Result<()> {
        let Some(at) = self.addresses else {
            return send_signal(self.pid);
        };
        let written = self
            .write_u32(at.status, 0)
            .and_then(|()| self.write_u32(at.flag, REQUEST_MIGRATE_VALUE));
        match written {
            Ok(()) => Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Err(e),
            Err(_) => send_signal(self.pid),
        }
    }

    /// The runtime's answer so far, `None` while there is none (or none can be read).
    pub fn answer(&self) -> Option<Answer> {
        let at = self.addresses?;
        let mut status = [0u8; 4];
        self.read(at.status, &mut status).ok()?;
        match u32::from_ne_bytes(status) {
            STATUS_VALUE_DEFERRED => Some(Answer::Deferred),
            STATUS_VALUE_REFUSED => {
                let mut reason = [0u8; REASON_BYTES];
                let _ = self.read(at.reason, &mut reason);
                let len = reason.iter().position(|&b| b == 0).unwrap_or(reason.len());
                Some(Answer::Refused(String::from_utf8_lossy(&reason[..len]).into_owned()))
            }
            _ => None,
        }
    }

    fn write_u32(&self, address: u64, value: u32) -> std::io::Result<()> {
        let bytes = value.to_ne_bytes();
        let local = libc::iovec {
            iov_base: bytes.as_ptr() as *mut libc::c_void,
            iov_len: bytes.len(),
        };
        let remote = libc::iovec {
            iov_base: address as usize as *mut libc::c_void,
            iov_len: bytes.len(),
        };
        // SAFETY: the local iovec describes `bytes`, alive for the call; the remote one
        // is only an address in the other process, checked by the kernel.
        let n = unsafe { libc::process_vm_writev(self.pid, &local, 1, &remote, 1, 0) };
        if n == bytes.len() as isize {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    fn read(&self, address: u64, into: &mut [u8]) -> std::io::Result<()> {
        let local = libc::iovec {
            iov_base: into.as_mut_ptr() as *mut libc::c_void,
            iov_len: into.len(),
        };
        let remote = libc::iovec {
            iov_base: address as usize as *mut libc::c_void,
            iov_len: into.len(),
        };
        // SAFETY: the local iovec describes `into`, alive and writable for the call.
        let n = unsafe { libc::process_vm_readv(self.pid, &local, 1, &remote, 1, 0) };
        if n == into.len() as isize {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
}

/// The runtime's symbols in `binary`.
fn addresses(binary: &Path) -> Result<Addresses> {
    let bytes = std::fs::read(binary).with_context(|| format!("cannot read {}", binary.display()))?;
    let file = object::File::parse(&*bytes).with_context(|| format!("{} is not an ELF file", binary.display()))?;
    let address = |name: &str| -> Result<u64> {
        file.symbols()
            .find(|s| s.name() == Ok(name))
            .map(|s| s.address())
            .with_context(|| format!("{} has no `{name}`", binary.display()))
    };
    Ok(Addresses {
        flag: address(REQUEST_FLAG_SYMBOL)?,
        status: address(STATUS_SYMBOL)?,
        reason: address(REASON_SYMBOL)?,
    })
}

/// Queues the request signal with the value that tells the runtime it is a request
/// and not one of the program's own signals.
pub fn send_signal(pid: libc::pid_t) -> std::io::Result<()> {
    let value = libc::sigval {
        sival_ptr: REQUEST_VALUE as usize as *mut libc::c_void,
    };
    // SAFETY: sigqueue(3) has no memory-safety preconditions.
    if unsafe { libc::sigqueue(pid, REQUEST_SIGNAL, value) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}
