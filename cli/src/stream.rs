//! Streaming a book's usage CSV through per-customer [`Pricer`]s on all cores.
//!
//! A reader thread cuts the file into blocks at line ends. Batches of blocks
//! are parsed in parallel (rayon); meanwhile the previous batch is priced in
//! parallel by shards that each own the pricers of a fixed subset of
//! customers (`customer id % shards`), walking the records in file order, so
//! every customer's records reach its pricers in file order. Memory is a few
//! batches of text plus the state per customer and cell; never per row.
//!
//! A customer's rows must be in time order (hours never go back; within one
//! hour any order). A row that goes back is an error naming the file, line
//! and hour, never a silently different bill.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};

use std::path::Path;
use std::sync::mpsc;

use rayon::prelude::*;
use unitcalc_core::bill::Bill;
use unitcalc_core::engine::Pricer;
use unitcalc_core::error::{Error, Origin, UsageIssue};
use unitcalc_core::matrix::{CellId, CellMap, Matrix};
use unitcalc_core::time::Hour;
use unitcalc_core::usage_csv::{BlockParser, BlockRow, HEADER_WITH_CUSTOMER};

use crate::book::Slot;
use crate::error::{CliError, Result};

/// Bytes per block handed to a parser: small enough that the blocks in
/// flight (a batch being parsed, one being priced, the reader's queue) stay
/// a few MB, large enough that a block is thousands of rows.
const BLOCK: usize = 1 << 18;

/// The usage CSV header a book's usage must have.
pub const HEADER: &str = HEADER_WITH_CUSTOMER;

struct Block {
    data: Vec<u8>,
    /// 1-based line number of the block's first line.
    first_line: u64,
}

/// One record, compact: its customer is its run's (see [`Parsed::runs`]).
#[derive(Clone, Copy)]
struct Rec {
    /// The quantity's mantissa, low 64 bits (a quantity is ≥ 0 and its
    /// mantissa has at most 96 bits).
    qlo: u64,
    hour: Hour,
    /// 0-based line offset within the block.
    line: u32,
    /// The quantity's mantissa, bits 64 to 95.
    qhi: u32,
    current: CellId,
    candidate: CellId,
    /// The quantity's decimal places.
    scale: u8,
}

impl Rec {
    fn mantissa(&self) -> i128 {
        (i128::from(self.qhi) << 64) | i128::from(self.qlo)
    }
}

/// A run of consecutive records of one customer.
#[derive(Clone, Copy)]
struct Run {
    /// Block-local customer index.
    cust: u32,
    /// One past the run's last record in [`Parsed::recs`].
    end: u32,
}

struct Parsed {
    first_line: u64,
    names: Vec<Box<str>>,
    recs: Vec<Rec>,
    /// The records' customers, run by run (a customer-major file has a run
    /// or two per block): a pricing shard skips another shard's run whole.
    runs: Vec<Run>,
    /// The error that ended the block early, after its records: it stands
    /// only if none of the records before it is refused by its pricer.
    error: Option<CliError>,
}

/// What the stream produced: each customer's bills, in id order.
pub struct Priced {
    /// Customer name, current bill, candidate bill.
    pub customers: Vec<(String, Bill, Option<Bill>)>,
    /// Data rows read.
    pub rows: u64,
}

struct State<'a> {
    current: Pricer<'a>,
    candidate: Option<Pricer<'a>>,
}

struct Shard<'a> {
    /// Indexed by customer id / number of shards.
    states: Vec<Option<State<'a>>>,
}

/// Matrices and slots the stream prices against.
pub struct Setup<'a> {
    /// The current matrix.
    pub matrix: &'a Matrix,
    /// The candidate matrix.
    pub candidate: Option<&'a Matrix>,
    /// Listed customers (ids 0..n in this order).
    pub customers: &'a [(String, Slot)],
    /// Slot for unlisted customers.
    pub default: Option<&'a Slot>,
}

fn at(file: &str, line: u64) -> Origin {
    Origin::line(file, u32::try_from(line).unwrap_or(u32::MAX))
}

fn csv_error(file: &str, line: u64, message: String) -> CliError {
    CliError::Core(Error::Csv {
        at: at(file, line),
        message,
    })
}

