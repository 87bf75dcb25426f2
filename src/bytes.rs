//! Byte tests eight bytes at a time (a `u64` word), for the scans that run
//! over every byte of every document: the HTML text folding and the JSON
//! string escaping skip whole words of plain bytes before going a byte at
//! a time. And short words of letters as one number (a `u128`), compared
//! at once: the chrome and month words asked of most lines.

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

/// From `i`, past every 8 bytes that are plain words and single spaces:
/// printable ASCII with no two spaces together and none last (so each
/// space is followed by a word): text that HTML folding and the folded
/// test of headlines would take a byte at a time without a change.
pub(crate) fn skip_plain(bytes: &[u8], i: usize) -> usize {
    skip_words(bytes, i, |x| {
        // Zero where a space is; `pairs` is zero where a space is followed
        // by a space, or ends the word (its next byte is not known here).
        let spaces = x ^ splat(b' ');
        let pairs = spaces | (spaces >> 8);
        x & HIGH == 0 && !has_byte_below(x, 0x20) && !has_byte_below(pairs, 1)
    })
}

/// A word of 1 to 16 ASCII letters, lowercased, as one number: its bytes,
/// little-endian (the length is implied by the zero bytes after).
pub(crate) const fn packed_word(word: &[u8]) -> u128 {
    if word.is_empty() || word.len() > 16 {
        return 0;
    }
    let mut bytes = [0u8; 16];
    bytes.split_at_mut(word.len()).0.copy_from_slice(word);
    lowercase_prefix(u128::from_le_bytes(bytes), word.len())
}

/// [`packed_word`] of `text[..len]`, a word of ASCII letters, read sixteen
/// bytes at once when `text` has them.
pub(crate) fn packed_first_word(text: &[u8], len: usize) -> u128 {
    match text.first_chunk::<16>() {
        Some(head) if (1..=16).contains(&len) => lowercase_prefix(u128::from_le_bytes(*head), len),
        _ => packed_word(&text[..len]),
    }
}

/// The first `len` (1 to 16) bytes of `bytes`, letters, lowercased (by
/// setting bit 5 of each), and the bytes after them cleared.
const fn lowercase_prefix(bytes: u128, len: usize) -> u128 {
    let kept = u128::MAX >> (8 * (16 - len));
    (bytes | u128::from_le_bytes([0x20; 16])) & kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_words_ignore_case_and_what_follows() {
        let mut rng = fastrand::Rng::with_seed(13);
        for _ in 0..5_000 {
            let len = rng.usize(1..=16);
            let text: Vec<u8> = (0..len + rng.usize(0..20))
                .map(|_| rng.alphabetic() as u8)
                .collect();
            let word = &text[..len];
            assert_eq!(
                packed_first_word(&text, len),
                packed_word(word),
                "{text:?} {len}"
            );
            assert_eq!(packed_word(word), packed_word(&word.to_ascii_lowercase()));
            assert_eq!(
                packed_word(word).to_le_bytes()[..len],
                word.to_ascii_lowercase()[..]
            );
        }
    }

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
