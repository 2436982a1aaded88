//! `/leaderboard [metric] [period]`: ten members a page with Previous / Next buttons
//! (`wp:board:<metric>:<period>:<page>`), and the caller's own place.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{reply, Answer};
use super::custom_id::{self};
use super::feature::{Click, Feature, STALE_COMPONENT};
use super::render::{echo, COLOUR};
use super::{caller, Command, Context, Data};
use crate::error::{Error, Result};
use crate::leaderboard::service::BoardPage;
use crate::leaderboard::{Metric, Period, Scope, Who};
use crate::member::Caller;
use crate::roadmap::Roadmap;

const WORD: &str = "board";
/// More pages than this are not offered as buttons (an id carries the page number).
const PAGE_MAX: u32 = 100_000;

pub(crate) struct LeaderboardFeature;

#[serenity::async_trait]
impl Feature for LeaderboardFeature {
    fn word(&self) -> &'static str {
        WORD
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![leaderboard()]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        let stale = || Error::user(STALE_COMPONENT);
        let (metric, period, page, scope) = match parts {
            [metric, period, page] => (metric, period, page, Scope::Server),
            [metric, period, page, scope] => {
                (metric, period, page, parse_scope(scope).ok_or_else(stale)?)
            }
            _ => return Err(stale()),
        };
        let metric = Metric::from_code(metric).ok_or_else(stale)?;
        let period = Period::from_code(period).ok_or_else(stale)?;
        let page: u32 = page
            .parse()
            .ok()
            .filter(|p| *p < PAGE_MAX && page.len() <= 6 && !page.starts_with('+'))
            .ok_or_else(stale)?;
        let board = board(
            click.call.data,
            &click.call.caller,
            scope,
            metric,
            period,
            page,
            click.call.now,
        )
        .await?;
        Ok(Answer::Update(view(&board)))
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
enum MetricChoice {
    #[name = "current streak"]
    Streak,
    #[name = "study time"]
    Time,
    #[name = "topics done"]
    Topics,
    #[name = "challenge points"]
    Points,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
enum ScopeChoice {
    #[name = "this server"]
    Server,
    #[name = "my study group"]
    MyGroup,
    #[name = "study groups"]
    Groups,
}

fn scope_code(scope: Scope) -> String {
    match scope {
        Scope::Server => "s".to_owned(),
        Scope::Group(id) => format!("g{id}"),
        Scope::Groups => "groups".to_owned(),
    }
}

fn parse_scope(code: &str) -> Option<Scope> {
    match code {
        "s" => Some(Scope::Server),
        "groups" => Some(Scope::Groups),
        _ => {
            let id = code.strip_prefix('g')?;
            (id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()) && !id.is_empty())
                .then(|| id.parse().ok())
                .flatten()
                .map(Scope::Group)
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
enum PeriodChoice {
    #[name = "this week"]
    Week,
    #[name = "this month"]
    Month,
    #[name = "all time"]
    All,
}

/// Who studies most: streaks, study time, topics or challenge points; this week, month or all time
#[poise::command(slash_command, guild_only)]
async fn leaderboard(
    ctx: Context<'_>,
    #[description = "What to rank by (current streak if left empty)"] metric: Option<MetricChoice>,
    #[description = "Over which time (this week if left empty; streaks are always current)"]
    period: Option<PeriodChoice>,
    #[description = "Whose board: this server (if left empty), your study group, or the groups"]
    scope: Option<ScopeChoice>,
) -> Result<()> {
    let metric = match metric.unwrap_or(MetricChoice::Streak) {
        MetricChoice::Streak => Metric::Streak,
        MetricChoice::Time => Metric::Time,
        MetricChoice::Topics => Metric::Topics,
        MetricChoice::Points => Metric::Points,
    };
    let period = match period.unwrap_or(PeriodChoice::Week) {
        PeriodChoice::Week => Period::Week,
        PeriodChoice::Month => Period::Month,
        PeriodChoice::All => Period::All,
    };
    let caller = caller(ctx)?;
    let data = ctx.data();
    let scope = match scope.unwrap_or(ScopeChoice::Server) {
        ScopeChoice::Server => Scope::Server,
        ScopeChoice::Groups => Scope::Groups,
        ScopeChoice::MyGroup => {
            let now = data.clock.now();
            let info = data.groups.info(caller.member()?, None, now).await?;
            Scope::Group(info.group.id)
        }
    };
    let board = board(data, &caller, scope, metric, period, 0, data.clock.now()).await?;
    reply(ctx, view(&board).ephemeral(true)).await
}

async fn board(
    data: &Data,
    caller: &Caller,
    scope: Scope,
    metric: Metric,
    period: Period,
    page: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<BoardPage> {
    let member = caller.member()?;
    if let Scope::Group(id) = scope {
        // A group of this server only (an id from another server's button is refused).
        let groups = data.groups.list(member.guild).await?;
        if !groups.iter().any(|(g, _)| g.id == id) {
            return Err(Error::user("That study group no longer exists here."));
        }
    }
    data.boards
        .page_in(member.guild, scope, metric, period, page, member.user, now)
        .await
}

fn view(board: &BoardPage) -> CreateReply {
    let metric = board.metric;
    let lines: Vec<String> = board
        .rows
        .iter()
        .map(|(rank, who, score)| {
            let medal = match rank {
                1 => "🥇",
                2 => "🥈",
                3 => "🥉",
                _ => "▫️",
            };
            // A mention in an embed shows the member's name and never pings.
            let name = match who {
                Who::Member(user) => format!("<@{}>", user.0),
                Who::Group(name) => format!("**{}**", echo(name, 40).unwrap_or_default()),
            };
            format!("{medal} **#{rank}** {name} · {}", metric.show(*score))
        })
        .collect();
    let title = match metric {
        Metric::Streak => metric.title().to_owned(),
        _ => format!("{} · {}", metric.title(), board.period.title()),
    };
    let title = match board.scope {
        Scope::Server => title,
        Scope::Group(_) => format!("{title} · your study group"),
        Scope::Groups => format!("{title} · study groups"),
    };
    let description = if lines.is_empty() {
        "Nobody is on this board yet. `/checkin` to be the first!".to_owned()
    } else {
        lines.join("\n")
    };
    let me = match board.me {
        Some((rank, score)) if board.scope == Scope::Groups => format!(
            "Your group is #{rank} of {} · {}",
            board.total,
            metric.show(score)
        ),
        Some((rank, score)) => format!(
            "You are #{rank} of {} · {}",
            board.total,
            metric.show(score)
        ),
        None if board.scope == Scope::Groups => "Your group is not on this board yet.".to_owned(),
        None => "You are not on this board yet.".to_owned(),
    };
    let embed = serenity::CreateEmbed::new()
        .title(title)
        .description(description)
        .field("Your place", me, false)
        .footer(serenity::CreateEmbedFooter::new(format!(
            "Page {} of {}",
            board.page + 1,
            board.pages
        )))
        .colour(COLOUR);
    let scope = scope_code(board.scope);
    let id = |page: u32| {
        custom_id::join(
            WORD,
            &[
                metric.code(),
                board.period.code(),
                &page.to_string(),
                &scope,
            ],
        )
    };
    let previous = serenity::CreateButton::new(id(board.page.saturating_sub(1)))
        .label("◀ Previous")
        .style(serenity::ButtonStyle::Secondary)
        .disabled(board.page == 0);
    let next = serenity::CreateButton::new(id(board.page + 1))
        .label("Next ▶")
        .style(serenity::ButtonStyle::Secondary)
        .disabled(board.page + 1 >= board.pages);
    CreateReply::default()
        .embed(embed)
        .components(vec![serenity::CreateActionRow::Buttons(vec![
            previous, next,
        ])])
}
