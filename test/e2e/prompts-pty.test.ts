/**
 * `create`'s questions on a pseudo-terminal (test/helpers/run-on-pty.py), with the bundled CLI, as
 * a user pastes into them: a list one name a line, with or without the terminal's bracketed paste
 * mode, a .env file into the secrets question, several lines into a question of one value, text
 * into a choice; and what the terminal is left in when a signal ends the run at a question.
 */
import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/render.js';
import { caseFolders } from '../helpers/case-folders.js';

let work: string;
let home: string;
let bin: string;
const fresh = caseFolders(() => work);

interface Step {
  expect: string;
  send?: string;
  signal?: string;
  hangup?: boolean;
  delay?: number;
  screen?: boolean;
}

/** What the terminal shows: its rows, and the cursor's [row, column]. */
interface Screen {
  rows: string[];
  cursor: [number, number];
}

interface PtyReport {
  exitCode: number | null;
  signal: number | null;
  transcript: string;
  modes: string[];
  failedStep: number | null;
  killed: string | null;
  screens: Screen[];
}

/** A terminal wide enough that the notes under test stay on one line. */
async function onPty(steps: Step[], args: string[], cwd: string, options: string[] = ['--size', '40x200'], extraEnv: Record<string, string> = {}): Promise<PtyReport> {
  const driver = join(repoRoot, 'test/helpers/run-on-pty.py');
  const env = { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', LANG: 'C.UTF-8', TERM: 'xterm-256color', ...extraEnv };
  const result = await execa('python3', [driver, JSON.stringify(steps), ...options, '--', process.execPath, bin, ...args], { cwd, env, extendEnv: false, reject: false });
  return JSON.parse(result.stdout) as PtyReport;
}

const manifestAnswers = (cwd: string, name = 'orders') => (JSON.parse(readFileSync(join(cwd, name, '.secure-service', 'manifest.json'), 'utf8')) as { answers: Record<string, unknown> }).answers;

/** Every file's text under dir, to look for what must not be written anywhere. */
/**
 * A project folder, and the environment of a git whose init runs `onInit` first: by default it
 * takes 3 s and ignores hang-ups, as a program started under nohup does, or one that outlives the
 * run as a program in a terminal does once its shell has the terminal back (this driver's terminal
 * hangs up when the run ends).
 */
async function slowGitInit(onInit = "trap '' HUP; sleep 3"): Promise<{ project: string; env: Record<string, string> }> {
  const cwd = fresh();
  const tools = join(cwd, 'tools');
  mkdirSync(tools);
  const git = (await execa('sh', ['-c', 'command -v git'])).stdout;
  writeFileSync(join(tools, 'git'), `#!/bin/sh\nif [ "$1" = init ]; then ${onInit}; fi\nexec ${git} "$@"\n`);
  chmodSync(join(tools, 'git'), 0o755);
  const project = join(cwd, 'project');
  mkdirSync(project);
  return { project, env: { PATH: `${tools}:${process.env.PATH ?? ''}` } };
}

function allText(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) text += readFileSync(path, 'utf8');
  }
  return text;
}

/** Where a mode was last set: "h" (on), "l" (off), or undefined if never. */
const lastMode = (modes: string[], mode: string) => modes.filter((m) => m.slice(0, -1) === mode).at(-1)?.slice(-1);

