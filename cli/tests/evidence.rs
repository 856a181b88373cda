//! The evidence a quote can carry (docs/evidence.md): `quote --explain` (the
//! formula trail under each line, golden), `--evidence` (fingerprints in the
//! bill JSON), `--ledger FILE` (the hourly ledger), and `verify` of a bill
//! that carries its trail and fingerprints.

mod common;

use common::{run, stdout_ok};
use unitcalc_core::ledger_csv;
use unitcalc_tests::{assert_golden, root};

fn golden(name: &str, actual: &str) {
    assert_golden(root().join("cli/tests/golden").join(name), actual);
}

fn deal(id: &str) -> String {
    format!("tests/fixtures/examples/example-{id}.toml")
}

/// The trail under each line of worked examples C (an overage line with its
/// rule and charged run), E (prorated fees of a term starting mid-month) and
/// F (a commitment's bucket): tables, and F's JSON with the trail and the
/// fingerprints.
#[test]
fn quote_explain_golden() {
    for id in ["c", "e", "f"] {
        golden(
            &format!("quote-explain-{id}.txt"),
            &stdout_ok(&["quote", &deal(id), "--explain"]),
        );
    }
    golden(
        "quote-explain-f.json",
        &stdout_ok(&["quote", &deal("f"), "--explain", "--evidence", "-f", "json"]),
    );
}

/// Without `--explain` and `--evidence` the JSON is the bill's own (the
/// worked examples' golden bills stay as they were).
#[test]
fn quote_json_without_flags_is_the_bill() {
    let plain = stdout_ok(&["quote", &deal("c"), "-f", "json"]);
    let golden = std::fs::read_to_string(root().join("tests/golden/example-c.json")).unwrap();
    assert_eq!(plain, golden);
}

/// `--ledger FILE`: the ledger CSV with its header, one row per hour of the
/// used cell (worked example C: 12 months, 8,760 hours), 28 charged hours.
#[test]
fn quote_writes_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ledger.csv");
    let f = file.to_str().unwrap();
    stdout_ok(&["quote", &deal("c"), "--ledger", f]);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(ledger_csv::COLUMNS.join(",").as_str()));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 8760);
    let charged = rows.iter().filter(|r| r.contains(",charged,")).count();
    assert_eq!(charged, 28);
    assert_eq!(
        rows[216 + 72],
        "Fixed 500 TB,2026-03-13T00:00:00Z,2026-03,capacity,azure,hot,540,0.001875,1.0125,charged,73,40,overage,0.075,1.00,0.075,0,,USD"
    );
}

/// `verify` of a bill carrying its trail and fingerprints: verified as it
/// is; an edited fingerprint or trail is named (exit 1).
#[test]
fn verify_a_bill_with_its_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let bill = stdout_ok(&["quote", &deal("c"), "--explain", "--evidence", "-f", "json"]);
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    std::fs::write(path("bill.json"), &bill).unwrap();
    let ok = stdout_ok(&["verify", &path("bill.json"), &deal("c")]);
    assert!(ok.starts_with("verified: "), "{ok}");
    // The digests in the bill are the ones `fingerprint` prints, the bill's
    // own over the bill without `evidence` and `trail`.
    let printed = stdout_ok(&["fingerprint", &deal("c")]);
    let v: serde_json::Value = serde_json::from_str(&bill).unwrap();
    for key in ["matrix", "deal", "usage", "engine", "bill"] {
        let digest = v["evidence"][key].as_str().unwrap();
        assert!(printed.contains(digest), "{key} {digest} not in {printed}");
    }

    let usage = v["evidence"]["usage"].as_str().unwrap();
    let other = format!(
        "{}{}",
        if usage.starts_with('0') { "1" } else { "0" },
        &usage[1..]
    );
    std::fs::write(path("usage.json"), bill.replace(usage, &other)).unwrap();
    let bad = run(&["verify", &path("usage.json"), &deal("c")]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("at `evidence.usage`: the bill says"), "{err}");

    let trail = bill.replacen("\"hours\": 28", "\"hours\": 27", 1);
    assert_ne!(trail, bill);
    std::fs::write(path("trail.json"), trail).unwrap();
    let bad = run(&["verify", &path("trail.json"), &deal("c")]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("at `trail[1].charged_runs[0].hours`: the bill says 27"),
        "{err}"
    );
}

/// `--evidence` with `-f csv`: the bill CSV (worked example C) and the
/// comparison CSV (three offers) gain five columns, each row its bill's
/// digest and its inputs', the digests `unitcalc fingerprint` prints.
#[test]
fn csv_with_fingerprints_golden() {
    let quote = stdout_ok(&["quote", &deal("c"), "-f", "csv", "--evidence"]);
    golden("quote-evidence-c.csv", &quote);
    let acme = "examples/deals/acme-compare.toml";
    let compare = stdout_ok(&["compare", acme, "-f", "csv", "--evidence"]);
    golden("compare-evidence-acme.csv", &compare);
    // The same digests as `fingerprint -f json`, bill by bill.
    for (csv, deal_file) in [(&quote, deal("c")), (&compare, acme.to_string())] {
        let f: serde_json::Value =
            serde_json::from_str(&stdout_ok(&["fingerprint", &deal_file, "-f", "json"])).unwrap();
        let mut rows = csv.lines();
        let header: Vec<&str> = rows.next().unwrap().split(',').collect();
        assert_eq!(
            header[header.len() - 5..],
            unitcalc_core::evidence::DIGEST_COLUMNS
        );
        for row in rows {
            let cells: Vec<&str> = row.rsplitn(6, ',').collect();
            let offer_digests: Vec<&str> = f["bills"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b[1].as_str().unwrap())
                .collect();
            assert!(offer_digests.contains(&cells[4]), "{row}");
            assert_eq!(
                [cells[3], cells[2], cells[1], cells[0]],
                ["matrix", "deal", "usage", "engine"].map(|k| f[k].as_str().unwrap()),
                "{row}"
            );
        }
    }
    // Without the flag the layouts are as before; with the table it says where to look.
    assert!(!stdout_ok(&["compare", acme, "-f", "csv"]).contains("sha256"));
    let out = run(&["compare", acme, "--evidence"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--evidence goes with -f csv"), "{err}");
}
