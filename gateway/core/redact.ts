// A URL as it may appear in a log or a message: never with its password.
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    // Not a URL: hide anything between "//" and "@" that looks like userinfo.
    return raw.replace(/\/\/[^/@]*@/, '//***@');
  }
}
