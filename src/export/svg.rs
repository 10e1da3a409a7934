//! A very small SVG builder, and the KPI chart of the HTML export: actuals
//! (a solid line from the baseline, with dots), the forecast (dashed), the
//! target (a dotted horizontal line and a mark at the deadline), today (a
//! thin vertical line) and labelled axes.
//!
//! Every text that goes into the SVG passes through [`escape`], so the
//! output can be inserted into an HTML page as it is. No scripts, no
//! external references, no `xmlns` URL: the SVG is meant to live inline in
//! an HTML5 document.

use std::fmt::Write as _;

use crate::i18n::{t, tf};
use crate::metrics::{Granularity, KpiChart, SeriesPoint, period_ends};
use crate::plan::{Date, Kpi};

use super::fmt;

/// Escapes text for XML/HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal.
fn c(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Where text hangs from its anchor point.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn key(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Stroke settings of a line.
#[derive(Debug, Clone, Copy)]
pub struct Stroke<'a> {
    pub colour: &'a str,
    pub width: f64,
    /// e.g. `"6 4"`; empty for a solid line.
    pub dash: &'a str,
}

impl Stroke<'_> {
    fn attrs(&self) -> String {
        let mut s = format!(
            r#"stroke="{}" stroke-width="{}""#,
            escape(self.colour),
            c(self.width)
        );
        if !self.dash.is_empty() {
            let _ = write!(s, r#" stroke-dasharray="{}""#, escape(self.dash));
        }
        s
    }
}

/// An SVG picture being drawn.
#[derive(Debug, Clone)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: Stroke<'_>) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>"#,
            c(from.0),
            c(from.1),
            c(to.0),
            c(to.1),
            stroke.attrs()
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke<'_>) {
        if points.len() < 2 {
            return;
        }
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", c(*x), c(*y)))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" {} stroke-linejoin="round"/>"#,
            pts.join(" "),
            stroke.attrs()
        );
    }

    pub fn circle(&mut self, centre: (f64, f64), r: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
            c(centre.0),
            c(centre.1),
            c(r),
            escape(fill)
        );
    }

    pub fn rect(&mut self, at: (f64, f64), size: (f64, f64), fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            c(at.0),
            c(at.1),
            c(size.0),
            c(size.1),
            escape(fill)
        );
    }

    pub fn text(&mut self, at: (f64, f64), anchor: Anchor, size: f64, fill: &str, text: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}">{}</text>"#,
            c(at.0),
            c(at.1),
            anchor.key(),
            c(size),
            escape(fill),
            escape(text)
        );
    }

    /// The finished `<svg>` element; `title` is its accessible name.
    pub fn finish(self, title: &str) -> String {
        format!(
            "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
             aria-label=\"{t}\" font-family=\"sans-serif\">\n<title>{t}</title>\n{body}</svg>",
            w = c(self.width),
            h = c(self.height),
            t = escape(title),
            body = self.body
        )
    }
}

