//! Version numbers: reading them out of preprocessor output and comparing them.

use std::cmp::Ordering;

/// Prefix of the marker lines in the version probe; line `i` reads
/// `arsenal_version_part_<i> <MACRO_i>` before preprocessing.
pub(crate) const PROBE_MARKER: &str = "arsenal_version_part_";

/// The C (or C++) source that the version probe preprocesses.
pub(crate) fn probe_source(header: &str, macros: &[String]) -> String {
    let mut source = format!("#include <{header}>\n");
    for (i, name) in macros.iter().enumerate() {
        source.push_str(&format!("{PROBE_MARKER}{i} {name}\n"));
    }
    source
}

/// Reads the version out of the preprocessed probe (`cc::Build::try_expand` output).
///
/// Each of the `parts` marker lines must have expanded to a number or a string literal;
/// the parts are joined with `.`, string literals unquoted (adjacent literals concatenated).
/// A value may continue on the lines after its marker: GCC moves the expansion of a macro
/// defined in a system header (`/usr/include/http_parser.h`) to a line of its own, behind a
/// `# 2 "probe.c" 3 4` line marker. Line markers and other `#` lines are skipped, text
/// before the first marker is ignored. A macro that stayed an identifier (the header did
/// not define it) makes the whole result `None`.
pub(crate) fn parse_version_probe(expanded: &str, parts: usize) -> Option<String> {
    if parts == 0 {
        return None;
    }
    let mut values: Vec<Option<String>> = vec![None; parts];
    // The marker being read: its index and the text seen so far.
    let mut current: Option<(usize, String)> = None;
    let mut finish = |current: Option<(usize, String)>| -> Option<()> {
        if let Some((index, text)) = current {
            if let Some(slot) = values.get_mut(index) {
                *slot = Some(parse_part(text.trim())?);
            }
        }
        Some(())
    };
    for line in expanded.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix(PROBE_MARKER) {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let (index, value) = rest.split_at(digits);
            // `arsenal_version_part_1x` is some other identifier, not our marker.
            if value.is_empty() || value.starts_with(char::is_whitespace) {
                if let Ok(index) = index.parse::<usize>() {
                    finish(current.take())?;
                    current = Some((index, value.to_string()));
                    continue;
                }
            }
        }
        if let Some((_, text)) = &mut current {
            text.push(' ');
            text.push_str(line);
        }
    }
    finish(current)?;
    let values: Option<Vec<String>> = values.into_iter().collect();
    Some(values?.join("."))
}

/// One expanded macro: string literal(s) or a single integer, optionally in parentheses.
fn parse_part(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut saw_number = false;
    let mut saw_string = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() || c == '(' || c == ')' => {}
            '"' => {
                if saw_number {
                    return None;
                }
                saw_string = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => out.push(chars.next()?),
                        other => out.push(other),
                    }
                }
            }
            c if c.is_ascii_digit() => {
                if saw_number || saw_string {
                    return None;
                }
                saw_number = true;
                let mut token = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_ascii_alphanumeric() || next == '_' || next == '.' {
                        token.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if token.contains('.') {
                    // An unquoted dotted version, as simdjson 3.0 defines it
                    // (`#define SIMDJSON_VERSION 3.0.1`).
                    let dotted = token
                        .split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                    if !dotted {
                        return None;
                    }
                    out.push_str(&token);
                } else {
                    out.push_str(&parse_integer(&token)?);
                }
            }
            _ => return None,
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// A C integer literal (decimal, hex, octal; `u`/`l` suffixes) as a decimal string.
fn parse_integer(token: &str) -> Option<String> {
    let digits = token.trim_end_matches(['u', 'U', 'l', 'L']);
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse::<u64>().ok()?
    };
    Some(value.to_string())
}

/// The numeric components of a version string: `"3.12.3"` → `[3, 12, 3]`. Each component
/// counts its leading digits only (`"1.2.3-rc1"` → `[1, 2, 3]`); `None` when the first
/// component has no digits.
pub(crate) fn components(version: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    for piece in version.trim().split('.') {
        let digits: String = piece.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<u64>() {
            Ok(n) => out.push(n),
            Err(_) if out.is_empty() => return None,
            Err(_) => break,
        }
    }
    Some(out)
}

/// Compares two versions component by component, missing components counting as 0.
pub(crate) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (components(a)?, components(b)?);
    let len = a.len().max(b.len());
    for i in 0..len {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        match x.cmp(&y) {
            Ordering::Equal => {}
            other => return Some(other),
        }
    }
    Some(Ordering::Equal)
}

