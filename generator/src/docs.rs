//! Turning OpenAPI descriptions (CommonMark written for web pages) into rustdoc that never
//! warns and never runs as a doctest.
//!
//! rustdoc treats a Markdown document a little differently from a web page:
//! - fenced and indented code blocks are compiled as doctests, so fences become ```` ```text ````
//!   and indentation is trimmed;
//! - `[word]` is an intra-doc link, broken unless it resolves, so brackets are escaped unless they
//!   form a `[text](url)` link;
//! - `<word>` is an HTML tag, reported when unclosed, so angle brackets become entities;
//! - a bare URL is reported, so it is wrapped as `<https://...>`.
//!
//! Code spans (`` `...` ``) are left alone.

/// Makes a description safe for rustdoc. Returns an empty string for blank input.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence: Option<String> = None;
    let text = decode_html(text);
    for raw_line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw_line.trim_end();
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            if trimmed.starts_with(fence.as_str()) {
                out.push(fence.clone());
                in_fence = None;
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if let Some(fence) = fence_marker(trimmed) {
            out.push(format!("{fence}text"));
            in_fence = Some(fence);
            continue;
        }
        // Four spaces or a tab would start an indented code block (a doctest); list
        // continuations only need up to three.
        let indent = line.len() - trimmed.len();
        let kept = " ".repeat(indent.min(3));
        out.push(format!("{kept}{}", escape_inline(trimmed)));
    }
    if let Some(fence) = in_fence {
        out.push(fence);
    }
    // Drop leading and trailing blank lines; keep inner paragraph breaks.
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let start = out
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(out.len());
    out[start..].join("\n")
}

/// The fence a line opens (three or more backticks or tildes), if it opens one.
fn fence_marker(trimmed: &str) -> Option<String> {
    for ch in ['`', '~'] {
        let count = trimmed.chars().take_while(|&c| c == ch).count();
        if count >= 3 {
            return Some(ch.to_string().repeat(count));
        }
    }
    None
}