/// Reads blocks cut at line ends and sends them down `tx`.
/// Spent block buffers come back on `spent` and are filled again: the same
/// few buffers for the whole file, so that they do not churn the heap among
/// the pricers' small, long-lived allocations (which made the peak RSS grow).
fn read_blocks(
    mut r: impl Read,
    mut first_line: u64,
    tx: mpsc::SyncSender<std::io::Result<Block>>,
    spent: mpsc::Receiver<Vec<u8>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut buf = match spent.try_recv() {
            Ok(mut b) => {
                b.clear();
                b.append(&mut carry);
                b
            }
            Err(_) => std::mem::take(&mut carry),
        };
        buf.reserve(BLOCK);
        // Append up to one block (no zero-filling); fewer bytes only at the end.
        let eof = match (&mut r).take(BLOCK as u64).read_to_end(&mut buf) {
            Ok(n) => n < BLOCK,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        if !eof {
            // Cut after the last line end. A block without any is one line
            // longer than a block, far over the reader's line limit: pass it
            // on whole, so the parser reports it (memory stays bounded).
            if let Some(i) = memchr::memrchr(b'\n', &buf) {
                carry = buf.split_off(i + 1);
            }
        }
        let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        if !buf.is_empty()
            && tx
                .send(Ok(Block {
                    data: buf,
                    first_line,
                }))
                .is_err()
        {
            return;
        }
        first_line += lines;
        if eof {
            return;
        }
    }
}

/// Parses one block in place with the core's block parser, from the
/// block's first line (past the file's header, which `price_book` checked),
/// so records and errors carry the file's line numbers.
fn parse_block(
    b: &Block,
    mut recs: Vec<Rec>,
    setup: &Setup<'_>,
    cand: &CellMap<'_>,
    file: &str,
) -> Parsed {
    let mut parser = BlockParser::new(setup.matrix, file, true);
    let mut names: Vec<Box<str>> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut runs: Vec<Run> = Vec::new();
    recs.clear();
    recs.reserve(b.data.len() / 48);
    let mut last: Option<u32> = None;
    let res = parser.parse(&b.data, b.first_line, |r: &BlockRow<'_>| -> Result<()> {
        let line = r.line;
        let cust = match last {
            // The same customer text as the row before (the parser compared).
            Some(i) if !r.customer_changed => i,
            _ => {
                if r.customer.trim().is_empty() {
                    return Err(csv_error(file, line, "empty customer".into()));
                }
                let i = match index.get(r.customer) {
                    Some(&i) => i,
                    None => {
                        let i = names.len() as u32;
                        names.push(r.customer.into());
                        index.insert(r.customer.to_string(), i);
                        i
                    }
                };
                last = Some(i);
                i
            }
        };
        let candidate = cand
            .get_at(r.cell, || at(file, line))
            .map_err(CliError::Core)?;
        let n = recs.len() as u32;
        match runs.last_mut() {
            Some(run) if run.cust == cust => run.end = n + 1,
            _ => runs.push(Run { cust, end: n + 1 }),
        }
        recs.push(Rec {
            qlo: r.mantissa as u64,
            hour: r.hour,
            line: u32::try_from(line - b.first_line).unwrap_or(u32::MAX),
            qhi: (r.mantissa >> 64) as u32,
            current: r.cell,
            candidate,
            scale: u8::try_from(r.scale).unwrap_or(u8::MAX),
        });
        Ok(())
    });
    Parsed {
        first_line: b.first_line,
        names,
        recs,
        runs,
        error: res.err(),
    }
}

/// First error of a batch by line, with its line for ordering.
type LineError = (u64, CliError);

/// Where a block's customer is priced: its global id, its shard and its
/// index in that shard (worked out once per block, not per record).
#[derive(Clone, Copy)]
struct Place {
    id: u32,
    shard: u32,
    index: u32,
}

fn places(ids: &[u32], shards: usize) -> Vec<Place> {
    let n = u32::try_from(shards).unwrap_or(u32::MAX).max(1);
    ids.iter()
        .map(|&id| Place {
            id,
            shard: id % n,
            index: id / n,
        })
        .collect()
}

