'use strict';
// json-rules-engine peer: conditions are json-rules-engine rules (one per bracket or branch);
// each rule's event names how to compute the amount in U (1/100 fen, see common.js).
const { Engine } = require('json-rules-engine');
const { run, ready } = require('./common');

const engine = new Engine([], { allowUndefinedFacts: true });
// exact ratio and growth comparisons, cross-multiplied on integers: value is [numerator fact, denominator fact, pct]
engine.addOperator('ratioAtLeast', (d, [a, b, p]) => d[b] > 0 && 100 * d[a] >= p * d[b]);
engine.addOperator('growthAtLeast', (d, [a, b, p]) => d[b] > 0 && 100 * (d[a] - d[b]) >= p * d[b]);
engine.addOperator('hasCert', (certs, type) => Array.isArray(certs) && certs.some((c) => c.type === type));
const talents = (list, py) => (list || []).filter((t) => {
  const s = t.annual_salary && t.annual_salary[String(py)];
  const age = py - t.first_subsidy_year;
  return s !== undefined && Number(s) >= 800000 && age >= 0 && age <= 2;
}).map((t) => Math.round(Number(t.annual_salary[String(py)]) * 100));
engine.addOperator('hasTalent', (d, _) => talents(d.high_level_talents, d.py).length > 0);
// 技改 projects completed in the policy year at 200万 or more: each its own bracket, in U
const upgrades = (list, py) => (list || []).filter((t) => t.completed_year === py && t.investment >= 2e8)
  .map((t) => (t.investment < 8e8 ? 6 : 8) * t.investment);
engine.addOperator('hasUpgrade', (d, _) => upgrades(d.tech_upgrade_projects, d.py).length > 0);

const c = (fact, operator, value) => ({ fact, operator, value });
const all = (...x) => ({ all: x });
let priority = 100;
const rule = (conditions, params) => engine.addRule({ conditions, event: { type: 'award', params }, priority: priority-- });

const WFT = 'waterway_freight_turnover_0';
rule(all(c('d', 'hasUpgrade', true)), { id: 'kc-06-tech-upgrade', kind: 'upgrades' });
rule(all(c('d', 'ratioAtLeast', ['rd_deductible_expense_1', 'main_revenue_1', 3])), { id: 'kc-12-rd', kind: 'kc12rd', cap: 2e10 });
rule(all(c('certifications', 'hasCert', 'tech_little_giant')), { id: 'kc-12-little-giant', pct: 20, of: 'rd_super_deduction_1', cap: 1e10 });
rule(all(c('university_cooperation_fee_0', 'greaterThan', 0), c('university_cooperation_industrialized', 'equal', true)),
  { id: 'kc-14-industry-university', pct: 30, of: 'university_cooperation_fee_0', cap: 1e10 });
rule(all(c('large_scale_grain_grower', 'equal', true), c('early_rice_area_0', 'greaterThan', 0)),
  { id: 'kc-43-early-rice', pct: 35000, of: 'early_rice_area_0' });            // 350 yuan/mu, see jsonlogic.js
rule(all(c('contract_early_rice_sold_0', 'greaterThan', 0)), { id: 'kc-43-early-rice-contract', pct: 30, of: 'contract_early_rice_sold_0' });
rule(all(c(WFT, 'greaterThanInclusive', 1e11), c(WFT, 'lessThanInclusive', 3e11)), { id: 'jj-28-shipping-turnover', u: 3e9 });
rule(all(c(WFT, 'greaterThan', 3e11), c(WFT, 'lessThanInclusive', 5.5e11)), { id: 'jj-28-shipping-turnover', u: 4.5e9 });
rule(all(c(WFT, 'greaterThan', 5.5e11)), { id: 'jj-28-shipping-turnover', u: 6e9 });
rule(all(c(WFT, 'greaterThanInclusive', 1e11), c('d', 'growthAtLeast', [WFT, 'waterway_freight_turnover_1', 20])), { id: 'jj-28-shipping-growth', u: 2e9 });
rule(all(c(WFT, 'greaterThanInclusive', 1e11), c('d', 'growthAtLeast', [WFT, 'waterway_freight_turnover_1', 10])), { id: 'jj-28-shipping-growth', u: 1e9 });
rule(all(c('rd_deductible_expense_1', 'greaterThanInclusive', 1e8), c('d', 'growthAtLeast', ['rd_deductible_expense_1', 'rd_deductible_expense_2', 15]),
  c('rd_reported_to_statistics', 'equal', true)), { id: 'jj-12-rd-growth', pct: 10, of: 'rd_deductible_expense_1', cap: 2e10 });
const AREAS = ['late_rice_area_0', 'wheat_barley_area_0', 'dryland_grain_area_0', 'rapeseed_area_0'];
rule({ any: AREAS.map((k) => c(k, 'greaterThanInclusive', 5000)) }, { id: 'qj-44-other-grain', kind: 'areas' });
rule(all(c('d', 'hasTalent', true)), { id: 'qj-09-talent-salary', kind: 'talents', cap: 1e10 });

function amount(p, d) {
  let u;
  if (p.u !== undefined) u = p.u;
  else if (p.kind === 'kc12rd') {
    const y1 = d.rd_super_deduction_1, y2 = d.rd_super_deduction_2;
    u = y2 === 0 ? 5 * y1 : 5 * y1 + 5 * Math.max(0, y1 - y2);
  } else if (p.kind === 'areas') u = 20000 * AREAS.reduce((s, k) => s + (d[k] >= 5000 ? d[k] : 0), 0);
  else if (p.kind === 'upgrades') u = upgrades(d.tech_upgrade_projects, d.py).reduce((a, b) => a + b, 0);
  else if (p.kind === 'talents') u = 30 * talents(d.high_level_talents, d.py).reduce((a, b) => a + b, 0);
  else u = p.pct * d[p.of];
  return p.cap !== undefined ? Math.min(u, p.cap) : u;
}

run(async (d) => {
  const facts = Object.assign({ d }, d);
  const { events } = await engine.run(facts);
  const amounts = {};
  for (const e of events) {        // first matching bracket/branch wins (priority order)
    const p = e.params;
    if (!(p.id in amounts) && ready(p.id, d)) amounts[p.id] = amount(p, d);
  }
  return amounts;
});
