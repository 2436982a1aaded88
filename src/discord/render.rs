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
    fn progress_bar_fills_proportionally() {
        assert_eq!(progress_bar(0, 6), "▱▱▱▱▱▱▱▱▱▱");
        assert_eq!(progress_bar(1, 36), "▰▱▱▱▱▱▱▱▱▱");
        assert_eq!(progress_bar(3, 6), "▰▰▰▰▰▱▱▱▱▱");
        assert_eq!(progress_bar(6, 6), "▰▰▰▰▰▰▰▰▰▰");
        assert_eq!(progress_bar(0, 0), "▱▱▱▱▱▱▱▱▱▱");
    }
}
