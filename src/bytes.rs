//! Byte tests eight bytes at a time (a `u64` word), for the scans that run
//! over every byte of every document: the HTML text folding and the JSON
//! string escaping skip whole words of plain bytes before going a byte at
//! a time.

/// From `from`, past every whole eight-byte word of `bytes` that `plain`
/// accepts (read little-endian: byte `k` is bits `8k..8k + 8`); where the
/// byte-at-a-time scan takes over.
pub(crate) fn skip_words(bytes: &[u8], mut from: usize, plain: impl Fn(u64) -> bool) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if !plain(u64::from_le_bytes(word)) {
            break;
        }
        from += 8;
    }
    from
}

/// `b` in every byte of a word.
pub(crate) const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit of every byte: set in a word with a byte beyond ASCII.
pub(crate) const HIGH: u64 = splat(0x80);

/// Whether a byte of `x` is below `n`. Exact for any bytes when `n` is at
/// most 0x80: a borrow only crosses into the next byte from a byte that is
/// below `n` itself.
pub(crate) fn has_byte_below(x: u64, n: u8) -> bool {
    x.wrapping_sub(splat(n)) & !x & HIGH != 0
}

/// Whether a byte of `x` is `b`.
pub(crate) fn has_byte(x: u64, b: u8) -> bool {
    has_byte_below(x ^ splat(b), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_tests_agree_with_byte_tests() {
        let mut rng = fastrand::Rng::with_seed(11);
        let interesting = [
            0x00, 0x01, 0x1f, 0x20, 0x21, b'"', b'\\', 0x7f, 0x80, 0xc2, 0xff,
        ];
        for _ in 0..20_000 {
            let bytes: [u8; 8] = std::array::from_fn(|_| {
                if rng.bool() {
                    interesting[rng.usize(..interesting.len())]
                } else {
                    rng.u8(..)
                }
            });
            let x = u64::from_le_bytes(bytes);
            for n in [1, 0x20, 0x80] {
                assert_eq!(
                    has_byte_below(x, n),
                    bytes.iter().any(|&b| b < n),
                    "{bytes:?} < {n}"
                );
            }
            for b in [b'"', b'\\', b' ', 0] {
                assert_eq!(has_byte(x, b), bytes.contains(&b), "{bytes:?} has {b}");
            }
        }
    }

    #[test]
    fn words_are_skipped_while_plain_and_whole() {
        let text = b"abcdefghijklmnop\"rstuvwxyz";
        let plain = |x: u64| !has_byte(x, b'"');
        assert_eq!(skip_words(text, 0, plain), 16);
        assert_eq!(skip_words(text, 17, plain), 25);
        assert_eq!(skip_words(b"short", 0, plain), 0);
    }
}
