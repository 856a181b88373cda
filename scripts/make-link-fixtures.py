#!/usr/bin/env python3
"""Writes the share-link fixtures of the bad-input catalogue
(tests/fixtures/bad/link/NAME.link), each a broken or tampered variant of the
worked-example-C link (fuzz/corpus/share_link/example-c). The expected errors
(.err) are snapshots written by the test with UPDATE_SNAPSHOTS=1; review them.

    python3 scripts/make-link-fixtures.py
"""
import base64
import copy
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/bad/link"
seed = (ROOT / "fuzz/corpus/share_link/example-c").read_text().strip()
assert seed.startswith("#v1.")
good = json.loads(base64.urlsafe_b64decode(seed[4:] + "=" * (-len(seed[4:]) % 4)))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def link(obj) -> str:
    return "#v1." + b64(json.dumps(obj, separators=(",", ":")).encode())


def mutate(f):
    s = copy.deepcopy(good)
    f(s)
    return link(s)


def offer(s):
    return s["offers"][0]


def cell(s):
    return s["usage"]["cells"][0]


raw_json = json.dumps(good, separators=(",", ":")).encode()
fixtures = {
    "not-a-link": "hello",
    "empty-fragment": "#",
    "no-version": "#" + b64(raw_json),
    "version-2": "#v2." + b64(raw_json),
    "version-0": "#v0." + b64(raw_json),
    "bad-base64-char": "#v1.eyJ2ZXJz@W9uIjox",
    "cut-mid-quantum": seed[:4 + 9],  # 9 base64 chars: one dangling
    "truncated-json": "#v1." + b64(raw_json[: len(raw_json) // 2]),
    "not-utf8": "#v1." + b64(b"\xff\xfe{\"version\":1}"),
    "json-array": "#v1." + b64(b"[1,2,3]"),
    "unknown-field": mutate(lambda s: s.update(colour="red")),
    "number-for-string": mutate(lambda s: s.update(term_months=12)),
    "float-fee": mutate(lambda s: offer(s).update(monthly_fee=40000.0)),
    "fee-with-comma": mutate(lambda s: offer(s).update(monthly_fee="40,000")),
    "negative-fee": mutate(lambda s: offer(s).update(monthly_fee="-1")),
    "unknown-use-case": mutate(lambda s: offer(s)["entitlements"][0].update(cell="capacity/azure/cold")),
    "not-offered-cell": mutate(lambda s: cell(s).update(cell="capacity/aws/archive")),
    "cell-two-parts": mutate(lambda s: cell(s).update(cell="capacity/azure")),
    "term-1200-months": mutate(lambda s: s.update(term_months="1200")),
    "term-start-not-a-date": mutate(lambda s: s.update(term_start="2026-02-30")),
    "no-offers": mutate(lambda s: s.update(offers=[])),
    "five-offers": mutate(lambda s: s.update(offers=[dict(offer(s), name=f"o{i}") for i in range(5)])),
    "duplicate-offer-names": mutate(lambda s: s.update(offers=[offer(s), dict(offer(s))])),
    "direct-channel-typo": mutate(lambda s: s.update(channel="on-prem")),
    "unknown-bundled-matrix": mutate(lambda s: s.update(matrix={"bundled": "spec-x"})),
    "custom-matrix-float": mutate(lambda s: s.update(matrix={"custom": (ROOT / "matrices/spec-m.toml").read_text().replace('list_price = "1.00"', "list_price = 1.00")})),
    "burst-off-the-hour": mutate(lambda s: cell(s)["bursts"][0].update(start="2026-03-10T00:30:00Z")),
    "burst-outside-term": mutate(lambda s: cell(s)["bursts"][0].update(start="2030-01-01T00:00:00Z")),
    "negative-baseline": mutate(lambda s: cell(s).update(baseline="-500")),
    "grace-hours-huge": mutate(lambda s: offer(s).update(grace_hours="99999999999")),
    "discount-above-one": mutate(lambda s: s["offers"].append(dict(offer(s), name="payg", kind="pay-as-you-go", discount="1.5"))),
}
OUT.mkdir(parents=True, exist_ok=True)
for name, text in fixtures.items():
    (OUT / f"{name}.link").write_text(text + "\n")
print(f"wrote {len(fixtures)} fixtures to {OUT.relative_to(ROOT)}")
