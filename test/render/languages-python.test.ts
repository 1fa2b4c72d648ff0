import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { basesOf, versionsOf } from '../../src/languages.js';
import { fileOf, render } from '../helpers/render.js';
import { assertHardened, exerciseSeed, expectHealthySeed, expectProbeVerdicts, freePort, removedAfterAll, writeTree } from './languages-checks.js';

const combos = versionsOf('python').flatMap((languageVersion) => basesOf('python', languageVersion).map((base) => ({ languageVersion, base })));

describe('python Dockerfile', () => {
  it('is offered on alpine and debian-slim for every version, and on distroless only for 3.11', () => {
    expect(combos.filter((c) => c.base === 'distroless').map((c) => c.languageVersion)).toEqual(['3.11']);
    expect(combos.length).toBe(versionsOf('python').length * 2 + 1);
  });

  it.each(combos)('$languageVersion on $base passes the structural D-rules', async ({ languageVersion, base }) => {
    const tree = await render({ language: 'python', languageVersion, base, port: 8123, healthPath: '/health/live' }, ['docker', 'app']);
    const text = fileOf(tree, 'Dockerfile');
    const python = base === 'distroless' ? '/usr/bin/python3' : '/opt/venv/bin/python';
    const parsed = assertHardened(text, {
      language: 'python', languageVersion, base, port: 8123,
      healthcheck: [python, '/app/healthcheck.py'],
      entrypoint: [python, '-m', 'app'],
    });
    // The venv is built in the builder and copied whole; nothing else crosses over.
    expect(parsed.stages[0]!.instructions.map((i) => i.getTextContent()).join('\n')).toMatch(/python -m venv \/opt\/venv[^]*pip install --no-cache-dir -r requirements\.txt/);
    expect(text).toContain('COPY --from=build /opt/venv /opt/venv');
    expect(text).toMatch(/^COPY app\.py \.\/app\.py\nCOPY healthcheck\.py \.\/healthcheck\.py$/m);
    expect(text).toMatch(/PYTHONDONTWRITEBYTECODE=1/);
    expect(text).toMatch(/PYTHONUNBUFFERED=1/);
    if (base === 'distroless') {
      // The venv's python links to the builder's /usr/local interpreter, absent here: the
      // image's own python gets the venv's packages through PYTHONPATH, for the same minor version.
      expect(text).toContain(`PYTHONPATH=/opt/venv/lib/python${languageVersion}/site-packages`);
      expect(text).toMatch(/^ARG BUILD_IMAGE=python:3\.11\.\d+-slim-bookworm$/m);
    } else {
      expect(text).toContain('PATH="/opt/venv/bin:${PATH}"');
      expect(text).not.toContain('PYTHONPATH');
    }
  });

  it.each(combos)('$languageVersion on $base: a src layout runs from /app/src on PYTHONPATH', async ({ languageVersion, base }) => {
    const tree = await render({ language: 'python', languageVersion, base, sources: ['src'], start: 'python -m ledger', packageManager: 'uv' }, ['docker']);
    const text = fileOf(tree, 'Dockerfile');
    const python = base === 'distroless' ? '/usr/bin/python3' : '/opt/venv/bin/python';
    assertHardened(text, { language: 'python', languageVersion, base, port: 8000, healthcheck: [python, '/app/healthcheck.py'], entrypoint: [python, '-m', 'ledger'] });
    const env = /^ENV PYTHONDONTWRITEBYTECODE=1 \\\n(?:\s+.*\\\n)*\s+.*$/m.exec(text)![0];
    expect(env).toContain(base === 'distroless' ? `PYTHONPATH=/opt/venv/lib/python${languageVersion}/site-packages:/app/src` : 'PYTHONPATH=/app/src \\');
    expect(text).toMatch(/^COPY src \.\/src$/m);
  });

  it('keeps a custom start command that does not start with python', async () => {
    const tree = await render({ language: 'python', start: 'gunicorn -b 0.0.0.0:8000 app:app' }, ['docker']);
    expect(fileOf(tree, 'Dockerfile')).toContain('ENTRYPOINT ["gunicorn","-b","0.0.0.0:8000","app:app"]');
  });
});

describe('python seed app', () => {
  const dirs = removedAfterAll();

  it('compiles, serves the health path, passes its own health check and stops on SIGTERM', async () => {
    const port = await freePort();
    // The seed app, and the health probe the docker part writes beside it.
    const tree = await render({ language: 'python', port, healthPath: '/ready' }, ['app', 'docker']);
    expect([...(await render({ language: 'python' }, ['app'])).keys()].sort()).toEqual(['app.py', 'requirements.txt']);
    expect(tree.get('healthcheck.py')?.part).toBe('docker');
    // requirements.txt installs nothing: comments only.
    expect(fileOf(tree, 'requirements.txt').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
    const dir = await writeTree(tree);
    dirs.push(dir);

    const compiled = spawnSync('python3', ['-m', 'py_compile', 'app.py', 'healthcheck.py'], { cwd: dir, encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);

    // As the image runs it: `python -m app`, no bytecode written.
    const env = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
    const run = await exerciseSeed(dir, ['python3', '-m', 'app'], ['python3', `${dir}/healthcheck.py`], port, '/ready', env);
    expectHealthySeed(run, port);
  });

  it('the probe works with any app: 0 for a 200 from another server, 1 for a 503, a redirect or a path it does not know', async () => {
    await expectProbeVerdicts(async (port, healthPath) => {
      const dir = await writeTree(await render({ language: 'python', port, healthPath }, ['docker']), (path) => path === 'healthcheck.py');
      dirs.push(dir);
      return ['python3', `${dir}/healthcheck.py`];
    });
  }, 60_000);
});
