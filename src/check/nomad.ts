/**
 * Nomad job rules N01-N06 (and V02 for the Vault reads of its templates), on the HCL2 AST of
 * `hcl.ts`. Written for the current syntax (Nomad 1.10+): anything from the pre-0.12 docker driver
 * (`port_map`, `config = {…}`, `mounts = [...]`) or the removed `vault { policies }` is reported.
 */
import { hasUrlPassword, identityProblem, isSecretName } from './dockerfile.js';
import { finding, type Finding } from './findings.js';
import { attribute, blocksOf, literalString, literalStringValue, templateText, type HclAttribute, type HclBlock, type HclBody, type HclExpr } from './hcl.js';
import { pinProblem } from './images.js';

const str = (body: HclBody, name: string) => literalString(attribute(body, name)?.value);
const isTrue = (body: HclBody, name: string) => attribute(body, name)?.value.kind === 'bool' && (attribute(body, name)!.value as { value: boolean }).value;
/** A setting's value when it is written as a bool. */
const boolOf = (a: HclAttribute | undefined) => (a?.value.kind === 'bool' ? a.value.value : undefined);
const strings = (expr: HclExpr | undefined): string[] => (expr?.kind === 'tuple' ? expr.items.map((i) => literalString(i)).filter((s): s is string => s !== undefined) : []);
const textOf = (expr: HclExpr | undefined): string => (expr?.kind === 'string' ? templateText(expr.parts) : '');

export interface NomadTaskIdentity {
  user: string | null;
  line: number;
}

/**
 * `dynamic "X" { for_each = … labels = […] content { … } }` read as the X block it generates
 * (HCL's dynblock extension, which Nomad's HCL2 parser applies): a job that builds its groups,
 * tasks or docker config that way gets the same rules, not none. `for_each` is known only at run
 * time, so the content is checked once, as if it were generated once.
 */
function expandDynamic(body: HclBody): HclBody {
  if (!body.items.some((i) => i.type === 'block')) return body;
  return {
    items: body.items.map((item) => {
      if (item.type !== 'block') return item;
      const content = item.name === 'dynamic' && item.labels.length === 1 ? blocksOf(item.body, 'content')[0] : undefined;
      if (!content) return { ...item, body: expandDynamic(item.body) };
      const labels = attribute(item.body, 'labels')?.value;
      const block: HclBlock = {
        type: 'block',
        name: item.labels[0]!,
        labels: labels?.kind === 'tuple' ? labels.items.map((l) => literalString(l) ?? (l.kind === 'string' ? templateText(l.parts) : '')) : [],
        body: expandDynamic(content.body),
        line: item.line,
      };
      generated.add(block);
      return block;
    }),
  };
}

/** The blocks `expandDynamic` made from dynamic blocks: for_each may make none of each. */
const generated = new WeakSet<HclBlock>();

/**
 * The blocks Nomad's job structs hold one of per place (a pointer, not a list, in its api
 * package; the job's vault block by jobspec2's own check): HCL's decoder refuses a second
 * ("Duplicate update block"), so two written out are a job Nomad does not run.
 */
const takenOnce: Record<'job' | 'group' | 'task', Set<string>> = {
  job: new Set(['update', 'multiregion', 'periodic', 'parameterized', 'reschedule', 'migrate', 'ui', 'vault']),
  group: new Set(['restart', 'disconnect', 'reschedule', 'ephemeral_disk', 'update', 'migrate', 'scaling', 'consul', 'vault']),
  task: new Set(['lifecycle', 'resources', 'restart', 'logs', 'vault', 'consul', 'dispatch_payload', 'csi_plugin', 'schedule']),
};

/** The second and later static blocks of a name its place takes once (dynamic ones are alternatives). */
function duplicateBlocks(body: HclBody, place: keyof typeof takenOnce, add: (rule: string, line: number, message: string) => void): void {
  const first = new Map<string, HclBlock>();
  for (const item of body.items) {
    if (item.type !== 'block' || !takenOnce[place].has(item.name) || generated.has(item)) continue;
    const earlier = first.get(item.name);
    if (!earlier) first.set(item.name, item);
    else add('F01', item.line, `Duplicate ${item.name} block: a ${place} takes one ${item.name} block (Nomad refuses the job: only one is allowed, the other is at line ${earlier.line}); keep one, or choose between them with dynamic blocks`);
  }
}