const pasteStart = '\u001b[200~';
const pasteEnd = '\u001b[201~';
const down = '\u001b[B';
/** Node, the defaults, up to the secrets question. */
const toSecrets: Step[] = [
  { expect: 'Service name', send: '\u0015orders\r' },
  { expect: 'Language', send: '\r' },
  { expect: 'Language version', send: '\r' },
  { expect: 'Final base image family', send: '\r' },
  { expect: 'Port the application listens on', send: '\r' },
  { expect: 'HTTP health-check path', send: '\r' },
  { expect: 'Start command', send: '\r' },
];
/** From the backing services question to the end: the defaults, no signing. */
const afterSecrets: Step[] = [
  { expect: 'Backing services', send: '\r' },
  { expect: 'Networks the app joins', send: '\r' },
  { expect: 'CPU limit', send: '\r' },
  { expect: 'Memory limit', send: '\r' },
  { expect: 'Nomad datacenter', send: '\r' },
  { expect: 'Vault KV secrets engine version', send: '\r' },
  { expect: 'Vault KV mount path', send: '\r' },
  { expect: 'Vault role', send: '\r' },
  { expect: 'Commit signing', send: `${down}${down}\r` }, // none
  { expect: 'Source repository URL', send: '\r' },
];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'css-prompts-pty-'));
  home = join(work, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Dev\n\temail = dev@example.com\n[init]\n\tdefaultBranch = main\n');
  // dist/ is built once by test/global-setup.ts before any test file runs.
  bin = join(repoRoot, 'bin', 'create-secure-service.cjs');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a paste into a question', () => {
  it('a list pasted one name a line, on a terminal without bracketed paste, is taken whole; nothing of it answers the next question', async () => {
    const cwd = fresh();
    const report = await onPty([...toSecrets, { expect: 'Secrets the app reads', send: 'API_TOKEN\nDB_PASSWORD\nOTHER_KEY\n' }, { expect: 'OTHER_KEY', send: '\r' }, ...afterSecrets], ['--no-git'], cwd);
    expect(report.failedStep, report.transcript.slice(-3000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-3000)).toBe(0);
    expect(manifestAnswers(cwd)).toMatchObject({ secrets: ['API_TOKEN', 'DB_PASSWORD', 'OTHER_KEY'], services: [] });
  });

  it('a .env file pasted into the secrets question gives its names; its values reach neither the screen nor a file, even when the paste takes two reads', async () => {
    const cwd = fresh();
    const report = await onPty(
      [
        ...toSecrets,
        // The paste arrives in two pieces, the second once the first has been read: the first
        // line break must not answer the question, nor the rest (with an "a", for "select all")
        // the backing services.
        { expect: 'Secrets the app reads', send: `${pasteStart}# copied from .env\r\nexport API_TOKEN=tok-hunter2\r\nDB_PASSWORD = 'pw-hunter2'\r\n` },
        { expect: '', send: `\r\n  - CACHE_URL=redis://:hunter2@cache\r\nSMTP_PASSWORD: hunter2\r\nOTHER_KEY\r\n${pasteEnd}`, delay: 0.5 },
        { expect: 'OTHER_KEY', send: '\r' },
        ...afterSecrets,
      ],
      ['--no-git'],
      cwd,
      // Wide enough for the question's last line, note and names, on one row.
      ['--size', '40x300'],
    );
    expect(report.failedStep, report.transcript.slice(-3000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-3000)).toBe(0);
    expect(manifestAnswers(cwd)).toMatchObject({ secrets: ['API_TOKEN', 'DB_PASSWORD', 'CACHE_URL', 'SMTP_PASSWORD', 'OTHER_KEY'], services: [] });
    expect(report.transcript).toMatch(/\(4 pasted values dropped: only the names are kept; put the values in secrets\/orders\.env\) API_TOKEN,\s+DB_PASSWORD,\s+CACHE_URL,\s+SMTP_PASSWORD,\s+OTHER_KEY\n/);
    expect(report.transcript).not.toMatch(/hunter2/);
    expect(allText(cwd)).not.toMatch(/hunter2/);
    // Bracketed paste is on while a question is asked, and off when the run ends.
    expect(report.modes).toContain('?2004h');
    expect(lastMode(report.modes, '?2004')).toBe('l');
  });

  it('several lines pasted into a question of one value: the first is kept, and the question says so', async () => {
    const cwd = fresh();
    const report = await onPty([{ expect: 'Service name', send: `\u0015${pasteStart}orders\nbilling\n${pasteEnd}` }, { expect: 'kept the first', send: '\r' }, { expect: 'Language', send: '\u0003' }], ['--no-git'], cwd);
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.transcript).toMatch(/✔ Service name .*\(pasted 2 lines: kept the first, this question takes one\) orders\n/);
    expect(report.exitCode).toBe(130);
  });

  it("a paste's note goes once the answer is changed (typed to, deleted from), and a new paste gives its own", async () => {
    const cwd = fresh();
    const report = await onPty(
      [
        { expect: 'Service name', send: `\u0015${pasteStart}orders\nbilling\n${pasteEnd}` },
        { expect: 'kept the first', send: '-eu' },
        { expect: 'orders-eu', send: '\r' },
        ...toSecrets.slice(1),
        { expect: 'Secrets the app reads', send: `${pasteStart}API_TOKEN=tok\nDB_PASSWORD=pw\n${pasteEnd}` },
        { expect: '2 pasted values dropped', send: '\u007f' },
        { expect: 'DB_PASSWOR', send: `, ${pasteStart}OTHER_KEY=x\n${pasteEnd}` },
        { expect: '1 pasted value dropped', send: '\r' },
        ...afterSecrets,
      ],
      ['--no-git'],
      cwd,
      ['--size', '40x300'],
    );
    expect(report.failedStep, report.transcript.slice(-3000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-3000)).toBe(0);
    expect(manifestAnswers(cwd, 'orders-eu')).toMatchObject({ name: 'orders-eu', secrets: ['API_TOKEN', 'DB_PASSWOR', 'OTHER_KEY'] });
    // Drawn without the note from the first key typed after the paste.
    expect(report.transcript).toMatch(/\? Service name \(lowercase letters, digits and dashes\) orders-/);
    expect(report.transcript).toMatch(/✔ Service name \(lowercase letters, digits and dashes\) orders-eu\n/);
    expect(report.transcript).toMatch(/for none\) API_TOKEN, DB_PASSWOR\?/);
    expect(report.transcript).toMatch(/✔ Secrets the app reads[^\n]*for none\) \(1 pasted value dropped: only the names are kept; put the values in secrets\/orders-eu\.env\) API_TOKEN, DB_PASSWOR, OTHER_KEY\n/);
  });

  it('a paste at a choice does not choose: the question says how to, until the next key', async () => {
    const cwd = fresh();
    const report = await onPty(
      [
        { expect: 'Service name', send: '\u0015orders\r' },
        { expect: 'navigate', send: `${pasteStart}go${pasteEnd}` },
        { expect: 'a paste does not choose here: move with ↑↓ or type the first letters of a choice, then press ⏎', send: '\r' },
        ...toSecrets.slice(2),
        { expect: 'Secrets the app reads', send: '\r' },
        { expect: 'Backing services', send: `${pasteStart}postgres\nredis\n${pasteEnd}` },
        { expect: 'a paste does not choose here: move with ↑↓, press space to pick each, then ⏎', send: ' ' },
        { expect: '◉ postgres', send: '\r' },
        ...afterSecrets.slice(1),
      ],
      ['--no-git'],
      cwd,
    );
    expect(report.failedStep, report.transcript.slice(-3000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-3000)).toBe(0);
    expect(manifestAnswers(cwd)).toMatchObject({ language: 'node', services: ['postgres'] });
    expect(report.transcript).toMatch(/✔ Language Node\.js\n/);
    expect(report.transcript).toMatch(/✔ Backing services postgres\n/);
  });

  it('a paste at a choice is dropped: it neither picks nor answers', async () => {
    const cwd = fresh();
    const report = await onPty([...toSecrets, { expect: 'Secrets the app reads', send: '\r' }, { expect: 'Backing services', send: `${pasteStart}a\r${pasteEnd}` }, { expect: '', send: '\r', delay: 0.5 }, ...afterSecrets.slice(1)], ['--no-git'], cwd);
    expect(report.failedStep, report.transcript.slice(-3000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-3000)).toBe(0);
    expect(manifestAnswers(cwd)).toMatchObject({ secrets: [], services: [] });
  });

  it('a dumb terminal (TERM=dumb: Emacs\' shell), which would show its codes as text, is not put in bracketed paste mode', async () => {
    const ask = [{ expect: 'Service name', send: '\r' }, { expect: 'Language', send: '\u0003' }];
    const dumb = await onPty(ask, [], fresh(), undefined, { TERM: 'dumb' });
    expect(dumb.exitCode, dumb.transcript).toBe(130);
    expect(dumb.modes.filter((m) => m.startsWith('?2004'))).toEqual([]);
    expect((await onPty(ask, [], fresh())).modes).toContain('?2004h');
  });

  it('a paste longer than any answer is not put in the line (each character would redraw it), and the question says so', async () => {
    const cwd = fresh();
    const report = await onPty([{ expect: 'Service name', send: `${pasteStart}${'x'.repeat(3000)}${pasteEnd}` }, { expect: 'nothing was inserted', send: 'orders\r' }, { expect: 'Language', send: '\u0003' }], ['--no-git'], cwd);
    expect(report.failedStep, report.transcript.slice(-3000)).toBeNull();
    expect(report.transcript).toMatch(/pasted 3000 characters, more than any answer takes/);
    expect(report.transcript).toMatch(/✔ Service name [^]*orders\n/);
    expect(report.transcript.length).toBeLessThan(20_000);
  });
});

