//! Pricing the scenario with the page's caches: the parsed matrix, the
//! generated usage (per profile cell), the ISO-week report, and each
//! offer's quote with what it was priced from, so an edit prices again only
//! what it changed; and a large scenario a few offers per browser task
//! ([`SLICE_RECORDS`]).

use super::*;

/// A pricing error, with the deal's field at fault when the resolver names one.
pub(super) struct Failed(pub(super) Option<Field>, pub(super) Error);

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed(None, e)
    }
}

#[derive(Default)]
pub(super) struct Cache {
    /// The parsed matrix, and whether it is an edited bundled one.
    matrix: Option<(MatrixChoice, Rc<Matrix>, bool)>,
    usage: Option<(UsageKey, Rc<UsageSeries>)>,
    /// Each profile cell's generated series, so an edit of one cell's
    /// controls regenerates only that cell.
    cells: profile::CellCache,
    /// Keeps its usage alive, so the pointer comparison cannot see a reused address.
    report: Option<(Rc<UsageSeries>, Granularity, Rc<Vec<ReportRow>>)>,
    /// Per offer (in the deal's order), what it was last priced with, its
    /// quote and its cells' shares, so an edit of one offer re-prices only
    /// that offer, and an edit of one usage cell only that cell of each
    /// offer that prices cells apart; the matrix and usage are kept alive
    /// for the same reason as `report`'s.
    offers: Vec<(PriceKey, Rc<OfferQuote>, OfferShares)>,
}

/// What one offer's quote depends on: the offer as typed (compared as
/// typed: the resolved offer's comparison linked more code into the page),
/// the terms, the matrix and the usage.
struct PriceKey {
    matrix: Rc<Matrix>,
    usage: Rc<UsageSeries>,
    terms: DealTerms,
    offer: OfferSpec,
}

impl PriceKey {
    /// The same offer, terms and matrix: its shares still apply.
    fn same_offer(&self, matrix: &Rc<Matrix>, terms: &DealTerms, offer: &OfferSpec) -> bool {
        Rc::ptr_eq(&self.matrix, matrix) && self.terms == *terms && self.offer == *offer
    }
}

enum UsageKey {
    /// The deal's own usage (none, or its profile).
    Source(UsageSource, Term),
    /// Holds the upload, so pointer identity is never a reused address.
    Csv(Rc<CsvUsage>, Term),
}

impl PartialEq for UsageKey {
    fn eq(&self, o: &Self) -> bool {
        match (self, o) {
            (UsageKey::Source(p, t), UsageKey::Source(q, u)) => p == q && t == u,
            (UsageKey::Csv(a, t), UsageKey::Csv(b, u)) => Rc::ptr_eq(a, b) && t == u,
            _ => false,
        }
    }
}

/// The hour records one browser task prices at most when it has more
/// than one offer to price (the first is always priced), counting each
/// offer priced again as all its records (hours × usage cells), though an
/// offer priced by cells after a usage edit prices one cell: three offers
/// over 36 months and 4 cells (315,360) in one task, two offers per task
/// over 120 months (701,280). Measured with `tests/e2e/speed.mjs` over 120
/// months, three offers' usage edits (two runs each): counted this way,
/// p50 30.7–30.8 ms and no task over 50 ms; counting only the cells priced
/// (all three offers in one task), p50 45.6–46.9 ms and 4–5 tasks over
/// 50 ms.
pub const SLICE_RECORDS: usize = 710_000;

impl AppState {
    /// The parsed matrix, and whether it is a bundled matrix's edited copy
    /// (a custom matrix with a bundled one's name but another text).
    pub(super) fn matrix_cached(&self) -> Result<(Rc<Matrix>, bool), Error> {
        let mut cache = self.cache.borrow_mut();
        Ok(match &cache.matrix {
            Some((choice, m, e)) if *choice == self.scenario.matrix => (m.clone(), *e),
            _ => {
                let m = Rc::new(self.scenario.matrix.load()?);
                // Compared as text: the grid and the editor write a custom
                // matrix afresh, while "custom" starts from the bundled text
                // as is (parsing the bundled matrix again to compare linked
                // much more code).
                let edited = match &self.scenario.matrix {
                    MatrixChoice::Custom(t) => {
                        unitcalc_core::bundled::text(&m.name).is_some_and(|b| b != t)
                    }
                    _ => false,
                };
                cache.matrix = Some((self.scenario.matrix.clone(), m.clone(), edited));
                (m, edited)
            }
        })
    }

