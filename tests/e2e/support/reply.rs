//! The bot's answer to one interaction, with accessors for what a member would see.

use serde_json::{json, Value};

/// The bot's answer to one interaction (the body of its callback).
#[derive(Debug, Clone)]
pub struct Reply {
    pub body: Value,
    /// The interaction's id.
    pub id: u64,
    /// What the fake answered the callback with (204 unless a failure was injected).
    pub status: u16,
    /// Where the bot posted its answer, to find retries of it.
    pub callback_path: String,
}

pub const MESSAGE: u64 = 4;
pub const UPDATE_MESSAGE: u64 = 7;
pub const AUTOCOMPLETE: u64 = 8;
pub const FORM: u64 = 9;

impl Reply {
    /// The callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal.
    pub fn kind(&self) -> u64 {
        self.body["type"].as_u64().unwrap_or_default()
    }

    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    pub fn is_ephemeral(&self) -> bool {
        self.data()["flags"].as_u64().unwrap_or_default() & 64 != 0
    }

    /// Checks this is an ephemeral message (only the member sees it) whose text has `needle`.
    #[track_caller]
    pub fn assert_private_message(&self, needle: &str) {
        assert!(self.is_ephemeral(), "not ephemeral: {:#}", self.body);
        assert!(
            self.content().contains(needle),
            "{:?} lacks {needle:?}",
            self.content()
        );
    }

    pub fn content(&self) -> &str {
        self.data()["content"].as_str().unwrap_or_default()
    }

    pub fn embeds(&self) -> Vec<Value> {
        self.data()["embeds"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Everything a member can read: content, embed titles, descriptions, fields and footers.
    pub fn text(&self) -> String {
        let mut parts = vec![self.content().to_owned()];
        for embed in self.embeds() {
            for key in ["title", "description"] {
                parts.push(embed[key].as_str().unwrap_or_default().to_owned());
            }
            for field in embed["fields"].as_array().into_iter().flatten() {
                parts.push(field["name"].as_str().unwrap_or_default().to_owned());
                parts.push(field["value"].as_str().unwrap_or_default().to_owned());
            }
            parts.push(
                embed["footer"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        parts.retain(|p| !p.is_empty());
        parts.join("\n")
    }

    /// Every component in the action rows, flattened.
    pub fn components(&self) -> Vec<Value> {
        self.data()["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    pub fn custom_ids(&self) -> Vec<String> {
        self.components()
            .iter()
            .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
            .collect()
    }

    /// The component with this label (a button) or placeholder (a select menu).
    pub fn component(&self, label: &str) -> Value {
        self.components()
            .into_iter()
            .find(|c| c["label"] == label || c["placeholder"] == label)
            .unwrap_or_else(|| panic!("no component {label:?} in {:#}", self.data()))
    }

    /// Autocomplete choices as (name, value).
    pub fn choices(&self) -> Vec<(String, String)> {
        self.data()["choices"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["name"].as_str().unwrap_or_default().to_owned(),
                    c["value"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// The bytes of the file `name` attached to this answer.
    pub fn attachment(&self, name: &str) -> Vec<u8> {
        let file = self.body["_files"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no attachment {name:?} in {:#}", self.body["_files"]));
        file["bytes"]
            .as_array()
            .expect("the file's bytes")
            .iter()
            .map(|b| b.as_u64().expect("a byte") as u8)
            .collect()
    }

    /// The text inputs of a form this answer opened: (custom id, label, prefilled value).
    pub fn form_inputs(&self) -> Vec<(String, String, Option<String>)> {
        assert_eq!(self.kind(), FORM, "not a form: {:#}", self.body);
        self.components()
            .iter()
            .filter(|c| c["type"] == 4)
            .map(|c| {
                (
                    c["custom_id"].as_str().unwrap_or_default().to_owned(),
                    c["label"].as_str().unwrap_or_default().to_owned(),
                    c["value"].as_str().map(str::to_owned),
                )
            })
            .collect()
    }

    /// The custom id of the form this answer opened.
    pub fn form_id(&self) -> String {
        assert_eq!(self.kind(), FORM, "not a form: {:#}", self.body);
        self.data()["custom_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether the answer may ping nobody at all (Discord's `allowed_mentions` with nothing to
    /// parse and no user or role listed).
    pub fn pings_nobody(&self) -> bool {
        let mentions = &self.data()["allowed_mentions"];
        mentions["parse"] == serde_json::json!([])
            && mentions["users"].as_array().map_or(true, Vec::is_empty)
            && mentions["roles"].as_array().map_or(true, Vec::is_empty)
    }

    /// The message this answer created, as Discord would hand it back in a later component
    /// interaction.
    pub fn as_message(&self) -> Value {
        let mut body = self.data().clone();
        if body.get("flags").is_none() {
            body["flags"] = json!(0);
        }
        super::payloads::message(&(self.id + 1).to_string(), super::fake::CHANNEL_ID, &body)
    }
}
