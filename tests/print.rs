//! The printed plan: the HTML export printed to PDF by headless Chromium, on
//! A4 and on Letter, stays inside the printable area of every page.
//!
//! For each paper size, plan and language the test prints the export, reads
//! every word's box with `pdftotext -bbox` and every page's pixels with
//! `pdftoppm -gray`, and checks that
//! - every word lies inside the page box minus the 15 mm margins;
//! - nothing at all (text, table border, chart) is drawn in the margins, so
//!   no table loses its right border;
//! - Chromium did not shrink the page to make an over-wide table fit (it
//!   does that silently): a word of the subtitle is as wide as in a page
//!   with nothing else on it.
//!
//! The export does not force a paper size (the reader's printer chooses);
//! the test chooses one as a print dialog would, with an `@page { size }`
//! rule added to a copy of the page.
//!
//! Chromium (Debian's `chromium`, or `chromium-browser`, `google-chrome`)
//! and poppler's `pdftotext` and `pdftoppm` (`poppler-utils`) are needed:
//! without them the test says it was skipped and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rumbo::export::{Format, export};
use rumbo::i18n::{self, Lang};

/// The margins of the print stylesheet (`@page { margin: 15mm }`), in points.
const MARGIN_PT: f64 = 15.0 / 25.4 * 72.0;
/// Rounding of glyph boxes and anti-aliasing, in points.
const TOLERANCE_PT: f64 = 1.5;
/// How long one print may take on a busy machine.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

const EXAMPLE: &str = include_str!("../assets/examples/example.toml");

#[derive(Clone, Copy, Debug)]
struct Paper {
    name: &'static str,
    /// The CSS `size` value.
    css: &'static str,
    width_pt: f64,
    height_pt: f64,
}

const A4: Paper = Paper {
    name: "A4",
    css: "A4",
    width_pt: 210.0 / 25.4 * 72.0,
    height_pt: 297.0 / 25.4 * 72.0,
};

const LETTER: Paper = Paper {
    name: "Letter",
    css: "letter",
    width_pt: 612.0,
    height_pt: 792.0,
};

/// The Chromium binary, or `None` (with the reason said) to skip.
fn tools() -> Option<String> {
    let runs = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| runs(c, "--version"));
    let Some(chromium) = chromium else {
        eprintln!(
            "SKIPPED: no headless Chromium (`chromium`, `chromium-browser` or `google-chrome`) \
             found: the printed-plan test did not run (Debian: apt-get install chromium)"
        );
        return None;
    };
    for tool in ["pdftotext", "pdftoppm"] {
        if !runs(tool, "-v") {
            eprintln!(
                "SKIPPED: `{tool}` not found: the printed-plan test did not run \
                 (Debian: apt-get install poppler-utils)"
            );
            return None;
        }
    }
    Some(chromium.to_string())
}

/// Runs `cmd`, killing it after [`PRINT_TIMEOUT`]; panics on failure.
fn run(cmd: &mut Command, what: &str) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{what} failed: {status}");
            return;
        }
        if start.elapsed() > PRINT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} took more than {PRINT_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Prints `html` on `paper` with headless Chromium; returns the PDF's path.
fn print(chromium: &str, dir: &Path, name: &str, html: &str, paper: Paper) -> PathBuf {
    let page = format!("<style>@page {{ size: {} }}</style>\n</head>", paper.css);
    assert!(html.contains("</head>"));
    let html = html.replacen("</head>", &page, 1);
    let html_path = dir.join(format!("{name}.html"));
    std::fs::write(&html_path, html).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    let profile = dir.join(format!("{name}.profile"));
    run(
        Command::new(chromium)
            .arg("--headless")
            .arg("--no-sandbox")
            .arg("--disable-gpu")
            .arg("--no-first-run")
            .arg("--no-pdf-header-footer")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html_path.display())),
        &format!("{chromium} printing {name}"),
    );
    assert!(pdf.exists(), "{chromium} wrote no PDF for {name}");
    pdf
}

