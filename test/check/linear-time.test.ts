/**
 * Inputs that took quadratic time: a mapping's duplicate-key check searched every earlier key, and
 * a Dockerfile word's line was found by scanning a continuation from its first line. These sizes
 * take seconds when the work is linear and minutes when it is quadratic (40 000 keys took 7 s,
 * a 20 000-line RUN 1.8 s), so the generous timeout fails only the quadratic code; the
 * assertions check the structure read.
 */
import { describe, expect, it } from 'vitest';
import { parseInstructions } from '../../src/check/dockerfile-parse.js';
import { checkDockerfile } from '../../src/check/dockerfile.js';
import { readYamlSubset } from '../../src/check/yaml-subset.js';
import { runCheck } from '../../src/check/engine.js';
import { parseHcl } from '../../src/check/hcl.js';
import { checkNomadJob } from '../../src/check/nomad.js';
import { textReport } from '../../src/check/report-text.js';
import { memorySource } from '../../src/check/source.js';

const n = 200_000;

describe('linear time on large inputs', () => {
  it(`reads a mapping of ${n} keys, block and flow, and still finds a duplicate`, () => {
    const block = readYamlSubset(`services:\n${Array.from({ length: n }, (_, i) => `  s${i}: 1\n`).join('')}  s7: 2\n`, { tags: [] });
    expect(block?.duplicateKeys).toEqual([n + 2]);
    const flow = readYamlSubset(`x: {${Array.from({ length: n }, (_, i) => `k${i}: 1`).join(', ')}, k7: 2}\n`, { tags: [] });
    expect(flow?.duplicateKeys).toEqual([1]);
    const value = block?.contents;
    expect(value?.kind === 'map' && value.pairs[0]?.value.kind === 'map' ? value.pairs[0].value.pairs.length : 0).toBe(n + 1);
  }, 120_000);

  // Words × lines: 500 000 lines of two words each (the old scan: 200 000 lines of one took 30 s).
  const lines = 500_000;
  it(`gives each word of a ${lines}-line RUN continuation its own line`, () => {
    const text = `FROM alpine:3.20\nRUN echo \\\n${Array.from({ length: lines }, (_, i) => `  a${i} b \\\n`).join('')}  end\n`;
    const run = parseInstructions(text)[1]!;
    expect(run.words).toHaveLength(2 * lines + 2);
    expect(run.words[1]).toEqual({ value: 'a0', line: 3 });
    expect(run.words[2]).toEqual({ value: 'b', line: 3 });
    expect(run.words.at(-1)).toEqual({ value: 'end', line: lines + 3 });
  }, 120_000);
});

describe('many stages in a Dockerfile', () => {
  // Each FROM and COPY --from looked for the stage it names by scanning every earlier stage:
  // 40 000 FROMs took 27 s, 200 000 about 13 minutes.
  const stages = 100_000;
  it(`finds the stages ${stages} FROMs name in linear time`, () => {
    const text = `FROM alpine:3.20 AS base\n${'FROM base\nCOPY --from=base /a /a\n'.repeat(stages)}USER 10001:10001\n`;
    const findings = checkDockerfile(text, 'Dockerfile');
    expect(findings.filter((f) => f.rule === 'D01' || f.rule === 'D16')).toEqual([]);
  }, 60_000);
});

describe('many FROMs that name a stage through a platform ARG', () => {
  // Each FROM base-$TARGETARCH looked for the stages it can spell by testing every earlier one:
  // 2 000 took 0.6 s and 8 000 took 9 s, so 40 000 take minutes. Each image's stages are found once.
  const stages = 40_000;
  it(`finds the stages ${stages} FROM base-$TARGETARCH name in linear time`, () => {
    const text = `FROM alpine:3.20 AS base-amd64\nFROM alpine:3.20 AS base-arm64\n${Array.from({ length: stages }, (_, i) => `FROM base-$TARGETARCH AS s${i}\n`).join('')}USER 10001:10001\n`;
    const findings = checkDockerfile(text, 'Dockerfile');
    expect(findings.filter((f) => f.rule === 'D01' || f.rule === 'D16')).toEqual([]);
  }, 60_000);
});

