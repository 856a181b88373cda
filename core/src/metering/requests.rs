//! The marketplaces' request bodies, as JSON text, one request per file:
//!
//! | marketplace | API | body | per request |
//! |---|---|---|---|
//! | AWS | Marketplace Metering `BatchMeterUsage` | `{ "ProductCode", "UsageRecords": [{ "Timestamp" (epoch seconds), "CustomerIdentifier", "Dimension", "Quantity" }] }` | ≤ 25 records, < 1 MB |
//! | Azure | Marketplace metering `batchUsageEvent` | `{ "request": [{ "resourceId", "quantity", "dimension", "effectiveStartTime", "planId" }] }` | ≤ 25 events |
//! | Google Cloud | Service Control `services.report` | `{ "operations": [{ "operationId", "operationName", "consumerId", "startTime", "endTime", "metricValueSets": [{ "metricName", "metricValues": [{ "int64Value" }] }] }] }` | ≤ 100 operations (unitcalc's choice), < 1 MB |
//!
//! One record per dimension and hour (what AWS de-duplicates and Azure
//! accepts once); zero quantities are not written (Azure refuses them).
//! Google Cloud operation ids are version 5 UUIDs of the deal's identity,
//! the dimension and the hour, so a report sent twice is one operation.
//! The same records always give the same bytes.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::time::Hour;

use super::meter::{MeterRecord, Metering};
use super::plan::{Identifiers, Marketplace, MeteringPlan};
use super::uuid;

/// AWS and Azure take at most 25 records a request.
pub const MAX_RECORDS: usize = 25;
/// Operations per Google Cloud report request (unitcalc's choice).
pub const MAX_GCP_OPERATIONS: usize = 100;
/// A request body must stay under 1 MB.
pub const MAX_BODY_BYTES: usize = 1_000_000;
/// AWS `Quantity`: an integer 0 to 2,147,483,647.
pub const MAX_AWS_QUANTITY: u64 = 2_147_483_647;
/// What Google Cloud operations are named.
pub const GCP_OPERATION_NAME: &str = "unitcalc/metering";

/// Which hours to write: `[from, to)`, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    /// First hour written (inclusive).
    pub from: Option<Hour>,
    /// End (exclusive).
    pub to: Option<Hour>,
}

impl Window {
    /// True when `h` is in the window.
    pub fn contains(&self, h: Hour) -> bool {
        self.from.is_none_or(|f| h >= f) && self.to.is_none_or(|t| h < t)
    }
}

/// One request: its file name and JSON body (ending in a newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `aws-0001.json`, `azure-0001.json`, `gcp-0001.json`, … in time order.
    pub file_name: String,
    /// The request body.
    pub body: String,
}

/// The requests reporting `metering`'s records in `window` for the plan's
/// marketplace; `deal` (the deal's name) is part of Google Cloud operation
/// ids.
///
/// ```
/// use unitcalc_core::{bundled, deal_toml, metering, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let src = include_str!("../../../tests/fixtures/metering/example-c-azure.toml");
/// let deal = deal_toml::parse_deal(src, "example-c-azure.toml", &m).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let plan = deal.metering.as_ref().unwrap();
/// let (_, metered) = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap();
/// let reqs = metering::requests(plan, &deal.name, &metered, metering::Window::default()).unwrap();
/// // 28 charged hours, 25 events a request.
/// assert_eq!(reqs.iter().map(|r| r.file_name.as_str()).collect::<Vec<_>>(), ["azure-0001.json", "azure-0002.json"]);
/// assert!(reqs[0].body.starts_with("{\n  \"request\": [\n    {\n      \"resourceId\""));
/// ```
pub fn requests(
    plan: &MeteringPlan,
    deal: &str,
    metering: &Metering,
    window: Window,
) -> Result<Vec<Request>> {
    build(plan, deal, metering, window, true)
}

/// The same requests as JSON Lines: each request body compact, on a line of
/// its own, in file order (the browser's one download of them all).
///
/// ```
/// use unitcalc_core::{bundled, deal_toml, metering, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let src = include_str!("../../../tests/fixtures/metering/example-c-azure.toml");
/// let deal = deal_toml::parse_deal(src, "example-c-azure.toml", &m).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let plan = deal.metering.as_ref().unwrap();
/// let (_, metered) = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap();
/// let lines = metering::requests::jsonl(plan, &deal.name, &metered, metering::Window::default()).unwrap();
/// assert_eq!(lines.lines().count(), 2); // azure-0001.json, azure-0002.json
/// assert!(lines.starts_with("{\"request\":[{\"resourceId\":"));
/// ```
pub fn jsonl(
    plan: &MeteringPlan,
    deal: &str,
    metering: &Metering,
    window: Window,
) -> Result<String> {
    Ok(build(plan, deal, metering, window, false)?
        .into_iter()
        .map(|r| r.body)
        .collect())
}