export function checkNomadJob(parsed: HclBody, file: string): { findings: Finding[]; tasks: NomadTaskIdentity[] } {
  const body = expandDynamic(parsed);
  const out: Finding[] = [];
  const tasks: NomadTaskIdentity[] = [];
  // A block judged once per alternative of its parent's can repeat a finding: kept once.
  const seen = new Set<string>();
  const add = (rule: string, line: number, message: string) => {
    const key = `${rule}\0${line}\0${message}`;
    if (!seen.has(key)) out.push(finding(rule, file, line, message));
    seen.add(key);
  };

  // N01: Nomad's docs (the dynamic blocks caveat; hashicorp/nomad#18506) say a `dynamic` inside a
  // driver's config, which Nomad passes on unread, is not expanded: the driver fails the task.
  for (const d of dynamicsInConfig(parsed, false)) add('N01', d.line, `dynamic "${d.labels[0] ?? ''}" inside config is not expanded (Nomad passes config to the driver unread, and the driver refuses it): write the ${d.labels[0] ?? ''} { } blocks out`);

  // N01, N06: forbidden keys at any depth.
  const visit = (b: HclBody, inConfig: boolean) => {
    for (const item of b.items) {
      if (item.name === 'port_map') add('N01', item.line, 'port_map is the pre-0.12 syntax: use a group network block with port "<label>" { to = N } and ports = ["<label>"]');
      if (item.type === 'attribute') {
        if (['config', 'network', 'mount', 'resources'].includes(item.name) && item.value.kind === 'object') add('N01', item.line, `${item.name} = {…} is the pre-0.12 form: write a ${item.name} { } block`);
        if (inConfig && item.name === 'mounts') add('N01', item.line, 'mounts = [...] is deprecated: use mount { } blocks');
        if (inConfig && item.name === 'privileged' && item.value.kind === 'bool' && item.value.value) add('N06', item.line, 'privileged = true gives the container every capability and all devices');
        if (inConfig && /^(network_mode|pid_mode|ipc_mode|uts_mode|userns_mode)$/.test(item.name) && literalString(item.value) === 'host') add('N06', item.line, `${item.name} = "host" shares the host's namespace`);
        if (inConfig && item.name === 'volumes') add('N06', item.line, 'volumes = [...] bind-mounts host paths into the container');
        if (inConfig && item.name === 'devices') add('N06', item.line, 'devices are passed through from the host');
        if (inConfig && item.name === 'cap_add') add('N02', item.line, 'cap_add gives capabilities back: the task needs none');
      } else {
        if (inConfig && item.name === 'mount' && str(item.body, 'type') === 'bind') add('N06', item.line, `a bind mount of the host path ${str(item.body, 'source') ?? ''}`);
        visit(item.body, inConfig || item.name === 'config');
      }
    }
  };
  visit(body, false);

  for (const job of blocksOf(body, 'job')) {
    duplicateBlocks(job.body, 'job', add);
    for (const group of blocksOf(job.body, 'group')) {
      duplicateBlocks(group.body, 'group', add);
      for (const task of blocksOf(group.body, 'task')) duplicateBlocks(task.body, 'task', add);
    }
    const type = str(job.body, 'type') ?? 'service';
    const service = type === 'service';
    const jobConstraint = hasLinuxConstraint(job.body);
    // N03: the submitter's tokens, which Nomad's job docs say never to write into the job file.
    for (const key of ['vault_token', 'consul_token']) {
      const token = attribute(job.body, key);
      if (token && (literalString(token.value) ?? '') !== '') add('N03', token.line, `${key} holds a literal token in the job file: pass it as ${key.toUpperCase()} when running the job (workload identity needs none)`);
    }
    for (const group of blocksOf(job.body, 'group')) {
      const groupLine = group.line;
      const docker = blocksOf(group.body, 'task').filter((t) => str(t.body, 'driver') === 'docker');
      // N01: group networking in bridge mode.
      const networks = blocksOf(group.body, 'network');
      if (docker.length > 0 && networks.length === 0 && blocksOf(group.body, 'task').some((t) => blocksOf(t.body, 'config').some((c) => attribute(c.body, 'ports')))) add('N01', groupLine, `group "${group.labels[0] ?? ''}" has no network block: the ports of its tasks are not mapped`);
      for (const n of networks) {
        const mode = str(n.body, 'mode') ?? 'host';
        if (mode === 'host') add('N06', n.line, 'the group network runs in host mode (the default): set mode = "bridge"');
        else if (mode !== 'bridge') add('N01', n.line, `network mode "${mode}": use mode = "bridge" with port blocks`);
        staticPorts(n, type, add);
      }
      // The deprecated task-level network (resources { network { … } }) takes static ports too.
      for (const task of blocksOf(group.body, 'task')) for (const resources of blocksOf(task.body, 'resources')) for (const n of blocksOf(resources.body, 'network')) staticPorts(n, type, add);
      // N05: restart and update.
      if (service) {
        // A restart block goes in the group or in a task; a task's settings override the group's.
        // Several restart blocks in one place are alternatives (dynamic blocks), as for config:
        // each is judged, a task's over each of the group's.
        const groupRestarts = blocksOf(group.body, 'restart');
        const taskRestarts = blocksOf(group.body, 'task').map((t) => blocksOf(t.body, 'restart'));
        const uncovered = taskRestarts.length === 0 || taskRestarts.some((r) => r.length === 0);
        if (groupRestarts.length === 0 && uncovered) add('N05', groupLine, `group "${group.labels[0] ?? ''}" has no restart block (attempts, interval, delay, mode = "fail"), in the group or in each task`);
        const checkRestart = (own: HclBlock, inherited: HclBlock | undefined) => {
          const attr = (k: string) => attribute(own.body, k) ?? (inherited && attribute(inherited.body, k));
          const missing = ['attempts', 'interval', 'delay'].filter((k) => !attr(k));
          if (missing.length > 0) add('N05', own.line, `restart lacks ${missing.join(', ')}`);
          const mode = attr('mode');
          if (!mode || literalString(mode.value) !== 'fail') add('N05', own.line, 'restart mode is not "fail": the allocation keeps restarting in place instead of being rescheduled');
        };
        if (uncovered) for (const g of groupRestarts) checkRestart(g, undefined);
        // A group's restart counts for a task's only by which settings it gives and whether its
        // mode is "fail": one of each kind is enough (thousands of each would multiply to minutes).
        const inheritedKinds = new Map<string, HclBlock>();
        for (const g of groupRestarts) {
          const mode = attribute(g.body, 'mode');
          const kind = `${['attempts', 'interval', 'delay'].map((k) => (attribute(g.body, k) ? 1 : 0)).join('')} ${mode ? literalString(mode.value) === 'fail' : 'none'}`;
          if (!inheritedKinds.has(kind)) inheritedKinds.set(kind, g);
        }
        for (const r of taskRestarts.flat()) for (const g of groupRestarts.length > 0 ? inheritedKinds.values() : [undefined]) checkRestart(r, g);
        // The job's update block applies to every group, merged per setting under the group's own
        // (Nomad's "update block inheritance"); a setting missing from both is reported on the
        // group's block, or the job's when the group has none. Several in the job or the group
        // are alternatives (see judgeWays): each is judged, not their settings pooled.
        const updated = judgeWays(
          [blocksOf(job.body, 'update'), blocksOf(group.body, 'update')],
          [
            // Left out, health_check is "checks" (Nomad's default): only another value is reported.
            settingJudge('health_check', (a) => a !== undefined && literalString(a.value) !== 'checks', (a) => add('N05', a!.line, 'update health_check is not "checks"')),
            (outer) => {
              // The deadlines the ways through the outer places set: at most eight patterns.
              let patterns = new Set([0]);
              for (const level of outer) patterns = new Set(level.flatMap((b) => [...patterns].map((p) => p | deadlinesOf(b))));
              return (update) => {
                for (const p of patterns) {
                  const set = p | deadlinesOf(update);
                  const missing = deadlines.filter((_, i) => !(set & (1 << i)));
                  if (missing.length > 0) add('N05', update.line, `update lacks ${missing.join(', ')}`);
                }
              };
            },
            settingJudge('auto_revert', (a) => boolOf(a) !== true, (a, update) => add('N05', a?.line ?? update.line, 'update auto_revert is not true: a failed deployment stays')),
          ],
        );
        if (!updated) add('N05', groupLine, `group "${group.labels[0] ?? ''}" has no update block (health-gated, auto_revert)`);
        const services = [...blocksOf(group.body, 'service'), ...blocksOf(group.body, 'task').flatMap((t) => blocksOf(t.body, 'service'))];
        if (!services.some((s) => blocksOf(s.body, 'check').length > 0)) add('N05', groupLine, `group "${group.labels[0] ?? ''}" has no service with a health check`);
      }
      if (!jobConstraint && !hasLinuxConstraint(group.body) && !docker.every((t) => hasLinuxConstraint(t.body))) add('N05', groupLine, 'no constraint { attribute = "${attr.kernel.name}" value = "linux" }');
      for (const task of docker) checkDockerTask(task, group, job, add, tasks);
    }
  }
  return { findings: out, tasks };
}

