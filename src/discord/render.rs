//! Text shaping shared by the views: Discord's limits and small visual elements.

use crate::progress::PhaseProgress;

/// Discord's limits that the views must respect.
pub const EMBED_DESCRIPTION_MAX: usize = 4_096;
pub const EMBED_FIELD_VALUE_MAX: usize = 1_024;
pub const EMBED_TITLE_MAX: usize = 256;
pub const SELECT_LABEL_MAX: usize = 100;
pub const COMMAND_DESCRIPTION_MAX: usize = 100;

/// Cuts `text` to at most `max` characters, ending with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Text a member typed, made safe to show back inside `code`: control and bidirectional
/// formatting characters removed (an unclosed right-to-left override would reverse the rest of
/// the sentence), backticks replaced, whitespace trimmed and the length capped. `None` when
/// nothing visible is left, so the caller can say "you didn't name …" instead of showing ``.
pub fn echo(text: &str, max: usize) -> Option<String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_or_invisible(*c))
        .map(|c| if c == '`' { '\'' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    (!trimmed.is_empty()).then(|| truncate(trimmed, max))
}

/// Bidirectional controls (U+202A–U+202E, U+2066–U+2069, marks) and zero-width characters.
fn is_bidi_or_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}')
}

/// A value that came from outside (a custom id, a command name) made safe for one log line:
/// escaped, so a newline cannot forge a line, and capped, so a huge id cannot flood the log.
pub fn for_log(raw: &str) -> String {
    const MAX: usize = 120;
    let mut out: String = raw.chars().take(MAX).flat_map(char::escape_debug).collect();
    if raw.chars().count() > MAX {
        out.push_str(&format!("…({} chars)", raw.chars().count()));
    }
    out
}

/// A ten-segment progress bar, e.g. `▰▰▰▱▱▱▱▱▱▱`.
pub fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 10;
    // Round down, but show one segment as soon as anything is done.
    let filled = (done * WIDTH)
        .checked_div(total)
        .map_or(0, |f| f.max(usize::from(done > 0)).min(WIDTH));
    format!("{}{}", "▰".repeat(filled), "▱".repeat(WIDTH - filled))
}

/// How a phase looks at a glance: ✅ all done, ☑️ gone through with some topics skipped,
/// ▫️ still open.
pub fn phase_badge(p: &PhaseProgress<'_>) -> &'static str {
    if p.done == p.total {
        "✅"
    } else if p.is_finished() {
        "☑️"
    } else {
        "▫️"
    }
}

/// Brand colour of the embeds.
pub const COLOUR: u32 = 0x3B82F6;
pub const COLOUR_DONE: u32 = 0x22C55E;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_respects_char_limits() {
        assert_eq!(truncate("short", 10), "short");
        let cut = truncate("ééééééééééé", 5);
        assert_eq!(cut.chars().count(), 5);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn echoed_text_loses_controls_and_bidi_and_backticks() {
        let rtl = "redis\u{202E}gnirts";
        assert_eq!(echo(rtl, 60).as_deref(), Some("redisgnirts"));
        assert_eq!(echo("`a`\n\tb\u{200B}", 60).as_deref(), Some("'a'b"));
        assert_eq!(echo("   ", 60), None);
        assert_eq!(echo("\u{202E}\u{2066}", 60), None);
        assert_eq!(
            echo(&"x".repeat(100), 10).map(|s| s.chars().count()),
            Some(10)
        );
    }

    #[test]
    fn log_values_are_one_short_line() {
        assert_eq!(for_log("wp:topic\nINFO forged"), "wp:topic\\nINFO forged");
        let long = for_log(&"a".repeat(100_000));
        assert!(
            long.len() < 200 && long.ends_with("…(100000 chars)"),
            "{long}"
        );
    }

    proptest::proptest! {
        #[test]
        fn echo_and_for_log_never_let_controls_through(raw in "\\PC{0,40}|[\u{0}-\u{1F}\u{202A}-\u{202E}a`]{0,40}") {
            if let Some(shown) = echo(&raw, 60) {
                proptest::prop_assert!(shown.chars().all(|c| !c.is_control() && !is_bidi_or_invisible(c) && c != '`'));
                proptest::prop_assert!(shown.chars().count() <= 60);
            }
            proptest::prop_assert!(!for_log(&raw).contains('\n'));
        }
    }

    #[test]
    fn progress_bar_fills_proportionally() {
        assert_eq!(progress_bar(0, 6), "▱▱▱▱▱▱▱▱▱▱");
        assert_eq!(progress_bar(1, 36), "▰▱▱▱▱▱▱▱▱▱");
        assert_eq!(progress_bar(3, 6), "▰▰▰▰▰▱▱▱▱▱");
        assert_eq!(progress_bar(6, 6), "▰▰▰▰▰▰▰▰▰▰");
        assert_eq!(progress_bar(0, 0), "▱▱▱▱▱▱▱▱▱▱");
    }
}
