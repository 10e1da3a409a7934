//! Three-way merge of plans: the plan as last read or written (*base*), the
//! plan being edited (*mine*) and the plan in the file now (*theirs*, changed
//! by another program: `rumbo actuals add`, an editor, `git pull`).
//!
//! Pure: no files. The merge works element by element on the plan's value
//! tree: tables key by key; lists of tables matched by their identity (`id`,
//! else `name`, `kpi`, `date` or `team`, the same key in every element and
//! unique), so a KPI, an actual (by its date) or a channel added, removed or
//! changed on one side is kept, removed or changed in the result; lists of
//! text as sets. A value changed on one side only takes that side's value;
//! changed to the same value on both is fine; changed differently on both
//! (or changed on one side and removed on the other) is a [`Conflict`], and
//! the result then holds *mine* there.

use serde_json::{Map, Value};

use crate::plan::Plan;

/// A value both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Where: `kpis[mrr].name`, `kpis[mrr].actuals[2026-11-30].value`.
    pub path: String,
    /// This session's value; `None` when it removed it.
    pub mine: Option<Value>,
    /// The file's value; `None` when it was removed there.
    pub theirs: Option<Value>,
}

/// The outcome of a merge.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged plan (holding *mine* where there are conflicts).
    pub plan: Plan,
    /// The values both sides changed differently.
    pub conflicts: Vec<Conflict>,
    /// Where changes made outside were taken in (added, removed or changed
    /// elements and values), in the plan's order.
    pub taken: Vec<String>,
}

/// Merges `mine` and `theirs`, both descended from `base`. Fails only when a
/// plan cannot be represented as a value tree (a non-finite number).
pub fn merge(base: &Plan, mine: &Plan, theirs: &Plan) -> Result<Merged, String> {
    let to = |p: &Plan| serde_json::to_value(p).map_err(|e| e.to_string());
    let (b, m, t) = (to(base)?, to(mine)?, to(theirs)?);
    let mut ctx = Ctx::default();
    let merged = ctx.merge("", Some(&b), Some(&m), Some(&t));
    let merged = merged.unwrap_or(Value::Object(Map::new()));
    let plan: Plan = serde_json::from_value(merged).map_err(|e| e.to_string())?;
    Ok(Merged {
        plan,
        conflicts: ctx.conflicts,
        taken: ctx.taken,
    })
}

