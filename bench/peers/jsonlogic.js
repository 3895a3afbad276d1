'use strict';
// json-logic-js peer: each rule is one json-logic expression that yields its amount in U
// (1/100 fen, see common.js) or null when not eligible.
const jsonLogic = require('json-logic-js');
const { run, ready } = require('./common');

const v = (name) => ({ var: name });
const pct = (p, e) => ({ '*': [p, e] });           // p% of a fen amount, in U
const cap = (e, u) => ({ min: [e, u] });
const growthAtLeast = (cur, prev, p) =>            // (cur - prev) / prev >= p%, prev > 0, exact
  ({ and: [{ '>': [v(prev), 0] }, { '>=': [{ '*': [100, { '-': [v(cur), v(prev)] }] }, { '*': [p, v(prev)] }] }] });
const areaIf50 = (k) => ({ if: [{ '>=': [v(k), 5000] }, v(k), 0] });

const UPGRADE = { and: [{ '==': [v('completed_year'), 2023] }, { '>=': [v('investment'), 2e8] }] };

const RULES = {
  // per project completed in the policy year (2023, see common.js), each on its own bracket
  'kc-06-tech-upgrade': { if: [
    { some: [v('tech_upgrade_projects'), UPGRADE] },
    { reduce: [{ filter: [v('tech_upgrade_projects'), UPGRADE] }, { '+': [v('accumulator'),
      { if: [{ '<': [v('current.investment'), 8e8] }, pct(6, v('current.investment')),
        pct(8, v('current.investment'))] }] }, 0] },
    null] },
  'kc-12-rd': { if: [
    { and: [{ '>': [v('main_revenue_1'), 0] },
      { '>=': [{ '*': [100, v('rd_deductible_expense_1')] }, { '*': [3, v('main_revenue_1')] }] }] },
    cap({ if: [{ '==': [v('rd_super_deduction_2'), 0] }, pct(5, v('rd_super_deduction_1')),
      { '+': [pct(5, v('rd_super_deduction_1')),
        pct(5, { max: [0, { '-': [v('rd_super_deduction_1'), v('rd_super_deduction_2')] }] })] }] }, 2e10),
    null] },
  'kc-12-little-giant': { if: [
    { some: [v('certifications'), { '==': [v('type'), 'tech_little_giant'] }] },
    cap(pct(20, v('rd_super_deduction_1')), 1e10), null] },
  'kc-14-industry-university': { if: [
    { and: [{ '>': [v('university_cooperation_fee_0'), 0] }, { '===': [v('university_cooperation_industrialized'), true] }] },
    cap(pct(30, v('university_cooperation_fee_0')), 1e10), null] },
  // 350 yuan per mu: area in hundredths of a mu -> 350 * A yuan/100 = 350 * A * 100 U
  'kc-43-early-rice': { if: [
    { and: [{ '===': [v('large_scale_grain_grower'), true] }, { '>': [v('early_rice_area_0'), 0] }] },
    { '*': [35000, v('early_rice_area_0')] }, null] },
  // 30 yuan per 100 (sold in hundredths): 30 * S / 10000 yuan = 30 * S U
  'kc-43-early-rice-contract': { if: [{ '>': [v('contract_early_rice_sold_0'), 0] },
    { '*': [30, v('contract_early_rice_sold_0')] }, null] },
  // 10亿 = 1e11 fen; 30万 yuan = 3e9 U
  'jj-28-shipping-turnover': { if: [
    { and: [{ '>=': [v('waterway_freight_turnover_0'), 1e11] }, { '<=': [v('waterway_freight_turnover_0'), 3e11] }] }, 3e9,
    { and: [{ '>': [v('waterway_freight_turnover_0'), 3e11] }, { '<=': [v('waterway_freight_turnover_0'), 5.5e11] }] }, 4.5e9,
    { '>': [v('waterway_freight_turnover_0'), 5.5e11] }, 6e9, null] },
  'jj-28-shipping-growth': { if: [
    { '<': [v('waterway_freight_turnover_0'), 1e11] }, null,
    growthAtLeast('waterway_freight_turnover_0', 'waterway_freight_turnover_1', 20), 2e9,
    growthAtLeast('waterway_freight_turnover_0', 'waterway_freight_turnover_1', 10), 1e9, null] },
  'jj-12-rd-growth': { if: [
    { and: [{ '>=': [v('rd_deductible_expense_1'), 1e8] },
      growthAtLeast('rd_deductible_expense_1', 'rd_deductible_expense_2', 15),
      { '===': [v('rd_reported_to_statistics'), true] }] },
    cap(pct(10, v('rd_deductible_expense_1')), 2e10), null] },
  'qj-44-other-grain': { if: [
    { or: ['late_rice_area_0', 'wheat_barley_area_0', 'dryland_grain_area_0', 'rapeseed_area_0']
      .map((k) => ({ '>=': [v(k), 5000] })) },
    { '*': [20000, { '+': ['late_rice_area_0', 'wheat_barley_area_0', 'dryland_grain_area_0', 'rapeseed_area_0']
      .map(areaIf50) }] }, null] },
};
// qj-09: talents whose salary this year is >= 80万 and first subsidised 0..2 years ago; 30% each, capped 100万
jsonLogic.add_operation('talents', (list, py) => (list || []).filter((t) => {
  const s = t.annual_salary && t.annual_salary[String(py)];
  const age = py - t.first_subsidy_year;
  return s !== undefined && Number(s) >= 800000 && age >= 0 && age <= 2;
}).map((t) => Math.round(Number(t.annual_salary[String(py)]) * 100)));
RULES['qj-09-talent-salary'] = { if: [
  { '>': [{ reduce: [{ talents: [v('high_level_talents'), v('py')] }, { '+': [1, v('accumulator')] }, 0] }, 0] },
  cap({ '*': [30, { reduce: [{ talents: [v('high_level_talents'), v('py')] }, { '+': [v('current'), v('accumulator')] }, 0] }] }, 1e10),
  null] };

run((d) => {
  const amounts = {};
  for (const [id, rule] of Object.entries(RULES)) amounts[id] = ready(id, d) ? jsonLogic.apply(rule, d) : null;
  return amounts;
});
