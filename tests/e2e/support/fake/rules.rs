//! The limits Discord enforces on what a bot sends, so the fake refuses what Discord would
//! (400 with code 50035 "Invalid Form Body") and rendering bugs fail tests instead of production.
//! Each check returns the first broken rule, named by its JSON path.

use serde_json::Value;

type Checked = Result<(), String>;

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

fn at_most(path: &str, value: &Value, max: usize) -> Checked {
    let n = chars(value);
    if n > max {
        return Err(format!("{path}: {n} characters, the limit is {max}"));
    }
    Ok(())
}

fn between(path: &str, value: &Value, min: usize, max: usize) -> Checked {
    let n = chars(value);
    if n < min || n > max {
        return Err(format!("{path}: {n} characters, must be {min}-{max}"));
    }
    Ok(())
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// A message body: create or edit, in a channel, a webhook or an interaction answer.
pub fn message(body: &Value) -> Checked {
    at_most("content", &body["content"], 2000)?;
    let embeds = list(&body["embeds"]);
    if embeds.len() > 10 {
        return Err(format!("embeds: {} embeds, the limit is 10", embeds.len()));
    }
    for (i, embed) in embeds.iter().enumerate() {
        embed_rules(&format!("embeds[{i}]"), embed)?;
    }
    components(&body["components"])
}

fn embed_rules(path: &str, embed: &Value) -> Checked {
    at_most(&format!("{path}.title"), &embed["title"], 256)?;
    at_most(&format!("{path}.description"), &embed["description"], 4096)?;
    at_most(
        &format!("{path}.footer.text"),
        &embed["footer"]["text"],
        2048,
    )?;
    at_most(
        &format!("{path}.author.name"),
        &embed["author"]["name"],
        256,
    )?;
    let fields = list(&embed["fields"]);
    if fields.len() > 25 {
        return Err(format!(
            "{path}.fields: {} fields, the limit is 25",
            fields.len()
        ));
    }
    let mut total = chars(&embed["title"])
        + chars(&embed["description"])
        + chars(&embed["footer"]["text"])
        + chars(&embed["author"]["name"]);
    for (i, field) in fields.iter().enumerate() {
        between(&format!("{path}.fields[{i}].name"), &field["name"], 1, 256)?;
        between(
            &format!("{path}.fields[{i}].value"),
            &field["value"],
            1,
            1024,
        )?;
        total += chars(&field["name"]) + chars(&field["value"]);
    }
    if total > 6000 {
        return Err(format!(
            "{path}: {total} characters in all, the limit is 6000"
        ));
    }
    Ok(())
}

fn components(rows: &Value) -> Checked {
    let rows = list(rows);
    if rows.len() > 5 {
        return Err(format!("components: {} rows, the limit is 5", rows.len()));
    }
    for (r, row) in rows.iter().enumerate() {
        let items = list(&row["components"]);
        let path = format!("components[{r}]");
        if items.is_empty() {
            return Err(format!("{path}: an empty action row"));
        }
        let selects = items.iter().filter(|c| c["type"] != 2).count();
        if items.len() > 5 || (selects > 0 && items.len() > 1) {
            return Err(format!(
                "{path}: up to 5 buttons or one select menu per row"
            ));
        }
        for (c, item) in items.iter().enumerate() {
            let path = format!("{path}.components[{c}]");
            let is_link = item["style"] == 5;
            if !is_link {
                between(&format!("{path}.custom_id"), &item["custom_id"], 1, 100)?;
            }
            at_most(&format!("{path}.label"), &item["label"], 80)?;
            at_most(&format!("{path}.placeholder"), &item["placeholder"], 150)?;
            if item["type"] == 3 {
                let options = list(&item["options"]);
                if options.is_empty() || options.len() > 25 {
                    return Err(format!(
                        "{path}.options: {} options, must be 1-25",
                        options.len()
                    ));
                }
                for (o, option) in options.iter().enumerate() {
                    between(
                        &format!("{path}.options[{o}].label"),
                        &option["label"],
                        1,
                        100,
                    )?;
                    between(
                        &format!("{path}.options[{o}].value"),
                        &option["value"],
                        1,
                        100,
                    )?;
                    at_most(
                        &format!("{path}.options[{o}].description"),
                        &option["description"],
                        100,
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// An interaction callback (`POST /interactions/{id}/{token}/callback`).
pub fn callback(body: &Value) -> Checked {
    let data = &body["data"];
    match body["type"].as_u64() {
        Some(1 | 5 | 6) => Ok(()),
        Some(4 | 7) => message(data),
        Some(8) => {
            let choices = list(&data["choices"]);
            if choices.len() > 25 {
                return Err(format!(
                    "data.choices: {} choices, the limit is 25",
                    choices.len()
                ));
            }
            for (i, choice) in choices.iter().enumerate() {
                between(&format!("data.choices[{i}].name"), &choice["name"], 1, 100)?;
                if choice["value"].is_string() {
                    between(
                        &format!("data.choices[{i}].value"),
                        &choice["value"],
                        1,
                        100,
                    )?;
                }
            }
            Ok(())
        }
        Some(9) => {
            between("data.title", &data["title"], 1, 45)?;
            between("data.custom_id", &data["custom_id"], 1, 100)?;
            let rows = list(&data["components"]);
            if rows.is_empty() || rows.len() > 5 {
                return Err(format!("data.components: {} rows, must be 1-5", rows.len()));
            }
            Ok(())
        }
        other => Err(format!(
            "type: {other:?} is not an interaction callback type"
        )),
    }
}

fn is_command_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || (c.is_alphanumeric() && !c.is_uppercase()))
}

/// A bulk command registration (`PUT .../commands`).
pub fn commands(body: &Value) -> Checked {
    let commands = list(body);
    if commands.len() > 100 {
        return Err(format!("{} commands, the limit is 100", commands.len()));
    }
    for (i, command) in commands.iter().enumerate() {
        command_rules(&format!("[{i}]"), command)?;
    }
    Ok(())
}

fn command_rules(path: &str, command: &Value) -> Checked {
    let name = command["name"].as_str().unwrap_or_default();
    if !is_command_name(name) {
        return Err(format!("{path}.name: {name:?} is not a valid command name"));
    }
    // Context-menu commands (type 2, 3) have no description; slash commands need one.
    if command["type"].as_u64().unwrap_or(1) == 1 {
        between(
            &format!("{path}.description"),
            &command["description"],
            1,
            100,
        )?;
    }
    let options = list(&command["options"]);
    if options.len() > 25 {
        return Err(format!(
            "{path}.options: {} options, the limit is 25",
            options.len()
        ));
    }
    let mut optional_seen = false;
    for (i, option) in options.iter().enumerate() {
        let option_path = format!("{path}.options[{i}]");
        command_rules(&option_path, &{
            let mut o = option.clone();
            o["type"] = Value::from(1);
            o
        })?;
        let required = option["required"].as_bool().unwrap_or(false);
        if required && optional_seen {
            return Err(format!(
                "{option_path}: a required option after an optional one"
            ));
        }
        optional_seen |= !required;
    }
    Ok(())
}
