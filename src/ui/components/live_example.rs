//! A term's live example on the page: its controls (seeded from the link, validated, debounced, written back
//! to the link), the data it needs (fetched in live mode), and what the live example computed: the reading sentence,
//! key numbers and charts. All computing happens in [`crate::lesson`]; this only wires signals.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_use_fn_debounce_throttle::use_debounce_fn_with_arg;

use crate::chart::figure::Figure;
use crate::lesson::controls::ControlKind;
use crate::lesson::{self, Controls, Example, Unavailable};
use crate::market::dataset::{DataSet, Origin};
use crate::market::model::{Asset, Venue};
use crate::market::status::{SourceStatus, name_list};
use crate::state::query::param;
use crate::ui::components::live_data::{LiveParams, use_live_data, use_live_wait};
use crate::ui::components::panel_chart::PanelChart;
use crate::ui::components::sample_scale::SampleScale;
use crate::ui::data::{Mode, use_data};

/// How long a control waits after the last keystroke before the example recomputes.
const DEBOUNCE_MS: f64 = 250.0;

/// Writes the controls that differ from their defaults into the address; the other keys of the live example are
/// removed.
fn write_controls_to_url(controls: &Controls) {
    let pairs = controls.to_pairs();
    crate::ui::router::replace_params(controls.specs().iter().map(|spec| {
        let value = pairs
            .iter()
            .find(|(k, _)| *k == spec.key)
            .map(|(_, v)| v.as_str());
        (spec.key, value)
    }));
}

