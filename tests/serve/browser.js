// The page of `subsidy serve` in a real browser: the system Chromium driven by puppeteer-core
// (tests/serve/setup-node.sh installs it into tests/serve/node/; no browser download). Picks
// 柯城区 2023, fills the manufacturer example's facts through the form, and checks that the total
// shown is `eval`'s, that the report opens, that nothing is fetched from anywhere but the server,
// that no field left empty reaches the profile, and takes screenshots in both languages at desktop
// and phone width (written to OUT_DIR).
//
// Usage: node browser.js SUBSIDY_BINARY SOURCE_DIR OUT_DIR
"use strict";
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require(path.join(__dirname, "node", "node_modules", "puppeteer-core"));

const [binary, root, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const env = { ...process.env, SUBSIDY_NOW: "2026-01-15" };
const failures = [];
const check = (cond, what) => {
  if (!cond) {
    failures.push(what);
    console.error("FAIL:", what);
  }
};

let server = null;
let browser = null;
let profileDir = null;
function cleanUp() {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
}
process.on("exit", cleanUp);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(1));
setTimeout(() => {
  console.error("FAIL: timed out");
  process.exit(1);
}, 150000).unref();

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ["serve", "--host", "127.0.0.1", "--port", "0", "--lang", "en"],
                   { env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(Number(m[1]));
    });
    server.on("exit", (code) => reject(new Error("server exited: " + code)));
    setTimeout(() => reject(new Error("server did not start")), 20000);
  });
}

// Fills one answer: a text input is typed into, a select chosen.
async function answer(page, key, value) {
  const handle = await page.$(`[data-key="${key}"]`);
  if (!handle) return false;
  const tag = await handle.evaluate((e) => e.tagName);
  if (tag === "SELECT") {
    await page.select(`[data-key="${key}"]`, String(value));
  } else {
    await handle.click({ clickCount: 3 });
    await handle.type(String(value));
  }
  return true;
}

async function fillExample(page, example) {
  const skipped = [];
  for (const [fact, value] of Object.entries(example.facts)) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const add = await page.$(`[data-add="${fact}"]`);
        if (!add) {
          skipped.push(fact);
          break;
        }
        await add.click();
        await page.waitForSelector(`[data-list="${fact}"] [data-item="${i}"]`);
        for (const [field, v] of Object.entries(value[i])) {
          // a per-year field of an item: one input per year, as for a per-year fact
          const keys = v !== null && typeof v === "object"
              ? Object.entries(v).map(([year, w]) => [`${fact}[${i}].${field}@${year}`, w])
              : [[`${fact}[${i}].${field}`, v]];
          for (const [key, w] of keys) {
            if (!(await answer(page, key, w))) skipped.push(key);
          }
        }
      }
    } else if (value !== null && typeof value === "object") {
      for (const [year, v] of Object.entries(value)) {
        if (!(await answer(page, `${fact}@${year}`, v))) skipped.push(`${fact}@${year}`);
      }
    } else if (!(await answer(page, fact, value))) {
      skipped.push(fact);
    }
  }
  return skipped;
}

