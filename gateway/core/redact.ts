// Secrets kept out of logs and messages: URLs lose their password, and every secret the gateway has read (a
// password from the options or a password_file, a token) is registered here and masked wherever it appears.
const MASK = '***';

export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = MASK;
    return u.toString().replace(/\/$/, '');
  } catch {
    // Not a URL: hide anything between "//" and "@" that looks like userinfo.
    return raw.replace(/\/\/[^/@]*@/, `//${MASK}@`);
  }
}

const secrets = new Set<string>();

/** Remembers a secret so scrubSecrets() masks it; short strings are not registered (they would mask ordinary words). */
export function registerSecret(secret: string): void {
  if (secret.length >= 4) secrets.add(secret);
}

/** userinfo with a password in any URL-looking text: scheme://user:password@ */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi;

/** The text with registered secrets and URL passwords masked. */
export function scrubSecrets(text: string): string {
  let out = text.includes('@') ? text.replace(URL_PASSWORD, `$1:${MASK}@`) : text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** scrubSecrets over every string in a log object (bounded depth: a log object is small and never cyclic by intent). */
export function scrubDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubSecrets(value) as T;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1)) as T;
  // Errors are turned into plain objects by pino's serializer later; their message is scrubbed here.
  if (value instanceof Error) {
    const copy = Object.assign(Object.create(Object.getPrototypeOf(value) as object) as Error, value);
    copy.message = scrubSecrets(value.message);
    if (value.stack) copy.stack = scrubSecrets(value.stack);
    return copy as T;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // Dates, Buffers and other class instances are left to their own serialisation.
  if (proto !== Object.prototype && proto !== null) return value;
  // defineProperty, not assignment: a "__proto__" key in logged data must stay a plain key.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: scrubDeep(v, depth + 1), enumerable: true, writable: true, configurable: true });
  return out as T;
}
