//! Value charts (scatter, curve) and the network diagram on empty, single-point, constant, NaN-containing,
//! huge and contradictory inputs: a valid chart or a clear placeholder, never a panic or a NaN.

use super::support::{assert_valid, draw_checked};
use crate::chart::*;

const NAN: f64 = f64::NAN;

fn scatter(
    xs: &[f64],
    ys: &[f64],
    fit: Option<LinearFit>,
) -> Result<(String, ChartLayout), ChartError> {
    let spec = ScatterSpec {
        xs,
        ys,
        points_label: "Observations",
        fit,
        fit_label: "Fit",
        x_axis: ValueAxis::new("OFI", Unit::Plain),
        y_axis: ValueAxis::new("ΔP, %", Unit::Percent),
    };
    draw_checked(400, 300, |a| {
        draw_scatter(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    })
}

#[test]
fn scatter_edge_cases() {
    assert!(scatter(&[], &[], None).unwrap().1.placeholder.is_some());
    assert!(
        scatter(&[NAN, 1.0], &[1.0, NAN], None)
            .unwrap()
            .1
            .placeholder
            .is_some()
    );
    assert!(matches!(
        scatter(&[1.0], &[], None),
        Err(ChartError::InvalidSpec(_))
    ));
    let nan_fit = Some(LinearFit {
        slope: NAN,
        intercept: 0.0,
    });
    for (xs, ys) in [
        (vec![1.0], vec![2.0]),
        (vec![3.0; 4], vec![3.0; 4]),
        (vec![1.0, NAN, 2.0], vec![1.0, 5.0, f64::INFINITY]),
    ] {
        let (svg, layout) = scatter(&xs, &ys, nan_fit).unwrap();
        assert_valid(&svg, &layout);
    }
    let xs: Vec<f64> = (0..100_000).map(|i| f64::from(i % 1000)).collect();
    let (svg, layout) = scatter(
        &xs,
        &xs,
        Some(LinearFit {
            slope: 1.0,
            intercept: 0.0,
        }),
    )
    .unwrap();
    assert_valid(&svg, &layout);
    assert!(
        svg.matches("<circle").count() < 2_000,
        "overlapping markers are drawn once"
    );
}

fn curve(
    curves: Vec<CurveSeries>,
    markers: Vec<VerticalMarker>,
) -> Result<(String, ChartLayout), ChartError> {
    let spec = CurveSpec {
        curves,
        markers,
        x_axis: ValueAxis::new("Price, USD", Unit::Usd),
        y_axis: ValueAxis::new("P&L, USD", Unit::Usd),
        zero_line: true,
    };
    draw_checked(400, 200, |a| {
        draw_curve(a, &spec, &ChartTheme::light(), PixelScale::ONE)
    })
}

#[test]
fn curve_edge_cases() {
    let entry = || {
        vec![VerticalMarker {
            x: 100.0,
            label: "Entry",
            tone: Tone::Neutral,
        }]
    };
    assert!(curve(vec![], entry()).unwrap().1.placeholder.is_some());
    assert!(
        curve(vec![CurveSeries::new("c", &[NAN], &[1.0])], vec![])
            .unwrap()
            .1
            .placeholder
            .is_some()
    );
    assert!(matches!(
        curve(vec![CurveSeries::new("c", &[1.0], &[])], vec![]),
        Err(ChartError::InvalidSpec(_))
    ));
    let cases: [(&[f64], &[f64]); 3] = [
        (&[100.0], &[5.0]),
        (&[1.0, 2.0, 3.0], &[7.0; 3]),
        (&[1.0, 2.0, NAN, 4.0], &[1.0, NAN, 3.0, 4.0]),
    ];
    for (xs, ys) in cases {
        let (svg, layout) = curve(vec![CurveSeries::new("c", xs, ys)], entry()).unwrap();
        assert_valid(&svg, &layout);
        assert!(layout.placeholder.is_none());
    }
    let hidden = CurveSeries {
        hidden: true,
        ..CurveSeries::new("c", &[1.0, 2.0], &[1.0, 2.0])
    };
    let (_, layout) = curve(vec![hidden], vec![]).unwrap();
    assert!(layout.placeholder.is_none() && layout.hit_targets.len() == 1);
}

#[test]
fn network_edge_cases() {
    let node = |label| NetworkNode {
        label,
        state: NodeState::Solvent,
        size: NAN,
    };
    let draw = |nodes: Vec<NetworkNode<'static>>, edges: Vec<NetworkEdge>| {
        let spec = NetworkSpec { nodes, edges };
        draw_checked(300, 300, |a| {
            draw_network(a, &spec, &ChartTheme::dark(), PixelScale::ONE)
        })
    };
    assert!(draw(vec![], vec![]).unwrap().1.placeholder.is_some());
    assert!(matches!(
        draw(
            vec![node("a")],
            vec![NetworkEdge {
                from: 0,
                to: 1,
                weight: 1.0
            }]
        ),
        Err(ChartError::InvalidSpec(_))
    ));
    let odd_edges = vec![
        NetworkEdge {
            from: 0,
            to: 0,
            weight: 1.0,
        },
        NetworkEdge {
            from: 0,
            to: 1,
            weight: NAN,
        },
        NetworkEdge {
            from: 1,
            to: 0,
            weight: -2.0,
        },
    ];
    let (svg, layout) = draw(vec![node("a"), node("b")], odd_edges).unwrap();
    assert_valid(&svg, &layout);
    assert!(
        !svg.contains("<polyline"),
        "self-loops and bad weights are not drawn"
    );
    let (svg, layout) = draw(vec![node("alone")], vec![]).unwrap();
    assert_valid(&svg, &layout);
}
