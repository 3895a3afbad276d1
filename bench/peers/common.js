'use strict';
// Shared by the peers: read JSONL, flatten each profile into integer facts, write "id\ttotal".
//
// Integer fen arithmetic: every decimal fact ("123.45" yuan, "12.50" mu) becomes an integer
// number of hundredths (12345 fen, 1250 hundredths of a mu) by string parsing, never parseFloat.
// Rules compute their amounts in U = 1/100 fen (1/10000 yuan), where a percentage of a fen
// amount is an exact integer (6% of X fen = 6*X U) and caps are integers (200万 yuan = 2e10 U).
// Each rule's amount is rounded once to the fen, half up: fen = floor((U + 50) / 100), like the
// engine's default rounding. All values stay far below 2^53, so Number integers are exact.
const fs = require('fs');

function hundredths(s) {
  if (typeof s === 'number') s = String(s);
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  const [i, f = ''] = s.split('.');
  const v = Number(i) * 100 + Number((f + '00').slice(0, 2));
  return neg ? -v : v;
}

// Per-year facts become NAME_k for year offset -k (NAME_0 = the policy year); lists stay as they are
// (but the investment of each technical-upgrade project is in hundredths too).
function flatten(p) {
  const d = { form: p.form, roles: p.roles, region: p.region, py: p.policy_year };
  for (const [k, v] of Object.entries(p.facts || {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [y, x] of Object.entries(v)) d[`${k}_${p.policy_year - Number(y)}`] = hundredths(x);
    } else if (k === 'tech_upgrade_projects') {
      d[k] = v.map((t) => ({ completed_year: t.completed_year, investment: hundredths(t.investment) }));
    } else d[k] = v;
  }
  return d;
}

const toFen = (u) => Math.floor((u + 50) / 100);
const fmt = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

// Document applicability for the subset: the document's region, policy year 2023.
const DOC_REGION = { kc: '330802', qj: '330803', jj: '331002' };
const applies = (ruleId, d) => DOC_REGION[ruleId.slice(0, 2)] === d.region && d.py === 2023;

// Facts a rule needs: if one is missing, the engine says needs_info and pays nothing.
const NEEDS = {
  'kc-06-tech-upgrade': ['tech_upgrade_projects'],
  'kc-12-rd': ['rd_deductible_expense_1', 'main_revenue_1', 'rd_super_deduction_1', 'rd_super_deduction_2'],
  'kc-12-little-giant': ['certifications', 'rd_super_deduction_1'],
  'kc-14-industry-university': ['university_cooperation_fee_0', 'university_cooperation_industrialized'],
  'kc-43-early-rice': ['large_scale_grain_grower', 'early_rice_area_0'],
  'kc-43-early-rice-contract': ['contract_early_rice_sold_0'],
  'jj-28-shipping-turnover': ['waterway_freight_turnover_0'],
  'jj-28-shipping-growth': ['waterway_freight_turnover_0', 'waterway_freight_turnover_1'],
  'jj-12-rd-growth': ['rd_deductible_expense_1', 'rd_deductible_expense_2', 'rd_reported_to_statistics'],
  'qj-44-other-grain': ['late_rice_area_0', 'wheat_barley_area_0', 'dryland_grain_area_0', 'rapeseed_area_0'],
  'qj-09-talent-salary': ['high_level_talents'],
};
// The grain rules pay a grain grower of any form; the generated enterprises give no roles (so
// they are asked for them and paid nothing), the generated farms are family farms growing grain.
const APPLICANT = { 'kc-43-early-rice': 'family_farm', 'kc-43-early-rice-contract': 'family_farm', 'qj-44-other-grain': 'family_farm' };
const GROUPS = [['kc-12-rd', 'kc-12-little-giant']]; // 就高: the higher wins, ties to the first

function ready(id, d) {
  return applies(id, d) && d.form === (APPLICANT[id] || 'enterprise') && NEEDS[id].every((k) => d[k] !== undefined);
}

// amounts: {ruleId: U or null}; returns the total in fen after the take-the-higher groups.
function total(amounts) {
  const fen = {};
  for (const [id, u] of Object.entries(amounts)) if (u !== null && u !== undefined) fen[id] = toFen(u);
  for (const g of GROUPS) {
    const present = g.filter((id) => id in fen);
    if (present.length > 1) {
      const win = present.reduce((a, b) => (fen[b] > fen[a] ? b : a));
      for (const id of present) if (id !== win) delete fen[id];
    }
  }
  return Object.values(fen).reduce((a, b) => a + b, 0);
}

async function run(evaluate) {
  const [input, output] = process.argv.slice(2);
  const lines = fs.readFileSync(input, 'utf8').split('\n');
  const out = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const p = JSON.parse(line);
    const d = flatten(p);
    out.push(`${p.id}\t${fmt(total(await evaluate(d)))}`);
  }
  fs.writeFileSync(output, out.join('\n') + '\n');
}

module.exports = { run, ready };