/**
 * N01 asks for port blocks holding `to = N` (a dynamic host port mapped to it): Nomad's network
 * docs advise static ports only for system jobs and specialised ones such as load balancers,
 * which run on every node.
 */
function staticPorts(network: HclBlock, type: string, add: (rule: string, line: number, message: string) => void): void {
  if (type === 'system' || type === 'sysbatch') return;
  for (const port of blocksOf(network.body, 'port')) {
    const fixed = attribute(port.body, 'static');
    if (fixed) add('N01', fixed.line, `port "${port.labels[0] ?? ''}" takes the static host port ${literalStringValue(fixed.value) ?? '(computed)'}: every node the group runs on opens that same port on its own address, and two allocations of it cannot share a node (Nomad advises static ports only for system jobs and load balancers): remove static and keep to = <container port>`);
  }
}

/** The dynamic blocks inside a config block, or inside the content of a dynamic "config". */
function dynamicsInConfig(body: HclBody, inConfig: boolean): HclBlock[] {
  return body.items.flatMap((item) => {
    if (item.type !== 'block') return [];
    const inner = dynamicsInConfig(item.body, inConfig || item.name === 'config' || (item.name === 'dynamic' && item.labels[0] === 'config'));
    return inConfig && item.name === 'dynamic' ? [item, ...inner] : inner;
  });
}

