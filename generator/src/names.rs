//! Rust names from wire names: valid identifiers, keywords escaped, collisions settled.
//!
//! Conversions use heck. Characters heck would drop silently but that carry meaning (`+`, a
//! `-` that is a minus sign, non-ASCII letters) become words first, so `+1` and `-1` or
//! `Etc/GMT+1` and `Etc/GMT-1` stay distinct. Whatever still collides gets a numeric suffix
//! in order of first use, which is deterministic because the lowering walks the document in
//! order.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Words that cannot be identifiers even as raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Turns characters that carry meaning into words and everything else unusual into
/// separators, so heck sees only ASCII words.
///
/// Two spellings heck would split are joined first: the plural of an acronym (`CAs`, `IPs`,
/// `URLs` give `cas`, `ips`, `urls`, not `c_as`) and a possessive (`user's invites` gives
/// `user_invites`, not `user_s_invites`).
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut prev: Option<char> = None;
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        let word_ends_after_next = !after.is_some_and(|a| a.is_ascii_lowercase());
        i += 1;
        match c {
            // `CAs`: an uppercase run of two or more, then a final `s`.
            'A'..='Z'
                if next == Some('s')
                    && word_ends_after_next
                    && prev.is_some_and(|p| p.is_ascii_uppercase()) =>
            {
                out.push(c);
                out.push('S');
                i += 1;
                prev = Some('s');
                continue;
            }
            // `user's`: the possessive goes.
            '\'' | '\u{2019}' if next == Some('s') && word_ends_after_next => {
                i += 1;
                prev = Some('s');
                continue;
            }
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '+' => out.push_str(" Plus "),
            // A minus sign: at the start or after a letter, right before a digit (`-1`,
            // `GMT-1`). Between digits (`2020-01`) it is a separator.
            '-' if next.is_some_and(|n| n.is_ascii_digit())
                && prev.is_none_or(|p| !p.is_ascii_digit()) =>
            {
                out.push_str(" Minus ")
            }
            c if !c.is_ascii() && c.is_alphanumeric() => {
                out.push_str(&format!(" U{:04x} ", c as u32));
            }
            _ => out.push(' '),
        }
        prev = Some(c);
    }
    out
}

/// A type or variant name: `UpperCamelCase`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    // `Self` is a keyword even as a raw identifier. `SelfType` rather than `Self_`, since
    // type names are also joined into longer ones (`Self_Request` fails the camel-case lint).
    if name == "Self" {
        name.push_str("Type");
    }
    name
}

/// A field, method, argument or module name: `snake_case`, keywords escaped as raw
/// identifiers (`r#type`), never empty, never starting with a digit.
pub fn value_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name.push_str("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// A constant name: `SHOUTY_SNAKE_CASE`, never empty, never starting with a digit.
pub fn const_name(raw: &str) -> String {
    // Constants are named from prose (a server's description), where words are separated by
    // spaces and a brand's inner capitals (`PostHog`) do not start new words.
    let snake = words(&raw.to_lowercase())
        .to_snake_case()
        .to_ascii_uppercase();
    match snake.chars().next() {
        None => "VALUE".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{snake}"),
        Some(_) => snake,
    }
}

/// `type` -> `r#type`; words that cannot be raw identifiers get a trailing underscore.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A name without its raw-identifier prefix, for building longer names from it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Hands out unique names within one namespace.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `wanted`, or `wanted2`, `wanted3`, ... if it is taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        // `Self_` (a keyword made safe) continues as `Self2`, not `Self_2`, which the
        // camel-case lint rejects.
        let base = unraw(wanted);
        let trimmed = base.trim_end_matches('_');
        let base = if trimmed.is_empty() { base } else { trimmed };
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Whether a name is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_plurals_and_possessives_stay_one_word() {
        assert_eq!(value_name("CAs"), "cas");
        assert_eq!(value_name("IPs"), "ips");
        assert_eq!(value_name("listURLs"), "list_urls");
        assert_eq!(value_name("APIsList"), "apis_list");
        assert_eq!(value_name("user's invites"), "user_invites");
        assert_eq!(value_name("user’s invites"), "user_invites");
        assert_eq!(type_name("IPs"), "Ips");
        // Not plurals: a lowercase word, or a capital starting the next word.
        assert_eq!(value_name("ThisIsIt"), "this_is_it");
        assert_eq!(value_name("getIPSettings"), "get_ip_settings");
        assert_eq!(value_name("it's"), "it");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("user_basic"), "UserBasic");
        assert_eq!(type_name("PatchedUser"), "PatchedUser");
        assert_eq!(type_name("1password"), "V1password");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("Etc/GMT+1"), "EtcGmtPlus1");
        assert_eq!(type_name("Etc/GMT-1"), "EtcGmtMinus1");
        assert_eq!(type_name("2020-01-01"), "V20200101");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("café"), "CafU00e9");
        assert_eq!(type_name("$ref"), "Ref");
    }

    #[test]
    fn value_names() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("hideExtraDetails"), "hide_extra_details");
        assert_eq!(value_name("@id"), "id");
        assert_eq!(value_name("2fa"), "_2fa");
        assert_eq!(value_name("x-rate.limit"), "x_rate_limit");
        assert_eq!(value_name("$"), "value");
    }

    #[test]
    fn namespace_settles_collisions_in_order() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Foo"), "Foo");
        assert_eq!(ns.claim("Foo"), "Foo2");
        assert_eq!(ns.claim("Foo"), "Foo3");
        assert_eq!(ns.claim("r#type"), "r#type");
        assert_eq!(ns.claim("r#type"), "type2");
    }
}