describe('a line longer than the terminal is wide', () => {
  /** The character under the cursor and the one before it. */
  const atCursor = ({ rows, cursor: [row, col] }: Screen) => ({ before: col > 0 ? rows[row]![col - 1] : rows[row - 1]!.at(-1), under: rows[row]![col] ?? ' ' });

  for (const size of ['24x80', '24x40']) {
    it(`wraps where the cursor is counted (${size}): typing and editing go where the cursor shows`, async () => {
      const command = 'node dist/server.js --port 8080 --host 0.0.0.0 --log-level verbose --config /etc/app/config.json --workers 4';
      const left = '\u001b[D';
      const report = await onPty(
        [
          ...toSecrets.slice(0, -1),
          { expect: 'Start command', send: `\u0015${command}` },
          // (The rows of the transcript are cut where the line wraps: the next steps wait instead.)
          { expect: '', screen: true, send: left.repeat(4), delay: 0.5 },
          { expect: '', screen: true, send: 'X', delay: 0.3 },
          { expect: '', screen: true, send: '\r', delay: 0.3 },
          { expect: 'Secrets the app reads', send: '\u0003' },
        ],
        ['--no-git'],
        fresh(),
        ['--size', size],
      );
      expect(report.failedStep, report.transcript.slice(-2000)).toBeNull();
      const [typed, moved, inserted] = report.screens as [Screen, Screen, Screen];
      // The line is cut at the width, so its rows joined are the question and the answer.
      const [row] = typed.cursor;
      const start = typed.rows.findIndex((r) => r.startsWith('? Start command'));
      expect(typed.rows.slice(start, row + 1).join(''), JSON.stringify(typed)).toBe(`? Start command ${command}`);
      expect(atCursor(typed), JSON.stringify(typed)).toEqual({ before: '4', under: ' ' });
      // Four characters to the left: on the "r" of "workers".
      expect(atCursor(moved), JSON.stringify(moved)).toEqual({ before: 'e', under: 'r' });
      expect(atCursor(inserted), JSON.stringify(inserted)).toEqual({ before: 'X', under: 'r' });
    });
  }
});

