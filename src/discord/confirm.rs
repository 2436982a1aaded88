//! A destructive action's confirmation: two buttons, `wp:<feature>:<yes>:<user>` and
//! `wp:<feature>:keep:<user>`, where `user` is who asked (only they may press them).

use poise::serenity_prelude as serenity;

use crate::member::UserId;

pub(crate) struct Confirm {
    /// The feature's word.
    pub word: &'static str,
    /// The verb in the id of the button that goes ahead, and its label.
    pub yes: &'static str,
    pub yes_label: &'static str,
}

const KEEP: &str = "keep";

impl Confirm {
    fn id(&self, verb: &str, user: UserId) -> String {
        super::custom_id::join(self.word, &[verb, &user.0.to_string()])
    }

    /// The row of buttons for `user`: go ahead (red), or keep everything.
    pub(crate) fn buttons(&self, user: UserId) -> serenity::CreateActionRow {
        serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new(self.id(self.yes, user))
                .label(self.yes_label)
                .style(serenity::ButtonStyle::Danger),
            serenity::CreateButton::new(self.id(KEEP, user))
                .label("Keep it")
                .style(serenity::ButtonStyle::Secondary),
        ])
    }

    /// `Some((go_ahead, who_asked))` for exactly one of this confirmation's ids.
    pub(crate) fn parse(&self, parts: &[&str]) -> Option<(bool, UserId)> {
        match parts {
            [verb, user] if *verb == self.yes || *verb == KEEP => {
                Some((*verb == self.yes, UserId(super::custom_id::number(user)?)))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_anything_else_is_refused() {
        let confirm = Confirm {
            word: "privacy",
            yes: "delete",
            yes_label: "Delete",
        };
        let user = UserId(42);
        for (verb, want) in [("delete", true), ("keep", false)] {
            let id = confirm.id(verb, user);
            let parts: Vec<&str> = id.split(':').skip(2).collect();
            assert_eq!(confirm.parse(&parts), Some((want, user)));
        }
        for parts in [
            &["delete"][..],
            &["delete", "x"],
            &["drop", "1"],
            &["delete", ""],
            &["delete", "-1"],
            &["delete", "1", "2"],
        ] {
            assert_eq!(confirm.parse(parts), None, "{parts:?}");
        }
    }
}