#[component]
pub fn LiveExample(
    definition: &'static lesson::LiveExample,
    /// The embedded form: the reading and the charts, without the controls and key numbers (the link sets them).
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let data = use_data();
    let search = window().location().search().unwrap_or_default();
    let (initial, link_problems) =
        Controls::from_lookup(definition.controls, |k| param(&search, k));
    let controls = RwSignal::new(initial);
    let link_problems = RwSignal::new(link_problems);
    let field_problems = RwSignal::new(BTreeMap::<&'static str, String>::new());
    let asset = Memo::new(move |_| controls.with(Controls::asset));
    let set = Memo::new(move |_| asset.with(|a| data.in_view(a)));
    let example = Memo::new(move |_| {
        let set = set.get();
        controls.with(|c| definition.run(&set, c))
    });

    Effect::new(move |_| controls.with(write_controls_to_url));
    let params = Signal::derive(move || {
        controls.with(|c| LiveParams {
            asset: c.asset(),
            chosen: c.venue(),
            days: c.days(),
        })
    });
    let live = use_live_data(definition.needs, params, set);
    let loading = use_live_wait(live, asset.into());

    let apply = move |key: &'static str, raw: String| {
        let mut next = controls.get_untracked();
        match next.set(key, &raw) {
            Ok(()) => {
                field_problems.update(|p| {
                    p.remove(key);
                });
                link_problems.set(Vec::new());
                controls.set(next);
            }
            Err(message) => field_problems.update(|p| {
                p.insert(key, message);
            }),
        }
    };
    // The section around this (heading, reserved box) is the page's own: the build writes it into the article.
    view! {
        <div class="live-example-inner" class:loading=move || loading.get() aria-busy=move || loading.get().to_string()>
            {move || link_problems.with(|p| (!p.is_empty()).then(|| view! {
                <div class="message warning validation" role="alert">
                    <p>"Some settings in the link could not be used:"</p>
                    <ul>{p.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
                </div>
            }))}
            <form class="controls" class:hidden=compact on:submit=|ev| ev.prevent_default()>
                {definition.controls.iter().map(|spec| {
                    let (spec, key) = (*spec, spec.key);
                    let id = format!("control-{key}");
                    let error_id = format!("control-{key}-error");
                    let problem = move || field_problems.with(|p| p.get(key).cloned());
                    let input = match spec.kind {
                        ControlKind::Number { min, max, step, unit, .. } => {
                        // One debounce per field: typing in one field never drops another's pending edit.
                        let apply_later = use_debounce_fn_with_arg(move |raw: String| apply(key, raw), DEBOUNCE_MS);
                        view! {
                            <span class="control-input">
                                <input type="number" id=id.clone() name=key inputmode="decimal"
                                    min=min.to_string() max=max.to_string() step=step.to_string()
                                    placeholder=move || if controls.with(|c| c.is_set(&spec)) { String::new() } else { "auto".to_string() }
                                    prop:value=move || controls.with(|c| c.text(&spec))
                                    aria-invalid=move || problem().is_some().to_string()
                                    aria-describedby=error_id.clone()
                                    on:input=move |ev| { apply_later(event_target_value(&ev)); } />
                                <span class="unit">{unit}</span>
                            </span>
                        }.into_any()
                        }
                        ControlKind::Choice { options, .. } => view! {
                            <select id=id.clone() name=key on:change=move |ev| apply(key, event_target_value(&ev))
                                prop:value=move || controls.with(|c| c.text(&spec))>
                                {options.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                            </select>
                        }.into_any(),
                        ControlKind::Venue => view! {
                            <select id=id.clone() name=key on:change=move |ev| apply(key, event_target_value(&ev))
                                prop:value=move || controls.with(|c| c.text(&spec))>
                                <option value="">"Any with data"</option>
                                {move || venue_options(definition, &set.get(), &controls.with(Controls::asset)).into_iter().map(|v| view! {
                                    <option value=v.id()>{v.display_name()}</option>
                                }).collect_view()}
                            </select>
                        }.into_any(),
                        ControlKind::Asset => view! {
                            <select id=id.clone() name=key on:change=move |ev| apply(key, event_target_value(&ev))
                                prop:value=move || controls.with(|c| c.asset().to_string())>
                                {move || set.with(|s| s.assets()).into_iter().map(|a| view! {
                                    <option value=a.to_string()>{a.to_string()}</option>
                                }).collect_view()}
                            </select>
                        }.into_any(),
                    };
                    view! {
                        <div class="control" data-control=key>
                            <label for=id>{spec.label}</label>
                            {input}
                            <span class="field-error" id=format!("control-{key}-error") role="alert">{problem}</span>
                        </div>
                    }
                }).collect_view()}
            </form>
            <DataStatusLine example set asked=live.asked />
            {move || loading.get().then(|| view! {
                <p class="example-loading" role="status">
                    <span class="spinner-dot" aria-hidden="true"></span>
                    {move || format!("Asking {} for live numbers…", name_list(&live.asked.get()))}
                </p>
            })}
            <div class="example-body">
                {move || example.with(|e| match e {
                    Err(unavailable) => view! { <UnavailableMessage unavailable=unavailable.clone() controls /> }.into_any(),
                    Ok(ex) => view! { <Reading example=ex.clone() compact /> }.into_any(),
                })}
                <Panels example />
            </div>
        </div>
    }
}

/// The venues the venue control offers: those with the live example's main data for this asset.
fn venue_options(definition: &lesson::LiveExample, set: &DataSet, asset: &Asset) -> Vec<Venue> {
    match definition.primary {
        Some(item) => set.venues_with(asset, item),
        None => {
            let mut v: Vec<Venue> = set.entries.iter().map(|e| e.venue).collect();
            lens_math::sort::sort(&mut v);
            v.dedup();
            v
        }
    }
}

/// Where the example's numbers come from: the data set's origin, or each venue's live status, with Retry
/// when a venue failed.
#[component]
fn DataStatusLine(
    example: Memo<Result<Example, Unavailable>>,
    set: Memo<Arc<DataSet>>,
    asked: RwSignal<Vec<Venue>>,
) -> impl IntoView {
    let data = use_data();
    let venues = move || {
        let used = example.with(|e| e.as_ref().map(|e| e.venues.clone()).unwrap_or_default());
        if data.mode.get() == Mode::Live && set.with(|s| s.origin != Origin::Live) {
            // Still on the sample: the label is about the venues asked, not those the sample has.
            asked.get()
        } else {
            used
        }
    };
    let text = move || {
        let origin = set.with(|s| s.origin.label());
        let venues = venues();
        if data.mode.get() != Mode::Live || venues.is_empty() {
            return format!("Data: {origin}.");
        }
        if set.with(|s| s.origin != Origin::Live) {
            let label = data.label_for(&venues, &origin);
            let stop = if label.ends_with('…') { "" } else { "." };
            return format!("Data: {label}{stop}");
        }
        let now = js_sys::Date::now();
        let statuses: Vec<String> = data.venue_status.with(|s| {
            venues
                .iter()
                .map(|v| {
                    let label = s
                        .get(v)
                        .map_or_else(|| "live".to_string(), |st| st.label(now));
                    format!("{} {label}", v.display_name())
                })
                .collect()
        });
        format!("Data: {}.", statuses.join("; "))
    };
    let failed = move || {
        let venues = venues();
        data.venue_status.with(|s| {
            venues
                .into_iter()
                .filter(|v| {
                    matches!(
                        s.get(v),
                        Some(SourceStatus::Failed { .. } | SourceStatus::Stale { .. })
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <p class="data-status muted" aria-live="polite">
            {text}
            {move || set.with(|s| s.origin.is_sample()).then(|| view! { <SampleScale /> })}
            {move || {
                let failed = failed();
                (!failed.is_empty()).then(|| view! {
                    " "
                    <button type="button" class="button small secondary retry" on:click=move |_| data.retry(&failed)>"Retry"</button>
                })
            }}
        </p>
    }
}

#[component]
fn UnavailableMessage(unavailable: Unavailable, controls: RwSignal<Controls>) -> impl IntoView {
    view! {
        <div class="message warning unavailable" role="status">
            <p>{unavailable.message}</p>
            {(!unavailable.alternatives.is_empty()).then(|| view! {
                <p class="button-row">
                    {unavailable.alternatives.into_iter().map(|v| view! {
                        <button type="button" class="button small secondary" data-venue=v.id()
                            on:click=move |_| controls.update(|c| { let _ = c.set("venue", v.id()); })>
                            {format!("Use {}", v.display_name())}
                        </button>
                    }).collect_view()}
                </p>
            })}
        </div>
    }
}

#[component]
fn Reading(example: Example, compact: bool) -> impl IntoView {
    view! {
        <p class="reading" aria-live="polite">{example.reading}</p>
        <dl class="facts" class:hidden=compact>
            {example.facts.into_iter().map(|f| view! {
                <div class="fact" data-fact=f.key><dt>{f.label}</dt><dd>{f.value}</dd></div>
            }).collect_view()}
        </dl>
        {(!example.notes.is_empty()).then(|| view! {
            <ul class="notes muted">{example.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
        })}
    }
}

/// The panels, re-created only when the set of panel ids changes (a moved control redraws in place).
#[component]
fn Panels(example: Memo<Result<Example, Unavailable>>) -> impl IntoView {
    let ids = Memo::new(move |_| {
        example.with(|e| {
            e.as_ref()
                .map(|e| e.panels.iter().map(|p| p.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    move || {
        let ids = ids.get();
        let first_time = example.with_untracked(|e| {
            e.as_ref().ok().and_then(|e| {
                e.panels
                    .iter()
                    .find(|p| matches!(p.figure, Figure::Time(_)))
                    .map(|p| p.id)
            })
        });
        ids.into_iter()
            .map(|id| {
                let panel = Memo::new(move |_| {
                    example.with(|e| {
                        e.as_ref()
                            .ok()
                            .and_then(|e| e.panels.iter().find(|p| p.id == id).cloned())
                    })
                });
                let title = move || panel.with(|p| p.as_ref().map(|p| p.title.clone()));
                let url_key = (first_time == Some(id)).then_some("range");
                let chart = match url_key {
                    Some(url_key) => view! { <PanelChart panel id url_key /> }.into_any(),
                    None => view! { <PanelChart panel id /> }.into_any(),
                };
                view! {
                    <div class="example-panel" data-panel=id>
                        <h3>{title}</h3>
                        {chart}
                    </div>
                }
            })
            .collect_view()
    }
}
