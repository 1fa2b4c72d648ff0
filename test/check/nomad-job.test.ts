/** Nomad job rules on shapes Nomad accepts: restart at task level. */
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/check/hcl.js';
import { checkNomadJob } from '../../src/check/nomad.js';

const job = (group: string, task: string) => `job "app" {
  group "web" {
${group}
    task "app" {
      driver = "docker"
${task}
    }
  }
}
`;
const restart = (indent: string, mode = 'fail') => `${indent}restart {\n${indent}  attempts = 2\n${indent}  interval = "30m"\n${indent}  delay = "15s"\n${indent}  mode = "${mode}"\n${indent}}`;
const n05 = (text: string) => checkNomadJob(parseHcl(text), 'app.nomad.hcl').findings.filter((f) => f.rule === 'N05' && /restart/.test(f.message)).map((f) => `${f.line} ${f.message}`);

describe('N05 restart', () => {
  it('accepts a restart block in the task instead of the group', () => {
    expect(n05(job('', restart('      ')))).toEqual([]);
  });

  it('takes what the task leaves out from the group, and what it sets over it', () => {
    const text = job(restart('    '), '      restart {\n        mode = "delay"\n      }');
    expect(n05(text)).toEqual(['11 restart mode is not "fail": the allocation keeps restarting in place instead of being rescheduled']);
  });

  it('still reports a group where neither it nor each task has one', () => {
    expect(n05(job('', ''))).toEqual(['2 group "web" has no restart block (attempts, interval, delay, mode = "fail"), in the group or in each task']);
  });
});

describe('N02 user', () => {
  const n02 = (task: string) => checkNomadJob(parseHcl(job('', task)), 'app.nomad.hcl').findings.filter((f) => f.rule === 'N02' && /user|root|UID/.test(f.message)).map((f) => `${f.line} ${f.message}`);

  it('takes a bare number as the string HCL converts it to: user = 0 is root, not "no user"', () => {
    expect(n02('      user = 0')).toEqual(['6 task "app": runs as root (0)']);
    expect(n02('      user = "0"')).toEqual(['6 task "app": runs as root (0)']);
    expect(n02('      user = 10001')).toEqual(['6 task "app": user "10001" names no numeric group: give uid:gid']);
  });

  it('still reports a task with no user', () => {
    expect(n02('')).toEqual(['4 task "app" sets no user: it runs as the image\'s default user']);
  });
});
