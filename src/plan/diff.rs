//! Where two versions of a plan differ, as paths (`kpis[2].actuals`), for
//! telling a person what a recovery or a reload would change.

use serde_json::Value;

use super::Plan;

/// The paths at which `a` and `b` differ, outermost first, at most `limit`.
pub fn differences(a: &Plan, b: &Plan, limit: usize) -> Vec<String> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(a), serde_json::to_value(b)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk("", &a, &b, limit, &mut out);
    out
}

fn walk(path: &str, a: &Value, b: &Value, limit: usize, out: &mut Vec<String>) {
    if out.len() >= limit || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(
                    &sub,
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    limit,
                    out,
                );
            }
        }
        // Lists of tables: by position when both have the same length,
        // else the whole list is one difference.
        (Value::Array(x), Value::Array(y))
            if x.len() == y.len() && x.iter().all(Value::is_object) =>
        {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                walk(&format!("{path}[{i}]"), p, q, limit, out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_changed_values() {
        let a = Plan::new("A", None);
        let mut b = a.clone();
        b.plan.company = "Acme".into();
        b.research.industry_trends = "x".into();
        assert_eq!(
            differences(&a, &b, 10),
            vec![
                "plan.company".to_string(),
                "research.industry_trends".to_string()
            ]
        );
        assert!(differences(&a, &a, 10).is_empty());
    }
}