/// A value as a person reads it in a message: text as it is, numbers and
/// dates plainly, lists and tables compactly; `None` for a removed value.
pub fn show(value: Option<&Value>) -> Option<String> {
    let v = value?;
    Some(match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

#[derive(Default)]
struct Ctx {
    conflicts: Vec<Conflict>,
    taken: Vec<String>,
}

/// The keys that identify an element of a list of tables, in order of
/// preference.
const IDENTITIES: &[&str] = &["id", "name", "kpi", "date", "team"];

impl Ctx {
    /// Merges one value; `None` means absent (removed, or never there).
    fn merge(
        &mut self,
        path: &str,
        b: Option<&Value>,
        m: Option<&Value>,
        t: Option<&Value>,
    ) -> Option<Value> {
        if m == b {
            if t != b {
                self.changes(path, b, t);
            }
            return t.cloned();
        }
        if t == b || m == t {
            return m.cloned();
        }
        // Both changed, differently: look inside when both are tables or
        // lists (and the base, if any, is of the same kind).
        match (b, m, t) {
            (None | Some(Value::Object(_)), Some(Value::Object(mo)), Some(Value::Object(to))) => {
                let empty = Map::new();
                let bo = b.and_then(Value::as_object).unwrap_or(&empty);
                return Some(Value::Object(self.merge_objects(path, bo, mo, to)));
            }
            (None | Some(Value::Array(_)), Some(Value::Array(ma)), Some(Value::Array(ta))) => {
                let empty = Vec::new();
                let ba = b.and_then(Value::as_array).unwrap_or(&empty);
                if let Some(merged) = self.merge_arrays(path, ba, ma, ta) {
                    return Some(Value::Array(merged));
                }
            }
            _ => {}
        }
        self.conflicts.push(Conflict {
            path: path.to_string(),
            mine: m.cloned(),
            theirs: t.cloned(),
        });
        m.cloned()
    }

    /// Notes where `t` differs from `b`: each changed value, and each
    /// element added to or removed from a list.
    fn changes(&mut self, path: &str, b: Option<&Value>, t: Option<&Value>) {
        match (b, t) {
            (Some(Value::Object(bo)), Some(Value::Object(to))) => {
                let mut keys: Vec<&String> = to.keys().collect();
                keys.extend(bo.keys().filter(|k| !to.contains_key(*k)));
                for k in keys {
                    if bo.get(k) != to.get(k) {
                        let sub = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        self.changes(&sub, bo.get(k), to.get(k));
                    }
                }
            }
            (Some(Value::Array(_)) | None, Some(Value::Array(_)) | None)
                if b.is_some() || t.is_some() =>
            {
                // An empty list is left out of the file: absent is empty.
                let empty = Vec::new();
                let ba = b.and_then(Value::as_array).unwrap_or(&empty);
                let ta = t.and_then(Value::as_array).unwrap_or(&empty);
                let before = self.conflicts.len();
                // A merge of `b` with itself and `t` records just the changes.
                if self.merge_arrays(path, ba, ba, ta).is_none() {
                    self.taken.push(path.to_string());
                }
                self.conflicts.truncate(before);
            }
            _ => self.taken.push(path.to_string()),
        }
    }

    fn merge_objects(
        &mut self,
        path: &str,
        b: &Map<String, Value>,
        m: &Map<String, Value>,
        t: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut keys: Vec<&String> = m.keys().collect();
        for k in t.keys().chain(b.keys()) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut out = Map::new();
        for k in keys {
            let sub = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if let Some(v) = self.merge(&sub, b.get(k), m.get(k), t.get(k)) {
                out.insert(k.clone(), v);
            }
        }
        out
    }

    /// Lists of tables with an identity, or lists of distinct texts; `None`
    /// for any other list (merged as one value).
    fn merge_arrays(
        &mut self,
        path: &str,
        b: &[Value],
        m: &[Value],
        t: &[Value],
    ) -> Option<Vec<Value>> {
        let all = || b.iter().chain(m).chain(t);
        if all().all(Value::is_string) {
            let ids = |list: &[Value]| -> Option<Vec<String>> {
                unique(list.iter().map(|v| v.as_str().map(str::to_string)))
            };
            let (bi, mi, ti) = (ids(b)?, ids(m)?, ids(t)?);
            let keep: Vec<String> = union_order(&bi, &mi, &ti)
                .into_iter()
                .filter(|id| {
                    let (inb, inm, int) = (bi.contains(id), mi.contains(id), ti.contains(id));
                    let kept = if inb { inm && int } else { inm || int };
                    if inb && inm && !int || !inb && int && !inm {
                        self.taken.push(format!("{path}[{id}]"));
                    }
                    kept
                })
                .collect();
            return Some(keep.into_iter().map(Value::String).collect());
        }
        if !all().all(Value::is_object) {
            return None;
        }
        let key = IDENTITIES
            .iter()
            .find(|k| all().all(|v| v.get(**k).is_some_and(|x| x.is_string() || x.is_u64())))?;
        let id_of = |v: &Value| -> Option<String> {
            match v.get(*key)? {
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            }
        };
        let ids = |list: &[Value]| unique(list.iter().map(id_of));
        let (bi, mi, ti) = (ids(b)?, ids(m)?, ids(t)?);
        let find = |list: &'_ [Value], ids: &[String], id: &str| -> Option<Value> {
            ids.iter().position(|x| x == id).map(|i| list[i].clone())
        };
        let mut out = Vec::new();
        for id in union_order(&bi, &mi, &ti) {
            let (bv, mv, tv) = (find(b, &bi, &id), find(m, &mi, &id), find(t, &ti, &id));
            let sub = format!("{path}[{id}]");
            if let Some(v) = self.merge(&sub, bv.as_ref(), mv.as_ref(), tv.as_ref()) {
                out.push(v);
            }
        }
        Some(out)
    }
}

/// The identities of a list, if every element has one and none repeats.
fn unique(ids: impl Iterator<Item = Option<String>>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        let id = id?;
        if !seen.insert(id.clone()) {
            return None;
        }
        out.push(id);
    }
    Some(out)
}

