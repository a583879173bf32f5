/**
 * A strict parser of Prometheus' text exposition format 0.0.4, for tests: it throws on the first
 * line that Prometheus would reject or that breaks a convention vppkit promises (HELP and TYPE
 * before a family's samples, each family's samples together, `_total` on counters, no duplicate
 * series, valid names, escapes and values).
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;

/** Label pairs `{a="x",b="y"}` from `text` starting at its `{`; returns them and where they end. */
function labels(text: string, at: number, line: number): [Record<string, string>, number] {
  const out: Record<string, string> = {};
  let i = at + 1;
  const fail = (why: string): never => {
    throw new Error(`line ${line}: ${why} at column ${i + 1}: ${text}`);
  };
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    if (eq < 0) fail('a label without =');
    const name = text.slice(i, eq);
    if (!LABEL.test(name) || name.startsWith('__')) fail(`bad label name ${JSON.stringify(name)}`);
    if (name in out) fail(`label ${name} twice`);
    i = eq + 1;
    if (text[i] !== '"') fail('a label value not in double quotes');
    let value = '';
    for (i++; text[i] !== '"'; i++) {
      if (i >= text.length) fail('an unterminated label value');
      if (text[i] === '\n') fail('a raw newline in a label value');
      if (text[i] === '\\') {
        const e = text[++i];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else fail(`an unknown escape \\${e}`);
      } else value += text[i];
    }
    out[name] = value;
    i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail('no comma between labels');
  }
  return [out, i + 1];
}

/** Parses `text`; throws with the line number on anything wrong. */
export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the text does not end with a newline');
  const families = new Map<string, Family>();
  const series = new Set<string>();
  let current: { name: string; help?: string; type?: 'counter' | 'gauge' } | undefined;
  text.slice(0, -1).split('\n').forEach((l, n) => {
    const line = n + 1;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(l);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, 'HELP' | 'TYPE', string, string];
      if (!METRIC.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      if (families.has(name)) throw new Error(`line ${line}: ${kind} for ${name}, whose samples came already`);
      if (current?.name !== name) current = { name };
      if (kind === 'HELP') {
        if (current.help !== undefined) throw new Error(`line ${line}: a second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`line ${line}: an unknown escape in HELP`);
        current.help = rest;
      } else {
        if (current.type !== undefined) throw new Error(`line ${line}: a second TYPE for ${name}`);
        if (rest !== 'counter' && rest !== 'gauge') throw new Error(`line ${line}: type ${rest} (vppkit writes counters and gauges)`);
        if (rest === 'counter' && !name.endsWith('_total')) throw new Error(`line ${line}: counter ${name} does not end in _total`);
        current.type = rest;
      }
      return;
    }
    if (l.startsWith('#')) throw new Error(`line ${line}: a comment vppkit does not write: ${l}`);
    const nameEnd = l.search(/[{ ]/);
    const name = nameEnd < 0 ? l : l.slice(0, nameEnd);
    if (!METRIC.test(name)) throw new Error(`line ${line}: bad metric name ${JSON.stringify(name)}`);
    if (current?.name !== name || current.help === undefined || current.type === undefined) throw new Error(`line ${line}: sample of ${name} without its HELP and TYPE just before`);
    let [ls, end] = [{} as Record<string, string>, nameEnd];
    if (l[nameEnd] === '{') [ls, end] = labels(l, nameEnd, line);
    const value = l.slice(end).replace(/^ /, '');
    if (!VALUE.test(value)) throw new Error(`line ${line}: bad value ${JSON.stringify(value)}`);
    const key = `${name}${JSON.stringify(Object.entries(ls).sort())}`;
    if (series.has(key)) throw new Error(`line ${line}: series ${name}${JSON.stringify(ls)} twice`);
    series.add(key);
    let family = families.get(name);
    if (!family) families.set(name, (family = { name, help: current.help, type: current.type, samples: [] }));
    family.samples.push({ name, labels: ls, value: Number(value) });
  });
  return families;
}