fn price_batch(
    shards: &mut [Shard<'_>],
    batch: &[(Parsed, Vec<Place>)],
    names: &[String],
    file: &str,
) -> Option<LineError> {
    shards
        .par_iter_mut()
        .enumerate()
        .filter_map(|(s, shard)| {
            let s = s as u32;
            for (p, places) in batch {
                let mut from = 0usize;
                for run in &p.runs {
                    let to = run.end as usize;
                    let recs = p.recs.get(from..to).unwrap_or_default();
                    from = to;
                    let Some(&place) = places.get(run.cust as usize) else {
                        continue;
                    };
                    if place.shard != s {
                        continue;
                    }
                    let Some(st) = shard
                        .states
                        .get_mut(place.index as usize)
                        .and_then(Option::as_mut)
                    else {
                        continue;
                    };
                    if let Some((r, issue)) = price_run(st, recs) {
                        let line = p.first_line + u64::from(r.line);
                        return Some((
                            line,
                            CliError::Customer {
                                customer: names[place.id as usize].clone(),
                                source: Box::new(Error::usage(at(file, line), issue)),
                            },
                        ));
                    }
                }
            }
            None
        })
        .min_by_key(|(l, _)| *l)
}

/// Pushes one customer's run of records into its pricers; the first
/// record refused and why.
fn price_run<'r>(st: &mut State<'_>, recs: &'r [Rec]) -> Option<(&'r Rec, UsageIssue)> {
    match st.candidate.as_mut() {
        None => {
            for r in recs {
                if let Err(issue) =
                    st.current
                        .push_exact(r.hour, r.current, r.mantissa(), u32::from(r.scale))
                {
                    return Some((r, issue));
                }
            }
        }
        Some(c) => {
            for r in recs {
                let (m, sc) = (r.mantissa(), u32::from(r.scale));
                if let Err(issue) = st
                    .current
                    .push_exact(r.hour, r.current, m, sc)
                    .and_then(|()| c.push_exact(r.hour, r.candidate, m, sc))
                {
                    return Some((r, issue));
                }
            }
        }
    }
    None
}

