//! The Leverage Dynamics dashboard on the overview: the tiles and verdict computed by
//! [`crate::lesson::dashboard`] for one asset across the venues in view, each tile linking to its term. The
//! section and heading around it are the page's own (the build writes them into the overview's article).

use leptos::prelude::*;

use crate::glossary::term;
use crate::lesson::dashboard::{Lean, NEEDS, dashboard};
use crate::market::dataset::Origin;
use crate::market::model::Asset;
use crate::market::status::name_list;
use crate::state::query::param;
use crate::state::route::Route;
use crate::ui::components::live_data::{LiveParams, use_live_data, use_live_wait};
use crate::ui::components::sample_scale::SampleScale;
use crate::ui::data::{Mode, use_data};

fn lean_class(lean: Lean) -> &'static str {
    match lean {
        Lean::Calm => "tile calm",
        Lean::LongHeavy => "tile long-heavy",
        Lean::ShortHeavy => "tile short-heavy",
        Lean::Stretched => "tile stretched",
        Lean::Unknown => "tile unknown",
    }
}

fn lean_label(lean: Lean) -> &'static str {
    match lean {
        Lean::Calm => "calm",
        Lean::LongHeavy => "long-heavy",
        Lean::ShortHeavy => "short-heavy",
        Lean::Stretched => "stretched",
        Lean::Unknown => "no data",
    }
}

#[component]
pub fn DynamicsDashboard() -> impl IntoView {
    let data = use_data();
    let search = window().location().search().unwrap_or_default();
    let asset = RwSignal::new(
        param(&search, "asset")
            .and_then(|a| Asset::new(&a))
            .unwrap_or_else(Asset::btc),
    );
    let set = Memo::new(move |_| asset.with(|a| data.in_view(a)));
    let board = Memo::new(move |_| set.with(|s| dashboard(s, &asset.get())));
    let params = Signal::derive(move || LiveParams {
        asset: asset.get(),
        chosen: None,
        days: 30,
    });
    let live = use_live_data(NEEDS, params, set);
    let loading = use_live_wait(live, asset.into());
    let choose = move |value: String| {
        let Some(a) = Asset::new(&value) else { return };
        crate::ui::router::replace_params([("asset", (a != Asset::btc()).then_some(a.as_str()))]);
        asset.set(a);
    };
    view! {
        <div class="dashboard-inner" class:loading=move || loading.get() aria-busy=move || loading.get().to_string()>
            <div class="form-row">
                <label for="dashboard-asset">"Asset "</label>
                <select id="dashboard-asset" on:change=move |ev| choose(event_target_value(&ev))
                    prop:value=move || asset.get().to_string()>
                    {move || set.with(|s| s.assets()).into_iter().map(|a| view! {
                        <option value=a.to_string()>{a.to_string()}</option>
                    }).collect_view()}
                </select>
                <span class="muted dashboard-source">{move || {
                    let source = board.with(|b| b.source.clone());
                    if set.with(|s| s.origin != Origin::Live) && data.mode.get() == Mode::Live {
                        data.label_for(&live.asked.get(), &source)
                    } else {
                        source
                    }
                }}
                {move || set.with(|s| s.origin.is_sample()).then(|| view! { "." <SampleScale /> })}
                </span>
            </div>
            {move || loading.get().then(|| view! {
                <p class="example-loading" role="status">
                    <span class="spinner-dot" aria-hidden="true"></span>
                    {move || format!("Asking {} for live numbers…", name_list(&live.asked.get()))}
                </p>
            })}
            <div class="example-body">
            {move || board.with(|b| view! {
                <p class="verdict"><strong>{b.verdict.clone()}</strong></p>
                {(!b.reasons.is_empty()).then(|| view! {
                    <ul class="reasons">{b.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                })}
                <div class="tiles">
                    {b.tiles.iter().map(|t| {
                        let href = term(t.term_slug).map(|term| Route::Term(term).href()).unwrap_or_default();
                        let term_title = term(t.term_slug).map(|term| term.title).unwrap_or("");
                        view! {
                            <a class=lean_class(t.lean) href=href data-tile=t.key>
                                <span class="tile-title">{t.title.clone()}</span>
                                <span class="tile-value">{t.value.clone()}</span>
                                <span class="tile-detail">{t.detail.clone()}</span>
                                <span class="tile-foot"><span class="tile-lean">{lean_label(t.lean)}</span>" · "{term_title}" →"</span>
                            </a>
                        }
                    }).collect_view()}
                </div>
            })}
            </div>
        </div>
    }
}
