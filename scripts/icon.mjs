// Renders images/icon.png (128×128, the Marketplace icon) from the SVG below with headless
// Chromium (playwright-core; set CHROMIUM=/path/to/chromium if it is not /usr/bin/chromium).
// The picture: the KL–reward frontier (an increasing concave curve) over a tilted
// distribution's bars, the product in one glance. Usage: node scripts/icon.mjs
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const size = 128;
// Frontier F(Δ) for a toy model, drawn as a smooth concave curve.
const point = (t) => [22 + t * 86, 100 - (70 * (1 - Math.exp(-3.2 * t))) / (1 - Math.exp(-3.2))];
const curve = Array.from({ length: 41 }, (_, i) => {
  const [x, y] = point(i / 40);
  return `${i === 0 ? 'M' : 'L'}${x.toFixed(2)},${y.toFixed(2)}`;
}).join(' ');
// The optimal φ_Δ at one budget: a point on the frontier.
const [dotX, dotY] = point(0.45);
const bars = [0.18, 0.3, 0.52, 0.86]
  .map(
    (h, i) =>
      `<rect x="${26 + i * 20}" y="${106 - h * 44}" width="12" height="${h * 44}" rx="2" fill="#7c6cf0" opacity="${0.35 + i * 0.12}"/>`,
  )
  .join('');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2a2456"/><stop offset="1" stop-color="#14122b"/>
    </linearGradient>
    <linearGradient id="line" x1="0" y1="1" x2="1" y2="0">
      <stop offset="0" stop-color="#5eead4"/><stop offset="1" stop-color="#fde047"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="24" fill="url(#bg)"/>
  ${bars}
  <path d="M20 108 H112 M20 108 V18" stroke="#c9c4f5" stroke-width="3" stroke-linecap="round" fill="none" opacity="0.8"/>
  <path d="${curve}" stroke="url(#line)" stroke-width="6" stroke-linecap="round" fill="none"/>
  <circle cx="${dotX.toFixed(2)}" cy="${dotY.toFixed(2)}" r="7" fill="#fde047" stroke="#14122b" stroke-width="2.5"/>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.screenshot({
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
  writeFileSync('images/icon.png', png);
  console.log(`wrote images/icon.png (${png.length} bytes)`);
} finally {
  await browser.close();
}
