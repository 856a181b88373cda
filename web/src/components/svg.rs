//! The charts' SVG, written as text (no chart library, and no virtual-DOM
//! node per mark: a chart is one raw node, which keeps the page's module
//! small): the plot's size and margins, value-axis ticks with their unit,
//! time-axis labels. Tick values come from the core (`display::Axis::ticks`,
//! `Axis::rounded_up`), labels from its `display` helpers; only the pixel
//! layout (which labels fit) is decided here. Every text is escaped.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use unitcalc_core::display::{short, Axis};
use yew::{AttrValue, Html};

/// Plot width (SVG user units; the SVG scales to its card).
pub const W: i64 = 720;
/// Plot height.
pub const H: i64 = 160;
/// Left margin: value labels.
const L: i64 = 64;
/// Top margin: the unit, and the hourly chart's marks.
const T: i64 = 20;
/// Bottom margin: time labels.
const B: i64 = 22;
/// Right margin.
const R: i64 = 12;

/// `i` of `n` equal steps across the plot, in pixels.
pub fn x(i: i64, n: i64) -> i64 {
    if n == 0 {
        0
    } else {
        i * W / n
    }
}

/// Text for SVG content or an attribute: `&`, `<`, `>` and `"` escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart being written: plot coordinates from its top-left corner.
pub struct Svg(pub String);

impl Svg {
    /// An empty plot.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Svg {
        Svg(format!("<g transform=\"translate({L} {T})\">"))
    }

    /// Appends markup (already escaped).
    pub fn push(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// A rectangle with a class and an optional tooltip.
    pub fn rect(&mut self, class: &str, x: i64, y: i64, w: i64, h: i64, title: Option<&str>) {
        let _ = write!(
            self.0,
            "<rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\">"
        );
        if let Some(t) = title {
            let _ = write!(self.0, "<title>{}</title>", esc(t));
        }
        self.0.push_str("</rect>");
    }

    /// Value axis: a grid line and a label at each tick, the unit above.
    pub fn y_axis(&mut self, axis: &Axis, ticks: &[Decimal], unit: &str) {
        let _ = write!(
            self.0,
            "<text class=\"axis unit\" x=\"{}\" y=\"{}\">{}</text>",
            4 - L,
            8 - T,
            esc(unit)
        );
        for t in ticks {
            let y = axis.y(*t, H);
            let _ = write!(
                self.0,
                "<line class=\"grid\" x1=\"0\" x2=\"{W}\" y1=\"{y}\" y2=\"{y}\"/>\
                 <text class=\"axis\" x=\"-6\" y=\"{}\" text-anchor=\"end\">{}</text>",
                y + 4,
                short(*t, 2)
            );
        }
    }

    /// Time axis: a tick and a label at each `(x, label)`, leaving out
    /// labels that would overlap the one before (about 6 px a character).
    pub fn x_axis(&mut self, ticks: &[(i64, String)]) {
        let _ = write!(self.0, "<g class=\"x-axis\"><line class=\"axis-line\" x1=\"0\" x2=\"{W}\" y1=\"{H}\" y2=\"{H}\"/>");
        let mut next_free = i64::MIN;
        for (x, label) in ticks {
            if *x < next_free || *x > W - 20 {
                continue;
            }
            next_free = x + 6 * label.len() as i64 + 10;
            let _ = write!(
                self.0,
                "<line class=\"tick\" x1=\"{x}\" x2=\"{x}\" y1=\"{H}\" y2=\"{}\"/>\
                 <text class=\"axis\" x=\"{x}\" y=\"{}\">{}</text>",
                H + 4,
                H + 16,
                esc(label)
            );
        }
        self.0.push_str("</g>");
    }

    /// The whole `<svg>`: scaled to its card by its `viewBox`, an image
    /// named by `label` for screen readers.
    pub fn finish(mut self, class: &str, label: &str) -> Html {
        self.0.push_str("</g></svg>");
        let head = format!(
            "<svg viewBox=\"0 0 {} {}\" class=\"{class}\" role=\"img\" aria-label=\"{}\">",
            L + W + R,
            T + H + B,
            esc(label)
        );
        self.0.insert_str(0, &head);
        Html::from_html_unchecked(AttrValue::from(self.0))
    }
}
