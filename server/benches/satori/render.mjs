// Times satori + resvg-js (the engine behind @vercel/og) painting the same 1200x630 link preview
// as app/src/cards/preview.rs, with the same fonts and artwork.
//
//   node render.mjs --art <504x630 PNG> --runs 200 --out <dir>
//
// Prints one JSON line with the timings and writes the last PNG to <out>/satori-preview.png.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';

const WIDTH = 1200;
const HEIGHT = 630;
const ART_WIDTH = 504;
const ART_HEIGHT = 630;
const LEFT = 568;
const TEXT_WIDTH = WIDTH - LEFT - 52;
const WARM_UP_RUNS = 5;

const PAPER = '#f6efe4';
const INK = '#2b2118';
const INK_SOFT = '#6b5b4b';
const ACCENT = '#d9482b';
const SUN = '#f2b632';
const LINE = '#e4d6c3';

const CARD = {
  campaign: "The Children's Gallery",
  donor: 'Zoë Ångström',
  adopted: 'adopted “Boats at Dawn”',
  byline: 'by Chen Hao, 9',
  percentLabel: '37%',
  percent: 37,
  goal: 'of the ¥15,000,000 goal',
  call: 'Adopt one too at give.example.org',
};

// Noto Sans' ascender and descender (hhea and OS/2 agree), in ems. Satori centres the glyphs'
// ascender-to-descender box in the line box, so a line of `lineHeight` px has its baseline this
// far below its top. The Rust renderer places text by baseline, so the boxes here are placed by
// baseline too.
const ASCENT = 1.069;
const DESCENT = 0.293;
const baselineIn = (size, lineHeight) => (lineHeight - (ASCENT + DESCENT) * size) / 2 + ASCENT * size;

const h = (type, style, children, props = {}) => ({ type, props: { ...props, style, children } });

// One line of text that ends in an ellipsis rather than wrapping, as the Rust `line` does.
const singleLine = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' };

/** A single line of text whose baseline sits at `baseline`. */
function lineAt(text, baseline, { size, weight, color, lineHeight = Math.round(size * 1.4) }) {
  return h(
    'div',
    {
      position: 'absolute',
      left: LEFT,
      top: baseline - baselineIn(size, lineHeight),
      width: TEXT_WIDTH,
      fontSize: size,
      fontWeight: weight,
      color,
      lineHeight: `${lineHeight}px`,
      ...singleLine,
    },
    text,
  );
}

