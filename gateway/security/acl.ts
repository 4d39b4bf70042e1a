// A Mosquitto acl_file for an Airlane fleet: who may publish what, so a node (or a stolen node's credentials)
// can only speak for itself. Topics are DESIGN.md §3's; the file format is Mosquitto's (mosquitto.conf(5),
// "acl_file": `user <name>` sections of `topic [read|write|readwrite|deny] <topic>` lines, `#` comments).
//
// Usernames are `<site>.<id>`: `rue.gateway`, `rue.n1`. A "." in a site or id is refused (it would make two
// principals one username: "a.b"+"c" and "a"+"b.c"), so are ":" (the password_file separator) and whitespace.
import { z } from 'zod';
import { segment } from '../core/reading.js';
import type { StationConfig } from '../config/schema.js';

export type AclRole = 'gateway' | 'publisher' | 'node' | 'counter';

export interface AclUser {
  username: string;
  role: AclRole;
  site: string;
  /** Gateway, node or counter id. */
  id: string;
  /** Topic filters this user may publish to. */
  write: string[];
  /** Topic filters this user may subscribe to. */
  read: string[];
  /** Where it came from (a station file, the command line), for messages. */
  from: string;
}

/** What the ACL is made from; every list is optional. */
export interface AclSpec {
  /** Stations that take remote data from the broker (`mqtt.subscribe` on): write their site, read every site. */
  gateways?: { site: string; gateway: string; from?: string }[];
  /** Stations that only publish (`mqtt.subscribe: false`, e.g. a remote node's Pi): their nodes, detectors and status. */
  publishers?: { site: string; gateway: string; nodes: string[]; detectors: string[]; from?: string }[];
  /** Nodes that connect on their own: write airlane/v1/<site>/<node>/#, read their own …/cmd. */
  nodes?: { site: string; node: string; from?: string }[];
  /** External traffic counters connecting on their own: their detectors' topics only. */
  counters?: { site: string; id: string; detectors: string[]; from?: string }[];
}

export class AclError extends Error {
  override name = 'AclError';
}

export const usernameFor = (site: string, id: string): string => `${site}.${id}`;

const UNSAFE = /[.:\s]/;

function checkId(kind: string, value: string, from: string): void {
  const r = segment.safeParse(value);
  if (!r.success) throw new AclError(`${from}: ${kind} ${JSON.stringify(value)} ${r.error.issues[0]?.message ?? 'is not a valid id'}`);
  if (UNSAFE.test(value)) {
    throw new AclError(
      `${from}: ${kind} ${JSON.stringify(value)} holds ".", ":" or whitespace — usernames are <site>.<id>, so it would be ambiguous or break the password file; rename it (letters, digits, "-" and "_")`,
    );
  }
}

const base = (site: string) => `airlane/v1/${site}`;

/** The users of one station file: a gateway (it subscribes) or a publisher (mqtt.subscribe: false). */
export function specFromStation(station: StationConfig, from = 'station'): AclSpec {
  if (station.mqtt?.subscribe === false) {
    return {
      publishers: [
        {
          site: station.site,
          gateway: station.gateway,
          nodes: station.nodes.map((n) => n.id),
          detectors: station.counters.flatMap((c) => c.counter.detectors.map((d) => d.detector)),
          from,
        },
      ],
    };
  }
  return { gateways: [{ site: station.site, gateway: station.gateway, from }] };
}

