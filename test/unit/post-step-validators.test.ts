/**
 * The optional validators as `create` runs them when docker and nomad are installed. Neither is
 * installed here, so stand-ins on PATH do what the real programs do with these files: Nomad's HCL2
 * job parser (jobspec2/types.variables.go) stops at a variable with no default and no value
 * ("Unset variable"), and Compose's interpolation stops at `${IMAGE:?…}` when IMAGE is unset.
 * The generated files ask for both on purpose (N02: deploy by digest), so the validators must
 * supply an example digest reference, or they report every generated project as broken.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { realDisk } from '../../src/disk.js';
import { postSteps, type PostStepContext } from '../../src/post-steps.js';
import { silentUi } from '../helpers/output.js';
import { answersFor } from '../helpers/render.js';


const standIns: Record<string, string> = {
  nomad: `#!/bin/sh
printf '%s\\n' "$*" >> "$CALLS"
for arg in "$@"; do case "$arg" in image=*@sha256:*) echo 'Job validation successful'; exit 0 ;; esac; done
echo 'Error getting job struct: Error parsing job file: Unset variable "image"' >&2
exit 1
`,
  docker: `#!/bin/sh
printf '%s IMAGE=%s\\n' "$*" "\${IMAGE:-}" >> "$CALLS"
if [ "$1 $2" = "compose version" ]; then echo 'Docker Compose version v2.29.1'; exit 0; fi
case "\${IMAGE:-}" in *@sha256:*) exit 0 ;; esac
echo 'required variable IMAGE is missing a value: set IMAGE to the image reference by digest' >&2
exit 1
`,
};

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.CALLS;
});

describe('the optional validators, when docker and nomad are installed', () => {
  it('give the files the example digest reference they require, and pass a generated project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-validators-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const [name, script] of Object.entries(standIns)) {
      writeFileSync(join(bin, name), script);
      chmodSync(join(bin, name), 0o755);
    }
    process.env.PATH = `${bin}${delimiter}${savedPath}`;
    process.env.CALLS = join(dir, 'calls');
    const answers = await answersFor({ name: 'orders' });
    const context: PostStepContext = { root: dir, answers, services: [], git: false, disk: await realDisk(), ui: silentUi, parts: ['compose', 'nomad'] };
    const outcomes = [];
    for (const { label, step } of postSteps.filter((s) => /docker|nomad/.test(s.label))) outcomes.push([label, await step(context)]);
    expect(outcomes).toEqual([
      ['Checking with docker', { ok: true, note: 'docker: compose files OK' }],
      ['Checking with nomad', { ok: true, note: 'nomad: Nomad job OK' }],
    ]);
    const calls = readFileSync(join(dir, 'calls'), 'utf8');
    const example = `registry.example.com/orders@sha256:${'0'.repeat(64)}`;
    expect(calls).toContain(`compose -f compose.yaml -f compose.prod.yaml config --quiet IMAGE=${example}\n`);
    expect(calls).toContain(`job validate -var image=${example} deploy/nomad/orders.nomad.hcl\n`);
  });
});

describe('the optional validators, in a project without some of the files they check', () => {
  it('check only the files the project has: one the user deleted or moved away is not named, nor reported missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'css-validators-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const recorder = `#!/bin/sh\nprintf '%s %s\\n' "$(basename "$0")" "$*" >> "$CALLS"\nexit 0\n`;
    for (const [name, script] of Object.entries({ ...standIns, shellcheck: recorder, hadolint: recorder })) {
      writeFileSync(join(bin, name), script);
      chmodSync(join(bin, name), 0o755);
    }
    process.env.PATH = `${bin}${delimiter}${savedPath}`;
    process.env.CALLS = join(dir, 'calls');
    const answers = await answersFor({ name: 'orders' });
    // As create run again after the user deleted these (every part written).
    const gone = new Set(['dockerfile', 'build-image', 'compose-prod', 'nomad-job']);
    const context: PostStepContext = { root: dir, answers, services: [], git: false, disk: await realDisk(), ui: silentUi, projectHas: (id) => !gone.has(id) };
    const outcomes: Record<string, unknown> = {};
    for (const { label, step } of postSteps.filter((s) => /^Checking/.test(s.label))) outcomes[label] = await step(context);
    expect(outcomes).toEqual({
      'Checking with hadolint': null,
      'Checking with shellcheck': { ok: true, note: 'shellcheck: scripts OK' },
      'Checking with docker': { ok: true, note: 'docker: compose files OK' },
      'Checking with nomad': null,
    });
    const calls = readFileSync(join(dir, 'calls'), 'utf8');
    expect(calls).toContain('shellcheck scripts/verify-signatures.sh\n');
    expect(calls).toContain(`compose -f compose.yaml config --quiet IMAGE=`);
    expect(calls).not.toMatch(/build-image\.sh|compose\.prod\.yaml|Dockerfile|nomad\.hcl/);
  });
});