/// A step of 1, 2 or 5 × 10ⁿ giving about `count` intervals over `span`.
fn nice_step(span: f64, count: f64) -> f64 {
    let raw = span / count;
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;

const INK: &str = "#222222";
const GRID: &str = "#dddddd";
const ACTUAL: &str = "#1f5fa8";
const FORECAST: &str = "#d9822b";
const TARGET: &str = "#2e8540";
const TODAY: &str = "#888888";

/// The chart of one KPI as inline SVG.
pub fn kpi_chart_svg(kpi: &Kpi, chart: &KpiChart, today: Date, currency: &str) -> String {
    let finite = |p: &&SeriesPoint| p.value.is_finite();
    let actuals: Vec<SeriesPoint> = std::iter::once(&chart.baseline)
        .chain(chart.actuals.iter())
        .filter(finite)
        .copied()
        .collect();
    let forecast: Vec<SeriesPoint> = chart.forecast.iter().filter(finite).copied().collect();
    let target = chart.target;

    // The x range: every date shown; the y range: every value, padded, on
    // a grid of round numbers.
    let all = actuals
        .iter()
        .chain(forecast.iter())
        .chain(std::iter::once(&target));
    // Today is always on the chart, so a missed deadline shows as one.
    let x0 = all
        .clone()
        .map(|p| p.date)
        .chain([today])
        .min()
        .unwrap_or(today);
    let x1 = all
        .clone()
        .map(|p| p.date)
        .chain([today])
        .max()
        .unwrap_or(today);
    let days = x0.days_until(x1).max(1) as f64;
    let values: Vec<f64> = all.map(|p| p.value).filter(|v| v.is_finite()).collect();
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if (hi - lo).abs() < f64::EPSILON {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let step = nice_step(hi - lo, 4.0);
    let lo = (lo / step).floor() * step;
    let hi = (hi / step).ceil() * step;

    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |d: Date| LEFT + x0.days_until(d) as f64 / days * plot_w;
    let y = |v: f64| TOP + (hi - v) / (hi - lo) * plot_h;
    let label = |v: f64| fmt::value(v, kpi.unit, currency);

    let mut svg = Svg::new(W, H);
    svg.rect((0.0, 0.0), (W, H), "#ffffff");
    let grid = Stroke {
        colour: GRID,
        width: 1.0,
        dash: "",
    };
    let axis = Stroke {
        colour: INK,
        width: 1.0,
        dash: "",
    };

    // Horizontal grid with value labels.
    let mut v = lo;
    let mut guard = 0;
    while v <= hi + step / 2.0 && guard < 20 {
        let yy = y(v);
        svg.line((LEFT, yy), (W - RIGHT, yy), grid);
        svg.text((LEFT - 6.0, yy + 4.0), Anchor::End, 11.0, INK, &label(v));
        v += step;
        guard += 1;
    }

    // Axes, with date ticks at quarter ends and the ends labelled.
    svg.line((LEFT, TOP), (LEFT, H - BOTTOM), axis);
    svg.line((LEFT, H - BOTTOM), (W - RIGHT, H - BOTTOM), axis);
    let ticks = period_ends(x0, x1, Granularity::Quarterly);
    let last = ticks.len().saturating_sub(1);
    let end_x = ticks.last().map_or(W - RIGHT, |d| x(*d));
    let mut last_label_x = f64::NEG_INFINITY;
    for (i, d) in ticks.iter().enumerate() {
        let xx = x(*d);
        svg.line((xx, H - BOTTOM), (xx, H - BOTTOM + 4.0), axis);
        // The ends carry full dates; quarter ends in between a short
        // label, unless it would run into a neighbour.
        let (text, anchor) = if i == 0 {
            (fmt::date(*d), Anchor::Start)
        } else if i == last {
            (fmt::date(*d), Anchor::End)
        } else {
            if xx - last_label_x < 75.0 || end_x - xx < 95.0 {
                continue;
            }
            (crate::i18n::date::month_short(*d), Anchor::Middle)
        };
        svg.text((xx, H - BOTTOM + 18.0), anchor, 11.0, INK, &text);
        last_label_x = xx;
    }

    // Today.
    if x0 <= today && today <= x1 {
        let xx = x(today);
        svg.line(
            (xx, TOP),
            (xx, H - BOTTOM),
            Stroke {
                colour: TODAY,
                width: 1.0,
                dash: "2 3",
            },
        );
        let anchor = if xx > W - RIGHT - 20.0 {
            Anchor::End
        } else if xx < LEFT + 20.0 {
            Anchor::Start
        } else {
            Anchor::Middle
        };
        svg.text(
            (xx, TOP - 4.0),
            anchor,
            10.0,
            TODAY,
            t("export.chart.today"),
        );
    }

    // Target.
    let ty = y(target.value);
    svg.line(
        (LEFT, ty),
        (W - RIGHT, ty),
        Stroke {
            colour: TARGET,
            width: 1.5,
            dash: "1 4",
        },
    );
    svg.circle((x(target.date), ty), 4.0, TARGET);

    // Forecast, then actuals on top.
    let fpts: Vec<(f64, f64)> = forecast.iter().map(|p| (x(p.date), y(p.value))).collect();
    svg.polyline(
        &fpts,
        Stroke {
            colour: FORECAST,
            width: 2.0,
            dash: "6 4",
        },
    );
    let apts: Vec<(f64, f64)> = actuals.iter().map(|p| (x(p.date), y(p.value))).collect();
    svg.polyline(
        &apts,
        Stroke {
            colour: ACTUAL,
            width: 2.0,
            dash: "",
        },
    );
    for p in &apts {
        svg.circle(*p, 2.5, ACTUAL);
    }

    // Legend along the top.
    let mut lx = LEFT;
    for (colour, dash, text) in [
        (ACTUAL, "", t("chart.actuals").to_string()),
        (
            FORECAST,
            "6 4",
            if forecast.is_empty() {
                t("export.chart.no_forecast").to_string()
            } else {
                t("chart.forecast").to_string()
            },
        ),
        (
            TARGET,
            "1 4",
            tf("export.chart.target", &[("value", &label(target.value))]),
        ),
    ] {
        svg.line(
            (lx, 12.0),
            (lx + 22.0, 12.0),
            Stroke {
                colour,
                width: 2.0,
                dash,
            },
        );
        svg.text((lx + 28.0, 16.0), Anchor::Start, 11.0, INK, &text);
        lx += 44.0 + text.chars().count() as f64 * 6.0;
    }
    svg.finish(&tf("export.chart.title", &[("kpi", &kpi.name)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&#39;");
        let mut svg = Svg::new(10.0, 10.0);
        svg.text((1.0, 2.0), Anchor::Start, 10.0, "#000", "a<b");
        let out = svg.finish("T & <U>");
        assert!(out.contains("a&lt;b"));
        assert!(out.contains("<title>T &amp; &lt;U&gt;</title>"));
        assert!(!out.contains("http"));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(12000.0, 4.0), 5000.0);
        assert_eq!(nice_step(1.2, 4.0), 0.5);
        assert_eq!(nice_step(0.0, 4.0), 1.0);
    }
}
