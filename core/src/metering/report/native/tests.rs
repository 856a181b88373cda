use super::*;
use crate::metering::plan::Identifiers;

fn plan() -> MeteringPlan {
    MeteringPlan {
        offer: 0,
        identifiers: Identifiers::Gcp {
            service_name: "svc".into(),
            consumer_id: "project:p".into(),
        },
        dimensions: vec![],
    }
}

/// Every malformed value names the file, the line or record, and the
/// value.
#[test]
fn errors_name_the_file_the_place_and_the_value() {
    let aws = |status: &str, ts: &str, q: &str| {
        format!(
            r#"{{"Results": [{{"Status": "{status}", "UsageRecord": {{"Timestamp": {ts}, "Dimension": "d", "Quantity": {q}}}}}]}}"#
        )
    };
    let az = "effectiveStartTime,dimension,submittedQuantity,processedQuantity,reconStatus\n";
    let gcp = "Time (UTC),operationID,startTime,endTime,consumerId,metricName,metricValue\n";
    let table: Vec<(String, Option<ReportFormat>, &str)> = vec![
        (aws("Success", "1773360000", "7"), None, ""),
        (aws("Lost", "1773360000", "7"), None, "r: Results[0].Status `Lost` (expected Success, CustomerNotSubscribed or DuplicateRecord)"),
        (aws("Success", "1773360060", "7"), None, "r: Results[0].UsageRecord.Timestamp `1773360060` is not a UTC hour (RFC 3339 or seconds since the epoch, on the hour)"),
        (aws("Success", "\"2026-03-13T00:30:00Z\"", "7"), None, "r: Results[0].UsageRecord.Timestamp `2026-03-13T00:30:00Z` is not a UTC hour (RFC 3339 or seconds since the epoch, on the hour)"),
        (aws("Success", "1773360000", "7.5"), None, "r: Results[0].UsageRecord.Quantity `7.5` is not a whole number ≥ 0"),
        (aws("Success", "1773360000", "-1"), None, "r: Results[0].UsageRecord.Quantity `-1` is not a whole number ≥ 0"),
        ("{\"Results\": [".into(), Some(ReportFormat::Aws), "r:1:13: not valid JSON: EOF while parsing a list"),
        (r#"{"result": [{"status": "Maybe", "dimension": "d", "quantity": 1, "effectiveStartTime": "2026-03-13T00:00:00Z"}]}"#.into(), None,
         "r: result[0].status `Maybe` (expected Accepted, Duplicate, Expired, Error, ResourceNotFound, ResourceNotAuthorized, ResourceNotActive, InvalidDimension, InvalidQuantity or BadArgument)"),
        (r#"{"result": [{"status": "Accepted", "quantity": 1, "effectiveStartTime": "2026-03-13T00:00:00Z"}]}"#.into(), None, "r: result[0]: no dimension"),
        (format!("{az}2026-03-13T00:00:00Z,d,7,7,Accepted\n"), None, ""),
        (format!("{az}2026-03-13T00:00:00Z,d,7,7,Pending\n"), None, "r:2: reconStatus `Pending` (expected Submitted, Accepted, Mismatch, Rejected or Duplicate)"),
        (format!("{az}2026-03-13T00:00:00Z,d,7,6.5,Mismatch\n"), None, "r:2: processedQuantity `6.5` is not a whole number ≥ 0"),
        (format!("{az}\n2026-03-13,d,7,7,Accepted\n"), None, "r:3: effectiveStartTime `2026-03-13` is not a UTC hour (RFC 3339 on the hour)"),
        (format!("{az}2026-03-13T00:00:00Z,d,7,7\n"), None, "r:2: expected 5 fields, got 4"),
        (format!("{az}2026-03-13T00:00:00Z,\"d,7,7,Accepted\n"), None, "r:2: unterminated quoted field in `2026-03-13T00:00:00Z,\"d,7,7,Accepted` (quoted fields cannot span lines)"),
        ("reconStatus,dimension\n".into(), None, "r:1: no `effectiveStartTime` column in the header `reconStatus,dimension`"),
        (format!("{gcp}t,op,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,svc/d,7\n"), None, ""),
        (format!("{gcp}t,op,2026-03-13T00:00:00Z,2026-03-13T02:00:00Z,project:p,svc/d,7\n"), None, "r:2: endTime 2026-03-13T02:00:00Z is not one hour after startTime 2026-03-13T00:00:00Z"),
        (format!("{gcp}t,op,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,svc/d,x7\n"), None, "r:2: metricValue `x7` is not a whole number ≥ 0"),
    ];
    for (text, format, want) in table {
        let got = read(&text, "r", format, &plan()).map(|_| String::new());
        let got = got.unwrap_or_else(|e| e.to_string());
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn gcp_rows_lose_the_service_prefix_and_a_second_operation_is_a_duplicate() {
    let log = "Time (UTC),operationID,startTime,endTime,consumerId,metricName,metricValue\n\
               t,a,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,svc/d,7\n\
               t,a,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,svc/d,7\n\
               t,b,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,other/d,1\n";
    let (format, rows) = read(log, "r", None, &plan()).unwrap();
    assert_eq!(format, ReportFormat::GcpLog);
    let got: Vec<(&str, Status)> = rows
        .iter()
        .map(|r| (r.dimension.as_str(), r.status))
        .collect();
    assert_eq!(
        got,
        [
            ("d", Status::Accepted),
            ("d", Status::Duplicate),
            ("other/d", Status::Accepted)
        ]
    );
}

/// Two Google Cloud operations (two ids) for one hour and dimension:
/// Google bills both, the reconciliation reports one duplicate that
/// bills the first operation's quantity only (docs/metering.md).
#[test]
fn two_gcp_operations_for_one_hour_are_one_duplicate_billing_the_first() {
    use crate::metering::plan::{Dimension, DimensionUnit};
    use crate::metering::report::{check_report, Outcome};
    use crate::metering::{MeterRecord, Window};
    let mut plan = plan();
    plan.dimensions = vec![Dimension {
        name: "d".into(),
        unit: DimensionUnit::Money,
        price: "0.01".parse().unwrap(),
        cells: vec![],
    }];
    let log = "Time (UTC),operationID,startTime,endTime,consumerId,metricName,metricValue\n\
               t,a,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,svc/d,7\n\
               t,b,2026-03-13T00:00:00Z,2026-03-13T01:00:00Z,project:p,svc/d,5\n";
    let (_, rows) = read(log, "r", None, &plan).unwrap();
    assert!(rows.iter().all(|r| r.status == Status::Accepted));
    let sent = [MeterRecord {
        dimension: 0,
        hour: rows[0].hour,
        quantity: 7,
    }];
    let checks = check_report(&plan, &sent, Window::default(), &rows).unwrap();
    assert_eq!(checks.len(), 1, "one finding for the hour and dimension");
    let c = &checks[0];
    assert_eq!(
        (c.outcome, c.reported.clone(), c.billed),
        (Outcome::Duplicate, vec![7, 5], 7)
    );
    // Google bills 12 cents; the effect counts the first write only.
    assert_eq!(c.effect.unwrap().to_string(), "0.00");
}