/// Every identity of the three lists, in the order of the result: mine's
/// when only mine reordered the elements both had, else theirs'; then the
/// other side's new elements, each before the element it preceded there.
fn union_order(b: &[String], m: &[String], t: &[String]) -> Vec<String> {
    let reordered = |x: &[String]| {
        let kept_x: Vec<&String> = x.iter().filter(|id| b.contains(id)).collect();
        let kept_b: Vec<&String> = b.iter().filter(|id| x.contains(id)).collect();
        kept_x != kept_b
    };
    let (first, second) = if reordered(m) && !reordered(t) {
        (m, t)
    } else {
        (t, m)
    };
    let mut out: Vec<String> = first.to_vec();
    for (i, id) in second.iter().enumerate() {
        if out.contains(id) {
            continue;
        }
        // Before the element it preceded there, or at the end.
        let at = second[i + 1..]
            .iter()
            .find_map(|next| out.iter().position(|x| x == next))
            .unwrap_or(out.len());
        out.insert(at, id.clone());
    }
    // Elements only the base had (removed on both sides) come last: the
    // merge drops them, or reports a conflict.
    for id in b {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Actual, Date, Kpi};

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn kpi(id: &str, name: &str) -> Kpi {
        let mut k = crate::metrics::test_support::kpi(id, 1.0, "2026-01-01", 10.0, "2026-12-31");
        k.name = name.into();
        k
    }

    fn base() -> Plan {
        let mut p = Plan::new("Base", Some(date("2026-01-01")));
        p.kpis = vec![kpi("mrr", "MRR"), kpi("mqls", "MQLs")];
        p.research.competitors = Vec::new();
        p.situation.strengths = vec!["fast".into(), "cheap".into()];
        p
    }

    fn actual(d: &str, v: f64) -> Actual {
        Actual {
            date: date(d),
            value: v,
        }
    }

    #[test]
    fn changes_to_different_elements_are_both_kept() {
        let b = base();
        let mut mine = b.clone();
        mine.plan.company = "Mine Co".into();
        mine.kpis[1].name = "Marketing leads".into();
        mine.kpis.push(kpi("cac", "CAC"));
        let mut theirs = b.clone();
        theirs.kpis[0].actuals.push(actual("2026-11-30", 4242.0));
        theirs.situation.strengths.push("loved".into());
        let r = merge(&b, &mine, &theirs).unwrap();
        assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
        assert_eq!(r.plan.plan.company, "Mine Co");
        assert_eq!(r.plan.kpis[0].actuals, vec![actual("2026-11-30", 4242.0)]);
        assert_eq!(r.plan.kpis[1].name, "Marketing leads");
        assert_eq!(r.plan.kpis[2].id, "cac");
        assert_eq!(r.plan.situation.strengths, ["fast", "cheap", "loved"]);
        assert_eq!(
            r.taken,
            vec![
                "kpis[mrr].actuals[2026-11-30]",
                "situation.strengths[loved]"
            ]
        );
    }

    #[test]
    fn actuals_added_on_both_sides_are_merged_by_date() {
        let mut b = base();
        b.kpis[0].actuals = vec![actual("2026-10-31", 1.0)];
        let mut mine = b.clone();
        mine.kpis[0].actuals.push(actual("2026-12-31", 3.0));
        let mut theirs = b.clone();
        theirs.kpis[0].actuals.push(actual("2026-11-30", 2.0));
        let r = merge(&b, &mine, &theirs).unwrap();
        assert!(r.conflicts.is_empty());
        let dates: Vec<String> = r.plan.kpis[0]
            .actuals
            .iter()
            .map(|a| a.date.to_string())
            .collect();
        assert_eq!(dates, ["2026-10-31", "2026-11-30", "2026-12-31"]);
        assert_eq!(r.taken, vec!["kpis[mrr].actuals[2026-11-30]"]);
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_with_both_values() {
        let b = base();
        let mut mine = b.clone();
        mine.kpis[0].name = "Mine".into();
        let mut theirs = b.clone();
        theirs.kpis[0].name = "Theirs".into();
        theirs.plan.company = "Their Co".into();
        let r = merge(&b, &mine, &theirs).unwrap();
        assert_eq!(
            r.conflicts,
            vec![Conflict {
                path: "kpis[mrr].name".into(),
                mine: Some(Value::String("Mine".into())),
                theirs: Some(Value::String("Theirs".into())),
            }]
        );
        assert_eq!(r.plan.kpis[0].name, "Mine", "mine where they conflict");
        assert_eq!(r.plan.plan.company, "Their Co", "theirs elsewhere");
        // The same change on both sides is no conflict.
        let r = merge(&b, &mine, &mine).unwrap();
        assert!(r.conflicts.is_empty());
        assert!(r.taken.is_empty());
    }

    #[test]
    fn removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
        let b = base();
        let mut mine = b.clone();
        mine.kpis.remove(0);
        let mut theirs = b.clone();
        theirs.kpis[0].name = "Renamed".into();
        let r = merge(&b, &mine, &theirs).unwrap();
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].path, "kpis[mrr]");
        assert!(r.conflicts[0].mine.is_none());
        // Removed on one side, untouched on the other: removed.
        let r = merge(&b, &mine, &b).unwrap();
        assert!(r.conflicts.is_empty());
        assert_eq!(r.plan.kpis.len(), 1);
        let r = merge(&b, &b, &mine).unwrap();
        assert_eq!(r.plan.kpis.len(), 1);
        assert_eq!(r.taken, vec!["kpis[mrr]"]);
    }

    #[test]
    fn a_reorder_on_one_side_is_kept_with_the_other_sides_additions() {
        let b = base();
        let mut mine = b.clone();
        mine.kpis.reverse();
        let mut theirs = b.clone();
        theirs.kpis.push(kpi("cac", "CAC"));
        let r = merge(&b, &mine, &theirs).unwrap();
        let ids: Vec<&str> = r.plan.kpis.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["mqls", "mrr", "cac"]);
    }

    #[test]
    fn lists_without_identities_are_one_value() {
        let mut b = base();
        b.kpis[0].id = "same".into();
        b.kpis[1].id = "same".into();
        let mut mine = b.clone();
        mine.kpis[0].name = "A".into();
        let mut theirs = b.clone();
        theirs.kpis[1].name = "B".into();
        let r = merge(&b, &mine, &theirs).unwrap();
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].path, "kpis");
    }

    #[test]
    fn values_are_shown_plainly() {
        assert_eq!(show(Some(&Value::String("x".into()))).unwrap(), "x");
        assert_eq!(show(Some(&serde_json::json!(2.5))).unwrap(), "2.5");
        assert_eq!(show(None), None);
    }
}