    /// Prices with `matrix`; `upload` is set when the uploaded CSV does not
    /// read. `None` when offers are left for the next task ([`AppState::pending`]).
    pub(super) fn compute(
        &mut self,
        matrix: Rc<Matrix>,
        upload: &mut bool,
    ) -> Result<Option<Computed>, Failed> {
        let form = self.scenario.resolve_form(&matrix);
        self.written = form.written.map(Rc::new);
        let deal = form.deal.map_err(|(f, e)| Failed(f, e))?;
        let mut cache = self.cache.borrow_mut();
        let term = deal.terms.term;
        let key = match &self.csv {
            Some(c) => UsageKey::Csv(c.clone(), term),
            None => UsageKey::Source(deal.usage.clone(), term),
        };
        let usage = match &cache.usage {
            Some((k, u)) if *k == key => u.clone(),
            _ => {
                let u = Rc::new(match (&self.csv, &deal.usage) {
                    (Some(c), _) => {
                        match usage_csv::read_usage(&c.bytes, &c.name, &matrix, &term) {
                            Ok(u) => u,
                            Err(e) => {
                                *upload = true;
                                return Err(e.into());
                            }
                        }
                    }
                    (None, UsageSource::Profile(p)) => {
                        profile::generate_reusing(p, &term, &mut cache.cells)?
                    }
                    (None, _) => UsageSeries::new(&term),
                });
                cache.usage = Some((key, u.clone()));
                u
            }
        };
        // Each offer is priced again only when it, the terms, the matrix
        // or the usage changed.
        let mut priced = Vec::with_capacity(deal.offers.len());
        let specs = &self.scenario.offers;
        let records = usage.hours() * usage.cells().len();
        let (mut done, mut left) = (0, false);
        for (i, (offer, spec)) in deal.offers.iter().zip(specs).enumerate() {
            let kept = cache
                .offers
                .get_mut(i)
                .filter(|(k, ..)| k.same_offer(&matrix, &deal.terms, spec));
            let (q, shares) = match kept {
                Some((k, q, _)) if Rc::ptr_eq(&k.usage, &usage) => {
                    priced.push(q.clone());
                    continue;
                }
                _ if self
                    .slice
                    .is_some_and(|most| done > 0 && done + records > most) =>
                {
                    left = true;
                    break;
                }
                kept => {
                    let mut shares = kept.map(|(.., p)| std::mem::take(p)).unwrap_or_default();
                    let q = shares.price(&matrix, &deal.terms, offer, &usage)?;
                    done += records;
                    (Rc::new(q), shares)
                }
            };
            let key = PriceKey {
                matrix: matrix.clone(),
                usage: usage.clone(),
                terms: deal.terms.clone(),
                offer: spec.clone(),
            };
            match cache.offers.get_mut(i) {
                Some(slot) => *slot = (key, q.clone(), shares),
                None => cache.offers.push((key, q.clone(), shares)),
            }
            priced.push(q);
        }
        cache.offers.truncate(specs.len());
        if left {
            return Ok(None);
        }
        let mut comparison = comparison_of(priced.iter().map(|q| q.bill.clone()).collect())?;
        if self.matrix_edited {
            // The one place an edited matrix gets its name: every view and
            // export reads the bills.
            for b in &mut comparison.bills {
                b.matrix_version.push_str(" (edited)");
            }
        }
        let months_without_usage = match &self.csv {
            Some(_) => usage
                .periods_without_records(&term)
                .iter()
                .map(|p| p.label())
                .collect(),
            None => Vec::new(),
        };
        // Only the ISO-week bars read the report (month bars are the bill's
        // periods), so a usage edit in month view does not pay for it.
        let report = match &cache.report {
            _ if self.granularity == Granularity::Month => Rc::default(),
            Some((u, g, r)) if Rc::ptr_eq(u, &usage) && *g == self.granularity => r.clone(),
            _ => {
                let r = Rc::new(usage_report(&matrix, &usage, self.granularity)?);
                cache.report = Some((usage.clone(), self.granularity, r.clone()));
                r
            }
        };
        Ok(Some(Computed {
            matrix,
            deal,
            usage,
            months_without_usage,
            offers: priced,
            comparison,
            report,
        }))
    }
}