#[derive(Debug)]
struct Word {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

#[derive(Debug)]
struct Page {
    width: f64,
    height: f64,
    words: Vec<Word>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// Pages and word boxes of a PDF, from `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<Page> {
    let out = pdf.with_extension("bbox.html");
    run(
        Command::new("pdftotext").arg("-bbox").arg(pdf).arg(&out),
        "pdftotext -bbox",
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut pages = Vec::new();
    for chunk in text.split("<page ").skip(1) {
        let head = &chunk[..chunk.find('>').unwrap()];
        let mut page = Page {
            width: attr(head, "width"),
            height: attr(head, "height"),
            words: Vec::new(),
        };
        for w in chunk.split("<word ").skip(1) {
            let close = w.find('>').unwrap();
            let tag = &w[..close];
            let text = &w[close + 1..w.find("</word>").unwrap()];
            page.words.push(Word {
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
                text: text.to_string(),
            });
        }
        pages.push(page);
    }
    pages
}

/// The lines of every text block of a PDF that sits in the first column
/// (starts at the left margin), from `pdftotext -bbox-layout`.
fn first_column_blocks(pdf: &Path) -> Vec<Vec<String>> {
    let out = pdf.with_extension("layout.html");
    run(
        Command::new("pdftotext")
            .arg("-bbox-layout")
            .arg(pdf)
            .arg(&out),
        "pdftotext -bbox-layout",
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut blocks = Vec::new();
    for block in text.split("<block ").skip(1) {
        let head = &block[..block.find('>').unwrap()];
        if attr(head, "xMin") > MARGIN_PT + 8.0 {
            continue;
        }
        let body = &block[..block.find("</block>").unwrap_or(block.len())];
        let lines: Vec<String> = body
            .split("<line ")
            .skip(1)
            .map(|line| {
                line.split("<word ")
                    .skip(1)
                    .map(|w| &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        blocks.push(lines);
    }
    blocks
}

/// Renders every page at 72 dpi in grey (one pixel per point); returns
/// (width, height, pixels) per page.
fn pixels(pdf: &Path) -> Vec<(usize, usize, Vec<u8>)> {
    let prefix = pdf.with_extension("page");
    run(
        Command::new("pdftoppm")
            .args(["-gray", "-r", "72"])
            .arg(pdf)
            .arg(&prefix),
        "pdftoppm",
    );
    let dir = pdf.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_string_lossy().to_string();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}-")) && name.ends_with(".pgm")
        })
        .collect();
    // pdftoppm numbers pages with a fixed width, so names sort by page.
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            // Binary PGM: "P5", width, height, maxval, one whitespace, data.
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                while bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                let start = at;
                while !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8_lossy(&bytes[start..at]).to_string());
            }
            assert_eq!(fields[0], "P5", "{}", f.display());
            let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
            let data = bytes[at + 1..].to_vec();
            assert_eq!(data.len(), w * h, "{}", f.display());
            (w, h, data)
        })
        .collect()
}

/// The plan with long KPI and owner names, an unbreakable word and a URL
/// as names: the cases that push a table past the page.
fn long_names_plan() -> String {
    let mut text = EXAMPLE.to_string();
    for (from, to) in [
        (
            "name = \"Monthly recurring revenue\"",
            "name = \"Monthly recurring revenue from every paying customer on the annual and the monthly subscription plans\"",
        ),
        (
            "name = \"Customer acquisition cost\"",
            "name = \"Kundenakquisitionskostenberechnungsgrundlagenverordnung per new customer\"",
        ),
        (
            "name = \"Average sales-cycle length\"",
            "name = \"https://analytics.example.com/dashboards/sales-cycle-length-by-segment-and-region\"",
        ),
        (
            "name = \"Lucía Ferrer\"",
            "name = \"Lucía Ferrer de la Fuente y Santamaría-Villalobos\"",
        ),
    ] {
        assert!(text.contains(from), "the example has {from}");
        text = text.replace(from, to);
    }
    text
}

/// The names of the KPIs of a plan.
fn plan_names(plan_text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, plan_text).unwrap();
    let plan = rumbo::store::open(&path).unwrap().file.plan;
    plan.kpis.iter().map(|k| k.name.clone()).collect()
}

fn html_of(plan_text: &str, lang: Lang) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, plan_text).unwrap();
    let plan = rumbo::store::open(&path).unwrap().file.plan;
    let today = "2026-11-15".parse().unwrap();
    i18n::with_lang(lang, || export(&plan, today, Format::Html).unwrap())
}

/// The first word of the subtitle, as wide as printed alone on a page.
fn subtitle_word(
    chromium: &str,
    dir: &Path,
    html: &str,
    lang: Lang,
    paper: Paper,
) -> (String, f64) {
    let word = i18n::with_lang(lang, || i18n::t("export.subtitle"))
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let head = &html[..html.find("<body>").unwrap()];
    let alone = format!("{head}<body><main><p class=\"subtitle\">{word}</p></main></body></html>");
    let name = format!("alone-{}-{}", lang.code(), paper.name);
    let pdf = print(chromium, dir, &name, &alone, paper);
    let pages = words(&pdf);
    let w = pages[0]
        .words
        .iter()
        .find(|w| w.text == word)
        .unwrap_or_else(|| panic!("{word} printed alone"));
    (word, w.x_max - w.x_min)
}