/**
 * Blocks Nomad merges down the job (job, then group, then task: update, vault) when one place
 * holds several. Nomad takes one such block per place (HCL's decoder refuses a second: "Duplicate
 * update block", which duplicateBlocks reports when both are written out), so several there are
 * alternatives, as `dynamic` blocks whose for_each picks one make them: every way of picking one
 * block per place is judged, as config blocks are, not their settings pooled. A way ends with a
 * block of the innermost place that has any (the nearest), and takes each setting from its
 * innermost block that has it: so each setting is judged on its own, over what the outer places
 * can give it, and the ways are never multiplied out (many vault blocks in the job, the group and
 * the task made that take minutes). Each judge sees each nearest block in turn; false when no
 * place has a block.
 */
function judgeWays(levels: HclBlock[][], judges: ((outer: HclBlock[][]) => (nearest: HclBlock) => void)[]): boolean {
  const present = levels.filter((l) => l.length > 0);
  const nearest = present.at(-1);
  if (!nearest) return false;
  const ready = judges.map((j) => j(present.slice(0, -1)));
  for (const b of nearest) for (const judge of ready) judge(b);
  return true;
}

/**
 * A judge of one setting: `bad` says whether the value a way ends with (undefined: left unset)
 * breaks the rule, `report` puts the finding on that setting's line or on the nearest block's.
 * Each setting at fault and each nearest block one reaches is reported, not every pair of them
 * (thousands of each would multiply again).
 */
function settingJudge(key: string, bad: (setting: HclAttribute | undefined) => boolean, report: (setting: HclAttribute | undefined, nearest: HclBlock) => void) {
  return (outer: HclBlock[][]) => {
    // What the outer places give the setting: the attributes some way takes it from, and
    // whether some way leaves it unset (then the nearest block's line is the one to fix).
    let from: HclAttribute[] = [];
    let unset = true;
    for (const level of outer) {
      const own = level.map((b) => attribute(b.body, key)).filter((a): a is HclAttribute => a !== undefined);
      if (own.length === level.length) [from, unset] = [own, false];
      else from = [...from, ...own];
    }
    const faults = from.filter((a) => bad(a));
    const unsetFault = unset && bad(undefined);
    let reported = false;
    return (nearest: HclBlock) => {
      const own = attribute(nearest.body, key);
      if (own) {
        if (bad(own)) report(own, nearest);
        return;
      }
      for (const fault of reported ? faults.slice(0, 1) : faults) report(fault, nearest);
      if (unsetFault) report(undefined, nearest);
      reported = true;
    };
  };
}