describe('many alternative blocks in a Nomad job', () => {
  const job = (group: string, task: string) => `job "api" {\n  group "api" {\n${group}    task "api" {\n      driver = "docker"\n${task}    }\n  }\n}\n`;

  // Each task restart was judged over each group restart: 6 000 of each took about a minute
  // (12 000 of each, 3 minutes); a group's restart counts only by the settings it gives.
  const restarts = 6_000;
  it(`judges ${restarts} task restart blocks under ${restarts} group ones in linear time`, () => {
    const full = '    restart {\n      attempts = 2\n      interval = "30m"\n      delay = "15s"\n      mode = "fail"\n    }\n';
    const text = job(full.repeat(restarts), '      restart {}\n'.repeat(restarts));
    const n05 = checkNomadJob(parseHcl(text), 'api.nomad.hcl').findings.filter((f) => f.rule === 'N05' && /restart/.test(f.message));
    expect(n05).toEqual([]);
    const weak = checkNomadJob(parseHcl(job('    restart {}\n'.repeat(restarts), '      restart {}\n'.repeat(restarts))), 'api.nomad.hcl').findings.filter((f) => f.rule === 'N05' && /restart (lacks|mode)/.test(f.message));
    expect(weak).toHaveLength(2 * restarts);
  }, 30_000);

  // Vault blocks in the job, the group and the task are merged per way of picking one of each
  // place: with the job's and the group's counted by kind (54 kinds each), each task block was
  // judged in 2 916 ways, built as arrays: 300 took 3 s, 20 000 ran out of memory after a
  // minute. Each setting is now judged on its own.
  const kinds = (indent: string) => {
    const out: string[] = [];
    for (const policies of ['', 'policies = ["x"]'])
      for (const role of ['', 'role = "app"', 'role = ""'])
        for (const env of ['', 'env = false', 'env = true'])
          for (const file of ['', 'disable_file = true', 'disable_file = false']) out.push(`${indent}vault {\n${[policies, role, env, file].filter((x) => x).map((x) => `${indent}  ${x}\n`).join('')}${indent}}\n`);
    return out.join('');
  };
  const vaultJob = (tasks: number) => `job "api" {\n${kinds('  ')}  group "api" {\n${kinds('    ')}    task "api" {\n      driver = "docker"\n${'      vault {}\n'.repeat(tasks)}    }\n  }\n}\n`;
  const n04 = (tasks: number) => checkNomadJob(parseHcl(vaultJob(tasks)), 'api.nomad.hcl').findings.filter((f) => f.rule === 'N04');
  // Each bad setting of the job's and the group's blocks (54 policies, 36 env = true, 36
  // disable_file = false) once, and each task block's missing role, env and disable_file.
  it('judges every vault alternative of the job, the group and the task', () => {
    const found = n04(2);
    expect(found).toHaveLength(3 * 2 + 126);
    expect(found.filter((f) => /policies were removed/.test(f.message))).toHaveLength(54);
    expect(found.filter((f) => /names no role/.test(f.message))).toHaveLength(2);
  });
  const vaults = 20_000;
  it(`judges ${vaults} task vault blocks under 54 kinds in the job and the group in linear time`, () => {
    expect(n04(vaults)).toHaveLength(3 * vaults + 126);
  }, 60_000);

  // 160 000 findings (one per resources block) were passed to Array.push as arguments, past
  // what a call takes: check exited 70 ("Maximum call stack size exceeded"); the text report also
  // copied each file's findings once per finding.
  const resources = 160_000;
  it(`reports a task with ${resources} resources blocks, each a finding`, async () => {
    const files = new Map([['api.nomad.hcl', job('', '      resources {}\n'.repeat(resources))]]);
    const report = await runCheck(memorySource(files), { only: ['N05'] });
    expect(report.findings.filter((f) => f.message.endsWith('resources lack cpu, memory, memory_max'))).toHaveLength(resources);
    const same = (t: string) => t;
    const text = textReport(report, { bold: same, dim: same, green: same, yellow: same, red: same, cyan: same });
    expect(text.at(-1)).toMatch(new RegExp(`^${report.findings.length} finding\\(s\\) in 1 file\\(s\\)`));
    expect(text).toHaveLength(2 + 2 * report.findings.length + 1);
  }, 60_000);
});
