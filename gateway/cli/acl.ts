// `airlane acl <station files…>`: prints a Mosquitto acl_file for the fleet (gateway/security/README.md), or with
// --json the users and their rights. Nodes that connect on their own are added with --node <site>/<node>.
import { loadStation } from '../config/load.js';
import { aclUsers, mergeSpecs, nodeRef, passwdCommands, renderAcl, specFromStation, AclError, type AclSpec } from '../security/acl.js';

export interface AclOptions {
  stations: string[];
  /** Extra nodes connecting on their own, as "<site>/<node>". */
  nodes?: string[];
  json?: boolean;
  /** Password file path used in the printed mosquitto_passwd commands. */
  passwordFile?: string;
}

export interface AclIo {
  out(line: string): void;
  err(line: string): void;
}

/** Exit code: 0 = printed, 1 = a station file is invalid or the ids would clash, 2 = bad arguments. */
export function runAcl(options: AclOptions, io: AclIo, env: NodeJS.ProcessEnv = process.env): number {
  const nodes = options.nodes ?? [];
  if (!options.stations.length && !nodes.length) {
    io.err('airlane acl: name at least one station file (or --node <site>/<node>)');
    return 2;
  }
  const nodeSpecs: AclSpec[] = [];
  for (const n of nodes) {
    const r = nodeRef.safeParse(n);
    if (!r.success) {
      io.err(`airlane acl: --node ${JSON.stringify(n)}: ${r.error.issues[0]?.message}`);
      return 2;
    }
    nodeSpecs.push({ nodes: [{ ...r.data, from: `--node ${n}` }] });
  }
  try {
    const stationSpecs = options.stations.map((file) => specFromStation(loadStation(file, env), file));
    const users = aclUsers(mergeSpecs([...stationSpecs, ...nodeSpecs]));
    const text = renderAcl(users, { sources: [...options.stations, ...nodes.map((n) => `--node ${n}`)], ...(options.passwordFile ? { passwordFile: options.passwordFile } : {}) });
    if (options.json) {
      io.out(
        JSON.stringify({
          users: users.map(({ username, role, site, id, write, read }) => ({ username, role, site, id, write, read })),
          acl: text,
          passwd: passwdCommands(users, options.passwordFile),
        }),
      );
    } else io.out(text.replace(/\n$/, ''));
    return 0;
  } catch (e) {
    if (e instanceof AclError) io.err(`airlane acl: ${e.message}`);
    else io.err((e as Error).message);
    return 1;
  }
}
