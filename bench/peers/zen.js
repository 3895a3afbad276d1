'use strict';
// GoRules ZEN peer (@gorules/zen-engine 0.54, its fastest mode: evaluateExpressionSync, one ZEN
// expression per rule evaluated against the flattened profile). Each expression yields the rule's
// amount in U (1/100 fen, see common.js) or null when not eligible. ZEN computes in exact decimals
// (rust_decimal), and every value here is an integer below 2^53, so amounts are exact as in the
// other peers.
const { evaluateExpressionSync } = require('@gorules/zen-engine');
const { run, ready } = require('./common');

const UPGRADE = '#.completed_year == 2023 and #.investment >= 200000000';
const growthAtLeast = (cur, prev, p) => `(${prev} > 0 and 100 * (${cur} - ${prev}) >= ${p} * ${prev})`;
const GRAIN = ['late_rice_area_0', 'wheat_barley_area_0', 'dryland_grain_area_0', 'rapeseed_area_0'];

const RULES = {
  // per project completed in the policy year (2023, see common.js), each on its own bracket
  'kc-06-tech-upgrade': `some(tech_upgrade_projects, ${UPGRADE}) ? ` +
    `sum(map(filter(tech_upgrade_projects, ${UPGRADE}), #.investment < 800000000 ? 6 * #.investment : 8 * #.investment)) : null`,
  'kc-12-rd': 'main_revenue_1 > 0 and 100 * rd_deductible_expense_1 >= 3 * main_revenue_1 ? ' +
    'min([rd_super_deduction_2 == 0 ? 5 * rd_super_deduction_1 : ' +
    '5 * rd_super_deduction_1 + 5 * max([0, rd_super_deduction_1 - rd_super_deduction_2]), 20000000000]) : null',
  'kc-12-little-giant': "some(certifications, #.type == 'tech_little_giant') ? " +
    'min([20 * rd_super_deduction_1, 10000000000]) : null',
  'kc-14-industry-university': 'university_cooperation_fee_0 > 0 and university_cooperation_industrialized == true ? ' +
    'min([30 * university_cooperation_fee_0, 10000000000]) : null',
  // 350 yuan per mu: area in hundredths of a mu -> 350 * A * 100 U
  'kc-43-early-rice': 'large_scale_grain_grower == true and early_rice_area_0 > 0 ? 35000 * early_rice_area_0 : null',
  // 30 yuan per 100 (sold in hundredths): 30 * S U
  'kc-43-early-rice-contract': 'contract_early_rice_sold_0 > 0 ? 30 * contract_early_rice_sold_0 : null',
  // 10亿 = 1e11 fen; 30万 yuan = 3e9 U
  'jj-28-shipping-turnover': 'waterway_freight_turnover_0 >= 100000000000 and waterway_freight_turnover_0 <= 300000000000 ? 3000000000 : ' +
    '(waterway_freight_turnover_0 > 300000000000 and waterway_freight_turnover_0 <= 550000000000 ? 4500000000 : ' +
    '(waterway_freight_turnover_0 > 550000000000 ? 6000000000 : null))',
  'jj-28-shipping-growth': 'waterway_freight_turnover_0 < 100000000000 ? null : (' +
    `${growthAtLeast('waterway_freight_turnover_0', 'waterway_freight_turnover_1', 20)} ? 2000000000 : (` +
    `${growthAtLeast('waterway_freight_turnover_0', 'waterway_freight_turnover_1', 10)} ? 1000000000 : null))`,
  'jj-12-rd-growth': `rd_deductible_expense_1 >= 100000000 and ${growthAtLeast('rd_deductible_expense_1', 'rd_deductible_expense_2', 15)} ` +
    'and rd_reported_to_statistics == true ? min([10 * rd_deductible_expense_1, 20000000000]) : null',
  'qj-44-other-grain': `${GRAIN.map((k) => `${k} >= 5000`).join(' or ')} ? ` +
    `20000 * (${GRAIN.map((k) => `(${k} >= 5000 ? ${k} : 0)`).join(' + ')}) : null`,
  // qj-09: the salaries (fen) of talents paid >= 80万 this year and first subsidised 0..2 years
  // ago, gathered as json-logic's `talents` operation does; 30% of their sum, capped at 100万
  'qj-09-talent-salary': 'len(talent_salaries) > 0 ? min([30 * sum(talent_salaries), 10000000000]) : null',
};

function talentSalaries(d) {
  return (d.high_level_talents || []).filter((t) => {
    const s = t.annual_salary && t.annual_salary[String(d.py)];
    const age = d.py - t.first_subsidy_year;
    return s !== undefined && Number(s) >= 800000 && age >= 0 && age <= 2;
  }).map((t) => Math.round(Number(t.annual_salary[String(d.py)]) * 100));
}

run((d) => {
  const amounts = {};
  if (d.high_level_talents) d.talent_salaries = talentSalaries(d);
  for (const [id, rule] of Object.entries(RULES)) {
    amounts[id] = ready(id, d) ? evaluateExpressionSync(rule, d) : null;
  }
  return amounts;
});