async function waitTotal(page, total) {
  await page.waitForFunction((t) => document.getElementById("total").dataset.total === t,
                             { timeout: 20000 }, total).catch(() => {});
  return page.$eval("#total", (e) => e.dataset.total);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const examplePath = path.join(root, "examples", "kecheng-manufacturer.json");
  const example = JSON.parse(fs.readFileSync(examplePath, "utf8"));
  const expected = JSON.parse(execFileSync(binary, ["eval", examplePath, "--format", "json"],
                                           { env })).total;
  const port = await startServer();
  const origin = `http://127.0.0.1:${port}`;
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "subsidy-chromium-"));
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    userDataDir: profileDir,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  const foreign = [];
  const consoleErrors = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin + "/") && !/^(data|blob|about):/.test(url)) foreign.push(url);
  });
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });

  await page.select("#region", "330802");
  await page.select("#year", "2023");
  await page.select("#form", "enterprise");
  await page.waitForSelector('[data-fact="rd_super_deduction"]', { timeout: 20000 });
  // nothing answered yet: the profile holds no fact, so unknown stays unknown
  const empty = await page.evaluate(() => profile());
  check(Object.keys(empty.facts).length === 0 && !("roles" in empty),
        "an empty form sends no fact and no roles: " + JSON.stringify(empty));
  // a role ticked without "no others" confirmed says nothing of the other roles: no `roles` sent
  await page.click('#roles input[value="grain_grower"]');
  const partial = await page.evaluate(() => profile());
  check(!("roles" in partial), "a role ticked, the list not confirmed, sends no roles: " +
        JSON.stringify(partial));
  await page.click('#roles input[value="grain_grower"]');
  if (Array.isArray(example.roles) && example.roles.length === 0) await page.click("#roles-known");
  // a change of roles fetches the questionnaire again and redraws the form: fill it after that
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 20000 });
  const skipped = await fillExample(page, example);
  const shown = await waitTotal(page, expected);
  check(shown === expected, `total shown ${shown}, eval says ${expected}`);
  // the facts the form does not ask are those no rule in force for this applicant reads
  const unread = JSON.parse(execFileSync(binary, ["eval", examplePath, "--format", "json"], { env }))
    .warnings.map((w) => w.fact);
  for (const s of skipped) {
    // a year no rule reads has no field (the questionnaire asks the years the rules read)
    const fact = s.split(/[@[]/)[0];
    const asked = s.includes("@") && (await page.$(`[data-fact="${fact}"]`)) !== null;
    check(unread.includes(fact) || asked, `${s}: no field for a fact a rule reads`);
  }
  const sent = await page.evaluate(() => profile());
  const tmp = path.join(profileDir, "page-profile.json");
  fs.writeFileSync(tmp, JSON.stringify(sent));
  const again = JSON.parse(execFileSync(binary, ["eval", tmp, "--format", "json"], { env })).total;
  check(again === expected, `the page's profile evaluates to ${again} by eval`);
  check(await page.$eval("#download-profile", (a) => a.href.startsWith("blob:")),
        "profile download offered");

  await page.click("#show-report");
  await page.waitForFunction(() => document.getElementById("report").srcdoc.length > 1000,
                             { timeout: 20000 });
  const report = await page.$eval("#report", (f) => f.srcdoc);
  const grouped = expected.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  check(report.includes(grouped), "the report shows the total " + grouped);
  check(await page.$eval("#download-report", (a) => !a.hidden && a.href.startsWith("blob:")),
        "report download offered");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outDir, "serve-page-zh.png") });

  await page.click("#lang-en");
  await page.waitForFunction(() => document.querySelector("h1").textContent === "Subsidy calculator");
  check(await waitTotal(page, expected) === expected, "the total after switching to English");
  await page.waitForFunction(() => document.getElementById("savings").textContent.includes("Tax"),
                             { timeout: 20000 }).catch(() => check(false, "English totals"));
  await page.waitForFunction(() => document.getElementById("report").srcdoc.includes("lang=\"en\""),
                             { timeout: 20000 }).catch(() => check(false, "English report"));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outDir, "serve-page-en.png") });

  // Only the width: isMobile would make puppeteer reload the page and lose the answers.
  await page.setViewport({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  check(overflow <= 390, `phone width: the page is ${overflow}px wide`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outDir, "serve-phone-en.png") });
  await page.click("#lang-zh");
  await page.waitForFunction(() => document.querySelector("h1").textContent === "惠企政策计算器");
  await page.waitForFunction(() => document.getElementById("savings").textContent.includes("税收减免"),
                             { timeout: 20000 }).catch(() => check(false, "Chinese totals"));
  await page.screenshot({ path: path.join(outDir, "serve-phone-zh.png") });

  // 衢江区: a list whose items have a per-year field (high_level_talents[].annual_salary)
  const talentPath = path.join(root, "examples", "qujiang-little-giant-talent.json");
  const talent = JSON.parse(fs.readFileSync(talentPath, "utf8"));
  const talentTotal = JSON.parse(execFileSync(binary, ["eval", talentPath, "--format", "json"],
                                              { env })).total;
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
  await page.select("#region", talent.region);
  await page.select("#year", String(talent.policy_year));
  await page.select("#form", talent.form);
  await page.waitForSelector('[data-add="high_level_talents"]', { timeout: 20000 });
  // each choice above fetches the questionnaire again: fill the form once the last has arrived
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 20000 });
  await page.click("#roles-known");
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 20000 });
  await fillExample(page, talent);
  const talentSent = await page.evaluate(() => profile());
  const salaries = (talentSent.facts.high_level_talents || []).map((t) => t.annual_salary);
  check(salaries.length === 4 && salaries.every((v) => v && Object.keys(v).join() === "2023"),
        "a per-year field of a list item is sent by year: " + JSON.stringify(salaries));
  const talentTmp = path.join(profileDir, "page-talent.json");
  fs.writeFileSync(talentTmp, JSON.stringify(talentSent));
  const talentAgain = JSON.parse(execFileSync(binary, ["eval", talentTmp, "--format", "json"],
                                              { env })).total;
  check(talentAgain === talentTotal, `衢江区: the page's profile evaluates to ${talentAgain}`);
  const talentShown = await waitTotal(page, talentTotal);
  check(talentShown === talentTotal, `衢江区: total shown ${talentShown}, eval says ${talentTotal}`);

  check(foreign.length === 0, "requests elsewhere: " + foreign.join(", "));
  check(consoleErrors.length === 0, "console errors: " + consoleErrors.join("; "));
  await browser.close();
  browser = null;
  server.kill("SIGTERM");
}

main()
  .catch((e) => {
    failures.push(String(e && e.stack || e));
    console.error("FAIL:", e);
  })
  .finally(async () => {
    if (browser) await browser.close().catch(() => {});
    if (failures.length) {
      console.error(`${failures.length} failure(s)`);
      process.exit(1);
    }
    console.log("serve page in Chromium: all checks passed");
    process.exit(0);
  });
