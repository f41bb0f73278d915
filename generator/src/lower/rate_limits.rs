//! The API's documented rate limits: `x-rate-limits` on the document, and each operation's
//! class from `x-rate-limit-class`.
//!
//! ```yaml
//! x-rate-limits:
//!   default:                  # the class of operations that name none
//!     description: CRUD endpoints.
//!     limits:
//!       - { requests: 480, per: minute }
//!       - { requests: 4800, per: hour }
//!   analytics:
//!     limits: [{ requests: 240, per: minute }, { requests: 1200, per: hour }]
//! paths:
//!   /api/query/:
//!     post:
//!       x-rate-limit-class: analytics
//! ```
//!
//! The generated client paces requests by these budgets when the user turns pacing on.

use crate::error::{child, Error};
use crate::ir::{RateClass, RateQuota};
use serde_json::Value;

/// The class every operation without `x-rate-limit-class` belongs to.
pub const DEFAULT_CLASS: &str = "default";

/// Reads `x-rate-limits` (absent: no classes).
pub fn classes(extensions: &indexmap::IndexMap<String, Value>) -> Result<Vec<RateClass>, Error> {
    let at = "#/x-rate-limits";
    let Some(value) = extensions.get("x-rate-limits") else {
        return Ok(Vec::new());
    };
    let Value::Object(map) = value else {
        return Err(Error::new(
            at,
            "`x-rate-limits` must map class names to their limits",
        ));
    };
    let mut out = Vec::new();
    for (name, class) in map {
        let class_at = child(at, name);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            return Err(Error::new(
                class_at,
                "a rate class name is letters, digits, `_`, `-` and `.`",
            ));
        }
        let Some(limits) = class.get("limits").and_then(Value::as_array) else {
            return Err(Error::new(
                class_at,
                "a rate class needs `limits`, a list of `{requests, per}`",
            ));
        };
        let mut quotas = Vec::new();
        for (i, limit) in limits.iter().enumerate() {
            quotas.push(quota(
                limit,
                &child(&child(&class_at, "limits"), &i.to_string()),
            )?);
        }
        if quotas.is_empty() {
            return Err(Error::new(
                child(&class_at, "limits"),
                "a rate class needs at least one limit",
            ));
        }
        let description = match class.get("description") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(Error::new(
                    child(&class_at, "description"),
                    "must be a string",
                ))
            }
        };
        out.push(RateClass {
            name: name.clone(),
            description,
            quotas,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn quota(limit: &Value, at: &str) -> Result<RateQuota, Error> {
    let requests = limit
        .get("requests")
        .and_then(Value::as_u64)
        .filter(|n| (1..=u64::from(u32::MAX)).contains(n))
        .ok_or_else(|| {
            Error::new(
                child(at, "requests"),
                "`requests` must be a whole number from 1",
            )
        })?;
    let per_seconds = match limit.get("per") {
        Some(Value::String(unit)) => match unit.as_str() {
            "second" => 1,
            "minute" => 60,
            "hour" => 3600,
            "day" => 86_400,
            _ => {
                return Err(Error::new(
                    child(at, "per"),
                    format!(
                        "`{unit}` is not one of second, minute, hour, day (or a number of seconds)"
                    ),
                ))
            }
        },
        Some(Value::Number(n)) => n.as_u64().filter(|n| *n > 0).ok_or_else(|| {
            Error::new(child(at, "per"), "a window is a positive number of seconds")
        })?,
        _ => {
            return Err(Error::new(
                child(at, "per"),
                "`per` is second, minute, hour, day or a number of seconds",
            ))
        }
    };
    Ok(RateQuota {
        requests: requests as u32,
        per_seconds,
    })
}

/// An operation's class: its `x-rate-limit-class`, else the default class when the document
/// has one, else none.
pub fn operation_class(
    classes: &[RateClass],
    extensions: &indexmap::IndexMap<String, Value>,
    op_ptr: &str,
) -> Result<Option<String>, Error> {
    match extensions.get("x-rate-limit-class") {
        None => Ok(classes
            .iter()
            .any(|c| c.name == DEFAULT_CLASS)
            .then(|| DEFAULT_CLASS.to_owned())),
        Some(Value::String(name)) if classes.iter().any(|c| &c.name == name) => {
            Ok(Some(name.clone()))
        }
        Some(other) => Err(Error::new(
            child(op_ptr, "x-rate-limit-class"),
            format!(
                "{other} is not a class of `x-rate-limits` ({})",
                if classes.is_empty() {
                    "the document defines none".to_owned()
                } else {
                    classes
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        )),
    }
}

/// `480 requests a minute`, for docs.
pub fn describe(quota: &RateQuota) -> String {
    let per = match quota.per_seconds {
        1 => "a second".to_owned(),
        60 => "a minute".to_owned(),
        3600 => "an hour".to_owned(),
        86_400 => "a day".to_owned(),
        n => format!("every {n} s"),
    };
    format!("{} requests {per}", quota.requests)
}

/// The crate docs' section on rate limits.
pub fn crate_doc(classes: &[RateClass]) -> String {
    let mut out = String::from(
        "# Rate limits\n\n\
         The API documents these budgets. A client built with\n\
         `.rate_limits(RateLimits::documented::<Client>())` (see [`ClientBuilder::rate_limits`]) waits for\n\
         budget instead of being refused; its clones share the budget.\n",
    );
    for class in classes {
        let quotas: Vec<String> = class.quotas.iter().map(describe).collect();
        let what = match (&class.description, class.name == DEFAULT_CLASS) {
            (Some(d), _) => format!(
                " {}.",
                capitalized(crate::docs::sanitize(d).trim_end_matches('.'))
            ),
            (None, true) => " Operations that name no other class.".to_owned(),
            (None, false) => String::new(),
        };
        out.push_str(&format!(
            "\n- `{}`: {}.{what}",
            class.name,
            quotas.join(" and ")
        ));
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(yaml: &str) -> indexmap::IndexMap<String, Value> {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn classes_and_errors() {
        let classes = classes(&ext(
            "x-rate-limits: {default: {limits: [{requests: 480, per: minute}, {requests: 10, per: 5}]}, q: {limits: [{requests: 1, per: day}]}}",
        ))
        .unwrap();
        assert_eq!(classes.len(), 2);
        assert_eq!(
            classes[0].quotas[1],
            RateQuota {
                requests: 10,
                per_seconds: 5
            }
        );
        assert_eq!(describe(&classes[0].quotas[0]), "480 requests a minute");
        assert_eq!(
            operation_class(&classes, &ext("{}"), "#/paths/~1a/get")
                .unwrap()
                .as_deref(),
            Some("default")
        );
        let error = operation_class(
            &classes,
            &ext("x-rate-limit-class: nope"),
            "#/paths/~1a/get",
        )
        .unwrap_err();
        assert_eq!(error.pointer, "#/paths/~1a/get/x-rate-limit-class");
        for (bad, pointer) in [
            ("x-rate-limits: [1]", "#/x-rate-limits"),
            ("x-rate-limits: {a: {}}", "#/x-rate-limits/a"),
            (
                "x-rate-limits: {a: {limits: []}}",
                "#/x-rate-limits/a/limits",
            ),
            (
                "x-rate-limits: {a: {limits: [{requests: 0, per: hour}]}}",
                "#/x-rate-limits/a/limits/0/requests",
            ),
            (
                "x-rate-limits: {a: {limits: [{requests: 1, per: fortnight}]}}",
                "#/x-rate-limits/a/limits/0/per",
            ),
            (
                "x-rate-limits: {'a b': {limits: [{requests: 1, per: hour}]}}",
                "#/x-rate-limits/a b",
            ),
        ] {
            assert_eq!(
                super::classes(&ext(bad)).unwrap_err().pointer,
                pointer,
                "{bad}"
            );
        }
    }
}
