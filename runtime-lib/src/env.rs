//! Reading the environment the program runs with (musl's `__environ`), for the
//! migration variables of `het_format::migration`.

use crate::error::Error;
use crate::scratch::Growable;

extern "C" {
    static __environ: *const *const u8;
}

/// The value of `name`, without its NUL (the bytes live as long as the environment).
pub fn var(name: &str) -> Option<&'static [u8]> {
    // SAFETY: musl sets `__environ` before `main` to a NULL-terminated array of
    // NUL-terminated strings, and the program's start copies keep it so.
    unsafe {
        let mut entry = __environ;
        while !entry.is_null() && !(*entry).is_null() {
            let text = c_bytes(*entry);
            if text.len() > name.len() && text.starts_with(name.as_bytes()) && text.get(name.len()) == Some(&b'=') {
                return text.get(name.len() + 1..);
            }
            entry = entry.add(1);
        }
    }
    None
}

/// The bytes of a NUL-terminated string.
///
/// # Safety
/// `p` must point to a NUL-terminated string that outlives the result.
unsafe fn c_bytes(p: *const u8) -> &'static [u8] {
    let mut len = 0;
    // SAFETY: the caller guarantees the terminator.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` bytes before the terminator are readable.
    unsafe { core::slice::from_raw_parts(p, len) }
}

/// Parses a decimal `u64`.
pub fn parse_u64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() {
        return None;
    }
    bytes.iter().try_fold(0u64, |acc, &b| {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        acc.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// A NUL-terminated copy of `bytes` (+ `suffix`) in `buf`; `None` if it does not fit.
pub fn c_path<'b>(buf: &'b mut [u8], bytes: &[u8], suffix: &[u8]) -> Option<&'b [u8]> {
    let len = bytes.len() + suffix.len();
    if len + 1 > buf.len() || bytes.contains(&0) {
        return None;
    }
    buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
    buf.get_mut(bytes.len()..len)?.copy_from_slice(suffix);
    *buf.get_mut(len)? = 0;
    buf.get(..=len)
}

/// A NUL-terminated copy of `bytes` + `suffix` in a scratch mapping of the size needed
/// (paths come from the environment or a checkpoint: no fixed buffer); `None` if `bytes`
/// holds a NUL. The kernel refuses paths longer than its `PATH_MAX` with its own error.
pub fn c_string(bytes: &[u8], suffix: &[u8]) -> Result<Option<Growable<u8>>, Error> {
    if bytes.contains(&0) || suffix.contains(&0) {
        return Ok(None);
    }
    let mut copy = Growable::with_capacity(bytes.len() + suffix.len() + 1)?;
    copy.extend_from_slice(bytes)?;
    copy.extend_from_slice(suffix)?;
    copy.push(0)?;
    Ok(Some(copy))
}