/// Escapes one line outside code spans.
/// Descriptions written for HTML: `<br>` (spelled as a tag or as entities) is a line break,
/// and entities are the characters they stand for (which rustdoc's Markdown then escapes as
/// needed), so `&lt;id&gt;` reads `<id>`, not `&lt;id&gt;`.
fn decode_html(text: &str) -> String {
    let mut out = text.to_owned();
    for br in [
        "<br>",
        "<br/>",
        "<br />",
        "&lt;br&gt;",
        "&lt;br/&gt;",
        "&lt;br /&gt;",
    ] {
        for spelling in [br.to_owned(), br.to_ascii_uppercase()] {
            out = out.replace(&spelling, "\n");
        }
    }
    if !out.contains('&') {
        return out;
    }
    let mut decoded = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        let tail = &rest[at..];
        let entity = tail
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &tail[..=end]);
        let character = entity.and_then(|e| match e {
            "&lt;" => Some('<'),
            "&gt;" => Some('>'),
            "&amp;" => Some('&'),
            "&quot;" => Some('"'),
            "&apos;" | "&#39;" | "&#x27;" => Some('\''),
            "&nbsp;" => Some(' '),
            _ => {
                let number = e.strip_prefix("&#")?.strip_suffix(';')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, character) {
            (Some(entity), Some(c)) => {
                decoded.push(c);
                rest = &tail[entity.len()..];
            }
            _ => {
                decoded.push('&');
                rest = &tail[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span through to its matching run of backticks.
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                if let Some(end) = find_closing_ticks(&chars, i + run, run) {
                    out.extend(&chars[i..end + run]);
                    i = end + run;
                } else {
                    // An unmatched backtick would swallow nothing; escape it.
                    for _ in 0..run {
                        out.push_str("\\`");
                    }
                    i += run;
                }
                continue;
            }
            '[' => {
                if let Some((text_end, url_end)) = markdown_link(&chars, i) {
                    let text: String = chars[i + 1..text_end].iter().collect();
                    let url: String = chars[text_end + 2..url_end].iter().collect();
                    out.push('[');
                    out.push_str(&escape_inline(&text));
                    out.push_str("](");
                    out.push_str(&url);
                    out.push(')');
                    i = url_end + 1;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                if let Some(end) = autolink(&chars, i) {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
                out.push_str("&lt;");
            }
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            'h' if starts_url(&chars, i) && (i == 0 || !chars[i - 1].is_alphanumeric()) => {
                let end = url_end(&chars, i);
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
                continue;
            }
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                // Already an escape: keep both characters.
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn find_closing_ticks(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let here = chars[j..].iter().take_while(|&&c| c == '`').count();
            if here == run {
                return Some(j);
            }
            j += here;
        } else {
            j += 1;
        }
    }
    None
}

/// `[text](url)` starting at `i`: the index of `]` and of `)`.
fn markdown_link(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let close = (i + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    let url: String = chars[close + 2..end].iter().collect();
    let is_url = url.starts_with("http://") || url.starts_with("https://") || url.starts_with('#');
    (is_url && !url.contains(char::is_whitespace)).then_some((close, end))
}

/// `<https://...>` starting at `i`: the index of `>`.
fn autolink(chars: &[char], i: usize) -> Option<usize> {
    if !starts_url(chars, i + 1) {
        return None;
    }
    let end = (i + 1..chars.len()).find(|&j| chars[j] == '>' || chars[j].is_whitespace())?;
    (chars[end] == '>').then_some(end)
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

/// The end of a bare URL: up to whitespace or a character that cannot end it.
fn url_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len()
        && !chars[end].is_whitespace()
        && !matches!(chars[end], '<' | '>' | '"' | '`')
    {
        end += 1;
    }
    // Trailing punctuation belongs to the sentence, not the URL.
    while end > start
        && matches!(
            chars[end - 1],
            '.' | ',' | ';' | ':' | ')' | '\'' | '!' | '?'
        )
    {
        end -= 1;
    }
    end
}

/// Joins non-empty paragraphs with a blank line between them.
pub fn paragraphs<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    parts
        .into_iter()
        .filter(|p| !p.as_ref().trim().is_empty())
        .map(|p| p.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Wraps wire text (a name, a value) as an inline code span that rustdoc shows verbatim.
pub fn code(text: &str) -> String {
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_descriptions_read_as_text() {
        assert_eq!(sanitize("One&lt;br&gt;Two"), "One\nTwo");
        assert_eq!(
            sanitize("Use &lt;id&gt; &amp; more &#8212; see"),
            "Use &lt;id&gt; &amp; more \u{2014} see"
        );
        assert_eq!(sanitize("A <BR/> B"), "A\n B");
        assert_eq!(sanitize("AT&T"), "AT&amp;T");
    }

    #[test]
    fn fences_become_text_and_indentation_is_trimmed() {
        let doc = sanitize("Example:\n```json\n{\"a\": 1}\n```\n\n    indented code");
        assert_eq!(
            doc,
            "Example:\n```text\n{\"a\": 1}\n```\n\n   indented code"
        );
    }

    #[test]
    fn brackets_html_and_urls_are_escaped() {
        assert_eq!(
            sanitize("Use [tag] and <key>"),
            "Use \\[tag\\] and &lt;key&gt;"
        );
        assert_eq!(
            sanitize("See https://example.com/a."),
            "See <https://example.com/a>."
        );
        assert_eq!(sanitize("[docs](https://x.io/y)"), "[docs](https://x.io/y)");
        assert_eq!(sanitize("<https://x.io>"), "<https://x.io>");
        assert_eq!(sanitize("a `[x] <y>` b"), "a `[x] <y>` b");
        assert_eq!(sanitize("A & B"), "A &amp; B");
    }

    #[test]
    fn unterminated_fence_is_closed() {
        assert_eq!(sanitize("```\ncode"), "```text\ncode\n```");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code(""), "`\"\"`");
    }
}
