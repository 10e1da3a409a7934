//! Places in a plan said in the wizard's words: the path of a value
//! (`plan.company`, `kpis[2].target`, `kpis[mrr].actuals[2026-11-30].value`,
//! as `plan::diff` and `store::merge` write them) becomes
//! `Company` or `KPIs › Monthly recurring revenue › Actual values › 2026-11-30 › Value`,
//! the labels a person sees in the steps, so the recovery prompt and the
//! conflict popup can say what changed.

use serde_json::Value;

use crate::i18n::{has, t};
use crate::plan::{Date, Plan};

/// One step of a path: a key, or a selector in brackets (an index or an
/// element's identity).
#[derive(Debug, PartialEq)]
enum Seg<'a> {
    Key(&'a str),
    Sel(&'a str),
}

/// Splits `a.b[x.y].c` into keys and selectors (a selector may hold dots).
fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap_or(inner.len());
            out.push(Seg::Sel(&inner[..end]));
            rest = inner.get(end + 1..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix('.') {
            rest = after;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Seg::Key(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// The label of a key: the wizard's field label where there is one
/// (`company` → `Company`), else the key with spaces.
fn key_label(key: &str) -> String {
    let field = format!("f.{key}.label");
    if has(&field) {
        return t(&field).to_string();
    }
    let mut words = key.replace('_', " ");
    if let Some(first) = words.get(..1) {
        let upper = first.to_uppercase();
        words.replace_range(..1, &upper);
    }
    words
}

/// The element a selector names in a list: by position (a number) or by
/// the identity `store::merge` uses (`id`, `name`, `kpi`, `date`, `team`).
fn find<'v>(list: &'v [Value], sel: &str) -> Option<&'v Value> {
    if let Ok(i) = sel.parse::<usize>()
        && let Some(v) = list.get(i)
    {
        return Some(v);
    }
    list.iter().find(|e| {
        ["id", "name", "kpi", "date", "team"]
            .iter()
            .any(|k| match e.get(k) {
                Some(Value::String(s)) => s == sel,
                Some(Value::Number(n)) => n.to_string() == sel,
                _ => false,
            })
    })
}

/// How an element is named on screen: its name or title, else the selector
/// (a date as the language writes it).
fn element_label(element: Option<&Value>, sel: &str) -> String {
    let named = element.and_then(|e| {
        ["name", "title", "question"]
            .iter()
            .find_map(|k| e.get(k).and_then(Value::as_str))
            .filter(|s| !s.trim().is_empty())
    });
    match named {
        Some(name) => name.to_string(),
        None => match sel.parse::<Date>() {
            Ok(d) => crate::i18n::date::format(d),
            Err(_) => sel.to_string(),
        },
    }
}

/// The place `path` names in `plan`, as labels joined by ` › `. Only what
/// the path walks through is looked at (a KPI by its id or position), so it
/// stays cheap on a plan with thousands of KPIs.
pub fn describe(plan: &Plan, path: &str) -> String {
    let segs = segments(path);
    let mut parts: Vec<String> = Vec::new();
    // The value the path is in now; the KPI list is looked up typed, the
    // rest of the plan through its value tree.
    let mut current: Option<Value> = None;
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            // The plan's header fields are labelled on their own.
            Seg::Key("plan") if i == 0 => {
                current = serde_json::to_value(&plan.plan).ok();
            }
            Seg::Key("kpis") if i == 0 => {
                parts.push(key_label("kpis"));
                current = None;
            }
            Seg::Sel(sel) if i == 1 && matches!(segs[0], Seg::Key("kpis")) => {
                let kpi = sel
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| plan.kpis.get(n))
                    .or_else(|| plan.kpi(sel));
                current = kpi.and_then(|k| serde_json::to_value(k).ok());
                parts.push(element_label(current.as_ref(), sel));
            }
            Seg::Key(key) => {
                if i == 0 {
                    current = serde_json::to_value(plan)
                        .ok()
                        .and_then(|v| v.get(*key).cloned());
                } else {
                    current = current.as_ref().and_then(|v| v.get(*key)).cloned();
                }
                parts.push(key_label(key));
            }
            Seg::Sel(sel) => {
                let element = current
                    .as_ref()
                    .and_then(Value::as_array)
                    .and_then(|list| find(list, sel))
                    .cloned();
                parts.push(element_label(element.as_ref(), sel));
                current = element;
            }
        }
    }
    if parts.is_empty() {
        return path.to_string();
    }
    parts.join(" › ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_selectors() {
        assert_eq!(
            segments("kpis[mrr].actuals[2026-11-30].value"),
            [
                Seg::Key("kpis"),
                Seg::Sel("mrr"),
                Seg::Key("actuals"),
                Seg::Sel("2026-11-30"),
                Seg::Key("value"),
            ]
        );
        assert_eq!(
            segments("channels[a.b]"),
            [Seg::Key("channels"), Seg::Sel("a.b")]
        );
    }

    #[test]
    fn paths_are_said_with_the_wizards_labels() {
        crate::i18n::with_lang(crate::i18n::Lang::En, || {
            let plan: Plan =
                crate::store::load::parse(std::path::Path::new("e.toml"), crate::store::EXAMPLE)
                    .expect("the example loads")
                    .plan;
            assert_eq!(describe(&plan, "plan.company"), "Company");
            let kpi = &plan.kpis[0];
            let by_index = describe(&plan, "kpis[0].target");
            assert!(by_index.starts_with(&format!("KPIs › {} › ", kpi.name)));
            let by_id = describe(
                &plan,
                &format!("kpis[{}].actuals[2026-01-31].value", kpi.id),
            );
            assert!(
                by_id.starts_with(&format!("KPIs › {} › Actual values › 2026-01-31", kpi.name))
            );
            assert!(by_id.ends_with("› Value"), "{by_id}");
            // A place that is gone is still said with what the path holds.
            assert_eq!(describe(&plan, "kpis[nope].name"), "KPIs › nope › Name");
        });
    }
}
