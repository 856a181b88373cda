//! Unit tests of the matrix TOML reader and writer.

use super::*;

const SPEC_M: &str = include_str!("../../../../matrices/spec-m.toml");

#[test]
fn spec_m_parses() {
    let m = parse_matrix(SPEC_M, "spec-m.toml").unwrap();
    assert_eq!(m.meters.len(), 2);
    assert_eq!(m.environments.len(), 3);
    assert_eq!(m.use_cases.len(), 2);
    assert_eq!(m.multiplier(2, 0), Some("1.25".parse().unwrap()));
    assert_eq!(m.multiplier(0, 1), None);
    assert_eq!(m.currency.minor_units, 2);
    assert_eq!(m.marketplace("aws").unwrap().tiers.len(), 3);
    assert!(m.marketplace("on-prem").is_none());
}

#[test]
fn multiplier_sub_tables_and_limits() {
    let sub = SPEC_M.replace(
        "azure = { hot = \"1.25\", archive = \"0.40\" }",
        "\n[multipliers.azure]\nhot = \"1.25\"\narchive = \"0.40\"",
    );
    assert_ne!(sub, SPEC_M);
    assert_eq!(
        parse_matrix(&sub, "sub.toml").unwrap(),
        parse_matrix(SPEC_M, "spec-m.toml").unwrap()
    );

    let big = format!("{SPEC_M}{}", "#".repeat(crate::toml_util::MAX_TOML_BYTES));
    assert!(matches!(
        parse_matrix(&big, "big.toml"),
        Err(Error::TooLarge { .. })
    ));
}

/// The same matrix in other TOML spellings reads the same: inline
/// arrays of tables, `[[environments.marketplace]]` sections, dotted
/// keys, literal strings.
#[test]
fn every_toml_spelling_reads_the_same() {
    let want = parse_matrix(SPEC_M, "spec-m.toml").unwrap();
    let spellings = [
        SPEC_M
            .replace("[[use_cases]]\nid = \"hot\"\n\n[[use_cases]]\nid = \"archive\"\n", "")
            .replace(
                "list_price = \"1.00\"\n",
                "list_price = \"1.00\"\nuse_cases = [{ id = \"hot\" }, { id = 'archive' }]\n",
            ),
        SPEC_M.replace(
            "id = \"azure\"\nmarketplace = [\n  { from = \"0\", rate = \"0.03\" },\n  { from = \"1000000\", rate = \"0.02\" },\n  { from = \"10000000\", rate = \"0.015\" },\n]\n",
            "id = \"azure\"\n[[environments.marketplace]]\nfrom = \"0\"\nrate = \"0.03\"\n[[environments.marketplace]]\nfrom = \"1000000\"\nrate = \"0.02\"\n[[environments.marketplace]]\nfrom = \"10000000\"\nrate = \"0.015\"\n",
        ),
        SPEC_M.replace(
            "azure = { hot = \"1.25\", archive = \"0.40\" }",
            "azure.hot = \"1.25\"\nazure.archive = '0.40'",
        ),
    ];
    for (i, text) in spellings.iter().enumerate() {
        assert_ne!(text, SPEC_M, "spelling {i} did not apply");
        assert_eq!(parse_matrix(text, "m.toml").unwrap(), want, "spelling {i}");
    }
}