struct Registry<'a> {
    setup: &'a Setup<'a>,
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl<'a> Registry<'a> {
    fn state(&self, slot: &'a Slot) -> Result<State<'a>> {
        Ok(State {
            current: Pricer::new(self.setup.matrix, &slot.terms, &slot.current)?,
            candidate: match (self.setup.candidate, &slot.candidate) {
                (Some(m), Some(o)) => {
                    Some(
                        Pricer::new(m, &slot.terms, o).map_err(|e| CliError::Candidate {
                            matrix: m.name.clone(),
                            source: Box::new(CliError::Core(e)),
                        })?,
                    )
                }
                _ => None,
            },
        })
    }

    fn add(&mut self, shards: &mut [Shard<'a>], name: &str, slot: &'a Slot) -> Result<u32> {
        let g = self.names.len() as u32;
        let customer = |c| CliError::Customer {
            customer: name.to_string(),
            source: Box::new(c),
        };
        let st = self.state(slot).map_err(|e| match e {
            CliError::Core(c) => customer(c),
            CliError::Candidate { matrix, source } => match *source {
                CliError::Core(c) => CliError::Candidate {
                    matrix,
                    source: Box::new(customer(c)),
                },
                other => CliError::Candidate {
                    matrix,
                    source: Box::new(other),
                },
            },
            e => e,
        })?;
        let n = shards.len() as u32;
        let shard = &mut shards[(g % n) as usize];
        let i = (g / n) as usize;
        if shard.states.len() <= i {
            shard.states.resize_with(i + 1, || None);
        }
        shard.states[i] = Some(st);
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), g);
        Ok(g)
    }

    /// Global ids for a parsed block's customers, registering new ones. A
    /// customer the book does not know (and no default deal) cuts the block
    /// before its first record and becomes the block's error: it stands if
    /// no record before it is refused (customers are named in the order
    /// they first appear, so the records before it are all of known ones).
    fn map(&mut self, shards: &mut [Shard<'a>], p: &mut Parsed, file: &str) -> Result<Vec<u32>> {
        let mut out = Vec::with_capacity(p.names.len());
        for (i, name) in p.names.iter().enumerate() {
            if let Some(&g) = self.ids.get(&**name) {
                out.push(g);
                continue;
            }
            let Some(slot) = self.setup.default else {
                // The customer's first record: where its first run begins.
                let k = p.runs.iter().position(|r| r.cust as usize == i);
                let first = k.map_or(p.recs.len(), |k| {
                    k.checked_sub(1)
                        .and_then(|j| p.runs.get(j))
                        .map_or(0, |r| r.end as usize)
                });
                let line = p
                    .recs
                    .get(first)
                    .map_or(p.first_line, |r| p.first_line + u64::from(r.line));
                p.recs.truncate(first);
                p.runs.truncate(k.unwrap_or(p.runs.len()));
                p.error = Some(CliError::Core(Error::Unknown {
                    at: at(file, line),
                    what: "customer",
                    value: name.to_string(),
                }));
                return Ok(out);
            };
            out.push(self.add(shards, name, slot)?);
        }
        Ok(out)
    }
}

/// Prices every customer of the usage CSV at `path` under the setup's matrices.
pub fn price_book(setup: &Setup<'_>, path: &Path) -> Result<Priced> {
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = std::io::BufReader::with_capacity(1 << 16, f);
    let mut header = Vec::new();
    {
        use std::io::BufRead;
        // A header is short; never read a whole file without line ends.
        (&mut reader)
            .take(4096)
            .read_until(b'\n', &mut header)
            .map_err(|e| CliError::io(path, e))?;
    }
    let h = String::from_utf8_lossy(&header);
    let h = h
        .trim_end_matches(['\n', '\r'])
        .trim_start_matches('\u{feff}');
    if h != HEADER {
        return Err(csv_error(
            &file,
            1,
            format!("header must be `{HEADER}`, found `{h}`"),
        ));
    }
    let cand = CellMap::new(setup.matrix, setup.candidate);
    let threads = rayon::current_num_threads().max(1);
    let nshards = threads;
    let mut shards: Vec<Shard<'_>> = (0..nshards).map(|_| Shard { states: Vec::new() }).collect();
    let mut reg = Registry {
        setup,
        names: Vec::new(),
        ids: HashMap::new(),
    };
    for (name, slot) in setup.customers {
        reg.add(&mut shards, name, slot)?;
    }
    let bar = progress(size);
    let (tx, rx) = mpsc::sync_channel::<std::io::Result<Block>>(threads * 4);
    let (spent_tx, spent_rx) = mpsc::channel::<Vec<u8>>();
    let reader_thread = std::thread::spawn(move || read_blocks(reader, 2, tx, spent_rx));
    let per_batch = threads * 4;
    let mut rows = 0u64;
    let mut pending: Vec<(Parsed, Vec<Place>)> = Vec::new();
    // Record vectors of priced batches, parsed into again (see `read_blocks`).
    let mut spare: Vec<Vec<Rec>> = Vec::new();
    let result = (|| -> Result<()> {
        loop {
            let mut blocks = Vec::with_capacity(per_batch);
            for b in rx.iter().take(per_batch) {
                blocks.push(b.map_err(|e| CliError::io(path, e))?);
            }
            let done = blocks.is_empty();
            let bytes: usize = blocks.iter().map(|b| b.data.len()).sum();
            let vecs: Vec<Vec<Rec>> = blocks
                .iter()
                .map(|_| spare.pop().unwrap_or_default())
                .collect();
            let (parsed, priced) = rayon::join(
                || {
                    blocks
                        .par_iter()
                        .zip(vecs)
                        .map(|(b, v)| parse_block(b, v, setup, &cand, &file))
                        .collect::<Vec<_>>()
                },
                || price_batch(&mut shards, &pending, &reg.names, &file),
            );
            for b in blocks {
                // The reader may have stopped (an error ends the stream).
                let _ = spent_tx.send(b.data);
            }
            if let Some((_, e)) = priced {
                return Err(e);
            }
            spare.extend(pending.drain(..).map(|(p, _)| p.recs));
            for mut p in parsed {
                rows += p.recs.len() as u64;
                let ids = reg.map(&mut shards, &mut p, &file)?;
                let stop = p.error.take();
                pending.push((p, places(&ids, nshards)));
                if let Some(e) = stop {
                    // The first error in file order: a record before this
                    // one refused by its pricer, or this one.
                    return Err(price_batch(&mut shards, &pending, &reg.names, &file)
                        .map_or(e, |(_, first)| first));
                }
            }
            if let Some(b) = &bar {
                b.inc(bytes as u64);
            }
            if done {
                return Ok(());
            }
        }
    })();
    drop(rx);
    let _ = reader_thread.join();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    result?;
    // Finish every pricer, in parallel across shards.
    let n = nshards as u32;
    let names = &reg.names;
    let mut finished: Vec<(u32, Bill, Option<Bill>)> = shards
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(s, shard)| {
            shard
                .states
                .into_iter()
                .enumerate()
                .filter_map(move |(i, st)| st.map(|st| (i as u32 * n + s as u32, st)))
        })
        .map(|(g, st)| {
            let wrap = |e: Error| CliError::Customer {
                customer: names[g as usize].clone(),
                source: Box::new(e),
            };
            let cur = st.current.finish().map_err(wrap)?;
            let cand = st.candidate.map(|c| c.finish().map_err(wrap)).transpose()?;
            Ok((g, cur, cand))
        })
        .collect::<Result<Vec<_>>>()?;
    finished.sort_by_key(|(g, _, _)| *g);
    let customers = finished
        .into_iter()
        .map(|(g, a, b)| (names[g as usize].clone(), a, b))
        .collect();
    Ok(Priced { customers, rows })
}

/// A progress bar on stderr when stderr is a terminal and the input is large.
pub fn progress(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len < (8 << 20) {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})") {
        bar.set_style(style);
    }
    Some(bar)
}