/// Prints each plan on `paper` and checks every page.
fn check_paper(paper: Paper) {
    let Some(chromium) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let long = long_names_plan();
    let cases = [
        ("example-en", EXAMPLE, Lang::En),
        ("long-names-en", long.as_str(), Lang::En),
        ("example-es", EXAMPLE, Lang::Es),
    ];
    for (name, plan, lang) in cases {
        let name = format!("{name}-{}", paper.name);
        let html = html_of(plan, lang);
        let pdf = print(&chromium, dir.path(), &name, &html, paper);
        let pages = words(&pdf);
        assert!(pages.len() > 3, "{name}: {} pages", pages.len());

        let (left, top) = (MARGIN_PT - TOLERANCE_PT, MARGIN_PT - TOLERANCE_PT);
        for (i, page) in pages.iter().enumerate() {
            assert!(
                (page.width - paper.width_pt).abs() < 1.0
                    && (page.height - paper.height_pt).abs() < 1.0,
                "{name}: page {} is {}×{} pt, not {}",
                i + 1,
                page.width,
                page.height,
                paper.name
            );
            let right = page.width - MARGIN_PT + TOLERANCE_PT;
            let bottom = page.height - MARGIN_PT + TOLERANCE_PT;
            let outside: Vec<String> = page
                .words
                .iter()
                .filter(|w| w.x_min < left || w.y_min < top || w.x_max > right || w.y_max > bottom)
                .map(|w| {
                    format!(
                        "{:?} at x {:.1}–{:.1}, y {:.1}–{:.1}",
                        w.text, w.x_min, w.x_max, w.y_min, w.y_max
                    )
                })
                .collect();
            assert!(
                outside.is_empty(),
                "{name}: page {} has words outside the printable area \
                 (x {left:.1}–{right:.1}, y {top:.1}–{bottom:.1}): {outside:?}",
                i + 1
            );
        }

        // KPI names get the room in the tables they lead (the KPIs, the
        // gaps, the remedies): the example's, up to 35 letters, take at
        // most two lines, never four while a figure column sits half empty.
        if plan == EXAMPLE {
            let names: Vec<String> = plan_names(plan);
            let mut seen = 0;
            for lines in first_column_blocks(&pdf) {
                // A line that ends in a hyphen joins the next without a space.
                let joined = lines.join(" ").replace("- ", "-");
                if names.contains(&joined) {
                    seen += 1;
                    assert!(
                        lines.len() <= 2,
                        "{name}: the KPI name {joined:?} takes {} lines: {lines:?}",
                        lines.len()
                    );
                }
            }
            assert!(
                seen >= 16,
                "{name}: KPI names found in first columns: {seen}"
            );
        }

        // Nothing is drawn in the margins: borders and charts stay inside.
        let band = (MARGIN_PT - TOLERANCE_PT - 1.0).floor() as usize;
        for (i, (w, h, data)) in pixels(&pdf).iter().enumerate() {
            // The page was read: something is drawn inside it.
            assert!(
                data.iter().any(|p| *p < 128),
                "{name}: page {} is blank",
                i + 1
            );
            let inked: Vec<(usize, usize)> = (0..*h)
                .flat_map(|y| (0..*w).map(move |x| (x, y)))
                .filter(|&(x, y)| x < band || y < band || x >= w - band || y >= h - band)
                .filter(|&(x, y)| data[y * w + x] < 235)
                .take(5)
                .collect();
            assert!(
                inked.is_empty(),
                "{name}: page {} has ink in the margins at (x, y) {inked:?}",
                i + 1
            );
        }

        // Chromium shrinks a page whose content is too wide; it must not.
        let (word, alone) = subtitle_word(&chromium, dir.path(), &html, lang, paper);
        let printed = pages[0]
            .words
            .iter()
            .find(|w| w.text == word)
            .unwrap_or_else(|| panic!("{name}: {word} on page 1"));
        let ratio = (printed.x_max - printed.x_min) / alone;
        assert!(
            (ratio - 1.0).abs() < 0.02,
            "{name}: printed at {:.0} % of its size: something is too wide for the page",
            ratio * 100.0
        );
    }
}

#[test]
fn the_printed_plan_fits_a4() {
    check_paper(A4);
}

#[test]
fn the_printed_plan_fits_letter() {
    check_paper(LETTER);
}