export function mergeSpecs(specs: AclSpec[]): AclSpec {
  return {
    gateways: specs.flatMap((s) => s.gateways ?? []),
    publishers: specs.flatMap((s) => s.publishers ?? []),
    nodes: specs.flatMap((s) => s.nodes ?? []),
    counters: specs.flatMap((s) => s.counters ?? []),
  };
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Every user with its rights; throws AclError on an unsafe id or two principals sharing a username. */
export function aclUsers(spec: AclSpec): AclUser[] {
  const users: AclUser[] = [];
  for (const g of spec.gateways ?? []) {
    const from = g.from ?? 'gateways';
    checkId('site', g.site, from);
    checkId('gateway', g.gateway, from);
    users.push({ username: usernameFor(g.site, g.gateway), role: 'gateway', site: g.site, id: g.gateway, write: [`${base(g.site)}/#`], read: ['airlane/v1/#'], from });
  }
  for (const p of spec.publishers ?? []) {
    const from = p.from ?? 'publishers';
    checkId('site', p.site, from);
    checkId('gateway', p.gateway, from);
    p.nodes.forEach((n) => checkId('node', n, from));
    p.detectors.forEach((d) => checkId('detector', d, from));
    const write = unique([
      // Its own retained status and Last Will (MqttOutput: airlane/v1/<site>/<gateway>/status), unless a node of
      // the same id already covers it.
      ...(p.nodes.includes(p.gateway) ? [] : [`${base(p.site)}/${p.gateway}/status`]),
      ...p.nodes.map((n) => `${base(p.site)}/${n}/#`),
      ...p.detectors.map((d) => `${base(p.site)}/traffic/${d}`),
    ]);
    users.push({ username: usernameFor(p.site, p.gateway), role: 'publisher', site: p.site, id: p.gateway, write, read: unique(p.nodes.map((n) => `${base(p.site)}/${n}/cmd`)), from });
  }
  for (const n of spec.nodes ?? []) {
    const from = n.from ?? 'nodes';
    checkId('site', n.site, from);
    checkId('node', n.node, from);
    if (n.node === 'traffic') throw new AclError(`${from}: node id "traffic" at site ${n.site} would own every counter's topics (airlane/v1/<site>/traffic/…); rename the node`);
    users.push({ username: usernameFor(n.site, n.node), role: 'node', site: n.site, id: n.node, write: [`${base(n.site)}/${n.node}/#`], read: [`${base(n.site)}/${n.node}/cmd`], from });
  }
  for (const c of spec.counters ?? []) {
    const from = c.from ?? 'counters';
    checkId('site', c.site, from);
    checkId('counter', c.id, from);
    c.detectors.forEach((d) => checkId('detector', d, from));
    users.push({ username: usernameFor(c.site, c.id), role: 'counter', site: c.site, id: c.id, write: unique(c.detectors.map((d) => `${base(c.site)}/traffic/${d}`)), read: [], from });
  }
  for (const u of users) {
    if (u.role === 'publisher' && u.id === 'traffic') throw new AclError(`${u.from}: gateway id "traffic" at site ${u.site} collides with the counters' topic level; rename the gateway`);
  }
  // The same station given twice is fine; two different principals behind one username are not.
  const byName = new Map<string, AclUser>();
  const out: AclUser[] = [];
  for (const u of users) {
    const seen = byName.get(u.username);
    if (!seen) {
      byName.set(u.username, u);
      out.push(u);
      continue;
    }
    const same = seen.role === u.role && seen.write.join() === u.write.join() && seen.read.join() === u.read.join();
    if (!same) {
      throw new AclError(
        `username ${u.username} would belong to a ${seen.role} (${seen.from}) and a ${u.role} (${u.from}) — give one of them another id (usernames are <site>.<id>)`,
      );
    }
  }
  return out;
}

const ROLE_TEXT: Record<AclRole, string> = {
  gateway: 'gateway: publishes its site, reads every site',
  publisher: "publishing station: its nodes', detectors' and status topics; reads only its nodes' cmd",
  node: 'node: its own topics; reads only its cmd topic',
  counter: 'traffic counter: its detectors only; reads nothing',
};

export interface AclRenderOptions {
  /** Station files or other sources, named in the header. */
  sources?: string[];
  /** Broker-side password file for the printed mosquitto_passwd commands. */
  passwordFile?: string;
}

/** mosquitto_passwd commands for every user; passwords are read from <username>.password files, never printed. */
export function passwdCommands(users: AclUser[], passwordFile = '/etc/mosquitto/passwd'): string[] {
  // mosquitto_passwd -b refuses a file that does not exist yet; -c would overwrite one that does.
  return [`touch ${passwordFile}`, ...users.map((u) => `mosquitto_passwd -b ${passwordFile} ${u.username} "$(cat ${u.username}.password)"`)];
}

export function renderAcl(users: AclUser[], options: AclRenderOptions = {}): string {
  const passwordFile = options.passwordFile ?? '/etc/mosquitto/passwd';
  const lines = [
    `# Mosquitto acl_file generated by \`airlane acl\`${options.sources?.length ? ` from ${options.sources.join(', ')}` : ''}.`,
    '# Usernames are <site>.<id>. mosquitto.conf needs:',
    '#   allow_anonymous false',
    `#   password_file ${passwordFile}`,
    '#   acl_file <this file>',
    '# Passwords (each <username>.password file holds one; the same file a station names in mqtt.password_file):',
    ...passwdCommands(users, passwordFile).map((c) => `#   ${c}`),
    '# Anything not granted below is denied (an anonymous client gets nothing).',
  ];
  for (const u of users) {
    lines.push('', `# ${u.username} — ${ROLE_TEXT[u.role]} (${u.from})`, `user ${u.username}`);
    for (const t of u.write) lines.push(`topic write ${t}`);
    for (const t of u.read) lines.push(`topic read ${t}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A "site/node" pair from the command line. */
export const nodeRef = z
  .string()
  .regex(/^[^/]+\/[^/]+$/, 'give nodes as <site>/<node>, e.g. rue/n7')
  .transform((s) => {
    const [site, node] = s.split('/') as [string, string];
    return { site, node };
  });
