//! The commands on one deal file: `quote` (with its evidence: the formula
//! trail, the fingerprints in the bill, the hourly ledger), `compare`,
//! `verify` and `fingerprint`. Everything they print is the core's; here the
//! files are read and the outputs written.

use unitcalc_core::bill_csv;
use unitcalc_core::engine;
use unitcalc_core::evidence;
use unitcalc_core::ledger_csv;
use unitcalc_core::quote;

use crate::error::{CliError, Result};
use crate::render::{self, Format};
use crate::{load, output};
use crate::{CompareCmd, FingerprintArgs, QuoteArgs, VerifyArgs};

pub(crate) fn quote(a: QuoteArgs) -> Result<()> {
    let d = load::deal(&a.deal, a.matrix.as_deref())?;
    let usage = load::usage(&d, a.usage.as_deref())?;
    let i = d
        .deal
        .offer_index(a.offer.as_deref())
        .map_err(|m| CliError::Args(format!("{}: the deal {m}", a.deal.display())))?;
    let offer = &d.deal.offers[i];
    let q = quote::quote(
        &d.matrix,
        &d.deal.terms,
        std::slice::from_ref(offer),
        &usage,
    )?;
    let bill = &q.comparison.bills[0];
    let per_tb_month = q.per_tb_month[0].as_ref();
    if a.common.format == Format::Csv && a.explain {
        return Err(CliError::Args(
            "--explain shows in the table and JSON formats, not in CSV (the hourly ledger, --ledger FILE, is the CSV form)".into(),
        ));
    }
    if a.evidence && a.common.format == Format::Table {
        return Err(CliError::Args(
            "--evidence goes with -f json or -f csv (`unitcalc fingerprint` prints the digests as a table)".into(),
        ));
    }
    let recorded = if a.explain || a.ledger.is_some() {
        Some(engine::price_recorded(
            &d.matrix,
            &d.deal.terms,
            offer,
            &usage,
        )?)
    } else {
        None
    };
    let trail = match (&recorded, a.explain) {
        (Some(r), true) => Some(evidence::trail::trail(&d.matrix, &d.deal.terms, offer, r)?),
        _ => None,
    };
    let fingerprints = if a.evidence {
        Some(evidence::BillEvidence::of(
            &d.matrix, &d.deal, &usage, bill,
        )?)
    } else {
        None
    };
    if let (Some(path), Some(r)) = (&a.ledger, &recorded) {
        let csv = ledger_csv::to_csv(&d.matrix, &r.bill, &r.ledger)
            .map_err(unitcalc_core::Error::from)?;
        output::write_text(Some(path.as_path()), &csv)?;
    }
    let text = match a.common.format {
        Format::Table => render::bill_table(&d.deal.name, bill, per_tb_month, trail.as_deref()),
        Format::Json => render::json(&evidence::ExplainedBill {
            bill,
            trail: trail.as_deref(),
            evidence: fingerprints.as_ref(),
        })?,
        Format::Csv => match &fingerprints {
            Some(f) => bill_csv::to_csv_with_digests(&d.deal.name, bill, f),
            None => bill_csv::to_csv([(d.deal.name.as_str(), bill)]),
        },
    };
    output::write_text(a.common.output.as_deref(), &text)
}

pub(crate) fn compare(cmd: CompareCmd) -> Result<()> {
    let a = cmd.deal;
    if cmd.evidence && a.common.format != Format::Csv {
        return Err(CliError::Args(
            "--evidence goes with -f csv (`unitcalc fingerprint` prints the digests as a table or JSON)".into(),
        ));
    }
    let d = load::deal(&a.deal, a.matrix.as_deref())?;
    let usage = load::usage(&d, a.usage.as_deref())?;
    let c = quote::quote(&d.matrix, &d.deal.terms, &d.deal.offers, &usage)?.comparison;
    let text = match a.common.format {
        Format::Table => render::comparison_table(&d.deal.name, &c),
        Format::Json => render::json(&c)?,
        Format::Csv if cmd.evidence => {
            let f = evidence::fingerprints(&d.matrix, &d.deal, &usage, &c.bills)?;
            unitcalc_core::compare_csv::to_csv_with_digests(&d.deal.name, &c, &f.per_bill())
        }
        Format::Csv => unitcalc_core::compare_csv::to_csv(&d.deal.name, &c),
    };
    output::write_text(a.common.output.as_deref(), &text)
}

pub(crate) fn verify(a: VerifyArgs) -> Result<()> {
    let text = load::read_text(&a.bill)?;
    let bill_name = load::name(&a.bill);
    let d = load::deal(&a.deal.deal, a.deal.matrix.as_deref())?;
    let usage = load::usage(&d, a.deal.usage.as_deref())?;
    let q = quote::quote(&d.matrix, &d.deal.terms, &d.deal.offers, &usage)?;
    let f = evidence::fingerprints(&d.matrix, &d.deal, &usage, &q.comparison.bills)?;
    // The offer the bill names; the deal's first when it names none of them.
    let offer = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("offer").and_then(|o| o.as_str().map(String::from)));
    let i = offer
        .as_deref()
        .and_then(|o| d.deal.offers.iter().position(|x| x.name == o))
        .unwrap_or(0);
    let priced = &q.comparison.bills[i];
    // The trail and the fingerprints the bill's inputs give, compared when
    // the bill file carries them.
    let recorded = engine::price_recorded(&d.matrix, &d.deal.terms, &d.deal.offers[i], &usage)?;
    let trail = evidence::trail::trail(&d.matrix, &d.deal.terms, &d.deal.offers[i], &recorded)?;
    let own = evidence::BillEvidence::of(&d.matrix, &d.deal, &usage, priced)?;
    let expected = evidence::ExplainedBill {
        bill: priced,
        trail: Some(&trail),
        evidence: Some(&own),
    };
    let v = evidence::verify_bill(&text, &bill_name, &expected)?;
    match v {
        evidence::Verification::Verified { .. } => {
            let text = format!(
                "{}\n{}  matrix\n{}  deal\n{}  usage\n{}  engine\n",
                v.message(&bill_name),
                f.matrix,
                f.deal,
                f.usage,
                f.engine
            );
            output::write_text(a.deal.common.output.as_deref(), &text)
        }
        evidence::Verification::Differs { .. } => Err(CliError::Differs(v.message(&bill_name))),
    }
}

pub(crate) fn fingerprint(a: FingerprintArgs) -> Result<()> {
    let d = load::deal(&a.deal.deal, a.deal.matrix.as_deref())?;
    let usage = load::usage(&d, a.deal.usage.as_deref())?;
    let q = quote::quote(&d.matrix, &d.deal.terms, &d.deal.offers, &usage)?;
    let bills = &q.comparison.bills;
    if let Some(dir) = &a.write {
        let t = evidence::canonical_texts(&d.matrix, &d.deal, &usage, bills)?;
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
        let mut files = vec![
            ("matrix.toml".to_string(), t.matrix),
            ("deal.toml".to_string(), t.deal),
            ("usage.csv".to_string(), t.usage),
            ("engine.txt".to_string(), t.engine),
        ];
        for (i, (_, text)) in t.bills.into_iter().enumerate() {
            files.push((format!("bill-{}.json", i + 1), text));
        }
        for (name, text) in files {
            output::write_text(Some(&dir.join(name)), &text)?;
        }
    }
    let f = evidence::fingerprints(&d.matrix, &d.deal, &usage, bills)?;
    let text = match a.deal.common.format {
        Format::Json => render::json(&f)?,
        _ => f.to_text(),
    };
    output::write_text(a.deal.common.output.as_deref(), &text)
}
