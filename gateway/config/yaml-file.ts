// Files people write by hand (station files, intersection files): YAML or JSON parsed with line numbers, so every
// problem a zod schema finds is reported as "line N: key.path: what is wrong — what to do".
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

export interface YamlMapping {
  raw: Record<string, unknown>;
  /** "line N: " for the YAML node at `path` — or, for a key left to its default, the nearest enclosing one. */
  lineOf(path: readonly PropertyKey[]): string;
}

/**
 * Parses `text`; returns problems instead when the syntax is broken or the top level is not a mapping
 * (`notAMapping`: what to say then, e.g. which keys the file holds and where an example is).
 */
export function parseYamlMapping(text: string, notAMapping: string): YamlMapping | { problems: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    return { problems: doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]} — fix the YAML/JSON syntax there`) };
  }
  const raw = doc.toJS() as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [notAMapping] };
  const lineOf = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return `line ${lineCounter.linePos(node.range[0]).line}: `;
    }
    return '';
  };
  return { raw: raw as Record<string, unknown>, lineOf };
}

/** A zod issue in words, with the fix: `keysDocumentedIn` says where every key is listed. */
export function issueAdvice(issue: z.core.$ZodIssue, keysDocumentedIn: string): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} — check the spelling or remove it (${keysDocumentedIn} lists every key)`;
    case 'invalid_type':
      return `${issue.message} — set it to a ${issue.expected}`;
    default:
      return issue.message;
  }
}

/** "line N: a.b.c: advice" for one issue; an unknown key is shown on its own line. */
export function issueLine(issue: z.core.$ZodIssue, lineOf: YamlMapping['lineOf'], keysDocumentedIn: string): string {
  const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...issue.path, issue.keys[0]] : issue.path;
  return `${lineOf(at)}${issue.path.length ? issue.path.map(String).join('.') : '(top level)'}: ${issueAdvice(issue, keysDocumentedIn)}`;
}

/** The file's text, or a problem line saying it cannot be read. */
export function readTextFile(file: string): { text: string } | { problems: string[] } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    return { problems: [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — check the path`] };
  }
}