/// `version` lies in `[min, max)`; `None` when either side does not parse.
pub(crate) fn in_range(version: &str, min: &str, max_exclusive: &str) -> Option<bool> {
    Some(
        compare(version, min)? != Ordering::Less
            && compare(version, max_exclusive)? == Ordering::Less,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_source_has_one_marker_line_per_macro() {
        let src = probe_source("yyjson.h", &["A".to_string(), "B".to_string()]);
        assert_eq!(
            src,
            "#include <yyjson.h>\narsenal_version_part_0 A\narsenal_version_part_1 B\n"
        );
    }

    #[test]
    fn string_literal_version() {
        let out = "# 1 \"probe.cpp\"\n# 1 \"<built-in>\"\nint x;\n# 3 \"probe.cpp\"\narsenal_version_part_0 \"3.12.3\"\n";
        assert_eq!(parse_version_probe(out, 1).as_deref(), Some("3.12.3"));
    }

    #[test]
    fn numeric_parts_with_line_markers() {
        let out = "# 1 \"probe.c\"\n# 1 \"/x/yyjson.h\" 1\ntypedef int yyjson_bool;\n\n# 2 \"probe.c\" 2\narsenal_version_part_0 0\narsenal_version_part_1 10\n  arsenal_version_part_2   0\n";
        assert_eq!(parse_version_probe(out, 3).as_deref(), Some("0.10.0"));
    }

    #[test]
    fn values_of_system_header_macros_continue_on_the_next_line() {
        // `gcc -E` of a probe whose header is in /usr/include (http_parser.h).
        let out = "# 1 \"/usr/include/http_parser.h\" 1 3 4\ntypedef int http_cb;\n\
                   # 2 \"probe.c\" 2\n\n# 2 \"probe.c\"\narsenal_version_part_0 \n\
                   # 2 \"probe.c\" 3 4\n                      2\n\n# 3 \"probe.c\"\n\
                   arsenal_version_part_1 \n# 3 \"probe.c\" 3 4\n                      9\n\n\
                   # 4 \"probe.c\"\narsenal_version_part_2 \n# 4 \"probe.c\" 3 4\n    4\n";
        assert_eq!(parse_version_probe(out, 3).as_deref(), Some("2.9.4"));
        // A continued value is still one literal: two numbers are not a version part.
        let out = "arsenal_version_part_0\n# 1 \"x.h\" 3\n2\n3\n";
        assert_eq!(parse_version_probe(out, 1), None);
        // An undefined macro stays an identifier on its own line too.
        let out = "arsenal_version_part_0\nHTTP_PARSER_VERSION_MAJOR\n";
        assert_eq!(parse_version_probe(out, 1), None);
    }

    #[test]
    fn parts_may_come_out_of_order_and_in_parentheses_or_hex() {
        let out = "arsenal_version_part_2 (3u)\narsenal_version_part_0 0x1\narsenal_version_part_1 ( 12 )\n";
        assert_eq!(parse_version_probe(out, 3).as_deref(), Some("1.12.3"));
    }

    #[test]
    fn unquoted_dotted_version() {
        let out = "# 1 \"probe.c\"\narsenal_version_part_0 3.0.1\n";
        assert_eq!(parse_version_probe(out, 1).as_deref(), Some("3.0.1"));
        assert_eq!(
            parse_version_probe("arsenal_version_part_0 3..1\n", 1),
            None
        );
    }

    #[test]
    fn adjacent_string_literals_concatenate() {
        let out = "arsenal_version_part_0 \"3.\" \"12\" \".3\"\n";
        assert_eq!(parse_version_probe(out, 1).as_deref(), Some("3.12.3"));
    }

    #[test]
    fn undefined_macro_or_missing_part_is_none() {
        assert_eq!(
            parse_version_probe("arsenal_version_part_0 YYJSON_VERSION_MAJOR\n", 1),
            None
        );
        assert_eq!(parse_version_probe("arsenal_version_part_0 1\n", 2), None);
        assert_eq!(parse_version_probe("", 1), None);
        assert_eq!(parse_version_probe("arsenal_version_part_0 1 2\n", 1), None);
        assert_eq!(parse_version_probe("arsenal_version_part_0 1\n", 0), None);
    }

    #[test]
    fn lookalike_identifiers_are_ignored() {
        let out = "arsenal_version_part_0x 9\narsenal_version_part_0 7\n";
        assert_eq!(parse_version_probe(out, 1).as_deref(), Some("7"));
    }

    #[test]
    fn octal_and_suffixes() {
        assert_eq!(parse_integer("010").as_deref(), Some("8"));
        assert_eq!(parse_integer("0").as_deref(), Some("0"));
        assert_eq!(parse_integer("42UL").as_deref(), Some("42"));
        assert_eq!(parse_integer("4x2"), None);
    }

    #[test]
    fn version_components_and_ordering() {
        assert_eq!(components("3.12.3"), Some(vec![3, 12, 3]));
        assert_eq!(components("1.2.3-rc1"), Some(vec![1, 2, 3]));
        assert_eq!(components("0.10"), Some(vec![0, 10]));
        assert_eq!(components("abc"), None);
        assert_eq!(compare("0.10.0", "0.9.9"), Some(Ordering::Greater));
        assert_eq!(compare("3.0", "3.0.0"), Some(Ordering::Equal));
        assert_eq!(compare("2.9.9", "3"), Some(Ordering::Less));
        assert_eq!(in_range("0.10.0", "0.8.0", "0.11.0"), Some(true));
        assert_eq!(in_range("0.11.0", "0.8.0", "0.11.0"), Some(false));
        assert_eq!(in_range("0.7.9", "0.8.0", "0.11.0"), Some(false));
        assert_eq!(in_range("x", "0.8.0", "0.11.0"), None);
    }
}