/** The update deadlines N05 asks for, reported together as those a way leaves unset; a block's as bits. */
const deadlines = ['min_healthy_time', 'healthy_deadline', 'progress_deadline'];
const deadlinesOf = (b: HclBlock) => deadlines.reduce((mask, k, i) => (attribute(b.body, k) ? mask | (1 << i) : mask), 0);

function hasLinuxConstraint(body: HclBody): boolean {
  return blocksOf(body, 'constraint').some((c) => textOf(attribute(c.body, 'attribute')?.value) === '${attr.kernel.name}' && str(c.body, 'value') === 'linux');
}

function checkDockerTask(task: HclBlock, group: HclBlock, job: HclBlock, add: (rule: string, line: number, message: string) => void, tasks: NomadTaskIdentity[]): void {
  const name = `task "${task.labels[0] ?? ''}"`;
  // A task takes one config block (a second is Nomad's "Duplicate config block" error), so several
  // here, static or from `dynamic "config"` blocks whose for_each picks one, are alternatives:
  // each is judged, since the job may run with any of them.
  const configs = blocksOf(task.body, 'config');
  // N02
  if (configs.length === 0) add('N02', task.line, `${name} has no config block`);
  for (const config of configs) {
    const c = config.body;
    if (!isTrue(c, 'readonly_rootfs')) add('N02', attribute(c, 'readonly_rootfs')?.line ?? config.line, `${name}: readonly_rootfs is not true`);
    if (!strings(attribute(c, 'cap_drop')?.value).some((x) => x.toLowerCase() === 'all')) add('N02', attribute(c, 'cap_drop')?.line ?? config.line, `${name}: cap_drop does not include "all"`);
    if (!strings(attribute(c, 'security_opt')?.value).some((x) => /^no-new-privileges(:true)?$/.test(x))) add('N02', attribute(c, 'security_opt')?.line ?? config.line, `${name}: security_opt lacks "no-new-privileges"`);
    const pids = attribute(c, 'pids_limit')?.value;
    if (!(pids?.kind === 'number' && pids.value > 0)) add('N02', attribute(c, 'pids_limit')?.line ?? config.line, `${name}: no pids_limit`);
    const image = str(c, 'image');
    if (image !== undefined && !image.includes('${')) {
      const problem = pinProblem(image);
      if (problem) add('N02', attribute(c, 'image')!.line, `${name}: image ${problem}`);
    }
  }
  const user = attribute(task.body, 'user');
  // `user = 0` is the string "0" to Nomad (HCL converts the number): root, not "no user".
  const userValue = literalStringValue(user?.value) ?? null;
  tasks.push({ user: userValue, line: user?.line ?? task.line });
  if (userValue === null) add('N02', task.line, `${name} sets no user: it runs as the image's default user`);
  else {
    const problem = identityProblem(userValue, true);
    if (problem) add('N02', user!.line, `${name}: ${problem}`);
  }
  // N05: resources.
  // One resources block per task too: several are alternatives, as for config.
  const resourceBlocks = blocksOf(task.body, 'resources');
  if (resourceBlocks.length === 0) add('N05', task.line, `${name}: resources lack cpu, memory, memory_max`);
  for (const resources of resourceBlocks) {
    const missing = ['cpu', 'memory', 'memory_max'].filter((k) => !attribute(resources.body, k));
    if (missing.length > 0) add('N05', resources.line, `${name}: resources lack ${missing.join(', ')}`);
    if (blocksOf(resources.body, 'network').length > 0) add('N01', blocksOf(resources.body, 'network')[0]!.line, `${name}: a network block inside resources is deprecated: use the group network block`);
  }
  // N03: secrets only through templates into secrets/.
  let readsVault = false;
  for (const t of blocksOf(task.body, 'template')) {
    const data = textOf(attribute(t.body, 'data')?.value);
    if (!/\bsecret\s+"/.test(data) && !/\bsecret\s+"/.test(str(t.body, 'source') ?? '')) continue;
    readsVault = true;
    const destination = textOf(attribute(t.body, 'destination')?.value);
    if (!/^(secrets\/|\$\{NOMAD_SECRETS_DIR\}\/)/.test(destination)) add('N03', attribute(t.body, 'destination')?.line ?? t.line, `${name}: a template renders Vault secrets into "${destination}", not secrets/ (local/ is readable from the task's shared directory)`);
    const mode = str(t.body, 'change_mode') ?? 'restart';
    if (mode !== 'restart') add('N03', attribute(t.body, 'change_mode')!.line, `${name}: change_mode "${mode}"${mode === 'signal' && isTrue(t.body, 'env') ? ' is invalid with env = true' : ''}: use "restart"`);
    const perms = str(t.body, 'perms');
    if (perms === undefined || !/^0?[0-7]{3}$/.test(perms) || (parseInt(perms, 8) & 0o077) !== 0) add('N03', attribute(t.body, 'perms')?.line ?? t.line, `${name}: the secrets file mode is ${perms ?? '0644 (the default)'}: use perms = "400"`);
    if (!isTrue(t.body, 'error_on_missing_key')) add('N03', attribute(t.body, 'error_on_missing_key')?.line ?? t.line, `${name}: error_on_missing_key is not true: a missing key starts the app with an empty secret`);
    for (const m of data.matchAll(/\{\{-?\s*with\s+secret\s+"([^"]+)"\s*-?\}\}([\s\S]*?)\{\{-?\s*end\s*-?\}\}/g)) {
      const path = m[1]!;
      const v2 = /^[^/]+\/data\//.test(path);
      if (v2 && /\.Data\.(?!data\.)\w/.test(m[2]!)) add('V02', attribute(t.body, 'data')!.line, `${name}: ${path} is a KV v2 path, read as .Data.x instead of .Data.data.x`);
      if (!v2 && /\.Data\.data\./.test(m[2]!)) add('V02', attribute(t.body, 'data')!.line, `${name}: ${path} is a KV v1 path, read as .Data.data.x`);
    }
  }
  for (const env of blocksOf(task.body, 'env')) {
    for (const item of env.body.items) {
      if (item.type === 'attribute' && isSecretName(item.name) && (literalString(item.value) ?? '') !== '') add('N03', item.line, `${name}: env ${item.name} holds a literal secret in the job file`);
      else if (item.type === 'attribute' && hasUrlPassword(literalString(item.value) ?? '')) add('N03', item.line, `${name}: env ${item.name} is a URL with a literal password in the job file`);
    }
  }
  // N04: Vault through workload identity, the token kept from the task.
  const vaults = [...blocksOf(task.body, 'vault'), ...blocksOf(group.body, 'vault'), ...blocksOf(job.body, 'vault')];
  if (readsVault && vaults.length === 0) add('N04', task.line, `${name} reads Vault secrets but has no vault { role = "…" } block`);
  // A vault block may stand in the job, the group or the task: Nomad merges them, the task's
  // settings over the group's over the job's. A setting missing from all is reported on the
  // nearest block. Several in one place are alternatives (see judgeWays), each judged.
  judgeWays(
    [blocksOf(job.body, 'vault'), blocksOf(group.body, 'vault'), blocksOf(task.body, 'vault')],
    [
      settingJudge('policies', (a) => a !== undefined, (a) => add('N04', a!.line, `${name}: vault policies were removed in Nomad 1.10: use role = "<svc>" (workload identity)`)),
      settingJudge('role', (a) => !literalString(a?.value), (_, nearest) => add('N04', nearest.line, `${name}: the vault block names no role`)),
      settingJudge('env', (a) => boolOf(a) !== false, (a, nearest) => add('N04', a?.line ?? nearest.line, `${name}: the Vault token is exported as VAULT_TOKEN (set env = false when only templates use Vault)`)),
      settingJudge('disable_file', (a) => boolOf(a) !== true, (a, nearest) => add('N04', a?.line ?? nearest.line, `${name}: the Vault token is written to secrets/vault_token (set disable_file = true)`)),
    ],
  );
}