/// The requests, each body pretty (files) or compact (JSON Lines), ending in
/// a newline.
fn build(
    plan: &MeteringPlan,
    deal: &str,
    metering: &Metering,
    window: Window,
    pretty: bool,
) -> Result<Vec<Request>> {
    let records: Vec<&MeterRecord> = metering
        .records
        .iter()
        .filter(|r| r.quantity > 0 && window.contains(r.hour))
        .collect();
    let market = plan.marketplace();
    let per = match market {
        Marketplace::Gcp => MAX_GCP_OPERATIONS,
        Marketplace::Aws | Marketplace::Azure => MAX_RECORDS,
    };
    let mut out = Vec::new();
    for (i, chunk) in records.chunks(per).enumerate() {
        let body = match &plan.identifiers {
            Identifiers::Aws {
                product_code,
                customer_identifier,
            } => json(
                &AwsBody {
                    product_code,
                    usage_records: chunk
                        .iter()
                        .map(|r| {
                            Ok(AwsRecord {
                                timestamp: r.hour.0.saturating_mul(3600),
                                customer_identifier,
                                dimension: dimension(plan, r)?,
                                quantity: aws_quantity(plan, r)?,
                            })
                        })
                        .collect::<Result<_>>()?,
                },
                pretty,
            )?,
            Identifiers::Azure {
                resource_id,
                plan_id,
            } => json(
                &AzureBody {
                    request: chunk
                        .iter()
                        .map(|r| {
                            Ok(AzureEvent {
                                resource_id,
                                quantity: r.quantity,
                                dimension: dimension(plan, r)?,
                                effective_start_time: r.hour.to_string(),
                                plan_id,
                            })
                        })
                        .collect::<Result<_>>()?,
                },
                pretty,
            )?,
            Identifiers::Gcp {
                service_name,
                consumer_id,
            } => json(
                &GcpBody {
                    operations: chunk
                        .iter()
                        .map(|r| {
                            let dim = dimension(plan, r)?;
                            Ok(GcpOperation {
                                operation_id: uuid::v5(
                                    &uuid::NAMESPACE_URL,
                                    &operation_name(service_name, consumer_id, deal, dim, r.hour),
                                ),
                                operation_name: GCP_OPERATION_NAME,
                                consumer_id,
                                start_time: r.hour.to_string(),
                                end_time: Hour(r.hour.0.saturating_add(1)).to_string(),
                                metric_value_sets: vec![GcpMetricSet {
                                    metric_name: format!("{service_name}/{dim}"),
                                    metric_values: vec![GcpValue {
                                        int64_value: r.quantity.to_string(),
                                    }],
                                }],
                            })
                        })
                        .collect::<Result<_>>()?,
                },
                pretty,
            )?,
        };
        if body.len() >= MAX_BODY_BYTES {
            return Err(Error::Metering {
                message: format!(
                    "request {} for {} is {} bytes; a request must stay under {MAX_BODY_BYTES}",
                    i.saturating_add(1),
                    market.as_str(),
                    body.len()
                ),
            });
        }
        out.push(Request {
            file_name: format!("{}-{:04}.json", market.as_str(), i.saturating_add(1)),
            body,
        });
    }
    Ok(out)
}

/// The name a Google Cloud operation id is derived from: the deal's
/// identity (service, consumer, deal name), the dimension and the hour.
///
/// ```
/// use unitcalc_core::metering::requests::operation_name;
/// use unitcalc_core::time::Hour;
/// let h = Hour::parse_rfc3339("2026-03-13T00:00:00Z").unwrap();
/// assert_eq!(
///     operation_name("svc.example.com", "project:acme", "Acme", "overage", h),
///     "unitcalc:metering:svc.example.com:project:acme:Acme:overage:2026-03-13T00:00:00Z"
/// );
/// ```
pub fn operation_name(service: &str, consumer: &str, deal: &str, dim: &str, hour: Hour) -> String {
    format!("unitcalc:metering:{service}:{consumer}:{deal}:{dim}:{hour}")
}

fn dimension<'a>(plan: &'a MeteringPlan, r: &MeterRecord) -> Result<&'a str> {
    plan.dimensions
        .get(r.dimension)
        .map(|d| d.name.as_str())
        .ok_or_else(|| Error::Metering {
            message: format!(
                "record for dimension {} of {}",
                r.dimension,
                plan.dimensions.len()
            ),
        })
}

fn aws_quantity(plan: &MeteringPlan, r: &MeterRecord) -> Result<u64> {
    if r.quantity > MAX_AWS_QUANTITY {
        return Err(Error::Metering {
            message: format!(
                "dimension `{}` at {}: quantity {} is above AWS's limit {MAX_AWS_QUANTITY}",
                dimension(plan, r)?,
                r.hour,
                r.quantity
            ),
        });
    }
    Ok(r.quantity)
}

fn json<T: Serialize>(body: &T, pretty: bool) -> Result<String> {
    if pretty {
        serde_json::to_string_pretty(body)
    } else {
        serde_json::to_string(body)
    }
    .map(|s| s + "\n")
    .map_err(|e| Error::Metering {
        message: format!("writing a request: {e}"),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AwsBody<'a> {
    product_code: &'a str,
    usage_records: Vec<AwsRecord<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AwsRecord<'a> {
    /// Seconds since the epoch: how the API's JSON protocol writes a
    /// timestamp (the AWS CLI's `--cli-input-json` reads it too).
    timestamp: i64,
    customer_identifier: &'a str,
    dimension: &'a str,
    quantity: u64,
}

#[derive(Serialize)]
struct AzureBody<'a> {
    request: Vec<AzureEvent<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AzureEvent<'a> {
    resource_id: &'a str,
    quantity: u64,
    dimension: &'a str,
    effective_start_time: String,
    plan_id: &'a str,
}

#[derive(Serialize)]
struct GcpBody<'a> {
    operations: Vec<GcpOperation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GcpOperation<'a> {
    operation_id: String,
    operation_name: &'a str,
    consumer_id: &'a str,
    start_time: String,
    end_time: String,
    metric_value_sets: Vec<GcpMetricSet>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GcpMetricSet {
    metric_name: String,
    metric_values: Vec<GcpValue>,
}

/// An int64 is a string in the API's JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GcpValue {
    int64_value: String,
}
