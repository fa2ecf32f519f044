//! The process allocator: mimalloc, with shrinking reallocations made exact. Declared as the
//! `#[global_allocator]` of the binary and of the parse-only floor (`bench/parse_floor.rs`), so
//! both are measured with the same allocator.
//!
//! Why mimalloc: loading builds millions of small tree nodes from two threads while the parser
//! frees as many temporaries; glibc's malloc spent about a fifth of the run's CPU in its free
//! lists (`_int_malloc`, `unlink_chunk`, `malloc_consolidate`) and in growing its per-thread
//! arenas. mimalloc's thread-local pages cut the CPU of a run by about a quarter (BENCHMARKS.md).
//!
//! Why the wrapper: mimalloc keeps a block in place when it shrinks by less than half, so
//! `shrink_to_fit` would release nothing, and the trees, index lists and packed texts that are
//! shrunk because they live for the whole run would keep their growth slack (tens of MB at 50k
//! documents). Here a shrink allocates the exact size and copies.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;

/// mimalloc with exact shrinking (see the module docs).
pub struct Allocator;

// SAFETY: every method forwards to `MiMalloc`, a correct `GlobalAlloc`, with the caller's layout;
// the shrinking `realloc` follows `GlobalAlloc::realloc`'s own default (allocate the new layout,
// copy the smaller size, free the old block), which is valid for any correct allocator.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on unchanged.
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator (so by `MiMalloc`) with `layout`.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract, passed on unchanged.
            return unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        }
        // SAFETY: `new_size` is non-zero and, rounded up to `layout.align()`, does not overflow
        // (the caller guarantees both); the new block holds `new_size` bytes, all of which the
        // old one has; the old block is freed with the layout it was allocated with.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = MiMalloc.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, new_size);
                MiMalloc.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_keeps_the_bytes_and_growing_too() {
        let a = Allocator;
        let layout = Layout::from_size_align(1000, 8).unwrap();
        // SAFETY: layouts are non-zero; each block is used within its size and freed once.
        unsafe {
            let p = a.alloc(layout);
            assert!(!p.is_null());
            for i in 0..1000 {
                *p.add(i) = (i % 251) as u8;
            }
            let q = a.realloc(p, layout, 600);
            assert!(!q.is_null());
            assert!((0..600).all(|i| *q.add(i) == (i % 251) as u8));
            let r = a.realloc(q, Layout::from_size_align(600, 8).unwrap(), 5000);
            assert!((0..600).all(|i| *r.add(i) == (i % 251) as u8));
            a.dealloc(r, Layout::from_size_align(5000, 8).unwrap());
        }
    }

    #[test]
    fn zeroed_blocks_are_zero() {
        let a = Allocator;
        let layout = Layout::from_size_align(4096, 64).unwrap();
        // SAFETY: the layout is non-zero; the block is read within its size and freed once.
        unsafe {
            let p = a.alloc_zeroed(layout);
            assert!(!p.is_null());
            assert_eq!(p as usize % 64, 0);
            assert!((0..4096).all(|i| *p.add(i) == 0));
            let q = a.realloc(p, layout, 100);
            assert_eq!(q as usize % 64, 0, "a shrunk block keeps its alignment");
            a.dealloc(q, Layout::from_size_align(100, 64).unwrap());
        }
    }
}
