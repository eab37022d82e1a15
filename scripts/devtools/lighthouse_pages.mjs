// Lighthouse on several pages with one Node process and one Chromium, for scripts/devtools/lighthouse.py
// (each `lighthouse` command starts Node, loads Lighthouse and launches Chromium again: about 5 s a page).
// Lighthouse resets the site's storage before each page, as a new command would.
//   node lighthouse_pages.mjs OUT_DIR CATEGORIES AUDITS CHROME_FLAGS_JSON SETTINGS_JSON URL...
// SETTINGS_JSON: Lighthouse settings over its defaults ({} for none; lighthouse.py's QUICK_SETTINGS).
// writes OUT_DIR/0.json, 1.json, ... (each page's report, LHR) in the order of the URLs.
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [outDir, categories, audits, flagsJson, settingsJson, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({chromePath: process.env.CHROME_PATH, chromeFlags: JSON.parse(flagsJson)});
try {
  for (const [index, url] of urls.entries()) {
    const result = await lighthouse(url, {
      port: chrome.port, output: "json", logLevel: "error",
      onlyCategories: categories.split(","), onlyAudits: audits ? audits.split(",") : undefined,
      ...JSON.parse(settingsJson),
    });
    fs.writeFileSync(path.join(outDir, `${index}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
// Every report is written (synchronously) and Chromium is gone, but Lighthouse leaves timers behind
// that kept Node alive for another 4 to 5 s: end now. (An error above ends the script before this line,
// with its message and a non-zero status.)
process.exit(0);
