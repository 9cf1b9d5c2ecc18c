//! The identities seen lately, for the exact-repeat filter: a bounded set
//! that remembers at least the last `n` distinct identities it was asked
//! about, and at most `2n`.
//!
//! Two generations instead of an LRU list: an identity goes into the
//! current generation; when that holds `n`, it becomes the previous one
//! and the one before is emptied for reuse. Anything an LRU of `n` would
//! still hold is in one of the two (an identity leaves only after two
//! turns, that is after `n` others came after it), so no repeat an LRU
//! would catch is missed. Under a flood of new identities each one costs
//! two lookups and an insert in flat tables, where the LRU unlinked,
//! relinked and rehashed a node scattered in memory (the largest share of
//! deciding a frame).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A keyed 128-bit hash of an event's identity (see `dedup.rs`).
pub(crate) type Identity = u128;

pub(crate) struct Recent {
    generation: usize,
    current: HashSet<Identity, BuildHasherDefault<Folded>>,
    previous: HashSet<Identity, BuildHasherDefault<Folded>>,
}

impl Recent {
    /// Remembers at least the last `generation` identities.
    pub(crate) fn new(generation: usize) -> Recent {
        let set = || HashSet::with_capacity_and_hasher(generation, BuildHasherDefault::default());
        Recent {
            generation,
            current: set(),
            previous: set(),
        }
    }

    /// Records `identity` and says whether it was already there; a repeat
    /// is remembered afresh, as an LRU would move it to the front.
    pub(crate) fn check_in(&mut self, identity: Identity) -> bool {
        if self.current.contains(&identity) {
            return true;
        }
        let seen = self.previous.contains(&identity);
        if self.current.len() >= self.generation {
            std::mem::swap(&mut self.current, &mut self.previous);
            self.current.clear();
        }
        self.current.insert(identity);
        seen
    }

    #[cfg(test)]
    /// How many identities are remembered (between `generation` and twice
    /// that once as many have been seen).
    pub(crate) fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }
}

/// The sets' own hasher. Their keys are keyed SipHashes, as uniform as
/// hashes get, so hashing them again (std's default is SipHash too) would
/// only spend time: the two halves are folded into one.
#[derive(Default)]
pub(crate) struct Folded(u64);

impl Hasher for Folded {
    fn write_u128(&mut self, n: u128) {
        self.0 ^= (n as u64) ^ ((n >> 64) as u64);
    }
    /// Not used by an `Identity`; any bytes still spread over the result.
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_is_caught_while_fewer_than_a_generation_came_after_it() {
        let mut recent = Recent::new(4);
        assert!(!recent.check_in(1));
        for id in 2..=5 {
            assert!(!recent.check_in(id));
        }
        assert!(recent.check_in(1), "four came after it: still remembered");
        for id in 6..=13 {
            assert!(!recent.check_in(id));
        }
        assert!(!recent.check_in(1), "eight came after it: forgotten");
    }

    #[test]
    fn a_repeat_is_remembered_afresh() {
        let mut recent = Recent::new(2);
        recent.check_in(1);
        recent.check_in(2);
        recent.check_in(3); // turn: {1, 2} are the previous generation
        assert!(recent.check_in(1), "found in the previous generation");
        recent.check_in(4); // turn: {3, 1} become the previous generation
        assert!(recent.check_in(1), "kept by the repeat, as an LRU would");
        assert!(!recent.check_in(2), "not repeated: gone");
    }

    #[test]
    fn it_holds_at_least_one_generation_and_at_most_two() {
        let mut recent = Recent::new(100);
        for id in 0..1_000 {
            recent.check_in(id);
            assert!(recent.len() <= 200);
            assert!(recent.len() >= (id as usize + 1).min(100));
        }
    }
}
