//! The area page: the article the build wrote (what a leverage imbalance is, the three facets with their terms),
//! with the Leverage Dynamics dashboard and the share bar mounted where the article marks them.

use leptos::prelude::*;

use super::ArticlePage;
use crate::glossary::OVERVIEW;
use crate::ui::article::ArticleKey;
use crate::ui::components::dynamics_dashboard::DynamicsDashboard;
use crate::ui::components::share::ShareBar;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let island = |kind: &str| match kind {
        "dashboard" => view! { <DynamicsDashboard /> }.into_any(),
        "share" => view! { <ShareBar /> }.into_any(),
        _ => ().into_any(),
    };
    view! { <ArticlePage key=ArticleKey::Overview title=OVERVIEW.title island /> }
}
