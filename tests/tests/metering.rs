//! Marketplace metering end to end: the metered fixture deals of
//! `tests/fixtures/metering/` (worked example C through Azure, AWS and
//! Google Cloud; a pay-as-you-go deal through Azure) read, resolved and
//! written back.

use unitcalc_core::deal_toml;
use unitcalc_core::metering::Marketplace;
use unitcalc_tests::deals::{load_deal, LoadedDeal};
use unitcalc_tests::path;

/// The metered fixture deals and the marketplace each reports to.
const DEALS: [(&str, Marketplace); 4] = [
    ("example-c-azure", Marketplace::Azure),
    ("example-c-aws", Marketplace::Aws),
    ("example-c-gcp", Marketplace::Gcp),
    ("payg-azure", Marketplace::Azure),
];

fn load(name: &str) -> LoadedDeal {
    load_deal(path(format!("tests/fixtures/metering/{name}.toml")))
}

#[test]
fn metered_deals_resolve_their_plan_and_round_trip() {
    for (name, market) in DEALS {
        let loaded = load(name);
        let plan = loaded.deal.metering.as_ref().expect("a metering plan");
        assert_eq!(plan.marketplace(), market, "{name}");
        let written = deal_toml::to_toml(&loaded.deal, &loaded.matrix);
        assert_eq!(
            deal_toml::parse_deal(&written, "written", &loaded.matrix)
                .unwrap_or_else(|e| panic!("{name} as written: {e}")),
            loaded.deal,
            "{name}: to_toml round trip"
        );
    }
}