/// Shapes the catalogue does not cover: (edit of matrix M, message).
#[test]
fn wrong_shapes_are_named_in_plain_words() {
    let table = [
        ("name = \"spec-m\"", "name = 5", "m.toml:3:8: expected a string, found the number `5`"),
        ("description = \"Matrix M from the pricing model's worked examples (illustrative, not real list prices)\"", "description = [\"x\"]", "m.toml:6:15: expected a string, found a list"),
        ("list_price = \"1.00\"", "list_price = true", "m.toml:9:14: expected a decimal written as a string, e.g. \"1.10\", found `true`"),
        ("[[use_cases]]\nid = \"hot\"\n\n[[use_cases]]\nid = \"archive\"\n", "", "m.toml:1:1: missing field `use_cases`"),
        ("\n[[meters]]", "use_cases = \"hot\"\n[[meters]]", "m.toml:10:13: expected a list of tables, found the string \"hot\""),
        ("[[use_cases]]\nid = \"archive\"\n", "[[use_cases]]\nname = \"archive\"\n", "m.toml:44:1: unknown field `name`, expected `id`"),
        ("[multipliers]\n", "[multipliers]\nx = \"1\"\n", "m.toml:47:5: expected a table, found the string \"1\""),
        ("on-prem = { hot = \"1.00\", archive = \"not-offered\" }", "on-prem = { hot = 1.00, archive = \"not-offered\" }", "m.toml:47:19: number literal `1.00` where a decimal string belongs: write decimals as strings, e.g. \"1.10\""),
    ];
    let no_use_cases = SPEC_M.replace(
        "[[use_cases]]\nid = \"hot\"\n\n[[use_cases]]\nid = \"archive\"\n",
        "",
    );
    for (from, to, want) in table {
        // The use-case edits write `use_cases` at the top instead of its sections.
        let base = if to.starts_with("use_cases") {
            &no_use_cases
        } else {
            SPEC_M
        };
        let text = base.replacen(from, to, 1);
        assert_ne!(text, SPEC_M, "{from:?} did not apply");
        assert_eq!(
            parse_matrix(&text, "m.toml").unwrap_err().to_string(),
            want,
            "{to:?}"
        );
    }
}

#[test]
fn round_trips() {
    let mut variants = vec![parse_matrix(SPEC_M, "spec-m.toml").unwrap()];
    let mut m = variants[0].clone();
    m.rounding = RoundingMode::HalfEven;
    m.currency = Currency::from_code("JPY").unwrap();
    m.description = "quotes \" and \\ and\nnewlines".into();
    m.name = "odd name with spaces".into();
    variants.push(m.clone());
    m.use_cases.push(UseCase {
        id: "cold_2".into(),
    });
    m.multipliers = vec![
        Some(Ratio("0.001".parse().unwrap())),
        None,
        None,
        None,
        Some(Ratio(Decimal::ONE)),
        None,
        None,
        None,
        Some(Ratio("2.50".parse().unwrap())),
    ];
    variants.push(m);
    for m in variants {
        validate(&m, "built").unwrap();
        let text = to_toml(&m);
        assert_eq!(parse_matrix(&text, "written").unwrap(), m, "{text}");
    }
}

#[test]
fn validate_rules() {
    let base = parse_matrix(SPEC_M, "spec-m.toml").unwrap();
    // (mutation, expected message)
    type Mutation = fn(&mut Matrix);
    let table: Vec<(Mutation, &str)> = vec![
        (|m| m.list_price = Price(Decimal::ZERO), "e: list price must be greater than 0, got `0`"),
        (|m| m.meters[1].id = "capacity".into(), "e: duplicate meter id `capacity`"),
        (|m| m.environments.clear(), "e: at least one environment is required"),
        (|m| m.use_cases[0].id = "a b".into(), "e: use case id `a b` must be 1 to 64 ASCII letters, digits, `-` or `_`"),
        (|m| m.multipliers.pop().map(|_| ()).unwrap_or(()), "e: the multiplier grid has 5 entries; 3 environments × 2 use cases need 6"),
        (
            |m| m.multipliers[0] = Some(Ratio("-1".parse().unwrap())),
            "e: multiplier for `on-prem`/`hot` must be greater than 0 (or \"not-offered\"), got `-1`",
        ),
        (
            |m| m.currency = Currency { code: "XYZ".into(), minor_units: 2 },
            "e: unknown currency `XYZ` (expected an ISO 4217 code such as \"USD\")",
        ),
        (
            |m| m.environments[1].marketplace.as_mut().unwrap().tiers[0].rate = Ratio(Decimal::ONE),
            "e: environment `aws`: marketplace fee rate must be in [0, 1), got `1`",
        ),
        (|m| m.version = String::new(), "e: the matrix version must not be empty"),
    ];
    for (mutate, want) in table {
        let mut m = base.clone();
        mutate(&mut m);
        assert_eq!(validate(&m, "e").unwrap_err().to_string(), want);
    }
}
