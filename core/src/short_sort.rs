//! Private. The one sort of the engine and the matrix reader: insertion
//! sort by key, for the short lists they order (a deal's cells in a period
//! or an hour, a table's keys), which arrive in order or nearly so (a usage
//! file in matrix order), where it runs in one pass. The standard library's
//! sorts are 2–3 KB of the browser's module per element type; this one is a
//! few hundred bytes. Stable.

/// Sorts `v` by `key`, stably: linear on input already in order, quadratic
/// at worst.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            let prev = j.saturating_sub(1);
            match (v.get(prev), v.get(j)) {
                (Some(a), Some(b)) if key(a) > key(b) => {
                    v.swap(prev, j);
                    j = prev;
                }
                _ => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let cases: [&[(u8, char)]; 5] = [
            &[],
            &[(1, 'a')],
            &[(3, 'a'), (1, 'b'), (2, 'c'), (1, 'd')],
            &[(1, 'a'), (2, 'b'), (3, 'c')],
            &[(3, 'a'), (2, 'b'), (2, 'c'), (1, 'd'), (0, 'e')],
        ];
        for case in cases {
            let mut ours = case.to_vec();
            super::sort_by_key(&mut ours, |p| p.0);
            let mut std = case.to_vec();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "{case:?}");
        }
    }
}