describe('a signal at a question', () => {
  it('Ctrl-D on an empty line ends the run as interrupted, at a text question and at a choice, writing nothing', async () => {
    for (const steps of [[{ expect: 'Service name', send: '\u0004' }], [{ expect: 'Service name', send: '\r' }, { expect: 'navigate', send: '\u0004' }]]) {
      const cwd = fresh();
      const report = await onPty(steps, [], cwd, ['--size', '40x200', '--exit-timeout', '10']);
      expect(report.killed, report.transcript).toBeNull();
      expect(report.exitCode, report.transcript).toBe(130);
      expect(report.transcript).toMatch(/\nerror: interrupted; nothing was written\n$/);
      expect(lastMode(report.modes, '?25')).toBe('h');
      expect(lastMode(report.modes, '?2004')).toBe('l');
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('Ctrl-Z suspends the run (the cursor shown, paste mode off), and after fg the questions go on', async () => {
    const cwd = fresh();
    const report = await onPty(
      [
        { expect: 'Service name', send: '\u0015ord' },
        { expect: 'ord', send: '\u001a' },
        // No job-control shell here: the driver continues the stopped process itself.
        { expect: '', signal: 'SIGCONT', delay: 0.5 },
        { expect: '', send: 'ers\r', delay: 0.5 },
        { expect: 'Language', send: '\u001a' },
        { expect: '', signal: 'SIGCONT', delay: 0.5 },
        { expect: '', send: `${down}\r`, delay: 0.5 },
        { expect: 'Language version', send: '\u0003' },
      ],
      [],
      cwd,
    );
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.transcript).toMatch(/✔ Service name .* orders\n[^]*✔ Language Python\n/);
    expect(report.exitCode, report.transcript).toBe(130);
    // At the choice (which hides the cursor), Ctrl-Z turns paste mode off and shows the cursor.
    expect(report.modes.join(' ')).toContain('?25l ?2004l ?25h ?2004h');
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
    it(`${signal}: the question is closed as Ctrl-C closes it (cursor shown, paste mode off, a line of its own), exit ${code}, nothing written`, async () => {
      const cwd = fresh();
      // The Language question hides the cursor.
      const report = await onPty([{ expect: 'Service name', send: '\r' }, { expect: 'navigate', signal }], [], cwd);
      expect(report.failedStep, report.transcript).toBeNull();
      expect(report.exitCode, report.transcript).toBe(code);
      expect(report.transcript).toMatch(/select\n+error: interrupted; nothing was written\n$/);
      expect(lastMode(report.modes, '?25')).toBe('h');
      expect(lastMode(report.modes, '?2004')).toBe('l');
      expect(readdirSync(cwd)).toEqual([]);
    });
  }
});

describe('the terminal closed (a hang-up)', () => {
  // Its window closed: SIGHUP, and every read and write on it fails (EIO) from then on.
  it('at a question: the run ends with 129, not killed by the signal nor by a failed write, nothing written', async () => {
    const cwd = fresh();
    const report = await onPty([{ expect: 'Service name', send: '\r' }, { expect: 'navigate', hangup: true }], [], cwd, ['--size', '40x200', '--exit-timeout', '10']);
    expect(report.failedStep, report.transcript).toBeNull();
    expect(report.killed, report.transcript).toBeNull();
    expect({ exitCode: report.exitCode, signal: report.signal }).toEqual({ exitCode: 129, signal: null });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('during git init: the run ends with 129 and git init with it', async () => {
    const { project, env } = await slowGitInit();
    for (const last of [{ signal: 'SIGHUP' }, { hangup: true }]) {
      rmSync(join(project, 'orders'), { recursive: true, force: true });
      const report = await onPty([...toSecrets, { expect: 'Secrets the app reads', send: '\r' }, ...afterSecrets, { expect: 'Initialising git', delay: 0.3, ...last }], [], project, ['--size', '40x200', '--exit-timeout', '2'], env);
      expect(report.failedStep, report.transcript.slice(-2000)).toBeNull();
      expect(report.killed, report.transcript.slice(-2000)).toBeNull();
      expect({ exitCode: report.exitCode, signal: report.signal }, report.transcript.slice(-2000)).toEqual({ exitCode: 129, signal: null });
      // With the terminal still there, the line that says what is left.
      if (last.signal) expect(report.transcript).toMatch(/error: interrupted during git init, after every file was written and the passwords step: git init may have left .*\/orders\/\.git half-made; run git init in .*\/orders to complete it, then the same command again to finish signing\n$/);
      // Had git init been left running, it would have made the repository by now.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(readdirSync(join(project, 'orders'))).not.toContain('.git');
    }
  });
});

describe('Ctrl-C after the questions', () => {
  it('during git init: the run ends at once, git init with it, and the message says what is left', async () => {
    const { project, env } = await slowGitInit();
    const report = await onPty([...toSecrets, { expect: 'Secrets the app reads', send: '\r' }, ...afterSecrets, { expect: 'Initialising git', send: '\u0003', delay: 0.3 }], [], project, ['--size', '40x200', '--exit-timeout', '2'], env);
    expect(report.failedStep, report.transcript.slice(-2000)).toBeNull();
    expect(report.killed, report.transcript.slice(-2000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-2000)).toBe(130);
    expect(report.transcript).toMatch(/error: interrupted during git init, after every file was written and the passwords step: git init may have left .*\/orders\/\.git half-made; run git init in .*\/orders to complete it, then the same command again to finish signing\n$/);
    expect(report.transcript).not.toMatch(/Configuring commit signing|Checking with/);
    // Had git init been left running, it would have made the repository by now.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(readdirSync(join(project, 'orders'))).not.toContain('.git');
  });

  it('during git init that has made part of .git: the message says to complete it first, and doing so, then running again, finishes', async () => {
    // A git init stopped where a real one stops between its steps: refs/ and HEAD made, objects/ not yet.
    const { project, env } = await slowGitInit("mkdir -p .git/refs/heads && echo 'ref: refs/heads/main' > .git/HEAD && sleep 3");
    const report = await onPty([...toSecrets, { expect: 'Secrets the app reads', send: '\r' }, ...afterSecrets, { expect: 'Initialising git', send: '\u0003', delay: 0.5 }], [], project, ['--size', '40x300', '--exit-timeout', '2'], env);
    expect(report.exitCode, report.transcript.slice(-2000)).toBe(130);
    const orders = join(project, 'orders');
    expect(report.transcript).toContain(`error: interrupted during git init, after every file was written and the passwords step: git init may have left ${orders}/.git half-made; run git init in ${orders} to complete it, then the same command again to finish signing\n`);
    expect(readdirSync(join(orders, '.git')).sort()).toEqual(['HEAD', 'refs']);
    const again = (extra: Record<string, string> = {}) =>
      execa(process.execPath, [bin, 'orders', '--yes', '--signing', 'none'], { cwd: project, env: { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', ...extra }, extendEnv: false, reject: false, stdin: 'ignore' });
    expect((await again()).stderr).toMatch(/^error: orders\/\.git is not a complete git repository \(no objects folder; /);
    await execa('git', ['init', '-q'], { cwd: orders });
    const finished = await again();
    expect(finished.exitCode, finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(/git: already a repository\n/);
  });

  it('during the checks of the written project, the message says only the checks were left, on a line of its own', async () => {
    const cwd = fresh();
    // A shellcheck that takes its time, so the Ctrl-C lands while it runs.
    const tools = join(cwd, 'tools');
    mkdirSync(tools);
    writeFileSync(join(tools, 'shellcheck'), '#!/bin/sh\nsleep 20\n');
    chmodSync(join(tools, 'shellcheck'), 0o755);
    const project = join(cwd, 'project');
    mkdirSync(project);
    const report = await onPty([...toSecrets, { expect: 'Secrets the app reads', send: '\r' }, ...afterSecrets, { expect: 'Checking with shellcheck', send: '\u0003' }], [], project, undefined, { PATH: `${tools}:${process.env.PATH ?? ''}` });
    expect(report.failedStep, report.transcript.slice(-2000)).toBeNull();
    expect(report.exitCode, report.transcript.slice(-2000)).toBe(130);
    expect(report.transcript).toMatch(/✔ Initialising git\n/);
    expect(report.transcript).toMatch(/error: interrupted while checking the written project, after its files, passwords, git and signing steps: run the same command again to check it\n$/);
    expect(lastMode(report.modes, '?25')).toBe('h');
  });
});
