//! CSV of the data in view, for the chart's "Export CSV" button: one row per timestamp, ISO-8601 UTC times,
//! one column per visible series, empty cells where a series has no value.

/// Builds the CSV text. `columns[i][j]` is series i at `times_ms[j]`; NaN becomes an empty cell. Header cells
/// are quoted when needed, and a leading `= + - @` is neutralised so a spreadsheet never runs it as a formula
/// (OWASP "CSV injection").
pub fn to_csv(
    time_header: &str,
    headers: &[String],
    times_ms: &[i64],
    columns: &[Vec<f64>],
    iso: impl Fn(i64) -> String,
) -> String {
    let mut out = String::new();
    out.push_str(&cell(time_header));
    for h in headers {
        out.push(',');
        out.push_str(&cell(h));
    }
    out.push('\n');
    for (j, &t) in times_ms.iter().enumerate() {
        out.push_str(&iso(t));
        for column in columns {
            out.push(',');
            if let Some(v) = column.get(j).filter(|v| v.is_finite()) {
                out.push_str(&v.to_string());
            }
        }
        out.push('\n');
    }
    out
}

fn cell(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_empty_cells() {
        let csv = to_csv(
            "time",
            &["funding (%/8h)".to_string(), "OI, BTC".to_string()],
            &[0, 3_600_000],
            &[vec![0.01, f64::NAN], vec![100.5, 101.0]],
            |t| t.to_string(),
        );
        assert_eq!(
            csv,
            "time,funding (%/8h),\"OI, BTC\"\n0,0.01,100.5\n3600000,,101\n"
        );
    }

    #[test]
    fn formulas_in_names_are_neutralised() {
        let csv = to_csv("t", &["=HYPERLINK(\"x\")".to_string()], &[], &[], |t| {
            t.to_string()
        });
        assert_eq!(csv, "t,\"'=HYPERLINK(\"\"x\"\")\"\n");
    }
}
