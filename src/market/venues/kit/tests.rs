use super::*;

#[test]
fn windows_tile_the_range_oldest_first() {
    assert_eq!(
        windows(Venue::Okx, 0, 9, 3, 1, None).unwrap(),
        [(0, 2), (3, 5), (6, 8), (9, 9)]
    );
    assert_eq!(windows(Venue::Okx, 7, 7, 3, 1, None).unwrap(), [(7, 7)]);
    // History measured back from `to`: 5 ms kept.
    assert_eq!(
        windows(Venue::Okx, 0, 99, 3, 1, Some(5)).unwrap(),
        [(95, 97), (98, 99)]
    );
    // More than MAX_PAGES pages: the newest 50 are kept.
    let pages = windows(Venue::Okx, 0, 1_000, 2, 1, None).unwrap();
    assert_eq!(
        (pages.len(), pages[0], pages[49]),
        (50, (901, 902), (999, 1_000))
    );
    assert!(windows(Venue::Okx, 5, 4, 3, 1, None).is_err());
    assert!(windows(Venue::Okx, -10, -1, 3, 1, None).is_err());
    assert_eq!(windows(Venue::Okx, -10, 1, 3, 1, None).unwrap(), [(0, 1)]);
    let extreme = windows(
        Venue::Okx,
        i64::MIN,
        i64::MAX,
        i64::MAX,
        i64::MAX,
        Some(i64::MAX),
    )
    .unwrap();
    assert_eq!(extreme, [(1, i64::MAX)]);
}

#[test]
fn funding_intervals_follow_the_spacing() {
    let h = HOUR_MS;
    assert_eq!(
        funding_intervals(&[0, 8 * h, 16 * h + 1], 8.0),
        [8.0, 8.0, 8.0]
    );
    assert_eq!(funding_intervals(&[0, 4 * h, 8 * h], 8.0), [4.0, 4.0, 4.0]);
    // A switch from 8 h to 1 h, and a missing payment (16 h gap) that falls back to the default.
    assert_eq!(
        funding_intervals(&[0, 8 * h, 9 * h, 25 * h], 8.0),
        [8.0, 8.0, 1.0, 8.0]
    );
    assert_eq!(funding_intervals(&[5], 8.0), [8.0]);
    assert_eq!(funding_intervals(&[i64::MIN, i64::MAX], 8.0), [8.0, 8.0]);
    assert_eq!(hours_between(0, 8 * h + 1), Some(8.0));
    assert_eq!(hours_between(0, 30 * h), None);
    assert_eq!(hours_between(8 * h, 0), None);
    assert_eq!(hours_between(i64::MIN, i64::MAX), None);
}

#[test]
fn cells_and_optional_times_decode_leniently() {
    let row: Vec<Value> =
        serde_json::from_str(r#"["1795114800000", 12, "0.5", "NaN", null]"#).unwrap();
    assert_eq!(
        cell_time(Venue::Okx, &row, 0, "t").unwrap(),
        1_795_114_800_000
    );
    assert_eq!(cell_num(Venue::Okx, &row, 1, "n").unwrap(), 12.0);
    assert_eq!(cell_num(Venue::Okx, &row, 2, "n").unwrap(), 0.5);
    for i in [3, 4, 5] {
        assert!(matches!(
            cell_num(Venue::Okx, &row, i, "n"),
            Err(ParseError::Shape { .. })
        ));
    }
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "opt_time")]
        t: Option<i64>,
    }
    let t = |json: &str| serde_json::from_str::<T>(json).map(|x| x.t).ok();
    assert_eq!(t(r#"{"t":"1795114800000"}"#), Some(Some(1_795_114_800_000)));
    assert_eq!(
        (
            t("{}"),
            t(r#"{"t":""}"#),
            t(r#"{"t":"0"}"#),
            t(r#"{"t":null}"#)
        ),
        (Some(None), Some(None), Some(None), Some(None))
    );
    assert_eq!(t(r#"{"t":"soon"}"#), None);
}
