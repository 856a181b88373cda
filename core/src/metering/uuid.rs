//! Name-based UUIDs, version 5 (RFC 9562 section 5.5): SHA-1 of a namespace
//! and a name, with the version and variant bits set. Deterministic: the
//! same name always gives the same id, so a report sent twice is one
//! operation to the marketplace.

/// The RFC's URL namespace, `6ba7b811-9dad-11d1-80b4-00c04fd430c8`.
pub const NAMESPACE_URL: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// The version 5 UUID of `name` in `namespace`, as lowercase hyphenated
/// text.
///
/// ```
/// use unitcalc_core::metering::uuid::{v5, NAMESPACE_URL};
/// // The RFC's URL namespace over "https://www.example.com/" (a value
/// // Python's uuid.uuid5 gives too).
/// assert_eq!(v5(&NAMESPACE_URL, "https://www.example.com/"), "3d3ed9d2-aa3d-5fa6-90e8-ed662e90f559");
/// ```
pub fn v5(namespace: &[u8; 16], name: &str) -> String {
    let mut h = sha1_smol::Sha1::new();
    h.update(namespace);
    h.update(name.as_bytes());
    let d = h.digest().bytes();
    let mut b = [0u8; 16];
    b.copy_from_slice(d.get(..16).unwrap_or(&[0; 16]));
    if let Some(x) = b.get_mut(6) {
        *x = (*x & 0x0f) | 0x50;
    }
    if let Some(x) = b.get_mut(8) {
        *x = (*x & 0x3f) | 0x80;
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}