function preview(card, artUri) {
  // The artwork line wraps to at most two rows 46px apart; the byline follows 46px below the
  // last row, so the two stack in a column rather than being placed separately. Line heights are
  // set on each text element: satori does not carry a px line height down to children as CSS would.
  const adoptedLine = 46;
  const bylineShift = baselineIn(34, adoptedLine) - baselineIn(26, adoptedLine);
  const adopted = h(
    'div',
    {
      position: 'absolute',
      left: LEFT,
      top: 250 - baselineIn(34, adoptedLine),
      width: TEXT_WIDTH,
      display: 'flex',
      flexDirection: 'column',
    },
    [
      h('div', { fontSize: 34, fontWeight: 400, color: INK, lineHeight: `${adoptedLine}px`, lineClamp: 2 }, card.adopted),
      h(
        'div',
        {
          fontSize: 26,
          fontWeight: 400,
          color: INK_SOFT,
          lineHeight: `${adoptedLine}px`,
          marginTop: bylineShift,
          ...singleLine,
        },
        card.byline,
      ),
    ],
  );

  // "37%" and the goal share a baseline; both get the same line box and the smaller text is
  // pushed down by the difference in where their baselines fall.
  const rowLine = 62;
  const progress = h(
    'div',
    {
      position: 'absolute',
      left: LEFT,
      top: 474 - baselineIn(44, rowLine),
      width: TEXT_WIDTH,
      display: 'flex',
    },
    [
      h(
        'div',
        { fontSize: 44, fontWeight: 700, color: ACCENT, lineHeight: `${rowLine}px`, flexShrink: 0, ...singleLine },
        card.percentLabel,
      ),
      h(
        'div',
        {
          fontSize: 26,
          fontWeight: 400,
          color: INK_SOFT,
          lineHeight: `${rowLine}px`,
          marginLeft: 14,
          marginTop: baselineIn(44, rowLine) - baselineIn(26, rowLine),
          flexShrink: 1,
          minWidth: 0,
          ...singleLine,
        },
        card.goal,
      ),
    ],
  );

  // Same arithmetic as the Rust bar: whole pixels, and never thinner than its own rounded ends.
  const filled = Math.floor((TEXT_WIDTH * Math.min(card.percent, 100)) / 100);
  const bar = h(
    'div',
    {
      position: 'absolute',
      left: LEFT,
      top: 496,
      width: TEXT_WIDTH,
      height: 22,
      borderRadius: 11,
      backgroundColor: LINE,
      display: 'flex',
    },
    filled > 0 ? [h('div', { width: Math.max(filled, 22), height: 22, borderRadius: 11, backgroundColor: ACCENT })] : [],
  );

  return h(
    'div',
    {
      width: WIDTH,
      height: HEIGHT,
      display: 'flex',
      position: 'relative',
      backgroundColor: PAPER,
      fontFamily: 'Noto Sans',
    },
    [
      h('img', { position: 'absolute', left: 0, top: 0 }, undefined, {
        src: artUri,
        width: ART_WIDTH,
        height: ART_HEIGHT,
      }),
      h('div', { position: 'absolute', left: ART_WIDTH, top: 0, width: 8, height: HEIGHT, backgroundColor: SUN }),
      lineAt(card.campaign, 96, { size: 26, weight: 700, color: ACCENT }),
      lineAt(card.donor, 190, { size: 68, weight: 700, color: INK }),
      adopted,
      progress,
      bar,
      lineAt(card.call, 580, { size: 28, weight: 700, color: INK }),
    ],
  );
}

/** The whole job a request would do: layout to SVG, then rasterise and encode the PNG. */
async function render(element, fonts) {
  const svg = await satori(element, { width: WIDTH, height: HEIGHT, fonts });
  return new Resvg(svg, { fitTo: { mode: 'original' } }).render().asPng();
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1];
}

function pngSize(bytes) {
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature) {
    return null;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      art: { type: 'string' },
      runs: { type: 'string', default: '200' },
      out: { type: 'string', default: 'out' },
    },
  });
  const runs = Number.parseInt(values.runs, 10);
  if (!values.art || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: node render.mjs --art <504x630 PNG> --runs <N> --out <dir>');
    process.exit(2);
  }

  const art = await readFile(values.art);
  const size = pngSize(art);
  if (!size || size.width !== ART_WIDTH || size.height !== ART_HEIGHT) {
    console.error(`${values.art} must be a ${ART_WIDTH}x${ART_HEIGHT} PNG`);
    process.exit(2);
  }
  const artUri = `data:image/png;base64,${art.toString('base64')}`;

  const fontDir = new URL('../../../app/src/cards/fonts/', import.meta.url);
  const fonts = [
    { name: 'Noto Sans', weight: 400, style: 'normal', data: await readFile(new URL('NotoSans-Regular.ttf', fontDir)) },
    { name: 'Noto Sans', weight: 700, style: 'normal', data: await readFile(new URL('NotoSans-Bold.ttf', fontDir)) },
  ];

  const element = preview(CARD, artUri);
  let png;
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    png = await render(element, fonts);
  }

  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    png = await render(element, fonts);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'satori-preview.png'), png);

  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 1000) / 1000;
  console.log(
    JSON.stringify({
      engine: 'satori+resvg',
      runs,
      p50_ms: round(percentile(sorted, 50)),
      p99_ms: round(percentile(sorted, 99)),
      mean_ms: round(times.reduce((sum, t) => sum + t, 0) / runs),
      png_bytes: png.length,
    }),
  );
}

await main();
